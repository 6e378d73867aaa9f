//! Placeholder; the PHP extension is built in the php/ crate.
