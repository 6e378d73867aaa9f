//! This process's counters: how the token path has been served since the process started.
//!
//! Every [`OAuthClient`](crate::OAuthClient) of the process counts into one set of
//! counters (a PHP-FPM worker has one process and many clients, and asks for the process's
//! figures). Counting is a relaxed atomic add: no lock, no allocation, a few nanoseconds on
//! the per-request path. [`snapshot`] reads them; the figures are read one by one, so a
//! snapshot taken while other threads count may be a few events apart between fields.
//!
//! After `fork()`, the child's counters start from zero (a `pthread_atfork` child handler,
//! installed when the first client is made), so each PHP-FPM worker reports only what it
//! did itself and the workers' figures add up. The fleet cache's age is not a counter: the
//! child inherits its parent's cached tokens, and their age with them.
//!
//! Documented for users in `docs/process-stats.md`.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use crate::error::ErrorKind;

/// How many kinds of error there are (one counter each).
const KINDS: usize = ErrorKind::ALL.len();

/// The process's counters.
struct Counters {
    token_calls: AtomicU64,
    served_from_memory: AtomicU64,
    store_reads: AtomicU64,
    refreshes: AtomicU64,
    refresh_failures: AtomicU64,
    lock_waits: AtomicU64,
    locks_busy: AtomicU64,
    lock_wait_ns: AtomicU64,
    errors: [AtomicU64; KINDS],
}

static COUNTERS: Counters = Counters {
    token_calls: AtomicU64::new(0),
    served_from_memory: AtomicU64::new(0),
    store_reads: AtomicU64::new(0),
    refreshes: AtomicU64::new(0),
    refresh_failures: AtomicU64::new(0),
    lock_waits: AtomicU64::new(0),
    locks_busy: AtomicU64::new(0),
    lock_wait_ns: AtomicU64::new(0),
    errors: [const { AtomicU64::new(0) }; KINDS],
};

/// When the store last confirmed cached tokens: nanoseconds after [`BASE`], plus one (0:
/// never). Not reset in a forked child.
static CONFIRMED_AT: AtomicU64 = AtomicU64::new(0);
/// The process's reference instant for [`CONFIRMED_AT`].
static BASE: OnceLock<Instant> = OnceLock::new();
static INSTALL: Once = Once::new();

/// A snapshot of this process's counters ([`snapshot`]). Counters only grow (until the
/// process forks: a child starts from zero).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Stats {
    /// Calls asking for a user's access token (`get_access_token`, `get_tokens`; PHP
    /// `getAccessToken`).
    pub token_calls: u64,
    /// Of those, the calls answered from this process's memory instead of a read of the
    /// user's tokens from the store (a cached, valid token; also while the store does not
    /// answer).
    pub served_from_memory: u64,
    /// Reads of one user's tokens from the token store (file, MySQL, Redis, a custom store).
    pub store_reads: u64,
    /// Refresh requests the accounts server answered with a new access token.
    pub refreshes: u64,
    /// Refresh requests that failed (network, Zoho's refusal or throttle); by kind in
    /// [`Stats::errors`] only when the failure reached the caller.
    pub refresh_failures: u64,
    /// Times a user's refresh lock was asked for (tried, or waited for).
    pub lock_waits: u64,
    /// Of those, the times the lock was held by someone else to the end (a try that found it
    /// taken, or a wait that ran out of `lock_timeout_secs`).
    pub locks_busy: u64,
    /// The time spent asking for refresh locks, in total.
    pub lock_wait_time: Duration,
    /// Errors returned to callers by the client's token operations, by kind: one entry per
    /// kind, in [`ErrorKind::ALL`] order, zero counts included.
    pub errors: Vec<(ErrorKind, u64)>,
    /// How long ago the store last confirmed tokens this process caches (a read of the
    /// store, or a check that found it unchanged); `None` before the first. Tokens served
    /// from memory are at most this old; it grows past `store_recheck_ms` only while no
    /// call needs the store, or while the store does not answer.
    pub fleet_cache_age: Option<Duration>,
}

impl Stats {
    /// The plain counters with their stable snake_case names, in the field order above
    /// (`token_calls`, `served_from_memory`, ...): the keys the PHP door's
    /// `zoho_oauth_stats()` uses.
    pub fn counts(&self) -> [(&'static str, u64); 7] {
        [
            ("token_calls", self.token_calls),
            ("served_from_memory", self.served_from_memory),
            ("store_reads", self.store_reads),
            ("refreshes", self.refreshes),
            ("refresh_failures", self.refresh_failures),
            ("lock_waits", self.lock_waits),
            ("locks_busy", self.locks_busy),
        ]
    }

    /// The errors of `kind` counted so far.
    pub fn errors_of(&self, kind: ErrorKind) -> u64 {
        self.errors
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n)
    }

    /// Every error counted so far, whatever its kind.
    pub fn errors_total(&self) -> u64 {
        self.errors.iter().map(|(_, n)| n).sum()
    }
}

