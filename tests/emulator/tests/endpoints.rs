//! Revocation, `/oauth/user/info` and the protected resource.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::UserSpec;

fn revoke(env: &Env, url: &str, body: &str) -> (u16, serde_json::Value) {
    env.post_form(url, body)
}

#[test]
fn revoking_a_refresh_token_kills_it_and_its_access_tokens() {
    let env = setup();
    let (access, refresh) = env.tokens();
    let access2 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, v) = revoke(
        &env,
        &env.url(&format!("/oauth/v2/token/revoke?token={refresh}")),
        "",
    );
    assert_eq!((status, v), (200, json!({"status": "success"})));
    assert_eq!(
        env.refresh_at(&env.emu.url(), &refresh).1,
        json!({"error": "invalid_code"})
    );
    assert_eq!(env.resource_status(&env.emu.url(), &access), 401);
    assert_eq!(env.resource_status(&env.emu.url(), &access2), 401);
    // Revoking again: the token is unknown now.
    let (status, v) = revoke(
        &env,
        &env.url(&format!("/oauth/v2/token/revoke?token={refresh}")),
        "",
    );
    assert_eq!(
        (status, v),
        (400, json!({"status": "failure", "error": "invalid_token"}))
    );
    assert_eq!(env.counter("revoke"), 2);
}

#[test]
fn a_revoked_refresh_tokens_expired_access_tokens_stay_dead_when_the_clock_goes_back() {
    let env = setup();
    let base = env.emu.url();
    let (first, refresh) = env.tokens();
    env.emu.advance_clock(3601);
    let second = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let url = env.url(&format!("/oauth/v2/token/revoke?token={refresh}"));
    assert_eq!(revoke(&env, &url, "").0, 200);
    env.emu.advance_clock(-3601);
    assert_eq!(
        env.resource_status(&base, &first),
        401,
        "first access token"
    );
    assert_eq!(
        env.resource_status(&base, &second),
        401,
        "second access token"
    );
}

