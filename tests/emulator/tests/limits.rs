//! Zoho's three limits: refresh rate, active access tokens per refresh token, refresh
//! tokens per user and client.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::Settings;

fn access_denied() -> serde_json::Value {
    json!({
        "error_description": "You have made too many requests continuously. Please try again after some time.",
        "error": "Access Denied",
        "status": "failure"
    })
}

#[test]
fn ten_refreshes_per_ten_minutes_then_access_denied_with_200() {
    let env = setup();
    let (_, refresh) = env.tokens();
    for _ in 0..10 {
        assert!(env.refresh(&refresh)["access_token"].is_string());
    }
    let (status, v) = env.refresh_at(&env.emu.url(), &refresh);
    assert_eq!(status, 200);
    assert_eq!(v, access_denied());
    assert_eq!(env.counter("token.refresh_token"), 10);
    assert_eq!(env.counter("throttled"), 1);
    assert_eq!(env.counter("token.error"), 1);
    // Still blocked for the rest of the window, free again after it.
    env.emu.advance_clock(590);
    assert_eq!(env.refresh_at(&env.emu.url(), &refresh).1, access_denied());
    env.emu.advance_clock(11);
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn the_limit_is_per_refresh_token() {
    let env = setup();
    let (_, first) = env.tokens();
    let (_, second) = env.tokens();
    for _ in 0..10 {
        env.refresh(&first);
    }
    assert_eq!(env.refresh_at(&env.emu.url(), &first).1, access_denied());
    assert!(env.refresh(&second)["access_token"].is_string());
}

#[test]
fn throttle_status_and_numbers_are_configurable() {
    let env = setup_with(Settings {
        refresh_limit: 2,
        refresh_window_secs: 60,
        throttle_status: 400,
        ..Settings::default()
    });
    let (_, refresh) = env.tokens();
    env.refresh(&refresh);
    env.refresh(&refresh);
    let (status, v) = env.refresh_at(&env.emu.url(), &refresh);
    assert_eq!(status, 400);
    assert_eq!(v, access_denied());
    env.emu.advance_clock(61);
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn at_most_fifteen_active_access_tokens_oldest_silently_evicted() {
    let env = setup_with(Settings {
        refresh_limit: 100,
        ..Settings::default()
    });
    let (first_access, refresh) = env.tokens();
    let base = env.emu.url();
    let mut tokens = vec![first_access];
    for _ in 0..14 {
        tokens.push(
            env.refresh(&refresh)["access_token"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    assert!(tokens.iter().all(|t| env.resource_status(&base, t) == 200));
    tokens.push(
        env.refresh(&refresh)["access_token"]
            .as_str()
            .unwrap()
            .to_string(),
    );
    assert_eq!(
        env.resource_status(&base, &tokens[0]),
        401,
        "oldest evicted"
    );
    assert!(
        tokens[1..]
            .iter()
            .all(|t| env.resource_status(&base, t) == 200)
    );
    let (status, v) = env.get(
        &env.url("/oauth/user/info"),
        Some(&format!("Zoho-oauthtoken {}", tokens[0])),
    );
    assert_eq!(
        (status, v),
        (
            401,
            json!({"response": "error", "cause": "INVALID_OAUTHTOKEN"})
        )
    );
}

#[test]
fn active_token_cap_is_configurable_and_expired_tokens_do_not_count() {
    let env = setup_with(Settings {
        max_active_access_tokens: 2,
        ..Settings::default()
    });
    let (a0, refresh) = env.tokens();
    let base = env.emu.url();
    let a1 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let a2 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(env.resource_status(&base, &a0), 401);
    assert_eq!(env.resource_status(&base, &a1), 200);
    env.emu.advance_clock(3601);
    let a3 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let a4 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(env.resource_status(&base, &a2), 401, "expired");
    assert_eq!(env.resource_status(&base, &a3), 200);
    assert_eq!(env.resource_status(&base, &a4), 200);
}

#[test]
fn at_most_twenty_refresh_tokens_per_user_and_client() {
    let env = setup();
    let base = env.emu.url();
    let pairs: Vec<(String, String)> = (0..20).map(|_| env.tokens()).collect();
    assert!(env.refresh(&pairs[0].1)["access_token"].is_string());
    let (_, newest) = env.tokens();
    // The 21st evicts the oldest together with its access tokens.
    assert_eq!(
        env.refresh_at(&base, &pairs[0].1).1,
        json!({"error": "invalid_code"})
    );
    assert_eq!(env.resource_status(&base, &pairs[0].0), 401);
    assert!(env.refresh(&pairs[1].1)["access_token"].is_string());
    assert!(env.refresh(&newest)["access_token"].is_string());
    assert_eq!(env.resource_status(&base, &pairs[1].0), 200);
}

#[test]
fn refresh_token_cap_counts_per_user() {
    let env = setup_with(Settings {
        max_refresh_tokens_per_user: 1,
        ..Settings::default()
    });
    let (_, ada) = env.tokens();
    let mut grace = env.grant_spec(PROFILE_SCOPES);
    grace.user = "grace@example.com".into();
    let v = env.exchange(&env.emu.mint_grant(grace).unwrap());
    let grace_rt = v["refresh_token"].as_str().unwrap().to_string();
    assert!(
        env.refresh(&ada)["access_token"].is_string(),
        "other user's token does not evict"
    );
    let (_, ada2) = env.tokens();
    assert_eq!(
        env.refresh_at(&env.emu.url(), &ada).1,
        json!({"error": "invalid_code"})
    );
    assert!(env.refresh(&ada2)["access_token"].is_string());
    assert!(env.refresh(&grace_rt)["access_token"].is_string());
}

#[test]
fn an_evicted_refresh_tokens_expired_access_tokens_stay_dead_when_the_clock_goes_back() {
    let env = setup_with(Settings {
        max_refresh_tokens_per_user: 1,
        ..Settings::default()
    });
    let base = env.emu.url();
    let (first, refresh) = env.tokens();
    env.emu.advance_clock(3601);
    assert!(env.refresh(&refresh)["access_token"].is_string());
    let (newest, _) = env.tokens();
    env.emu.advance_clock(-3601);
    assert_eq!(
        env.resource_status(&base, &first),
        401,
        "evicted with its parent"
    );
    assert_eq!(env.resource_status(&base, &newest), 200);
}

#[test]
fn an_access_token_evicted_over_the_cap_stays_dead_when_the_clock_goes_back() {
    let env = setup_with(Settings {
        max_active_access_tokens: 1,
        ..Settings::default()
    });
    let base = env.emu.url();
    let (first, refresh) = env.tokens();
    env.emu.advance_clock(3601);
    let second = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    env.emu.advance_clock(-3601);
    assert_eq!(
        env.resource_status(&base, &first),
        401,
        "expired, then dropped"
    );
    assert_eq!(env.resource_status(&base, &second), 200);
}
