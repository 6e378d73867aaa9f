//! The client's calls that the process's counters ([`crate::stats`]) count: reads of one
//! user's tokens from the store, refresh requests, and waits for a refresh lock.

use std::time::{Duration, Instant};

use super::OAuthClient;
use crate::accounts::TokenReply;
use crate::error::{ErrorKind, Result};
use crate::secret::Secret;
use crate::stats;
use crate::store::LockGuard;
use crate::token::Tokens;

impl OAuthClient {
    /// Reads `user`'s tokens from the store, counted.
    pub(super) fn read_store(&self, user: &str) -> Result<Option<Tokens>> {
        stats::note_store_read();
        self.store.get(user)
    }

    /// Asks the accounts server at `server` for a new access token, counted as a refresh
    /// made or failed.
    pub(super) fn request_refresh(&self, server: &str, refresh: &Secret) -> Result<TokenReply> {
        let reply = self
            .credentials()
            .and_then(|credentials| self.accounts.refresh(server, credentials, refresh));
        stats::note_refresh(reply.is_ok());
        reply
    }

    /// Takes the store's refresh lock of `user`, waiting at most `wait`, counted with the
    /// time it took.
    pub(super) fn counted_lock(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        let asked_at = Instant::now();
        let lock = self.store.lock_user(user, wait);
        let busy = lock
            .as_ref()
            .is_err_and(|e| e.kind() == ErrorKind::LockTimeout);
        stats::note_lock_wait(asked_at.elapsed(), busy);
        lock
    }
}
