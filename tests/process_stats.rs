//! Issue 26, the per-process side: the process's counters (`zoho_oauth::stats`) move as the
//! token path is served, on the token file: one store read then calls served from memory, a
//! refresh counted with its lock wait, errors counted by kind, a failed refresh counted; and
//! a forked child starts from zero. The counters are process-wide, so this binary holds one
//! test (no other test thread counts meanwhile, and the fork happens with no other thread).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{ADA, CLIENT_SECRET, SCOPES, TestEnv, advance};
use zoho_oauth::stats::{Stats, snapshot};
use zoho_oauth::{ErrorKind, OAuthClient};

/// `after - before` of each plain counter, in a fixed order: token calls, served from memory,
/// store reads, refreshes, refresh failures, lock waits, locks busy.
fn moved(before: &Stats, after: &Stats) -> [u64; 7] {
    let counts = |s: &Stats| {
        [
            s.token_calls,
            s.served_from_memory,
            s.store_reads,
            s.refreshes,
            s.refresh_failures,
            s.lock_waits,
            s.locks_busy,
        ]
    };
    let (b, a) = (counts(before), counts(after));
    std::array::from_fn(|i| a[i] - b[i])
}

/// Two calls on a fresh client: the first reads the store, the second is served from memory.
fn first_read_then_memory(env: &TestEnv) {
    let client = env.client();
    let before = snapshot();
    client.get_access_token(ADA).unwrap();
    let read = snapshot();
    assert_eq!(moved(&before, &read), [1, 0, 1, 0, 0, 0, 0], "{read:?}");
    let age = read
        .fleet_cache_age
        .expect("the store confirmed the tokens");
    assert!(age < Duration::from_secs(30), "{age:?}");
    client.get_access_token(ADA).unwrap();
    assert_eq!(moved(&read, &snapshot()), [1, 1, 0, 0, 0, 0, 0]);
}

/// An expired token is refreshed: one refresh, one lock asked for and got, reads counted.
fn refresh_is_counted(env: &TestEnv, client: &OAuthClient) {
    advance(&env.clock, 3_700);
    let before = snapshot();
    client.get_access_token(ADA).unwrap();
    let after = snapshot();
    let [calls, memory, reads, refreshes, failures, locks, busy] = moved(&before, &after);
    assert_eq!(
        (calls, memory, refreshes, failures),
        (1, 0, 1, 0),
        "{after:?}"
    );
    assert_eq!((locks, busy), (1, 0), "{after:?}");
    assert!(
        reads >= 2,
        "a read, then a re-read under the lock: {after:?}"
    );
    assert!(after.lock_wait_time >= before.lock_wait_time);
    assert_eq!(after.errors_total(), before.errors_total());
}

/// Errors reach the counters by kind; a refresh Zoho refuses is a failed refresh.
fn errors_are_counted_by_kind(client: &OAuthClient) {
    let before = snapshot();
    let e = client.get_access_token("nobody@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::NoTokens);
    client.get_access_token("").unwrap_err();
    let e = client
        .refresh_access_token("1000.not-a-refresh-token", ADA)
        .unwrap_err();
    let after = snapshot();
    assert_eq!(
        after.errors_of(ErrorKind::NoTokens) - before.errors_of(ErrorKind::NoTokens),
        1
    );
    assert_eq!(
        after.errors_of(ErrorKind::InvalidArgument) - before.errors_of(ErrorKind::InvalidArgument),
        1
    );
    assert_eq!(
        after.errors_of(e.kind()) - before.errors_of(e.kind()),
        1,
        "{e}"
    );
    assert_eq!(after.errors_total() - before.errors_total(), 3);
    assert_eq!(after.refresh_failures - before.refresh_failures, 1);
    assert_eq!(after.refreshes, before.refreshes);
    assert_eq!(after.token_calls - before.token_calls, 2);
}

/// A forked child starts from zero and counts its own calls; the parent's counters do not
/// see them. The cache's age is inherited with the cache.
fn a_forked_child_starts_from_zero(client: &OAuthClient) {
    client.get_access_token(ADA).unwrap();
    let parent_before = snapshot();
    assert!(parent_before.token_calls > 0);
    // SAFETY: this binary runs one test, so only the in-process emulator's threads run
    // besides this one (glibc's malloc is fork-safe); the child only reads its cached token
    // (or the token file) and leaves with _exit.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let zero = snapshot();
        let started_at_zero = moved(&Stats::default(), &zero) == [0; 7]
            && zero.errors_total() == 0
            && zero.lock_wait_time.is_zero()
            && zero.fleet_cache_age.is_some();
        let counts_own = client.get_access_token(ADA).is_ok() && snapshot().token_calls == 1;
        let code = match (started_at_zero, counts_own) {
            (true, true) => 0,
            (false, _) => 1,
            (true, false) => 2,
        };
        // SAFETY: ends the child at once, without the harness or destructors.
        unsafe { libc::_exit(code) };
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(libc::WIFEXITED(status), "child status {status}");
    assert_eq!(
        libc::WEXITSTATUS(status),
        0,
        "1: not zero after fork, 2: did not count"
    );
    assert_eq!(snapshot().token_calls, parent_before.token_calls);
}

#[test]
fn the_process_counters_follow_the_token_path_and_restart_in_a_forked_child() {
    let env = TestEnv::start();
    let client = env.client();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    first_read_then_memory(&env);
    refresh_is_counted(&env, &client);
    errors_are_counted_by_kind(&client);
    a_forked_child_starts_from_zero(&client);
    let shown = format!("{:?}", snapshot());
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
}
