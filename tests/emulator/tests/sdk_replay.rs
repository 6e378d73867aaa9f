//! Replays the exact requests Zoho's old PHP SDK sends (recorded fixture) and checks that
//! each gets the reply the SDK expects.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use serde_json::Value;
use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options, TokenSpec};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../fixtures/php-sdk/requests-sent-by-php-sdk.json"
);
const CODE: &str = "1000.grant0000grant0000grant0000gran.grant1111grant1111grant1111gran";
const ONLINE_ACCESS: &str =
    "1000.aaaa1111aaaa1111aaaa1111aaaa1111.bbbb2222bbbb2222bbbb2222bbbb2222";
const SCOPE: &str = "ZohoCRM.modules.ALL,AaaServer.profile.READ";
/// Refresh tokens in the fixture and the users the SDK stored them under.
const REFRESH: &[(&str, &str)] = &[
    (
        "1000.9999aaaa9999aaaa9999aaaa9999aaaa.8888bbbb8888bbbb8888bbbb8888bbbb",
        "Bob.Smith@Example.COM",
    ),
    (
        "1000.7777cccc7777cccc7777cccc7777cccc.6666dddd6666dddd6666dddd6666dddd",
        "zoë@exämple.de",
    ),
    (
        "1000.cccc3333cccc3333cccc3333cccc3333.dddd4444dddd4444dddd4444dddd4444",
        "ada@example.com",
    ),
];

fn token_spec(token: &str, user: &str) -> TokenSpec {
    TokenSpec {
        token: token.into(),
        client_id: "1000.CLIENTID".into(),
        user: user.into(),
        scope: SCOPE.into(),
        ..TokenSpec::default()
    }
}

fn start() -> Emulator {
    let emu = Emulator::start(Options::default()).unwrap();
    emu.register_client(ClientSpec {
        client_id: "1000.CLIENTID".into(),
        client_secret: "s3cr3t".into(),
        redirect_uris: vec!["https://example.com/cb".into()],
        ..ClientSpec::default()
    });
    for (token, user) in REFRESH {
        emu.import_refresh_token(token_spec(token, user)).unwrap();
    }
    emu.import_access_token(token_spec(ONLINE_ACCESS, "online@example.com"))
        .unwrap();
    emu
}

fn mint_code(emu: &Emulator) {
    let grant = GrantSpec {
        client_id: "1000.CLIENTID".into(),
        user: "online@example.com".into(),
        scope: SCOPE.into(),
        access_type: "online".into(),
        redirect_uri: Some("https://example.com/cb".into()),
        ..GrantSpec::default()
    };
    assert_eq!(emu.mint_grant_with_code(grant, CODE).unwrap(), CODE);
}

/// The exact bytes of one recorded request; `sep` goes between header name and value.
fn request_bytes(req: &Value, sep: &str) -> Vec<u8> {
    let mut out = format!(
        "{} {} HTTP/1.1\r\n",
        req["method"].as_str().unwrap(),
        req["path"].as_str().unwrap()
    );
    for (k, v) in req["headers"].as_object().unwrap() {
        out.push_str(&format!("{k}{sep}{}\r\n", v.as_str().unwrap()));
    }
    out.push_str("\r\n");
    out.push_str(req["body"].as_str().unwrap());
    out.into_bytes()
}

/// Reads one response (status, body) from a keep-alive connection.
fn read_response(r: &mut BufReader<TcpStream>) -> (u16, Value) {
    let mut status_line = String::new();
    r.read_line(&mut status_line).unwrap();
    let status: u16 = status_line.split(' ').nth(1).unwrap().parse().unwrap();
    let mut len = 0;
    loop {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        if line == "\r\n" {
            break;
        }
        if let Some((k, v)) = line.split_once(':')
            && k.eq_ignore_ascii_case("content-length")
        {
            len = v.trim().parse().unwrap();
        }
    }
    let mut body = vec![0; len];
    r.read_exact(&mut body).unwrap();
    (status, serde_json::from_slice(&body).unwrap())
}

/// The check the PHP SDK makes on each reply.
fn assert_sdk_happy(req: &Value, status: u16, reply: &Value) {
    assert_eq!(status, 200, "{req} -> {reply}");
    let body = req["body"].as_str().unwrap();
    if req["path"] == "/oauth/user/info?" {
        assert_eq!(reply["Email"], "online@example.com");
        assert!(reply["ZUID"].is_u64());
    } else if body.contains("grant_type=authorization_code") {
        assert!(reply["access_token"].is_string(), "{reply}");
        assert_eq!(reply["expires_in"], 3600);
        assert!(
            reply.get("refresh_token").is_none(),
            "online grant: {reply}"
        );
    } else {
        assert!(reply["access_token"].is_string(), "{reply}");
        assert_eq!(reply["expires_in"], 3600);
        assert!(
            reply.get("refresh_token").is_none(),
            "refresh replies carry none: {reply}"
        );
    }
}

fn replay(sep: &str) {
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let requests = fixture.as_array().unwrap();
    assert_eq!(requests.len(), 7);
    let emu = start();
    let stream = TcpStream::connect(emu.addr()).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    for req in requests {
        if let Some(len) = req["headers"]["Content-Length"].as_str() {
            assert_eq!(
                len.parse::<usize>().unwrap(),
                req["body"].as_str().unwrap().len()
            );
        }
        if req["body"]
            .as_str()
            .unwrap()
            .contains("grant_type=authorization_code")
        {
            mint_code(&emu);
        }
        writer.write_all(&request_bytes(req, sep)).unwrap();
        let (status, reply) = read_response(&mut reader);
        assert_sdk_happy(req, status, &reply);
    }
    let counters = emu.counters();
    assert_eq!(counters["token.authorization_code"], 2);
    assert_eq!(counters["token.refresh_token"], 3);
    assert_eq!(counters["user_info"], 2);
    assert_eq!(counters["token.error"], 0);
    let log = emu.requests();
    assert_eq!(log[1].path, "/oauth/user/info?");
    assert_eq!(log[0].body, requests[0]["body"].as_str().unwrap());
}

#[test]
fn php_sdk_requests_get_the_replies_the_sdk_expects() {
    replay(": ");
}

#[test]
fn php_sdk_header_without_space_after_colon() {
    replay(":");
}

#[test]
fn replaying_the_same_code_twice_without_a_new_grant_fails() {
    let fixture: Value = serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    let exchange = &fixture[0];
    let emu = start();
    mint_code(&emu);
    let stream = TcpStream::connect(emu.addr()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    writer.write_all(&request_bytes(exchange, ": ")).unwrap();
    assert!(read_response(&mut reader).1["access_token"].is_string());
    writer.write_all(&request_bytes(exchange, ": ")).unwrap();
    assert_eq!(
        read_response(&mut reader),
        (200, serde_json::json!({"error": "invalid_code"}))
    );
}
