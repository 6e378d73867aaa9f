//! The admin interface under `/_emulator/`, driven over HTTP only.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use serde_json::{Value, json};
use zoho_accounts_emulator::{Emulator, Options, Settings};

struct Admin {
    emu: Emulator,
    env_http: reqwest::blocking::Client,
}

impl Admin {
    fn new() -> Admin {
        Admin {
            emu: Emulator::start(Options::default()).unwrap(),
            env_http: http_client(),
        }
    }

    fn post(&self, path: &str, body: Value) -> (u16, Value) {
        let r = self
            .env_http
            .post(format!("{}/_emulator/{path}", self.emu.url()))
            .header("Content-Type", "application/json")
            .body(body.to_string())
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, parse(&r.text().unwrap()))
    }

    fn get(&self, path: &str) -> Value {
        let r = self
            .env_http
            .get(format!("{}/_emulator/{path}", self.emu.url()))
            .send()
            .unwrap();
        assert_eq!(r.status().as_u16(), 200);
        parse(&r.text().unwrap())
    }

    fn token(&self, body: &str) -> Value {
        let r = self
            .env_http
            .post(format!("{}/oauth/v2/token", self.emu.url()))
            .body(body.to_string())
            .send()
            .unwrap();
        parse(&r.text().unwrap())
    }
}

fn register(admin: &Admin) {
    let (status, _) = admin.post(
        "clients",
        json!({"client_id": "1000.ADMIN", "client_secret": "pw", "redirect_uris": ["http://localhost/cb"]}),
    );
    assert_eq!(status, 200);
}

#[test]
fn clients_users_grant_and_exchange_over_http() {
    let admin = Admin::new();
    register(&admin);
    let (status, v) = admin.post(
        "users",
        json!({"email": "kim@example.com", "first_name": "Kim", "zuid": 42}),
    );
    assert_eq!((status, v["zuid"].as_u64()), (200, Some(42)));
    let (status, v) = admin.post(
        "grant",
        json!({"client_id": "1000.ADMIN", "user": "kim@example.com", "scope": "AaaServer.profile.READ"}),
    );
    assert_eq!(status, 200);
    let code = v["code"].as_str().unwrap().to_string();
    let v = admin.token(&format!(
        "grant_type=authorization_code&client_id=1000.ADMIN&client_secret=pw&code={code}"
    ));
    let access = v["access_token"].as_str().unwrap();
    let r = admin
        .env_http
        .get(format!("{}/oauth/user/info", admin.emu.url()))
        .header("Authorization", format!("Zoho-oauthtoken {access}"))
        .send()
        .unwrap();
    let info = parse(&r.text().unwrap());
    assert_eq!(
        (info["Email"].as_str(), info["ZUID"].as_u64()),
        (Some("kim@example.com"), Some(42))
    );
}