/// This process's counters now.
pub fn snapshot() -> Stats {
    let c = &COUNTERS;
    let read = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
    Stats {
        token_calls: read(&c.token_calls),
        served_from_memory: read(&c.served_from_memory),
        store_reads: read(&c.store_reads),
        refreshes: read(&c.refreshes),
        refresh_failures: read(&c.refresh_failures),
        lock_waits: read(&c.lock_waits),
        locks_busy: read(&c.locks_busy),
        lock_wait_time: Duration::from_nanos(read(&c.lock_wait_ns)),
        errors: ErrorKind::ALL
            .iter()
            .zip(&c.errors)
            .map(|(kind, n)| (*kind, read(n)))
            .collect(),
        fleet_cache_age: fleet_cache_age(),
    }
}

fn fleet_cache_age() -> Option<Duration> {
    let at = CONFIRMED_AT.load(Ordering::Relaxed).checked_sub(1)?;
    let base = *BASE.get()?;
    Some(base.elapsed().saturating_sub(Duration::from_nanos(at)))
}

fn add(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}

/// A call asking for a user's tokens.
#[inline]
pub(crate) fn note_token_call() {
    add(&COUNTERS.token_calls);
}

/// A call answered from memory.
#[inline]
pub(crate) fn note_served_from_memory() {
    add(&COUNTERS.served_from_memory);
}

/// A read of one user's tokens from the store.
pub(crate) fn note_store_read() {
    add(&COUNTERS.store_reads);
}

/// A refresh request's outcome.
pub(crate) fn note_refresh(succeeded: bool) {
    add(if succeeded {
        &COUNTERS.refreshes
    } else {
        &COUNTERS.refresh_failures
    });
}

/// A request for a refresh lock that took `waited`, and whether someone else held the lock
/// to the end.
pub(crate) fn note_lock_wait(waited: Duration, busy: bool) {
    add(&COUNTERS.lock_waits);
    if busy {
        add(&COUNTERS.locks_busy);
    }
    let ns = u64::try_from(waited.as_nanos()).unwrap_or(u64::MAX);
    COUNTERS.lock_wait_ns.fetch_add(ns, Ordering::Relaxed);
}

/// An error returned to a caller.
pub(crate) fn note_error(kind: ErrorKind) {
    if let Some(slot) = ErrorKind::ALL.iter().position(|k| *k == kind) {
        add(&COUNTERS.errors[slot]);
    }
}

/// Counts `result`'s error, if any, and hands it back.
pub(crate) fn counted<T>(result: crate::Result<T>) -> crate::Result<T> {
    if let Err(e) = &result {
        note_error(e.kind());
    }
    result
}

/// The store confirmed cached tokens now.
pub(crate) fn note_store_confirmed() {
    let base = *BASE.get_or_init(Instant::now);
    let since = u64::try_from(base.elapsed().as_nanos()).unwrap_or(u64::MAX - 1);
    CONFIRMED_AT.fetch_max(since.saturating_add(1), Ordering::Relaxed);
}

/// Makes a forked child start its counters from zero; called when a client is made (once
/// per process is enough: the handler is inherited).
pub(crate) fn reset_in_forked_children() {
    INSTALL.call_once(|| {
        // SAFETY: `zero_in_child` is an `extern "C"` function without arguments that only
        // stores to atomics (async-signal-safe, no lock, no allocation), as pthread_atfork
        // requires of a child handler.
        #[allow(unsafe_code)]
        unsafe {
            libc::pthread_atfork(None, None, Some(zero_in_child));
        }
    });
}

/// Zeroes every counter (not the fleet cache's age: the child keeps the parent's cache).
extern "C" fn zero_in_child() {
    let c = &COUNTERS;
    let plain = [
        &c.token_calls,
        &c.served_from_memory,
        &c.store_reads,
        &c.refreshes,
        &c.refresh_failures,
        &c.lock_waits,
        &c.locks_busy,
        &c.lock_wait_ns,
    ];
    for counter in plain.into_iter().chain(&c.errors) {
        counter.store(0, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_counter_and_counts_move() {
        let before = snapshot();
        assert_eq!(before.errors.len(), ErrorKind::ALL.len());
        note_error(ErrorKind::Panic);
        note_error(ErrorKind::InvalidArgument);
        note_lock_wait(Duration::from_millis(3), true);
        let after = snapshot();
        assert!(after.errors_of(ErrorKind::Panic) > before.errors_of(ErrorKind::Panic));
        assert!(
            after.errors_of(ErrorKind::InvalidArgument)
                > before.errors_of(ErrorKind::InvalidArgument)
        );
        assert!(after.errors_total() >= before.errors_total() + 2);
        assert!(after.locks_busy > before.locks_busy);
        assert!(after.lock_wait_time >= before.lock_wait_time + Duration::from_millis(3));
    }

    #[test]
    fn the_cache_age_counts_from_the_last_confirmation() {
        note_store_confirmed();
        let age = fleet_cache_age().expect("confirmed");
        assert!(age < Duration::from_secs(60), "{age:?}");
    }
}
