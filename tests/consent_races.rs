//! Issue 21, item 5: nothing undoes a consent or a delete. Process B refreshes user U (it
//! holds U's lock and has read refresh token RT1; Zoho's reply is slow); meanwhile this
//! process runs a new consent for U (RT2), or deletes U's tokens. The store ends with RT2, or
//! without U, whether this process waited for B's lock or gave up waiting and wrote without
//! it (B's save is then conditional on RT1 still being there). Runs on the token file and the
//! SDK's CSV file, and on MySQL and Redis when their test servers are set. Also: a refreshed
//! token's expiry counts from when the request was sent, not from after a slow reply.
#![cfg(all(feature = "mysql", feature = "redis"))] // also on MySQL and Redis (cargo features `mysql`, `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "fleet/support.rs"]
mod fleet;
#[path = "mysql/support.rs"]
mod mysql_support;
#[path = "redis/support.rs"]
mod redis_support;

use std::time::Duration;

use common::{ADA, SCOPES, TestEnv};
use fleet::{KilledOnDrop, StoreUnderTest, spawn_child, wait_child, wait_until};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::{ErrorKind, OAuthClient, Tokens};

/// How long Zoho's reply to B's refresh takes.
const SLOW_REPLY_MS: u64 = 5_000;

/// B: refreshes U's expired token; writes `ok <access token>` or `error <kind>`.
#[test]
#[ignore = "child process of the consent and delete races"]
fn child_refresher() {
    let (config, out) = fleet::child_config();
    let client = OAuthClient::from_config(config).unwrap();
    let text = match client.get_access_token(ADA) {
        Ok(token) => format!("ok {}", token.expose()),
        Err(e) => format!("error {}", e.kind().name()),
    };
    std::fs::write(out, text).unwrap();
}

/// What A does while B's refresh is in flight.
#[derive(Clone, Copy, Debug)]
enum Action {
    Consent,
    Delete,
}

/// Seeds U (RT1, expired), starts B's slow refresh, and runs `action` on a client with
/// `extra` keys once B's request is in flight. Returns the first tokens, what A got (the new
/// consent's tokens), B's answer and the stored entry.
fn race(
    store: &StoreUnderTest,
    action: Action,
    extra: &[(&str, &str)],
) -> (Tokens, Option<Tokens>, String, Option<Tokens>) {
    let env = TestEnv::start();
    let seed = store.client(&env, &[]);
    let first = seed.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    fleet::set_expiry(seed.store().as_ref(), ADA, -1_000);
    env.emulator
        .try_inject_fault(FaultSpec {
            delay_ms: SLOW_REPLY_MS,
            path: Some("/oauth/v2/token".into()),
            ..FaultSpec::new(FaultKind::Delay)
        })
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let b_out = out.path().join("b");
    let mut b = KilledOnDrop(spawn_child(
        "child_refresher",
        &store.pairs(&env, &[]),
        &b_out,
        &[],
    ));
    wait_until("B's refresh request", Duration::from_secs(60), || {
        env.counter("fault.delay") == 1
    });
    let a = store.client(&env, extra);
    let granted = match action {
        Action::Consent => Some(a.generate_access_token(&env.grant(ADA, SCOPES)).unwrap()),
        Action::Delete => {
            assert!(a.delete_tokens(ADA).unwrap(), "{}: deleted", store.label);
            None
        }
    };
    assert!(
        wait_child(&mut b.0, "B", Duration::from_secs(90)),
        "{}: B failed",
        store.label
    );
    assert_eq!(env.counter("token.refresh_token"), 1, "{}", store.label);
    let b_said = std::fs::read_to_string(&b_out).unwrap();
    let stored = store.client(&env, &[]).store().get(ADA).unwrap();
    (first, granted, b_said, stored)
}

/// A's extra keys: none (it waits for B's lock, at most the default 17 s), or a 1 s lock
/// wait (it gives up while B's reply is still on its way, and writes without the lock).
fn a_keys(a_waits: bool) -> &'static [(&'static str, &'static str)] {
    if a_waits {
        &[]
    } else {
        &[("lock_timeout_secs", "1")]
    }
}

fn a_consent_during_a_refresh_is_kept(store: &StoreUnderTest, a_waits: bool) {
    let label = store.label;
    let (first, granted, b_said, stored) = race(store, Action::Consent, a_keys(a_waits));
    let granted = granted.unwrap();
    let stored = stored.expect("U is stored");
    assert_ne!(granted.refresh_token, first.refresh_token, "{label}: RT2");
    assert_eq!(
        stored.refresh_token, granted.refresh_token,
        "{label}: the new consent's refresh token is kept (a_waits {a_waits})"
    );
    if a_waits {
        // A saved after B: B's own refresh was saved first, then replaced.
        assert!(b_said.starts_with("ok "), "{label}: {b_said}");
        assert_eq!(stored.access_token, granted.access_token, "{label}");
    } else {
        // B's save was refused (RT1 is gone): B handed out what is stored now.
        assert_eq!(
            b_said,
            format!("ok {}", granted.access_token.expose()),
            "{label}"
        );
    }
}

fn a_delete_during_a_refresh_is_kept(store: &StoreUnderTest, a_waits: bool) {
    let label = store.label;
    let (_, _, b_said, stored) = race(store, Action::Delete, a_keys(a_waits));
    assert!(
        stored.is_none(),
        "{label}: the delete is kept (a_waits {a_waits})"
    );
    if a_waits {
        assert!(b_said.starts_with("ok "), "{label}: {b_said}");
    } else {
        assert_eq!(
            b_said,
            format!("error {}", ErrorKind::NoTokens.name()),
            "{label}: B's refresh found the tokens deleted"
        );
    }
}

#[test]
fn a_consent_while_another_process_refreshes_keeps_the_new_refresh_token() {
    for store in fleet::stores() {
        a_consent_during_a_refresh_is_kept(&store, true);
    }
}

#[test]
fn a_consent_that_gave_up_waiting_for_the_refresh_lock_is_still_kept() {
    for store in fleet::stores() {
        a_consent_during_a_refresh_is_kept(&store, false);
    }
}

#[test]
fn a_delete_while_another_process_refreshes_is_never_undone() {
    for store in fleet::stores() {
        a_delete_during_a_refresh_is_kept(&store, true);
        a_delete_during_a_refresh_is_kept(&store, false);
    }
}

#[test]
fn a_refreshed_tokens_expiry_counts_from_when_the_request_was_sent() {
    let env = TestEnv::start();
    let client = env.client_for(env.config());
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    fleet::set_expiry(client.store().as_ref(), ADA, -1_000);
    env.emulator.inject_fault(FaultSpec {
        delay_ms: 2_000,
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Delay)
    });
    // The client's own clock, which the expiry is computed in.
    let before = client.now_ms();
    let fresh = client.get_tokens(ADA).unwrap();
    let lifetime = 3_600_000;
    assert!(
        fresh.expiry_time_ms < before + lifetime + 1_000,
        "the expiry counts from after the slow reply: {} ms late",
        fresh.expiry_time_ms - before - lifetime
    );
    assert!(fresh.expiry_time_ms >= before + lifetime);
}
