//! What a look at a user's refresh lock found, without taking it for long ([`super::TokenStore::probe_lock`]).

use std::time::Duration;

/// Whether a user's refresh lock is held now ([`crate::TokenStore::probe_lock`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LockState {
    /// Nobody holds it.
    Free,
    /// Someone holds it.
    Held {
        /// For how long, when the store can tell.
        held_for: Option<Duration>,
        /// How long until the lease runs out by itself, when the store's locks are leases.
        expires_in: Option<Duration>,
    },
    /// The store cannot tell (a custom store).
    Unknown,
}

impl LockState {
    /// A stable word for scripts: `free`, `held` or `unknown`.
    pub fn name(self) -> &'static str {
        match self {
            LockState::Free => "free",
            LockState::Held { .. } => "held",
            LockState::Unknown => "unknown",
        }
    }
}
