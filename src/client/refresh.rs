//! The hot path and its single-flight refresh.
//!
//! `get_access_token` answers from the in-process cache while the token has more than the
//! refresh margin left and the store is unchanged. A token inside the margin is refreshed
//! under the store's per-user lock (across processes and machines for the built-in stores):
//!
//! - a caller whose token still works never waits for someone else's refresh
//!   (stale-while-revalidate): it tries the lock without waiting; if it gets it, it
//!   refreshes (bounded by the HTTP timeouts); if not, it serves its token at once and does
//!   not try again for [`BUSY_REFRESH_PAUSE_MS`](super::pauses::BUSY_REFRESH_PAUSE_MS);
//! - a caller whose token has expired waits for the lock, at most `lock_timeout_secs`, then
//!   re-reads: whoever refreshed meanwhile has saved the fresh token, and no second request
//!   is made.
//!
//! When a refresh fails transiently while the old access token still works, the old token
//! is handed out, and the failure time is recorded (in this process, and in the store
//! where it can share it: the file store keeps it in the user's lock file). For
//! [`RETRY_REFRESH_AFTER_MS`] after that, callers whose token still works use it without
//! asking the accounts server again, and callers that waited on the lock do not retry. So
//! an accounts-server outage costs one slow request per interval, not one per worker.
//!
//! When the store does not answer while a cached token still works, that token is served,
//! and the store is not asked again for
//! [`STORE_RETRY_AFTER_MS`](super::pauses::STORE_RETRY_AFTER_MS): a stalled store costs one
//! bounded call per interval, not one per call.

use std::cell::RefCell;
use std::sync::Arc;
use std::time::Duration;

use super::{NO_REFRESH_TOKEN_MESSAGE, OAuthClient, check_user, entry_key, no_tokens};
use crate::error::{Error, ErrorKind, Result};
use crate::log::Level;
use crate::secret::Secret;
use crate::stats;
use crate::store::LockGuard;
use crate::token::Tokens;

/// After a transient refresh failure while the old token still works, how long this
/// process uses the old token before trying again.
pub const RETRY_REFRESH_AFTER_MS: i64 = 10_000;

thread_local! {
    /// The (store, user) refresh locks this thread holds.
    static HELD_USER_LOCKS: RefCell<Vec<(usize, String)>> = const { RefCell::new(Vec::new()) };
}

/// A held refresh lock of one user, remembered per thread while it is held.
pub(super) struct HeldUserLock {
    key: (usize, String),
    _lock: LockGuard,
}

impl Drop for HeldUserLock {
    fn drop(&mut self) {
        HELD_USER_LOCKS.with(|held| held.borrow_mut().retain(|k| *k != self.key));
    }
}

/// Why a refresh is made: the token's age, or the caller's wish.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Trigger {
    /// The token is inside the refresh margin but still works: the lock is tried without
    /// waiting, and any failure serves the token.
    Stale,
    /// The token has expired: the lock is waited for (`lock_timeout_secs`).
    Expired,
    /// The caller wants a new access token now; a failure is always an error.
    Forced,
}

impl OAuthClient {
    /// A valid access token for `user`, refreshed if less than the refresh margin is left.
    pub fn get_access_token(&self, user: &str) -> Result<Secret> {
        Ok(self.get_tokens(user)?.access_token.clone())
    }

    /// The tokens of `user`, refreshed first if less than the refresh margin is left (see
    /// the module's documentation for who waits for a refresh and who does not).
    pub fn get_tokens(&self, user: &str) -> Result<Arc<Tokens>> {
        stats::note_token_call();
        stats::counted(self.tokens_of(user))
    }