#[test]
fn revoking_an_access_token_only_kills_that_one() {
    let env = setup();
    let (access, refresh) = env.tokens();
    let access2 = env.refresh(&refresh)["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (status, _) = revoke(
        &env,
        &env.url("/oauth/v2/token/revoke"),
        &format!("token={access}"),
    );
    assert_eq!(status, 200);
    assert_eq!(env.resource_status(&env.emu.url(), &access), 401);
    assert_eq!(env.resource_status(&env.emu.url(), &access2), 200);
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn newer_revoke_endpoint_with_basic_auth() {
    let env = setup();
    let (_, refresh) = env.tokens();
    let r = env
        .http
        .post(env.url(&format!(
            "/oauth/v2/revoke/token?token={refresh}&token_type=refresh_token"
        )))
        .basic_auth(CLIENT_ID, Some(SECRET))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(parse(&r.text().unwrap()), json!({"status": "success"}));
    assert_eq!(
        env.refresh_at(&env.emu.url(), &refresh).1,
        json!({"error": "invalid_code"})
    );
}

#[test]
fn revoke_errors() {
    let env = setup();
    let (_, refresh) = env.tokens();
    let (status, v) = revoke(&env, &env.url("/oauth/v2/token/revoke"), "");
    assert_eq!(
        (status, v["error"].as_str()),
        (400, Some("invalid_request"))
    );
    let (status, v) = revoke(&env, &env.url("/oauth/v2/token/revoke?token=1000.nope"), "");
    assert_eq!((status, v["error"].as_str()), (400, Some("invalid_token")));
    // A token of another data centre is unknown there.
    let eu = env.emu.dc_url("eu");
    let (status, _) = revoke(
        &env,
        &format!("{eu}/oauth/v2/token/revoke?token={refresh}"),
        "",
    );
    assert_eq!(status, 400);
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn user_info_success_with_both_header_styles() {
    let env = setup();
    let (access, _) = env.tokens();
    for auth in [
        format!("Zoho-oauthtoken {access}"),
        format!("Bearer {access}"),
    ] {
        let (status, v) = env.get(&env.url("/oauth/user/info"), Some(&auth));
        assert_eq!(status, 200);
        assert_eq!(v["Email"], "ada@example.com");
        assert_eq!(v["First_Name"], "Ada");
        assert_eq!(v["Last_Name"], "Lovelace");
        assert_eq!(v["Display_Name"], "Ada Lovelace");
        assert!(v["ZUID"].is_u64(), "ZUID is a JSON number: {v}");
    }
    let (status, _) = env.get(
        &env.url("/oauth/user/info?"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(status, 200);
    assert_eq!(env.counter("user_info"), 3);
}

#[test]
fn user_info_without_profile_scope_is_invalid_oauthscope() {
    let env = setup();
    let v = env.exchange(&env.mint("ZohoCRM.modules.ALL"));
    let access = v["access_token"].as_str().unwrap();
    let (status, v) = env.get(
        &env.url("/oauth/user/info"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(
        (status, v),
        (
            401,
            json!({"response": "error", "cause": "INVALID_OAUTHSCOPE"})
        )
    );
}

#[test]
fn profile_scope_matches_case_insensitively() {
    let env = setup();
    for scope in [
        "aaaserver.profile.READ",
        "AaaServer.profile.Read",
        "AAASERVER.PROFILE.READ",
    ] {
        let v = env.exchange(&env.mint(scope));
        let access = v["access_token"].as_str().unwrap();
        let (status, _) = env.get(
            &env.url("/oauth/user/info"),
            Some(&format!("Zoho-oauthtoken {access}")),
        );
        assert_eq!(status, 200, "{scope}");
    }
}

#[test]
fn user_info_with_bad_or_missing_token() {
    let env = setup();
    let bad = json!({"response": "error", "cause": "INVALID_OAUTHTOKEN"});
    assert_eq!(
        env.get(&env.url("/oauth/user/info"), None),
        (401, bad.clone())
    );
    assert_eq!(
        env.get(
            &env.url("/oauth/user/info"),
            Some("Zoho-oauthtoken 1000.x.y")
        ),
        (401, bad.clone())
    );
    let (access, _) = env.tokens();
    env.emu.advance_clock(3601);
    assert_eq!(
        env.get(
            &env.url("/oauth/user/info"),
            Some(&format!("Zoho-oauthtoken {access}"))
        ),
        (401, bad)
    );
}

#[test]
fn registered_user_details_are_served() {
    let env = setup();
    env.emu.register_user(UserSpec {
        email: "lin@example.com".into(),
        first_name: "Lin".into(),
        zuid: 795_542_386,
        ..UserSpec::default()
    });
    let mut spec = env.grant_spec(PROFILE_SCOPES);
    spec.user = "lin@example.com".into();
    let access = env.exchange(&env.emu.mint_grant(spec).unwrap())["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let (_, v) = env.get(
        &env.url("/oauth/user/info"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(
        v,
        json!({"First_Name": "Lin", "Email": "lin@example.com", "Last_Name": "", "Display_Name": "Lin", "ZUID": 795_542_386u64})
    );
    let (status, v) = env.get(
        &env.url("/crm/v2/users?type=CurrentUser"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(status, 200);
    assert_eq!(v["users"][0]["email"], "lin@example.com");
    assert_eq!(v["users"][0]["id"], "795542386");
    assert_eq!(v["users"][0]["full_name"], "Lin");
}

#[test]
fn protected_resource_checks_the_token() {
    let env = setup();
    let (access, _) = env.tokens();
    let url = env.url("/crm/v2/users?type=CurrentUser");
    let (status, v) = env.get(&url, Some(&format!("Zoho-oauthtoken {access}")));
    assert_eq!(status, 200);
    assert_eq!(v["users"][0]["first_name"], "Ada");
    let (status, _) = env.get(
        &env.url("/crm/v8/users?type=CurrentUser"),
        Some(&format!("Bearer {access}")),
    );
    assert_eq!(status, 200);
    let invalid = json!({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"});
    assert_eq!(
        env.get(&url, Some("Zoho-oauthtoken 1000.bad.bad")),
        (401, invalid)
    );
    let (status, v) = env.get(&url, None);
    assert_eq!(
        (status, v["code"].as_str()),
        (401, Some("AUTHENTICATION_FAILURE"))
    );
    assert_eq!(env.counter("resource"), 4);
}

#[test]
fn oidc_userinfo_and_unknown_paths() {
    let env = setup();
    let (access, _) = env.tokens();
    let (status, v) = env.get(
        &env.url("/oauth/v2/userinfo"),
        Some(&format!("Bearer {access}")),
    );
    assert_eq!(status, 200);
    assert_eq!(v["email"], "ada@example.com");
    let (status, v) = env.get(&env.url("/no/such/path"), None);
    assert_eq!((status, v["error"].as_str()), (404, Some("not_found")));
}
