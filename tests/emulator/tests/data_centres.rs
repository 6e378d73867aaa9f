//! More than one data centre on one port: `/` is US, `/<dc>` the others.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::{DATA_CENTRES, GrantSpec};

#[test]
fn dc_urls_and_serverinfo() {
    let env = setup();
    let base = env.emu.url();
    assert_eq!(base, format!("http://127.0.0.1:{}", env.emu.addr().port()));
    assert_eq!(env.emu.dc_url("us"), base);
    assert_eq!(env.emu.dc_url("eu"), format!("{base}/eu"));
    let (status, v) = env.get(&env.url("/oauth/serverinfo"), None);
    assert_eq!(status, 200);
    assert_eq!(v["result"], "success");
    for dc in DATA_CENTRES {
        assert_eq!(v["locations"][*dc], env.emu.dc_url(dc));
    }
}

#[test]
fn client_not_enabled_in_a_dc_is_invalid_client_there() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    for dc in ["in", "au", "jp", "ca", "sa", "uk", "cn"] {
        assert_eq!(
            env.exchange_at(&env.emu.dc_url(dc), &code),
            json!({"error": "invalid_client"}),
            "{dc}"
        );
    }
    // The code was not spent by those attempts.
    assert!(env.exchange(&code)["access_token"].is_string());
}

#[test]
fn us_tokens_are_invalid_at_eu_and_the_other_way_round() {
    let env = setup();
    let (access, refresh) = env.tokens();
    let eu = env.emu.dc_url("eu");
    assert_eq!(
        env.refresh_at(&eu, &refresh).1,
        json!({"error": "invalid_code"})
    );
    assert_eq!(env.resource_status(&eu, &access), 401);
    assert_eq!(env.resource_status(&env.emu.url(), &access), 200);
    let (status, v) = env.get(
        &format!("{eu}/oauth/user/info"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(
        (status, v["cause"].as_str()),
        (401, Some("INVALID_OAUTHTOKEN"))
    );

    let eu_code = env
        .emu
        .mint_grant(GrantSpec {
            data_centre: Some("eu".into()),
            ..env.grant_spec(PROFILE_SCOPES)
        })
        .unwrap();
    assert_eq!(env.exchange(&eu_code), json!({"error": "invalid_code"}));
    let v = env.exchange_at(&eu, &eu_code);
    assert_eq!(v["api_domain"], eu);
    let eu_access = v["access_token"].as_str().unwrap();
    assert_eq!(env.resource_status(&eu, eu_access), 200);
    assert_eq!(env.resource_status(&env.emu.url(), eu_access), 401);
    let eu_refresh = v["refresh_token"].as_str().unwrap();
    assert_eq!(
        env.refresh_at(&env.emu.url(), eu_refresh).1,
        json!({"error": "invalid_code"})
    );
    assert!(env.refresh_at(&eu, eu_refresh).1["access_token"].is_string());
}

#[test]
fn us_prefix_is_an_alias_of_the_root() {
    let env = setup();
    let v = env.exchange_at(&env.url("/us"), &env.mint(PROFILE_SCOPES));
    assert!(v["access_token"].is_string());
    let log = env.emu.requests();
    assert_eq!(log[0].data_centre, "us");
    assert_eq!(log[0].path, "/oauth/v2/token");
}

#[test]
fn users_created_by_grants_live_in_the_grant_dc() {
    let env = setup();
    let code = env
        .emu
        .mint_grant(GrantSpec {
            user: "marie.curie@example.fr".into(),
            data_centre: Some("eu".into()),
            ..env.grant_spec(PROFILE_SCOPES)
        })
        .unwrap();
    let eu = env.emu.dc_url("eu");
    let access = env.exchange_at(&eu, &code)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, v) = env.get(
        &format!("{eu}/oauth/user/info"),
        Some(&format!("Bearer {access}")),
    );
    assert_eq!(status, 200);
    assert_eq!(v["Email"], "marie.curie@example.fr");
    assert_eq!(v["First_Name"], "Marie");
    assert_eq!(v["Last_Name"], "Curie");
    // A later grant without a DC follows the user's DC.
    let code = env
        .emu
        .mint_grant(GrantSpec {
            user: "marie.curie@example.fr".into(),
            ..env.grant_spec(PROFILE_SCOPES)
        })
        .unwrap();
    assert!(env.exchange_at(&eu, &code)["access_token"].is_string());
}