    fn tokens_of(&self, user: &str) -> Result<Arc<Tokens>> {
        check_user(user)?;
        let now = self.now_ms();
        let generation = self.store.generation();
        if let Some(tokens) = self.recently_checked(user, generation)
            && tokens.is_valid_for(now, self.margin_ms())
        {
            stats::note_served_from_memory();
            return Ok(tokens);
        }
        if let Some(tokens) = self.held_back(user, now) {
            stats::note_served_from_memory();
            return Ok(tokens);
        }
        let fingerprint = self.store.fingerprint();
        if let Some(tokens) = self.cached(user, fingerprint, generation)
            && tokens.is_valid_for(now, self.margin_ms())
        {
            stats::note_served_from_memory();
            return Ok(tokens);
        }
        let stored = match self.load(user, fingerprint, generation) {
            Ok(stored) => stored,
            Err(e) => return self.cached_during_outage(user, now, e),
        };
        if stored.is_valid_for(now, self.margin_ms()) {
            return Ok(stored);
        }
        let key = entry_key(&stored, user).to_string();
        if !stored.is_valid_access_token(now) {
            return self.refresh_stored(&key, stored, Trigger::Expired);
        }
        if self.refresh_failed_recently(&key, now) {
            self.pauses.note_busy(user, now);
            return Ok(stored);
        }
        let served = self.refresh_stored(&key, Arc::clone(&stored), Trigger::Stale);
        if served.as_ref().is_ok_and(|t| Arc::ptr_eq(t, &stored)) {
            self.pauses.note_busy(user, now);
        }
        served
    }

    /// `user`'s cached tokens, when their access token still works and this process is
    /// pausing: the store failed lately, or another process holds the user's refresh lock.
    fn held_back(&self, user: &str, now: i64) -> Option<Arc<Tokens>> {
        if !self.pauses.store_backing_off(now) && !self.pauses.busy(user, now) {
            return None;
        }
        self.cached_regardless(user)
            .filter(|tokens| tokens.is_valid_access_token(now))
    }

    /// After the store failed to answer (`error`): the cached tokens of `user` when the failure
    /// may go away by itself (a MySQL or Redis server that is down, paused or restarting) and
    /// their access token still works, so a short outage of a shared store is invisible to
    /// callers, and the store is left alone for a while; otherwise the error.
    fn cached_during_outage(&self, user: &str, now: i64, error: Error) -> Result<Arc<Tokens>> {
        if !error.kind().is_transient() {
            return Err(error);
        }
        match self.cached_regardless(user) {
            Some(tokens) if tokens.is_valid_access_token(now) => {
                stats::note_served_from_memory();
                self.pauses.note_store_failure(now);
                self.log(
                    Level::Warning,
                    &format!(
                        "the token store did not answer ({}); the cached access token is still valid and is used",
                        error.message()
                    ),
                );
                Ok(tokens)
            }
            _ => Err(error),
        }
    }

    /// Refreshes `user`'s access token now, whatever its expiry. Callers that wait for a
    /// refresh another thread or process is doing get that refresh's result instead.
    /// Unlike [`OAuthClient::get_access_token`], a failed refresh is always an error (a
    /// failed save carries the new tokens: [`Error::unsaved_tokens`]).
    pub fn refresh_user(&self, user: &str) -> Result<Arc<Tokens>> {
        stats::counted(self.refresh_now(user))
    }

    fn refresh_now(&self, user: &str) -> Result<Arc<Tokens>> {
        check_user(user)?;
        let generation = self.store.generation();
        let stored = self.load(user, self.store.fingerprint(), generation)?;
        let key = entry_key(&stored, user).to_string();
        self.refresh_stored(&key, stored, Trigger::Forced)
    }

