//! `/oauth/v2/token`: success replies, error codes, code single use and expiry, transports.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::{GrantSpec, Settings};

#[test]
fn code_exchange_success_reply_looks_like_zoho() {
    let env = setup();
    let v = env.exchange(&env.mint(PROFILE_SCOPES));
    assert!(is_zoho_token(&v["access_token"]), "{v}");
    assert!(is_zoho_token(&v["refresh_token"]), "{v}");
    assert_eq!(v["scope"], "ZohoCRM.modules.ALL AaaServer.profile.READ");
    assert_eq!(v["api_domain"], env.emu.url());
    assert_eq!(v["token_type"], "Bearer");
    assert_eq!(v["expires_in"], 3600);
    assert!(v.get("expires_in_sec").is_none());
    assert_eq!(env.counter("token.authorization_code"), 1);
    assert_eq!(env.counter("token.error"), 0);
}

#[test]
fn reply_headers_are_zoho_framing() {
    let env = setup();
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .body("grant_type=authorization_code")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(
        r.headers()["content-type"],
        "application/json;charset=UTF-8"
    );
    assert_eq!(r.headers()["server"], "ZGS");
}

#[test]
fn online_code_gives_no_refresh_token() {
    let env = setup();
    let mut spec = env.grant_spec("ZohoCRM.modules.ALL");
    spec.access_type = "online".into();
    let v = env.exchange(&env.emu.mint_grant(spec).unwrap());
    assert!(v["access_token"].is_string());
    assert!(v.get("refresh_token").is_none(), "{v}");
}

#[test]
fn refresh_reply_has_no_refresh_token() {
    let env = setup();
    let (access, refresh) = env.tokens();
    let v = env.refresh(&refresh);
    assert!(is_zoho_token(&v["access_token"]));
    assert_ne!(v["access_token"], access.as_str());
    assert!(v.get("refresh_token").is_none(), "{v}");
    assert_eq!(v["expires_in"], 3600);
    assert_eq!(v["scope"], "ZohoCRM.modules.ALL AaaServer.profile.READ");
    assert_eq!(env.counter("token.refresh_token"), 1);
}

#[test]
fn codes_are_single_use() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    assert!(env.exchange(&code)["access_token"].is_string());
    assert_eq!(env.exchange(&code), json!({"error": "invalid_code"}));
    assert_eq!(env.counter("token.authorization_code"), 1);
    assert_eq!(env.counter("token.error"), 1);
}

#[test]
fn codes_expire_after_120_seconds_by_default() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    env.emu.advance_clock(119);
    assert!(env.exchange(&code)["access_token"].is_string());
    let code = env.mint(PROFILE_SCOPES);
    env.emu.advance_clock(121);
    assert_eq!(env.exchange(&code), json!({"error": "invalid_code"}));
}

#[test]
fn grant_ttl_is_configurable() {
    let env = setup_with(Settings {
        grant_ttl_secs: 10,
        ..Settings::default()
    });
    let code = env.mint(PROFILE_SCOPES);
    let mut long = env.grant_spec(PROFILE_SCOPES);
    long.ttl_secs = Some(600);
    let long_code = env.emu.mint_grant(long).unwrap();
    env.emu.advance_clock(11);
    assert_eq!(env.exchange(&code), json!({"error": "invalid_code"}));
    assert!(env.exchange(&long_code)["access_token"].is_string());
}

#[test]
fn access_tokens_expire_after_an_hour() {
    let env = setup();
    let (access, _) = env.tokens();
    env.emu.advance_clock(3599);
    assert_eq!(env.resource_status(&env.emu.url(), &access), 200);
    env.emu.advance_clock(2);
    assert_eq!(env.resource_status(&env.emu.url(), &access), 401);
}

fn token_error(env: &Env, body: &str) -> serde_json::Value {
    let (status, v) = env.post_form(&env.url("/oauth/v2/token"), body);
    assert_eq!(status, 200, "errors are HTTP 200 like Zoho");
    v
}

