//! Issue 21, item 2 against real servers: a MySQL table locked by another session
//! (`LOCK TABLES ... WRITE`, as `mysqldump --lock-tables` or an `ALTER TABLE` holds it) and a
//! paused Redis (`CLIENT PAUSE`). A worker with a valid cached token keeps being served, and
//! the stalled store costs it one call (bounded by the store) per back-off interval, not one
//! per call. Needs `ZOHO_TEST_MYSQL_URL` / `ZOHO_TEST_REDIS_URL`.
#![cfg(all(feature = "mysql", feature = "redis"))] // also on MySQL and Redis (cargo features `mysql`, `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod mysql_support;
#[path = "redis/support.rs"]
mod redis_support;

use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use mysql::prelude::Queryable;
use zoho_oauth::{Config, OAuthClient};

/// `store_timeout_secs` in these tests; a call slower than half of it waited for the store.
const BOUND: Duration = Duration::from_secs(2);

/// The back-off interval (`STORE_RETRY_AFTER_MS`), to move the client's clock past it.
const BACK_OFF_MS: i64 = 10_000;

fn config(env: &TestEnv, store: &[(&str, &str)]) -> Config {
    let accounts = env.emulator.url();
    let mut pairs = vec![
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", accounts.as_str()),
        ("store_recheck_ms", "100"),
        ("store_timeout_secs", "2"),
        ("connect_timeout_secs", "1"),
        ("timeout_secs", "2"),
    ];
    pairs.extend_from_slice(store);
    Config::from_pairs(pairs).unwrap()
}

/// How long one `get_access_token` took; it must serve `expected`.
fn timed_get(client: &OAuthClient, expected: &zoho_oauth::Secret) -> Duration {
    let started = Instant::now();
    let token = client
        .get_access_token(ADA)
        .expect("the cached token is served");
    assert_eq!(&token, expected);
    started.elapsed()
}

/// A client on the store `keys` select, with ADA's new token cached (as a worker has it).
fn worker_with_a_cached_token(
    env: &TestEnv,
    keys: &[(&str, &str)],
) -> (OAuthClient, zoho_oauth::Secret) {
    let client = env.client_for(config(env, keys));
    let token = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap()
        .access_token;
    timed_get(&client, &token);
    (client, token)
}

/// With the store stalled: 12 calls, each past `store_recheck_ms`, wait for the store once
/// (a call slower than half the bound), the others are served at once; after the back-off
/// interval, one call asks the store again.
fn one_stalled_call_per_interval(env: &TestEnv, client: &OAuthClient, token: &zoho_oauth::Secret) {
    let slow = |took: Duration| took > BOUND / 2;
    let mut stalled = 0;
    for _ in 0..12 {
        std::thread::sleep(Duration::from_millis(150));
        let took = timed_get(client, token);
        assert!(took < BOUND * 4, "one call took {took:?}");
        stalled += usize::from(slow(took));
    }
    assert_eq!(stalled, 1, "one stalled call, then the back-off");
    common::advance(&env.clock, BACK_OFF_MS / 1000);
    let took = timed_get(client, token);
    assert!(
        slow(took),
        "after the interval the store is asked again ({took:?})"
    );
}

#[test]
fn a_locked_mysql_table_costs_a_worker_one_bounded_call_per_interval() {
    let Some(url) = mysql_support::server_url() else {
        return;
    };
    let env = TestEnv::start();
    let table = mysql_support::sdk_table(&url, "stall", None);
    let keys = [
        ("token_store", "mysql"),
        ("mysql_url", url.as_str()),
        ("mysql_table", table.as_str()),
    ];
    let (client, token) = worker_with_a_cached_token(&env, &keys);
    let mut admin = mysql_support::admin(&url);
    admin
        .query_drop(format!("LOCK TABLES zohooauth.`{table}` WRITE"))
        .unwrap();
    one_stalled_call_per_interval(&env, &client, &token);
    admin.query_drop("UNLOCK TABLES").unwrap();
}

#[test]
fn a_paused_redis_costs_a_worker_one_bounded_call_per_interval() {
    let Some(server) = redis_support::PrivateRedis::start() else {
        return;
    };
    let env = TestEnv::start();
    let url = server.url();
    let prefix = redis_support::unique_prefix();
    let keys = [
        ("token_store", "redis"),
        ("redis_url", url.as_str()),
        ("redis_key_prefix", prefix.as_str()),
    ];
    let (client, token) = worker_with_a_cached_token(&env, &keys);
    let mut admin = redis_support::raw(&url);
    redis::cmd("CLIENT")
        .arg("PAUSE")
        .arg(20_000)
        .arg("ALL")
        .query::<()>(&mut admin)
        .unwrap();
    one_stalled_call_per_interval(&env, &client, &token);
    // The pause ends by itself (commands sent meanwhile, an UNPAUSE too, wait for it); the
    // private server is killed when `server` is dropped.
}
