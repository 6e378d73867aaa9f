//! Every fault kind, counts, path filters and counters.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::*;
use serde_json::json;
use zoho_accounts_emulator::{FaultKind, FaultSpec, Settings};

fn fault(kind: FaultKind, count: u32, path: Option<&str>) -> FaultSpec {
    FaultSpec {
        count,
        path: path.map(str::to_string),
        ..FaultSpec::new(kind)
    }
}

/// A refresh POSTed to the token endpoint: status, Content-Type and raw body.
fn raw_refresh(env: &Env, refresh: &str) -> (u16, String, String) {
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .body(format!("grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={SECRET}&refresh_token={refresh}"))
        .send()
        .unwrap();
    let status = r.status().as_u16();
    let content_type = r.headers()["content-type"].to_str().unwrap().to_string();
    (status, content_type, r.text().unwrap())
}

fn serverinfo_status(env: &Env) -> u16 {
    env.http
        .get(env.url("/oauth/serverinfo"))
        .send()
        .unwrap()
        .status()
        .as_u16()
}

#[test]
fn http500_for_the_next_n_requests() {
    let env = setup();
    env.emu.inject_fault(fault(FaultKind::Http500, 2, None));
    for _ in 0..2 {
        let r = env.http.get(env.url("/oauth/serverinfo")).send().unwrap();
        assert_eq!(r.status().as_u16(), 500);
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert!(r.text().unwrap().contains("<html>"));
    }
    assert_eq!(serverinfo_status(&env), 200);
    assert_eq!(env.counter("faults_injected"), 2);
    assert_eq!(
        env.counter("serverinfo"),
        1,
        "faulted requests do not reach the endpoint"
    );
}

#[test]
fn html_page_with_status_200() {
    let env = setup();
    let (_, refresh) = env.tokens();
    env.emu
        .inject_fault(fault(FaultKind::Html, 1, Some("/oauth/v2/token")));
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .body(format!("grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={SECRET}&refresh_token={refresh}"))
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert!(r.text().unwrap().starts_with("<!DOCTYPE html>"));
    assert_eq!(env.counter("token.refresh_token"), 0);
    assert!(env.refresh(&refresh)["access_token"].is_string());
    assert_eq!(env.counter("token.refresh_token"), 1);
}

#[test]
fn reset_closes_the_connection_without_an_answer() {
    let env = setup();
    env.emu.inject_fault(fault(FaultKind::Reset, 1, None));
    let mut s = TcpStream::connect(env.emu.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"GET /oauth/serverinfo HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    let mut buf = Vec::new();
    let result = s.read_to_end(&mut buf);
    assert!(buf.is_empty(), "no bytes of an answer");
    if let Err(e) = result {
        assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset);
    }
    // reqwest sees an error too.
    env.emu.inject_fault(fault(FaultKind::Reset, 1, None));
    assert!(env.http.get(env.url("/oauth/serverinfo")).send().is_err());
    assert_eq!(serverinfo_status(&env), 200);
}

#[test]
fn delay_longer_than_the_client_timeout() {
    let env = setup();
    env.emu.inject_fault(FaultSpec {
        delay_ms: 1500,
        ..fault(FaultKind::Delay, 1, Some("/oauth/serverinfo"))
    });
    let impatient = http_builder()
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = impatient
        .get(env.url("/oauth/serverinfo"))
        .send()
        .unwrap_err();
    assert!(err.is_timeout(), "{err}");
    assert!(started.elapsed() < Duration::from_millis(1400));
    // The fault is used up; the emulator keeps serving meanwhile.
    assert_eq!(serverinfo_status(&env), 200);
}

#[test]
fn delay_then_normal_answer() {
    let env = setup();
    env.emu.inject_fault(FaultSpec {
        delay_ms: 300,
        ..fault(FaultKind::Delay, 1, None)
    });
    let started = Instant::now();
    let (status, v) = env.get(&env.url("/oauth/serverinfo"), None);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!((status, v["result"].as_str()), (200, Some("success")));
    assert_eq!(env.counter("serverinfo"), 1);
}