/// Bodies (`{C}` client id, `{S}` secret, `{K}` a valid code) and the error each gets.
const ERROR_CASES: &[(&str, &str)] = &[
    (
        "client_id=1000.NOPE&client_secret=x&grant_type=authorization_code&code=c",
        "invalid_client",
    ),
    (
        "client_id={C}&client_secret=wrong&grant_type=authorization_code&code={K}",
        "invalid_client_secret",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=authorization_code&code=1000.bad",
        "invalid_code",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=authorization_code&code={K}&redirect_uri=https://evil.example/cb",
        "invalid_redirect_uri",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=refresh_token&refresh_token=1000.unknown",
        "invalid_code",
    ),
    (
        "client_id={C}&client_secret={S}&code={K}",
        "invalid_request",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=password",
        "unsupported_grant_type",
    ),
    (
        "client_secret={S}&grant_type=authorization_code&code={K}",
        "invalid_request",
    ),
    (
        "client_id={C}&grant_type=authorization_code&code={K}",
        "invalid_request",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=authorization_code",
        "invalid_request",
    ),
    (
        "client_id={C}&client_secret={S}&grant_type=refresh_token",
        "invalid_request",
    ),
    ("", "invalid_request"),
];

#[test]
fn error_codes_in_zoho_check_order() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    for (template, expected) in ERROR_CASES {
        let body = template
            .replace("{C}", CLIENT_ID)
            .replace("{S}", SECRET)
            .replace("{K}", &code);
        let v = token_error(&env, &body);
        assert_eq!(v, json!({ "error": expected }), "body: {body}");
    }
    assert_eq!(env.counter("token.error"), ERROR_CASES.len() as u64);
    // A redirect mismatch does not spend the code.
    assert!(env.exchange(&code)["access_token"].is_string());
}

#[test]
fn a_code_of_another_client_is_invalid_code() {
    let env = setup();
    let mut other = client_spec();
    other.client_id = "1000.OTHER".into();
    env.emu.register_client(other);
    let mut spec = env.grant_spec("ZohoCRM.modules.ALL");
    spec.client_id = "1000.OTHER".into();
    let code = env.emu.mint_grant(spec).unwrap();
    assert_eq!(env.exchange(&code), json!({"error": "invalid_code"}));
}

