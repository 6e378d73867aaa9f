//! The client on the Redis store, configured with the keys every door uses
//! (`token_store=redis`, `redis_url`, `redis_key_prefix`), against the accounts emulator:
//! tokens shared between hosts, one refresh, the fleet cache bound, and a failed save
//! that hands the tokens over. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "redis/support.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv, advance};
use redis::Commands;
use support::{PrivateRedis, raw, unique_prefix};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{Config, ErrorKind, OAuthClient, TokenStore};

fn config(env: &TestEnv, url: &str, prefix: &str, recheck_ms: &str) -> Config {
    Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", env.emulator.url().as_str()),
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
        ("store_recheck_ms", recheck_ms),
        ("connect_timeout_secs", "2"),
        ("timeout_secs", "5"),
    ])
    .unwrap()
}

fn client(env: &TestEnv, config: Config) -> OAuthClient {
    OAuthClient::from_config(config)
        .unwrap()
        .with_clock(env.clock.clone())
}

#[test]
fn hosts_share_tokens_and_one_refresh_serves_them_all() {
    let Some(url) = support::url() else { return };
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let host_a = client(&env, config(&env, &url, &prefix, "0"));
    let host_b = client(&env, config(&env, &url, &prefix, "0"));
    assert!(host_a.store().describe().contains(&prefix));
    let first = host_a
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let stored: String = raw(&url).get(format!("{prefix}user:{ADA}")).unwrap();
    assert!(stored.contains(first.access_token.expose()));
    assert_eq!(host_b.get_access_token(ADA).unwrap(), first.access_token);
    advance(&env.clock, 3600);
    let fresh = host_a.get_access_token(ADA).unwrap();
    assert_ne!(fresh, first.access_token);
    assert_eq!(
        host_b.get_access_token(ADA).unwrap(),
        fresh,
        "host B sees A's refresh"
    );
    assert_eq!(env.counter("token.refresh_token"), 1);
    assert_eq!(
        env.resource_status(&env.emulator.url(), fresh.expose()),
        200
    );
    // A delete on one host is seen by the other (store_recheck_ms=0: every call asks).
    assert!(host_b.delete_tokens(ADA).unwrap());
    assert_eq!(
        host_a.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}

#[test]
fn the_fleet_cache_serves_from_memory_within_the_recheck_bound_only() {
    let Some(url) = support::url() else { return };
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let cached = client(&env, config(&env, &url, &prefix, "300"));
    let first = cached
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    assert_eq!(cached.get_access_token(ADA).unwrap(), first.access_token);
    // Another host deletes the tokens; within the bound the cached token is still served...
    let other = RedisStore::open(&config(&env, &url, &prefix, "0")).unwrap();
    assert!(other.delete(ADA).unwrap());
    assert_eq!(cached.get_access_token(ADA).unwrap(), first.access_token);
    // ...and after it, the change is seen.
    std::thread::sleep(Duration::from_millis(400));
    assert_eq!(
        cached.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}

#[test]
fn a_failed_save_after_a_refresh_hands_the_tokens_over() {
    let Some(mut server) = PrivateRedis::start() else {
        return;
    };
    let env = TestEnv::start();
    let c = Arc::new(client(&env, config(&env, &server.url(), "handover:", "0")));
    let first = c.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    advance(&env.clock, 3600); // expired: no stale token to fall back on
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        delay_ms: 1500,
        ..FaultSpec::new(FaultKind::Delay)
    });
    let refreshing = {
        let c = Arc::clone(&c);
        std::thread::spawn(move || c.get_access_token(ADA))
    };
    std::thread::sleep(Duration::from_millis(700)); // the refresh request is in flight
    server.kill();
    // The save fails, but the new access token works (Zoho's refresh does not rotate the
    // refresh token): it is served, and kept in this process while Redis is gone.
    let unsaved = refreshing.join().unwrap().expect("the new token is served");
    assert_ne!(unsaved, first.access_token);
    assert_eq!(
        env.resource_status(&env.emulator.url(), unsaved.expose()),
        200
    );
    assert_eq!(c.get_access_token(ADA).unwrap(), unsaved, "kept in memory");
    assert_eq!(env.counter("token.refresh_token"), 1, "no second refresh");
    // A forced refresh still reports the failure.
    let e = c.refresh_user(ADA).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    // After the outage the store works again and still holds the old entry: nothing lost.
    server.run();
    let store = RedisStore::open(c.config()).unwrap();
    assert_eq!(
        store.get(ADA).unwrap().unwrap().refresh_token,
        first.refresh_token
    );
}

#[test]
fn redis_down_is_store_unavailable_for_every_call() {
    let Some(_) = support::url() else { return };
    let env = TestEnv::start();
    let down = format!("redis://127.0.0.1:{}/0", support::free_port());
    let c = client(&env, config(&env, &down, "down:", "0"));
    let e = c.get_access_token(ADA).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert_eq!(e.code(), 404);
    // The store is checked before the grant is spent: the consent is not lost, it still works.
    let mut e = c
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
    assert!(e.take_unsaved_tokens().is_none(), "no tokens were issued");
    assert_eq!(
        env.counter("token.authorization_code"),
        0,
        "a grant was spent"
    );
}
