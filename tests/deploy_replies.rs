//! Issue 13, the accounts server's side: a total timeout against a dripping server, values
//! out of shape in replies (expiry, charset, length), and tokens echoed in `error`.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_SECRET, SCOPES, TestEnv, advance};
use zoho_accounts_emulator::FaultSpec;
use zoho_oauth::{Config, ErrorKind, MemoryStore, OAuthClient};

/// A server that answers every connection with a valid token reply: the headers at once,
/// then the body one byte per 200 ms (about 10 s in all).
fn dripping_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            std::thread::spawn(move || {
                let mut request = [0u8; 4096];
                let _ = stream.read(&mut request);
                let body = r#"{"access_token":"1000.drip.drip","expires_in":3600}"#;
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                    body.len()
                );
                if stream.write_all(head.as_bytes()).is_err() {
                    return;
                }
                for byte in body.as_bytes() {
                    if stream.write_all(&[*byte]).is_err() {
                        return;
                    }
                    std::thread::sleep(Duration::from_millis(200));
                }
            });
        }
    });
    url
}

#[test]
fn timeout_secs_bounds_the_whole_request_against_a_dripping_server() {
    let url = dripping_server();
    let config = Config::new(common::CLIENT_ID, CLIENT_SECRET, common::REDIRECT_URI)
        .with_accounts_url(url)
        .with_timeouts(Duration::from_secs(1), Duration::from_secs(2));
    let client = OAuthClient::new(config, std::sync::Arc::new(MemoryStore::new())).unwrap();
    let started = Instant::now();
    let err = client
        .generate_access_token_from_refresh_token("1000.r.r", ADA)
        .unwrap_err();
    let took = started.elapsed();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // The whole reply would take about 10 s; the limit is 2 s for everything.
    assert!(took < Duration::from_millis(2600), "took {took:?}");
    assert!(took >= Duration::from_millis(1900), "took {took:?}");
    assert!(err.message().contains("within 2.0 s"), "{err}");
}

fn reply_fault(env: &TestEnv, path: &str, body: &str) {
    env.emulator.inject_fault(FaultSpec {
        path: Some(path.into()),
        ..FaultSpec::reply(200, body)
    });
}

#[test]
fn an_expires_in_out_of_range_is_invalid_and_does_not_cause_a_refresh_per_call() {
    for expires_in in ["0", "-5", "1e12", "\"soon\""] {
        let env = TestEnv::start();
        let client = env.client();
        let first = client
            .generate_access_token(&env.grant(ADA, SCOPES))
            .unwrap();
        advance(&env.clock, 3600 - 30); // inside the refresh margin, still valid
        let body = format!(r#"{{"access_token":"1000.new.tok","expires_in":{expires_in}}}"#);
        reply_fault(&env, "/oauth/v2/token", &body);
        let before = env.counter("faults_injected");
        // The old token is still valid: it is served, and the bad reply is not saved.
        for _ in 0..5 {
            assert_eq!(
                client.get_access_token(ADA).unwrap(),
                first.access_token,
                "{expires_in}"
            );
        }
        assert_eq!(
            env.counter("faults_injected"),
            before + 1,
            "one request only"
        );
        let stored = client.store().get(ADA).unwrap().unwrap();
        assert_eq!(stored.access_token, first.access_token, "{expires_in}");
        // Once it has expired, the bad reply is an invalid_response error.
        advance(&env.clock, 60);
        reply_fault(&env, "/oauth/v2/token", &body);
        let err = client.refresh_user(ADA).unwrap_err();
        assert_eq!(
            err.kind(),
            ErrorKind::InvalidResponse,
            "{expires_in}: {err}"
        );
        assert!(err.message().contains("expires_in"), "{err}");
    }
}

#[test]
fn tokens_with_control_characters_or_huge_are_refused_and_never_stored() {
    let env = TestEnv::start();
    let client = env.client();
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    advance(&env.clock, 3700);
    let huge = "a".repeat(900_000);
    let bodies = [
        r#"{"access_token":"1000.a\r\nX-Injected: 1","expires_in":3600}"#.to_string(),
        r#"{"access_token":"1000.a\u0000b","expires_in":3600}"#.to_string(),
        r#"{"access_token":"1000.ok","refresh_token":"1000.r\nr","expires_in":3600}"#.to_string(),
        format!(r#"{{"access_token":"{huge}","expires_in":3600}}"#),
        r#"{"access_token":"1000.ok","api_domain":"https://x\r\n","expires_in":3600}"#.to_string(),
    ];
    for body in &bodies {
        reply_fault(&env, "/oauth/v2/token", body);
        let err = client.refresh_user(ADA).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
        assert!(!err.to_string().contains("Injected") && !err.to_string().contains("aaaa"));
        let stored = client.store().get(ADA).unwrap().unwrap();
        assert_eq!(stored.access_token, first.access_token);
    }
    // A good reply still works afterwards.
    assert_ne!(
        client.refresh_user(ADA).unwrap().access_token,
        first.access_token
    );
}

#[test]
fn a_huge_or_control_character_email_is_refused_and_the_tokens_are_not_lost() {
    let env = TestEnv::start();
    let client = env.client();
    for email in [
        "a".repeat(5000) + "@example.com",
        "ada@example.com\u{1b}[2J".into(),
    ] {
        let body = serde_json::json!({"Email": email, "ZUID": 1}).to_string();
        reply_fault(&env, "/oauth/user/info", &body);
        let err = client
            .generate_access_token(&env.grant(ADA, SCOPES))
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{err}");
        assert!(
            err.unsaved_tokens().is_some(),
            "the refresh token is handed back"
        );
        assert!(client.list_tokens().unwrap().is_empty());
    }
}

#[test]
fn an_error_field_echoing_a_token_never_reaches_a_message() {
    let env = TestEnv::start();
    let client = env.client();
    let echoed = "1000.3f6e5b2a9c8d7e1f0a2b3c4d5e6f7a8b.9e8d7c6b5a4f3e2d1c0b";
    for body in [
        format!(r#"{{"error":"{echoed}"}}"#),
        format!(r#"{{"error":"invalid_code {echoed}"}}"#),
        format!(r#"{{"error":"refresh token is {echoed}"}}"#),
    ] {
        reply_fault(&env, "/oauth/v2/token", &body);
        let err = client
            .generate_access_token(&env.grant(ADA, SCOPES))
            .unwrap_err();
        let shown = format!("{err} {err:?} {:?}", err.zoho_code());
        assert!(!shown.contains("3f6e5b2a"), "{shown}");
        assert!(!shown.contains("9e8d7c6b"), "{shown}");
        assert_eq!(err.zoho_code(), Some("unrecognised error"));
    }
    // A real code keeps its shape.
    reply_fault(&env, "/oauth/v2/token", r#"{"error":"Access Denied"}"#);
    let err = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
}
