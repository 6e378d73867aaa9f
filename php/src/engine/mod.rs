//! Everything that reaches past ext-php-rs's safe API into the Zend engine: raw class entries,
//! function tables, zval and `zend_object` layouts, and calls into the engine's C functions.
//!
//! The rest of the extension uses only this module's safe, documented functions, so it holds
//! no `unsafe` code of its own (the crate denies `unsafe_code` outside this module).
//!
//! This code writes into structures whose layout ext-php-rs defines (its `ClassMetadata`, the
//! object handler table, the bindgen types of PHP 8.2's headers), so ext-php-rs is pinned to
//! exactly `=0.16.4` in `php/Cargo.toml`. Upgrading it means re-reading every `SAFETY` comment
//! here, [`subclass`] first.
//!
//! - [`class`]: registering classes from our MINIT, class entries kept in statics, looking a
//!   class up by name, adjusting methods (private constructor, untyped returns).
//! - [`sensitive`]: `#[\SensitiveParameter]` on named parameters; a missing class or method
//!   fails start-up.
//! - [`subclass`]: PHP classes extending a Rust class get objects of their own class.
//! - [`object`]: reading and writing properties as a class's code would, calling a
//!   constructor on an object.
//! - [`array`](mod@array): a hash array's entries in order, without hashing.
//! - [`identity`]: whether a string is interned, whether two zvals hold the same string.
//! - [`call`]: running PHP source and user code from Rust; bailouts are caught, then resumed.
//! - [`ini`]: reading php.ini settings.
//! - [`startup`]: the MINIT guard that turns an error into `FAILURE` with a warning.

pub mod array;
pub mod call;
pub mod class;
pub mod identity;
pub mod ini;
pub mod object;
pub mod sensitive;
pub mod startup;
pub mod subclass;
