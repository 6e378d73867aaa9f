//! A stalled Redis never stalls a caller past `store_timeout_secs`: a server stopped with
//! SIGSTOP (a frozen VM, a failover in progress, a black-holed network) and a server paused
//! with `CLIENT PAUSE ... ALL` make every store call fail with `store_unavailable` within
//! the bound, whatever the HTTP timeouts are; afterwards the store works again and no late
//! reply of a timed-out command answers a later one (the connection was dropped, not
//! reused). Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use std::time::{Duration, Instant};

use support::{PrivateRedis, raw, tokens, unique_prefix};
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{Config, ErrorKind, Secret, TokenStore};

/// `store_timeout_secs` in these tests.
const BOUND: Duration = Duration::from_secs(1);
/// What a loaded machine may add to the bound.
const SLACK: Duration = Duration::from_secs(2);

/// A configuration whose HTTP timeouts (10 s + 30 s) are far longer than the store's bound:
/// a call that waited on them instead would take 30 s.
fn config(url: &str, prefix: &str) -> Config {
    Config::from_pairs([
        ("client_id", "1000.STALL"),
        ("client_secret", "stall-secret"),
        ("redirect_uri", "https://example.com/cb"),
        ("accounts_url", "http://127.0.0.1:9"),
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
        ("connect_timeout_secs", "10"),
        ("timeout_secs", "30"),
        ("store_timeout_secs", "1"),
    ])
    .unwrap()
}

/// Runs `call`, checks it failed as unavailable (or answered nothing) within the bound.
fn bounded<T>(what: &str, call: impl FnOnce() -> zoho_oauth::Result<T>) -> Duration {
    let started = Instant::now();
    let outcome = call();
    let took = started.elapsed();
    let e = outcome.err().unwrap_or_else(|| panic!("{what} succeeded"));
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{what}: {e}");
    assert!(e.message().contains("store_timeout_secs"), "{what}: {e}");
    assert!(took < BOUND + SLACK, "{what} took {took:?}");
    took
}

/// Every kind of call against a server that does not answer.
fn every_call_is_bounded(store: &RedisStore) -> Vec<(&'static str, Duration)> {
    let ada = "ada@example.com";
    let rt = Secret::new("1000.refresh.r");
    let mut took = vec![
        ("get", bounded("get", || store.get("bob@example.com"))),
        ("save", bounded("save", || store.save(&tokens(ada, 2)))),
        (
            "save_refreshed",
            bounded("save_refreshed", || {
                store.save_refreshed(&tokens(ada, 3), &rt)
            }),
        ),
        ("delete", bounded("delete", || store.delete(ada))),
        ("list", bounded("list", || store.list())),
        ("prepare", bounded("prepare", || store.prepare())),
        (
            "lock_user(0)",
            bounded("lock_user(0)", || store.lock_user(ada, Duration::ZERO)),
        ),
        (
            "set_refresh_failed_at",
            bounded("set_refresh_failed_at", || {
                store.set_refresh_failed_at(ada, Some(1))
            }),
        ),
    ];
    let started = Instant::now();
    assert_eq!(store.refresh_failed_at(ada), None);
    took.push(("refresh_failed_at", started.elapsed()));
    assert!(started.elapsed() < BOUND + SLACK);
    // Waiting for a lock: the wait, plus at most one bounded attempt.
    let started = Instant::now();
    let e = store.lock_user(ada, Duration::from_secs(1)).err().unwrap();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(
        started.elapsed() < BOUND * 2 + SLACK,
        "{:?}",
        started.elapsed()
    );
    took
}

/// After the stall: the store answers, and each answer is its own command's (a write sent
/// before the stall may have been applied when the server went on: a timeout does not say
/// whether it was).
fn answers_are_right_again(store: &RedisStore) {
    let ada = "ada@example.com";
    if let Some(stored) = store.get(ada).unwrap() {
        assert_eq!(stored.user.as_deref(), Some(ada));
    }
    assert_eq!(
        store.get("bob@example.com").unwrap(),
        Some(tokens("bob@example.com", 1))
    );
    store.save(&tokens(ada, 5)).unwrap();
    assert_eq!(store.get(ada).unwrap(), Some(tokens(ada, 5)));
}

/// A store on `url` holding Ada's and Bob's tokens, connected.
fn seeded(url: &str, prefix: &str) -> RedisStore {
    let store = RedisStore::open(&config(url, prefix)).unwrap();
    store.save(&tokens("ada@example.com", 1)).unwrap();
    store.save(&tokens("bob@example.com", 1)).unwrap();
    store
}

#[test]
fn a_stopped_server_holds_no_call_past_the_bound() {
    let Some(server) = PrivateRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let connected = seeded(&server.url(), &prefix);
    let fresh = RedisStore::open(&config(&server.url(), &prefix)).unwrap();
    // A server with a password and a database number: the handshake is AUTH and SELECT.
    let guarded = PrivateRedis::start_with(&["--requirepass", "stall-pw"]).unwrap();
    let login_url = format!("redis://:stall-pw@127.0.0.1:{}/3", guarded.port);
    let login = seeded(&login_url, &prefix);
    let login_fresh = RedisStore::open(&config(&login_url, &prefix)).unwrap();
    {
        let _frozen = (server.freeze(), guarded.freeze());
        // A connection in use: every command times out within the bound.
        let took = every_call_is_bounded(&connected);
        eprintln!("SIGSTOP, an open connection: {took:?}");
        // No connection yet: the kernel accepts the TCP connection, nobody answers.
        let took = bounded("connect", || fresh.get("ada@example.com"));
        eprintln!("SIGSTOP, connecting: {took:?}");
        let took = bounded("connect, AUTH, SELECT", || {
            login_fresh.get("ada@example.com")
        });
        eprintln!("SIGSTOP, connecting with AUTH and SELECT: {took:?}");
        let took = every_call_is_bounded(&login);
        eprintln!("SIGSTOP, reconnecting with AUTH and SELECT: {took:?}");
    }
    for store in [&connected, &fresh, &login, &login_fresh] {
        answers_are_right_again(store);
    }
}

#[test]
fn a_paused_server_holds_no_call_past_the_bound() {
    let Some(server) = PrivateRedis::start() else {
        return;
    };
    let prefix = unique_prefix();
    let store = seeded(&server.url(), &prefix);
    let pause = Duration::from_secs(20);
    let paused_at = Instant::now();
    let _: () = redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(pause.as_millis() as u64)
        .arg("ALL")
        .query(&mut raw(&server.url()))
        .unwrap();
    let took = every_call_is_bounded(&store);
    eprintln!("CLIENT PAUSE ALL: {took:?}");
    assert!(
        paused_at.elapsed() < pause,
        "the pause ended too soon to tell"
    );
    // The pause ends by itself (CLIENT UNPAUSE would wait behind it too).
    std::thread::sleep(pause.saturating_sub(paused_at.elapsed()) + Duration::from_millis(200));
    answers_are_right_again(&store);
}

#[test]
fn a_refused_reconnect_is_not_retried_and_stays_in_the_bound() {
    let Some(mut server) = PrivateRedis::start() else {
        return;
    };
    let store = RedisStore::open(&config(&server.url(), &unique_prefix())).unwrap();
    store.save(&tokens("ada@example.com", 1)).unwrap();
    server.kill();
    let started = Instant::now();
    let e = store.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(started.elapsed() < BOUND + SLACK);
    server.run();
    assert_eq!(
        store.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 1))
    );
}
