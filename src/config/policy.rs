//! How the client behaves: timeouts, the refresh margin, how long the store is trusted,
//! how long to wait for another process's refresh.

use std::time::Duration;

use super::store::{DEFAULT_STORE_TIMEOUT, LOCK_TIMEOUT_SLACK};

/// The client's timing policy. Values are checked by [`crate::Config::validate`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    pub(super) connect_timeout: Duration,
    pub(super) request_timeout: Duration,
    pub(super) refresh_margin: Duration,
    pub(super) store_recheck: Option<Duration>,
    pub(super) lock_timeout: Option<Duration>,
    pub(super) store_timeout: Duration,
}

impl Default for Policy {
    /// 10 s connect timeout, 30 s request timeout, 60 s refresh margin, the store's recheck,
    /// the derived lock timeout and a 5 s bound on each call to a shared store.
    fn default() -> Policy {
        Policy {
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            refresh_margin: Duration::from_secs(60),
            store_recheck: None,
            lock_timeout: None,
            store_timeout: DEFAULT_STORE_TIMEOUT,
        }
    }
}

impl Policy {
    /// How long to wait for a connection to the accounts server.
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout
    }

    /// How long a whole request to the accounts server may take.
    pub fn request_timeout(&self) -> Duration {
        self.request_timeout
    }

    /// Refresh an access token when less than this is left.
    pub fn refresh_margin(&self) -> Duration {
        self.refresh_margin
    }

    /// `store_recheck_ms`: how long a cached, valid token is served from memory without
    /// asking the store. `None` takes the store's default
    /// ([`crate::store::TokenStore::defaults`]).
    pub fn store_recheck(&self) -> Option<Duration> {
        self.store_recheck
    }

    /// `lock_timeout_secs` as given, `None` when not.
    pub fn lock_timeout_setting(&self) -> Option<Duration> {
        self.lock_timeout
    }

    /// How long to wait for another process's refresh of the same user before giving up:
    /// `lock_timeout_secs`, else the connect timeout plus the request timeout plus
    /// [`LOCK_TIMEOUT_SLACK`], the longest a refresh can take.
    pub fn lock_timeout(&self) -> Duration {
        self.lock_timeout.unwrap_or_else(|| {
            self.connect_timeout
                .saturating_add(self.request_timeout)
                .saturating_add(LOCK_TIMEOUT_SLACK)
        })
    }

    /// `store_timeout_secs`: the longest one call to a shared store (MySQL, Redis) may take,
    /// whatever happens inside it (connecting, statements, reconnects); then the call fails
    /// with a transient error. Waiting for another process's refresh is bounded separately
    /// by [`Policy::lock_timeout`].
    pub fn store_timeout(&self) -> Duration {
        self.store_timeout
    }
}