    /// Single-flight refresh of the entry `key`, last seen as `seen`. For a stale token
    /// (still working), the lock is only tried, and a failure to take it, to read or to
    /// save (a store that is down, a read-only disk) serves `seen`, as a transient network
    /// failure does; a refresh whose save failed serves the new token (kept in memory)
    /// unless the refresh was forced.
    pub(super) fn refresh_stored(
        &self,
        key: &str,
        seen: Arc<Tokens>,
        trigger: Trigger,
    ) -> Result<Arc<Tokens>> {
        let seen_usable = trigger == Trigger::Stale && seen.is_valid_access_token(self.now_ms());
        let locked = self.lock_user_for(key, trigger).and_then(|lock| {
            let stored = self.read_store(key)?.ok_or_else(no_tokens)?;
            Ok((lock, self.prefer_unsaved(key, Arc::new(stored))))
        });
        let (_lock, current) = match locked {
            Ok(locked) => locked,
            Err(e) if seen_usable && serves_old_token(&e) => {
                return Ok(self.keep_old_token(seen, &e));
            }
            Err(e) => return Err(e),
        };
        let now = self.now_ms();
        let usable = trigger != Trigger::Forced && current.is_valid_access_token(now);
        let done = match trigger {
            Trigger::Forced => current.access_token != seen.access_token,
            // Fresh now, or a refresh failed while this caller waited on the lock.
            Trigger::Stale | Trigger::Expired => {
                current.is_valid_for(now, self.margin_ms())
                    || (usable && self.refresh_failed_recently(key, now))
            }
        };
        if done {
            return Ok(current);
        }
        if trigger != Trigger::Forced {
            self.log(Level::Info, "Access Token has expired. Hence refreshing.");
        }
        let (at_ms, started) = (self.now_ms(), std::time::Instant::now());
        let outcome = self.refresh_locked(key, &current);
        self.record_refresh(key, at_ms, started, &outcome);
        match outcome {
            Ok(fresh) => Ok(fresh),
            Err(e) if trigger != Trigger::Forced && e.unsaved_tokens().is_some() => {
                if usable {
                    // Other processes whose token still works wait before spending another
                    // refresh on a store that cannot keep it.
                    self.remember_refresh_failure(key, now);
                }
                self.keep_unsaved(key, e)
            }
            Err(e) if usable && serves_old_token(&e) => {
                self.remember_refresh_failure(key, now);
                Ok(self.keep_old_token(current, &e))
            }
            Err(e) => {
                self.log(Level::Severe, e.message());
                Err(e)
            }
        }
    }

    /// Asks the accounts server for a new access token for `current` (under `key`'s lock)
    /// and saves it unless a consent, a delete or a later refresh came first; a failed save
    /// gives an error that carries the new tokens.
    fn refresh_locked(&self, key: &str, current: &Tokens) -> Result<Arc<Tokens>> {
        let refresh = current
            .refresh_token
            .clone()
            .ok_or_else(|| Error::new(ErrorKind::MissingToken, NO_REFRESH_TOKEN_MESSAGE))?;
        let server = self.accounts_url_for(current);
        let sent_at = self.now_ms();
        let reply = self.request_refresh(&server, &refresh)?;
        self.forget_refresh_failure(key);
        let mut fresh =
            self.tokens_from_reply(Some(key.to_string()), reply, Some(refresh.clone()), sent_at);
        fresh.accounts_url = Some(server);
        fresh.api_domain = fresh.api_domain.or_else(|| current.api_domain.clone());
        fresh.scope = fresh.scope.or_else(|| current.scope.clone());
        self.save_refreshed(key, fresh, &refresh)
    }

    /// Logs why a refresh did not happen and hands out the still-valid `old` token; a store
    /// that did not answer is left alone for a while.
    fn keep_old_token(&self, old: Arc<Tokens>, why: &Error) -> Arc<Tokens> {
        if why.kind() == ErrorKind::StoreUnavailable {
            self.pauses.note_store_failure(self.now_ms());
        }
        let (level, what) = match why.kind() {
            ErrorKind::LockTimeout => (Level::Info, "not refreshed here"),
            _ => (Level::Warning, "refresh failed"),
        };
        self.log(
            level,
            &format!(
                "{what} ({}); the current access token is still valid and is used",
                why.message()
            ),
        );
        old
    }

    /// Whether a refresh of `key` failed transiently less than [`RETRY_REFRESH_AFTER_MS`]
    /// ago, in this process or (where the store shares it) in another one.
    fn refresh_failed_recently(&self, key: &str, now: i64) -> bool {
        let here = self
            .failed_refreshes
            .try_lock()
            .ok()
            .and_then(|failed| failed.get(key).copied());
        [here, self.store.refresh_failed_at(key)]
            .into_iter()
            .flatten()
            .any(|at| (0..RETRY_REFRESH_AFTER_MS).contains(&now.saturating_sub(at)))
    }

