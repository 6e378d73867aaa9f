//! What this process remembers so that a stalled store, or another process's refresh,
//! costs one bounded call per interval instead of one per call.
//!
//! - After the store failed to answer a re-check (a paused server, a locked table, a
//!   partition) while a cached access token still works, the cached token is served without
//!   asking the store for [`STORE_RETRY_AFTER_MS`].
//! - After a caller whose token still works (inside the refresh margin) found the user's
//!   refresh lock taken, the token is served without trying the lock again for
//!   [`BUSY_REFRESH_PAUSE_MS`] (stale-while-revalidate: only a caller without a working
//!   token waits for someone else's refresh).
//!
//! Both are per process (per client), in the client's clock. The maps are only ever
//! `try_lock`ed: a busy map is skipped, so a child forked while another thread held one never
//! waits on it.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};

/// After the store failed to answer while a cached access token still works, how long this
/// process serves that token without asking the store again.
pub const STORE_RETRY_AFTER_MS: i64 = 10_000;

/// After finding a user's refresh lock taken (another process or thread is refreshing)
/// while this process's token still works, how long it serves that token without trying
/// the lock again.
pub const BUSY_REFRESH_PAUSE_MS: i64 = 1_000;

/// No failure recorded.
const NEVER: i64 = i64::MIN;

/// The process's pauses: when the store last failed, and until when each user's refresh
/// lock is not tried again.
pub(super) struct Pauses {
    store_failed_at: AtomicI64,
    busy_until: Mutex<HashMap<String, i64>>,
    /// The latest time in `busy_until`: before it, no map lookup is needed.
    busy_horizon: AtomicI64,
}

impl Default for Pauses {
    fn default() -> Pauses {
        Pauses {
            store_failed_at: AtomicI64::new(NEVER),
            busy_until: Mutex::new(HashMap::new()),
            busy_horizon: AtomicI64::new(NEVER),
        }
    }
}

impl Pauses {
    /// Records that the store failed to answer at `now`.
    pub(super) fn note_store_failure(&self, now: i64) {
        self.store_failed_at.store(now, Ordering::Release);
    }

    /// Forgets a store failure (the store answered again).
    pub(super) fn note_store_answered(&self) {
        if self.store_failed_at.load(Ordering::Acquire) != NEVER {
            self.store_failed_at.store(NEVER, Ordering::Release);
        }
    }

    /// Whether the store failed less than [`STORE_RETRY_AFTER_MS`] before `now`.
    pub(super) fn store_backing_off(&self, now: i64) -> bool {
        let at = self.store_failed_at.load(Ordering::Acquire);
        at != NEVER && (0..STORE_RETRY_AFTER_MS).contains(&now.saturating_sub(at))
    }

    /// Records that `user`'s refresh lock was taken (or could not be tried) at `now`.
    pub(super) fn note_busy(&self, user: &str, now: i64) {
        if let Ok(mut busy) = self.busy_until.try_lock() {
            let until = now.saturating_add(BUSY_REFRESH_PAUSE_MS);
            busy.retain(|_, old| *old > now);
            busy.insert(user.to_string(), until);
            self.busy_horizon.fetch_max(until, Ordering::AcqRel);
        }
    }

    /// Whether `user`'s refresh lock was found taken less than [`BUSY_REFRESH_PAUSE_MS`]
    /// before `now`.
    pub(super) fn busy(&self, user: &str, now: i64) -> bool {
        if now >= self.busy_horizon.load(Ordering::Acquire) {
            return false;
        }
        self.busy_until
            .try_lock()
            .ok()
            .and_then(|busy| busy.get(user).copied())
            .is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_pause_ends_after_its_interval_and_a_store_answer_ends_the_back_off() {
        let pauses = Pauses::default();
        assert!(!pauses.store_backing_off(1_000));
        pauses.note_store_failure(1_000);
        assert!(pauses.store_backing_off(1_000));
        assert!(pauses.store_backing_off(1_000 + STORE_RETRY_AFTER_MS - 1));
        assert!(!pauses.store_backing_off(1_000 + STORE_RETRY_AFTER_MS));
        assert!(!pauses.store_backing_off(999), "a clock that went back");
        pauses.note_store_answered();
        assert!(!pauses.store_backing_off(1_001));

        assert!(!pauses.busy("ada", 5_000));
        pauses.note_busy("ada", 5_000);
        assert!(pauses.busy("ada", 5_000 + BUSY_REFRESH_PAUSE_MS - 1));
        assert!(!pauses.busy("ada", 5_000 + BUSY_REFRESH_PAUSE_MS));
        assert!(!pauses.busy("bob", 5_000), "per user");
    }
}