#[test]
fn grant_with_a_fixed_code_and_imported_tokens() {
    let admin = Admin::new();
    register(&admin);
    let code = "1000.11111111111111111111111111111111.22222222222222222222222222222222";
    let (status, v) = admin.post(
        "grant",
        json!({"client_id": "1000.ADMIN", "user": "ada@example.com", "scope": "a", "code": code}),
    );
    assert_eq!((status, v["code"].as_str()), (200, Some(code)));
    let rt = "1000.33333333333333333333333333333333.44444444444444444444444444444444";
    let (status, _) = admin.post(
        "refresh_tokens",
        json!({"token": rt, "client_id": "1000.ADMIN", "user": "ada@example.com", "scope": "a"}),
    );
    assert_eq!(status, 200);
    let at = "1000.55555555555555555555555555555555.66666666666666666666666666666666";
    let (status, _) = admin.post(
        "access_tokens",
        json!({"token": at, "client_id": "1000.ADMIN", "user": "ada@example.com", "scope": "a"}),
    );
    assert_eq!(status, 200);
    let v = admin.token(&format!(
        "grant_type=authorization_code&client_id=1000.ADMIN&client_secret=pw&code={code}"
    ));
    assert!(v["access_token"].is_string());
    let v = admin.token(&format!(
        "grant_type=refresh_token&client_id=1000.ADMIN&client_secret=pw&refresh_token={rt}"
    ));
    assert!(v["access_token"].is_string());
    let r = admin
        .env_http
        .get(format!("{}/crm/v2/users", admin.emu.url()))
        .header("Authorization", format!("Bearer {at}"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
}

#[test]
fn admin_errors_are_400_json() {
    let admin = Admin::new();
    let (status, v) = admin.post(
        "grant",
        json!({"client_id": "1000.NOPE", "user": "a@b.c", "scope": "x"}),
    );
    assert_eq!(status, 400);
    assert!(v["error"].as_str().unwrap().contains("unknown client"));
    let (status, _) = admin.post("clients", json!({"client_id": "x", "client_secret": "y", "redirect_uris": [], "data_centres": ["mars"]}));
    assert_eq!(status, 400);
    let (status, _) = admin.post("clients", json!("not an object"));
    assert_eq!(status, 400);
    let (status, _) = admin.post("settings", json!({"no_such_setting": 1}));
    assert_eq!(status, 400);
    let (status, _) = admin.post("clock", json!({}));
    assert_eq!(status, 400);
    let (status, _) = admin.post("nothing-here", json!({}));
    assert_eq!(status, 404);
    // Admin lives on the root only.
    let r = admin
        .env_http
        .get(format!("{}/eu/_emulator/counters", admin.emu.url()))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 404);
}

#[test]
fn clock_get_advance_and_set() {
    let admin = Admin::new();
    let before = admin.get("clock")["now_ms"].as_i64().unwrap();
    let (_, v) = admin.post("clock", json!({"advance_secs": 3600}));
    let after = v["now_ms"].as_i64().unwrap();
    assert!(after - before >= 3_600_000 && after - before < 3_610_000);
    let (_, v) = admin.post("clock", json!({"set_ms": 1_000_000_000_000i64}));
    let set = v["now_ms"].as_i64().unwrap();
    assert!((1_000_000_000_000..1_000_000_010_000).contains(&set));
    assert!(admin.emu.now_ms() >= set);
}

#[test]
fn faults_over_http() {
    let admin = Admin::new();
    let fault = json!({"kind": "http500", "path": "/oauth/serverinfo"});
    assert_eq!(admin.post("faults", fault).0, 200);
    assert_eq!(admin.get("faults")[0]["count"], 1);
    let url = format!("{}/oauth/serverinfo", admin.emu.url());
    let r = admin.env_http.get(url).send().unwrap();
    assert_eq!(r.status().as_u16(), 500);
    assert_eq!(admin.get("faults"), json!([]));
    assert_eq!(admin.get("counters")["faults_injected"], 1);
}

#[test]
fn settings_post_merges_the_given_keys() {
    let admin = Admin::new();
    let patch = json!({"legacy_expiry": true, "throttle_status": 400});
    let (status, v) = admin.post("settings", patch);
    assert_eq!(status, 200);
    assert_eq!(v["legacy_expiry"], true);
    assert_eq!(v["refresh_limit"], 10, "other keys keep their values");
    assert_eq!(admin.get("settings")["throttle_status"], 400);
    assert!(admin.emu.settings().legacy_expiry);
}

#[test]
fn counters_and_request_log_over_http() {
    let admin = Admin::new();
    register(&admin);
    admin.token(
        "grant_type=refresh_token&client_id=1000.ADMIN&client_secret=pw&refresh_token=1000.x",
    );
    let counters = admin.get("counters");
    assert_eq!(counters["requests"], 1, "admin requests are not counted");
    assert_eq!(counters["token.error"], 1);
    assert_eq!(counters["token.refresh_token"], 0);
    let log = admin.get("requests");
    assert_eq!(
        log.as_array().unwrap().len(),
        1,
        "admin requests are not logged"
    );
    assert_eq!(log[0]["method"], "POST");
    assert_eq!(log[0]["path"], "/oauth/v2/token");
    assert_eq!(log[0]["data_centre"], "us");
    let body = log[0]["body"].as_str().unwrap();
    assert!(body.starts_with("grant_type=refresh_token"));
}

#[test]
fn reset_over_http_clears_everything() {
    let admin = Admin::new();
    register(&admin);
    admin.post("settings", json!({"legacy_expiry": true}));
    admin.token("grant_type=authorization_code&client_id=1000.ADMIN&client_secret=pw&code=c");
    admin.emu.advance_clock(10_000);
    assert_eq!(admin.post("reset", json!({})).0, 200);
    assert_eq!(admin.get("counters")["requests"], 0);
    assert_eq!(admin.get("requests"), json!([]));
    assert_eq!(admin.emu.settings(), Settings::default());
    let offset = admin.emu.now_ms() - zoho_now();
    assert!(offset.abs() < 5_000, "clock offset cleared");
    let v =
        admin.token("grant_type=authorization_code&client_id=1000.ADMIN&client_secret=pw&code=c");
    assert_eq!(v, json!({"error": "invalid_client"}), "clients are cleared");
}

fn zoho_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

#[test]
fn rust_api_reset_recreates_the_default_user() {
    let env = setup();
    env.tokens();
    env.emu.reset();
    env.emu.register_client(client_spec());
    let (access, _) = env.tokens();
    let (status, v) = env.get(
        &env.url("/oauth/user/info"),
        Some(&format!("Zoho-oauthtoken {access}")),
    );
    assert_eq!(
        (status, v["Email"].as_str()),
        (200, Some("ada@example.com"))
    );
    assert_eq!(env.counter("token.authorization_code"), 1);
}

#[test]
fn non_loopback_listen_is_refused_by_default() {
    let err = Emulator::start(Options {
        listen: "0.0.0.0:0".into(),
        ..Options::default()
    })
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
    let emu = Emulator::start(Options {
        listen: "localhost:0".into(),
        ..Options::default()
    })
    .unwrap();
    assert!(emu.addr().ip().is_loopback());
}

#[test]
fn issued_tokens_lists_every_code_and_token_handed_out() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let tokens = env.exchange(&code);
    let refreshed = env.refresh(tokens["refresh_token"].as_str().unwrap());
    let issued = env.emu.issued_tokens();
    for value in [
        code.as_str(),
        tokens["access_token"].as_str().unwrap(),
        tokens["refresh_token"].as_str().unwrap(),
        refreshed["access_token"].as_str().unwrap(),
    ] {
        assert!(issued.iter().any(|t| t == value), "{value} is listed");
    }
}