    /// Records a transient failure; called under `key`'s lock. A store that cannot record
    /// it only costs other processes a retry, so its error is logged, not returned.
    fn remember_refresh_failure(&self, key: &str, now: i64) {
        // Only ever try_lock'ed (fork safety): a busy map skips this process's note; the
        // store's shared record still holds it.
        if let Ok(mut failed) = self.failed_refreshes.try_lock() {
            failed.insert(key.to_string(), now);
        }
        if let Err(e) = self.store.set_refresh_failed_at(key, Some(now)) {
            self.log(Level::Warning, e.message());
        }
    }

    /// Clears a recorded failure after a successful refresh; called under `key`'s lock.
    fn forget_refresh_failure(&self, key: &str) {
        if let Ok(mut failed) = self.failed_refreshes.try_lock() {
            failed.remove(key);
        }
        if self.store.refresh_failed_at(key).is_some()
            && let Err(e) = self.store.set_refresh_failed_at(key, None)
        {
            self.log(Level::Warning, e.message());
        }
    }

    /// Takes the store's refresh lock of one user, waiting for it (`lock_timeout_secs`). A
    /// thread that already holds it (a custom store that calls the client back) gets an
    /// error instead of waiting for itself forever.
    pub(super) fn lock_user(&self, user: &str) -> Result<HeldUserLock> {
        self.lock_user_waiting(user, self.config.policy().lock_timeout())
    }

    /// The refresh lock for a refresh with `trigger`: only tried for a stale token (its
    /// holder must not wait for someone else's refresh), waited for otherwise.
    fn lock_user_for(&self, user: &str, trigger: Trigger) -> Result<HeldUserLock> {
        match trigger {
            Trigger::Stale => self.lock_user_waiting(user, Duration::ZERO),
            Trigger::Expired | Trigger::Forced => self.lock_user(user),
        }
    }

    /// The refresh lock of `user` for a delete or a revoke: waited for; when another holder
    /// keeps it past `lock_timeout_secs`, the removal goes ahead without it (logged), since
    /// a refresh's save never recreates a deleted entry.
    pub(super) fn lock_for_removal(&self, user: &str) -> Result<Option<HeldUserLock>> {
        match self.lock_user(user) {
            Ok(lock) => Ok(Some(lock)),
            Err(e) if e.kind() == ErrorKind::LockTimeout => {
                self.log(
                    Level::Warning,
                    &format!("{}; the tokens are removed without the lock", e.message()),
                );
                Ok(None)
            }
            Err(e) => Err(e),
        }
    }

    fn lock_user_waiting(&self, user: &str, wait: Duration) -> Result<HeldUserLock> {
        let key = self.held_lock_key(user)?;
        let lock = self.counted_lock(user, wait)?;
        Ok(hold(key, lock))
    }

    /// The thread-local key of `user`'s lock; an error when this thread already holds it.
    fn held_lock_key(&self, user: &str) -> Result<(usize, String)> {
        let key = (
            Arc::as_ptr(&self.store) as *const () as usize,
            user.to_string(),
        );
        if HELD_USER_LOCKS.with(|held| held.borrow().contains(&key)) {
            return Err(Error::invalid_argument(format!(
                "re-entrant call: this thread already holds the refresh lock of {user} (did a custom token store call the client back?)"
            )));
        }
        Ok(key)
    }
}

/// Whether a refresh that failed with `error` may hand out a still-valid old token: the
/// failure may go away by itself (network, throttling, a store server that is down, a lock
/// held too long) or is the store's (a read-only disk), not Zoho refusing the refresh token.
fn serves_old_token(error: &Error) -> bool {
    error.kind().is_transient() || matches!(error.kind(), ErrorKind::StoreIo)
}

/// Remembers a taken lock for this thread until it is dropped.
fn hold(key: (usize, String), lock: LockGuard) -> HeldUserLock {
    HELD_USER_LOCKS.with(|held| held.borrow_mut().push(key.clone()));
    HeldUserLock { key, _lock: lock }
}
