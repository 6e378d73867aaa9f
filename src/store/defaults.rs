//! What a client assumes about a store it was given no settings for, declared once:
//! [`StoreDefaults`], and [`BuiltIn`], the wrapper through which [`super::open`] hands out
//! every store of this library. A new built-in store gets the defaults by being opened
//! there; it has nothing to declare and so nothing to forget.

use std::time::Duration;

use crate::config::DEFAULT_STORE_RECHECK;

/// The defaults a store gives a client ([`super::TokenStore::defaults`]); a configuration key
/// (`store_recheck_ms`) overrides them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StoreDefaults {
    /// How long a cached, valid token is served without asking the store.
    pub recheck: Duration,
}

impl StoreDefaults {
    /// Every store [`super::open`] opens (the token file in either format, the SDK's CSV,
    /// MySQL in both layouts, Redis): the fleet cache of [`DEFAULT_STORE_RECHECK`].
    pub const BUILT_IN: StoreDefaults = StoreDefaults {
        recheck: DEFAULT_STORE_RECHECK,
    };

    /// Any other store (a custom [`super::TokenStore`], a PHP persistence handler,
    /// [`super::MemoryStore`]): asked on every call, since it may change behind the
    /// library's back.
    pub const CUSTOM: StoreDefaults = StoreDefaults {
        recheck: Duration::ZERO,
    };
}

/// A store of this library as [`super::open`] hands it out: every method is the store's
/// own (called directly, not through another vtable), and its defaults are
/// [`StoreDefaults::BUILT_IN`].
pub struct BuiltIn<S>(pub S);