#[test]
fn throttle_reply() {
    let env = setup();
    let (_, refresh) = env.tokens();
    env.emu
        .inject_fault(fault(FaultKind::Throttle, 1, Some("/oauth/v2/token")));
    let (status, v) = env.refresh_at(&env.emu.url(), &refresh);
    assert_eq!(status, 200);
    assert_eq!(v["error"], "Access Denied");
    assert_eq!(v["status"], "failure");
    assert!(
        v["error_description"]
            .as_str()
            .unwrap()
            .contains("too many requests")
    );
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn empty_body() {
    let env = setup();
    env.emu.inject_fault(fault(FaultKind::Empty, 1, None));
    let r = env.http.get(env.url("/oauth/serverinfo")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(r.text().unwrap(), "");
}

#[test]
fn path_filter_ignores_the_dc_prefix_and_other_paths() {
    let env = setup();
    env.emu
        .inject_fault(fault(FaultKind::Http500, 1, Some("/oauth/v2/token")));
    assert_eq!(serverinfo_status(&env), 200, "other path untouched");
    let r = env
        .http
        .post(format!("{}/oauth/v2/token", env.emu.dc_url("eu")))
        .body("")
        .send()
        .unwrap();
    assert_eq!(r.status().as_u16(), 500);
    let (_, v) = env.post_form(&env.url("/oauth/v2/token"), "");
    assert_eq!(v, json!({"error": "invalid_request"}));
}

#[test]
fn admin_requests_are_never_faulted() {
    let env = setup();
    env.emu.inject_fault(fault(FaultKind::Reset, 1, None));
    let r = env.http.get(env.url("/_emulator/counters")).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(env.counter("faults_injected"), 0);
    assert_eq!(env.counter("requests"), 0);
}

#[test]
fn stall_sleeps_then_closes_and_never_reaches_the_endpoint() {
    let env = setup();
    let (_, refresh) = env.tokens();
    env.emu.inject_fault(FaultSpec {
        delay_ms: 300,
        ..fault(FaultKind::Stall, 1, Some("/oauth/v2/token"))
    });
    let started = Instant::now();
    let sent = env
        .http
        .post(env.url("/oauth/v2/token"))
        .body(format!("grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={SECRET}&refresh_token={refresh}"))
        .send();
    assert!(sent.is_err(), "no answer");
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(env.counter("token.refresh_token"), 0, "nothing was minted");
    assert_eq!(env.counter("fault.stall"), 1);
    assert!(env.refresh(&refresh)["access_token"].is_string());
}

#[test]
fn random_faults_hit_about_the_configured_share_of_requests() {
    let mut settings = Settings {
        random_fault_rate: 0.25,
        random_fault_kinds: vec![FaultKind::Http500, FaultKind::Throttle],
        random_fault_path: Some("/oauth/serverinfo".into()),
        ..Settings::default()
    };
    let env = setup_with(settings.clone());
    let statuses: Vec<u16> = (0..400).map(|_| serverinfo_status(&env)).collect();
    let faulted = env.counter("faults_injected");
    assert!((60..=140).contains(&faulted), "{faulted} of 400");
    assert_eq!(
        env.counter("fault.http500") + env.counter("fault.throttle"),
        faulted
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 500).count() as u64,
        env.counter("fault.http500")
    );
    assert_eq!(env.counter("serverinfo"), 400 - faulted);
    // Other paths are spared; a zero rate turns it off.
    assert_eq!(env.get(&env.url("/oauth/v2/token"), None).0, 200);
    settings.random_fault_rate = 0.0;
    env.emu.set_settings(settings);
    assert!((0..50).all(|_| serverinfo_status(&env) == 200));
}

#[test]
fn random_fault_settings_over_http() {
    let env = setup();
    let (status, v) = env.post_form(
        &env.url("/_emulator/settings"),
        r#"{"random_fault_rate":1.0,"random_fault_kinds":["empty"],"random_fault_delay_ms":5}"#,
    );
    assert_eq!(status, 200, "{v}");
    assert_eq!(v["random_fault_kinds"], json!(["empty"]));
    let r = env.http.get(env.url("/oauth/serverinfo")).send().unwrap();
    assert_eq!(r.text().unwrap(), "");
    assert_eq!(env.counter("fault.empty"), 1);
}

#[test]
fn refresh_history_records_each_successful_refresh_when_asked() {
    let env = setup_with(Settings {
        record_refreshes: true,
        refresh_limit: 2,
        ..Settings::default()
    });
    let (_, refresh) = env.tokens();
    let before = env.emu.now_ms();
    for _ in 0..3 {
        env.refresh_at(&env.emu.url(), &refresh);
    }
    let history = env.emu.refresh_history();
    let times = &history[&refresh];
    assert_eq!(
        times.len(),
        2,
        "the throttled third refresh is not recorded"
    );
    assert!(times.iter().all(|t| *t >= before && *t <= env.emu.now_ms()));
    let quiet = setup();
    let (_, refresh) = quiet.tokens();
    quiet.refresh(&refresh);
    assert!(quiet.emu.refresh_history().is_empty(), "off by default");
}

#[test]
fn reply_answers_exactly_the_given_body_with_status_200_by_default() {
    let env = setup();
    let (_, refresh) = env.tokens();
    env.emu.inject_fault(FaultSpec {
        count: 2,
        path: Some("/oauth/v2/token".into()),
        body: r#"{"error":"access_denied"}"#.into(),
        ..FaultSpec::new(FaultKind::Reply)
    });
    for _ in 0..2 {
        let (status, content_type, body) = raw_refresh(&env, &refresh);
        assert_eq!(status, 200);
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(body, r#"{"error":"access_denied"}"#);
    }
    assert_eq!(
        env.counter("token.refresh_token"),
        0,
        "the endpoint never saw them"
    );
    assert_eq!(env.counter("fault.reply"), 2);
    assert!(env.refresh(&refresh)["access_token"].is_string(), "used up");
}

#[test]
fn reply_with_any_status_and_body() {
    let env = setup();
    let (_, refresh) = env.tokens();
    env.emu
        .inject_fault(FaultSpec::reply(403, r#"{"error":"some_new_code"}"#));
    let (status, _, body) = raw_refresh(&env, &refresh);
    assert_eq!(
        (status, body.as_str()),
        (403, r#"{"error":"some_new_code"}"#)
    );
    // Not even JSON: sent as is.
    env.emu
        .inject_fault(FaultSpec::reply(502, "upstream <b>down</b>"));
    let (status, content_type, body) = raw_refresh(&env, &refresh);
    assert_eq!((status, body.as_str()), (502, "upstream <b>down</b>"));
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
}

#[test]
fn reply_over_http_with_defaults_and_listed_while_pending() {
    let env = setup();
    let (_, refresh) = env.tokens();
    let spec = json!({"kind": "reply", "status": 400, "path": "/oauth/v2/token",
                      "body": r#"{"error":"some_new_code"}"#});
    let (status, v) = env.post_form(&env.url("/_emulator/faults"), &spec.to_string());
    assert_eq!((status, v), (200, json!({"status": "ok"})));
    let (_, pending) = env.get(&env.url("/_emulator/faults"), None);
    assert_eq!(pending[0]["kind"], "reply");
    assert_eq!(pending[0]["status"], 400);
    assert_eq!(pending[0]["body"], r#"{"error":"some_new_code"}"#);
    let (status, _, body) = raw_refresh(&env, &refresh);
    assert_eq!(
        (status, body.as_str()),
        (400, r#"{"error":"some_new_code"}"#)
    );
    // Without status and body: 200 and an empty body.
    let (status, _) = env.post_form(&env.url("/_emulator/faults"), r#"{"kind":"reply"}"#);
    assert_eq!(status, 200);
    let (status, _, body) = raw_refresh(&env, &refresh);
    assert_eq!((status, body.as_str()), (200, ""));
}

#[test]
fn reply_with_an_impossible_status_is_refused() {
    let env = setup();
    for status in [0, 100, 600] {
        let spec = json!({"kind": "reply", "status": status, "body": "{}"});
        let (code, v) = env.post_form(&env.url("/_emulator/faults"), &spec.to_string());
        assert_eq!(code, 400, "{status}");
        assert!(v["error"].as_str().unwrap().contains("status"), "{v}");
    }
    assert!(
        env.emu
            .try_inject_fault(FaultSpec::reply(99, "{}"))
            .is_err()
    );
    env.emu.inject_fault(FaultSpec::reply(1000, "{}"));
    let (_, pending) = env.get(&env.url("/_emulator/faults"), None);
    assert_eq!(pending, json!([]));
    assert_eq!(serverinfo_status(&env), 200);
}