#[test]
fn bound_redirect_uri_must_be_repeated() {
    let env = setup();
    let mut spec = env.grant_spec("ZohoCRM.modules.ALL");
    spec.redirect_uri = Some(REDIRECT.into());
    let code = env.emu.mint_grant(spec).unwrap();
    assert_eq!(
        env.exchange(&code),
        json!({"error": "invalid_redirect_uri"})
    );
    let body = format!(
        "grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}&redirect_uri={REDIRECT}"
    );
    let (_, v) = env.post_form(&env.url("/oauth/v2/token"), &body);
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn parameters_in_the_query_string_with_an_empty_body() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let url = env.url(&format!(
        "/oauth/v2/token?grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}"
    ));
    let (status, v) = env.post_form(&url, "");
    assert_eq!(status, 200);
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn body_wins_over_query_string() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let url = env.url("/oauth/v2/token?client_secret=wrong&grant_type=authorization_code");
    let body = format!("client_id={CLIENT_ID}&client_secret={SECRET}&code={code}");
    let (_, v) = env.post_form(&url, &body);
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn multipart_body() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let fields = [
        ("grant_type", "authorization_code"),
        ("client_id", CLIENT_ID),
        ("client_secret", SECRET),
        ("code", code.as_str()),
    ];
    let mut body = String::new();
    for (k, v) in fields {
        body.push_str(&format!(
            "--BoUnDaRy42\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n"
        ));
    }
    body.push_str("--BoUnDaRy42--\r\n");
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .header("Content-Type", "multipart/form-data; boundary=BoUnDaRy42")
        .body(body)
        .send()
        .unwrap();
    let v = parse(&r.text().unwrap());
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn http_basic_client_credentials() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .basic_auth(CLIENT_ID, Some(SECRET))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(format!("grant_type=authorization_code&code={code}"))
        .send()
        .unwrap();
    let v = parse(&r.text().unwrap());
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn non_encoded_body_and_raw_plus_decodes_as_space() {
    let env = setup();
    let mut spec = client_spec();
    spec.client_id = "1000.PLUS".into();
    spec.client_secret = "a b+c".into();
    env.emu.register_client(spec);
    let mut grant = env.grant_spec("ZohoCRM.modules.ALL");
    grant.client_id = "1000.PLUS".into();
    let code = env.emu.mint_grant(grant).unwrap();
    // The raw '+' decodes as a space, so the secret sent is "a b c": wrong.
    let raw_plus = format!(
        "client_id=1000.PLUS&client_secret=a+b+c&redirect_uri={REDIRECT}&grant_type=authorization_code&code={code}"
    );
    assert_eq!(
        token_error(&env, &raw_plus),
        json!({"error": "invalid_client_secret"})
    );
    let encoded = raw_plus.replace("a+b+c", "a+b%2Bc");
    let v = token_error(&env, &encoded);
    assert!(v["access_token"].is_string(), "{v}");
}

#[test]
fn legacy_mode_answers_the_pre_2019_way() {
    let env = setup_with(Settings {
        legacy_expiry: true,
        ..Settings::default()
    });
    let v = env.exchange(&env.mint(PROFILE_SCOPES));
    assert_eq!(v["expires_in_sec"], 3600);
    assert_eq!(v["expires_in"], 3_600_000);
    assert!(v["refresh_token"].is_string());
    let v = env.refresh(v["refresh_token"].as_str().unwrap());
    assert_eq!(v["expires_in_sec"], 3600);
    assert_eq!(v["expires_in"], 3_600_000);
    assert!(v.get("refresh_token").is_none());
}

#[test]
fn access_token_ttl_and_api_domain_are_configurable() {
    let env = setup_with(Settings {
        access_token_ttl_secs: 60,
        api_domain_override: Some("https://www.zohoapis.com".into()),
        ..Settings::default()
    });
    let v = env.exchange(&env.mint(PROFILE_SCOPES));
    assert_eq!(v["expires_in"], 60);
    assert_eq!(v["api_domain"], "https://www.zohoapis.com");
}

#[test]
fn get_on_the_token_endpoint_is_an_error() {
    let env = setup();
    let (status, v) = env.get(&env.url("/oauth/v2/token"), None);
    assert_eq!(status, 200);
    assert_eq!(v, json!({"error": "invalid_request"}));
}

#[test]
fn mint_grant_rejects_bad_specs() {
    let env = setup();
    let unknown = GrantSpec {
        client_id: "1000.NOPE".into(),
        ..env.grant_spec("x")
    };
    assert!(env.emu.mint_grant(unknown).is_err());
    let wrong_dc = GrantSpec {
        data_centre: Some("jp".into()),
        ..env.grant_spec("x")
    };
    assert!(env.emu.mint_grant(wrong_dc).is_err());
    let mut limited = client_spec();
    limited.client_id = "1000.LIMITED".into();
    limited.scopes = vec!["ZohoCRM.modules.ALL".into()];
    env.emu.register_client(limited);
    let bad_scope = GrantSpec {
        client_id: "1000.LIMITED".into(),
        ..env.grant_spec("ZohoMail.messages.ALL")
    };
    assert!(env.emu.mint_grant(bad_scope).is_err());
    let ok_scope = GrantSpec {
        client_id: "1000.LIMITED".into(),
        ..env.grant_spec("zohocrm.modules.all")
    };
    assert!(env.emu.mint_grant(ok_scope).is_ok());
}
