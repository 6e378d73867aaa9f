//! A process forked after the store connected (PHP-FPM's master and workers,
//! `pcntl_fork`) makes its own connection: parent and child work at the same time on the
//! same store object and each gets its own replies. Alone in its binary, so the fork
//! happens with no other test thread running. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use support::{store, tokens, unique_prefix};
use zoho_oauth::TokenStore;

const ROUNDS: i64 = 300;

/// Saves and reads back `user`'s tokens ROUNDS times; whether every read matched.
fn hammer(s: &impl TokenStore, user: &str) -> bool {
    (0..ROUNDS).all(|n| {
        s.save(&tokens(user, n)).is_ok() && s.get(user).ok().flatten() == Some(tokens(user, n))
    })
}

#[test]
fn parent_and_forked_child_never_share_a_connection() {
    let Some(url) = support::url() else { return };
    let s = store(&url, &unique_prefix());
    s.save(&tokens("parent@example.com", 0)).unwrap(); // connected before the fork
    // SAFETY: the child only uses the store and then leaves with _exit, without running
    // destructors or the test harness.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0, "fork failed");
    if pid == 0 {
        let ok = hammer(&s, "child@example.com");
        // SAFETY: ends the child at once.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    let parent_ok = hammer(&s, "parent@example.com");
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(parent_ok, "the parent got wrong replies");
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child got wrong replies"
    );
    assert_eq!(
        s.get("child@example.com").unwrap(),
        Some(tokens("child@example.com", ROUNDS - 1))
    );
}
