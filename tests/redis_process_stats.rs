//! Issue 26, the per-process side, on Redis: the process's counters while a host reads the
//! shared tokens, and while the Redis server is paused (SIGSTOP): the cached token is served
//! from memory, the failed read is counted, and the fleet cache's age grows past the stall.
//! One test in its binary (the counters are process-wide). Needs
//! `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "redis/support.rs"]
mod support;

use std::time::Duration;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use support::{PrivateRedis, unique_prefix};
use zoho_oauth::stats::snapshot;
use zoho_oauth::{Config, OAuthClient};

fn client(env: &TestEnv, url: &str, prefix: &str) -> OAuthClient {
    let config = Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", env.emulator.url().as_str()),
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
        ("store_recheck_ms", "0"),
        ("store_timeout_secs", "1"),
    ])
    .unwrap();
    OAuthClient::from_config(config)
        .unwrap()
        .with_clock(env.clock.clone())
}

#[test]
fn a_paused_redis_is_served_from_memory_and_the_cache_age_grows() {
    let Some(server) = PrivateRedis::start() else {
        return;
    };
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let (host_a, host_b) = (
        client(&env, &server.url(), &prefix),
        client(&env, &server.url(), &prefix),
    );
    host_a
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();

    let before = snapshot();
    host_b.get_access_token(ADA).unwrap();
    let read = snapshot();
    assert_eq!(read.token_calls - before.token_calls, 1);
    assert_eq!(read.store_reads - before.store_reads, 1, "{read:?}");
    assert_eq!(read.served_from_memory, before.served_from_memory);

    {
        let _frozen = server.freeze();
        host_b.get_access_token(ADA).unwrap(); // the read fails after 1 s: from memory
        host_b.get_access_token(ADA).unwrap(); // the store is left alone: from memory
    }
    let stalled = snapshot();
    assert_eq!(stalled.token_calls - read.token_calls, 2);
    assert_eq!(stalled.served_from_memory - read.served_from_memory, 2);
    assert_eq!(stalled.store_reads - read.store_reads, 1, "one failed read");
    assert_eq!(
        stalled.errors_total(),
        read.errors_total(),
        "no error reached the caller"
    );
    let age = stalled.fleet_cache_age.unwrap();
    assert!(age >= Duration::from_millis(900), "{age:?}");
}
