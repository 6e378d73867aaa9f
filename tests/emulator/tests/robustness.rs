//! Bad input never crashes or hangs the emulator; keep-alive, chunked bodies and 64
//! concurrent clients work; dropping the emulator stops it.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Barrier;
use std::time::Duration;

use common::*;
use serde_json::json;
use zoho_accounts_emulator::{Emulator, Options};

fn still_serves(env: &Env) {
    let (status, v) = env.get(&env.url("/oauth/serverinfo"), None);
    assert_eq!((status, v["result"].as_str()), (200, Some("success")));
}

#[test]
fn garbage_request_lines_get_400_and_close() {
    let env = setup();
    for garbage in [
        &b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03 tls hello\r\n\r\n"[..],
        b"NOT HTTP AT ALL\r\n\r\n",
        b"GET /oauth/serverinfo HTTP/9.9\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header Line\r\n\r\n",
    ] {
        let reply = raw(env.emu.addr(), garbage);
        assert!(reply.starts_with("HTTP/1.1 400"), "{reply:?}");
        assert!(reply.contains("Connection: close"));
    }
    still_serves(&env);
}

#[test]
fn huge_bodies_get_413_without_crashing() {
    let env = setup();
    let mut s = TcpStream::connect(env.emu.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    let head = "POST /oauth/v2/token HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 4000000\r\n\r\n";
    s.write_all(head.as_bytes()).unwrap();
    let _ = s.write_all(&vec![b'a'; 64 * 1024]);
    let mut reply = String::new();
    let _ = s.read_to_string(&mut reply);
    assert!(reply.starts_with("HTTP/1.1 413"), "{reply:?}");
    assert_eq!(parse(raw_body(&reply))["error"], "request body too large");
    // Chunked bodies are capped too.
    let mut chunked =
        b"POST /oauth/v2/token HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    for _ in 0..20 {
        chunked.extend_from_slice(b"10000\r\n");
        chunked.extend(std::iter::repeat_n(b'b', 0x10000));
        chunked.extend_from_slice(b"\r\n");
    }
    assert!(raw(env.emu.addr(), &chunked).starts_with("HTTP/1.1 413"));
    let reply = raw(
        env.emu.addr(),
        b"POST / HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
    );
    assert!(reply.starts_with("HTTP/1.1 400"));
    let huge_head = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "h".repeat(100_000));
    assert!(raw(env.emu.addr(), huge_head.as_bytes()).starts_with("HTTP/1.1 431"));
    still_serves(&env);
}

#[test]
fn garbage_bodies_are_token_errors() {
    let env = setup();
    for body in [
        "\u{0}\u{1}\u{2}",
        "%%%&&&===",
        "{\"grant_type\":\"refresh_token\"}",
        "null",
        "a=b&&&=c&%zz",
    ] {
        let (status, v) = env.post_form(&env.url("/oauth/v2/token"), body);
        assert_eq!(
            (status, v),
            (200, json!({"error": "invalid_request"})),
            "{body:?}"
        );
    }
    let r = env
        .http
        .post(env.url("/oauth/v2/token"))
        .header("Content-Type", "multipart/form-data; boundary=zzz")
        .body("--zzz\r\nnonsense without a blank line--zzz--")
        .send()
        .unwrap();
    assert_eq!(
        parse(&r.text().unwrap()),
        json!({"error": "invalid_request"})
    );
    still_serves(&env);
}

#[test]
fn truncated_requests_do_not_hang_the_server() {
    let env = setup();
    let mut s = TcpStream::connect(env.emu.addr()).unwrap();
    s.write_all(b"POST /oauth/v2/token HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc")
        .unwrap();
    drop(s);
    let mut s = TcpStream::connect(env.emu.addr()).unwrap();
    s.write_all(b"GET /oauth/serv").unwrap();
    still_serves(&env);
    drop(s);
}

#[test]
fn keep_alive_pipelining_and_chunked_bodies() {
    let env = setup();
    let code = env.mint(PROFILE_SCOPES);
    let body = format!(
        "grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}"
    );
    let (a, b) = body.split_at(20);
    let mut req = format!(
        "POST /oauth/v2/token HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n{:x}\r\n{a}\r\n{:x}\r\n{b}\r\n0\r\n\r\n",
        a.len(),
        b.len()
    );
    req.push_str("GET /oauth/serverinfo HTTP/1.1\r\nHost: x\r\n\r\n");
    req.push_str("GET /oauth/serverinfo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let reply = raw(env.emu.addr(), req.as_bytes());
    assert_eq!(reply.matches("HTTP/1.1 200 OK").count(), 3, "{reply}");
    assert!(reply.contains("\"access_token\":\"1000."));
    assert!(reply.contains("Connection: keep-alive"));
    assert!(reply.ends_with('}'));
}

#[test]
fn keep_alive_with_reqwest_reuses_connections() {
    let env = setup();
    for _ in 0..20 {
        still_serves(&env);
    }
    assert_eq!(env.counter("serverinfo"), 20);
}

#[test]
fn sixty_four_concurrent_clients() {
    let env = setup();
    let barrier = Barrier::new(64);
    std::thread::scope(|scope| {
        for i in 0..64 {
            let (env, barrier) = (&env, &barrier);
            scope.spawn(move || {
                let http = http_client();
                let mut spec = env.grant_spec(PROFILE_SCOPES);
                spec.user = format!("user{i}@example.com");
                let code = env.emu.mint_grant(spec).unwrap();
                barrier.wait();
                let body = format!("grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}");
                let r = http.post(env.url("/oauth/v2/token")).body(body).send().unwrap();
                let v = parse(&r.text().unwrap());
                let refresh = v["refresh_token"].as_str().unwrap();
                let body = format!("grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={SECRET}&refresh_token={refresh}");
                let r = http.post(env.url("/oauth/v2/token")).body(body).send().unwrap();
                let v = parse(&r.text().unwrap());
                let access = v["access_token"].as_str().unwrap();
                let r = http
                    .get(env.url("/crm/v2/users?type=CurrentUser"))
                    .header("Authorization", format!("Zoho-oauthtoken {access}"))
                    .send()
                    .unwrap();
                assert_eq!(r.status().as_u16(), 200);
                let v = parse(&r.text().unwrap());
                assert_eq!(v["users"][0]["email"], format!("user{i}@example.com"));
            });
        }
    });
    assert_eq!(env.counter("token.authorization_code"), 64);
    assert_eq!(env.counter("token.refresh_token"), 64);
    assert_eq!(env.counter("resource"), 64);
    assert_eq!(env.counter("token.error"), 0);
    assert_eq!(env.counter("requests"), 192);
}

#[test]
fn sixty_four_idle_connections_at_once_do_not_block_others() {
    let env = setup();
    let idle: Vec<TcpStream> = (0..64)
        .map(|_| TcpStream::connect(env.emu.addr()).unwrap())
        .collect();
    still_serves(&env);
    let mut readers: Vec<BufReader<TcpStream>> = idle
        .into_iter()
        .map(|mut s| {
            s.write_all(b"GET /oauth/serverinfo HTTP/1.1\r\nHost: x\r\n\r\n")
                .unwrap();
            BufReader::new(s)
        })
        .collect();
    for r in &mut readers {
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert_eq!(line, "HTTP/1.1 200 OK\r\n");
    }
}

#[test]
fn drop_stops_the_server_and_closes_connections() {
    let emu = Emulator::start(Options::default()).unwrap();
    let addr = emu.addr();
    let mut idle = TcpStream::connect(addr).unwrap();
    idle.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    idle.write_all(b"GET /oauth/serverinfo HTTP/1.1\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 12];
    idle.read_exact(&mut buf).unwrap();
    drop(emu);
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest);
    assert!(TcpStream::connect_timeout(&addr, Duration::from_secs(1)).is_err());
}

#[test]
fn expect_100_continue_and_head_requests() {
    let env = setup();
    let mut s = TcpStream::connect(env.emu.addr()).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(
        b"POST /oauth/v2/token HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n",
    )
    .unwrap();
    let mut reader = BufReader::new(s.try_clone().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 100 Continue\r\n");
    reader.read_line(&mut line).unwrap();
    s.write_all(b"a=b&c").unwrap();
    line.clear();
    reader.read_line(&mut line).unwrap();
    assert_eq!(line, "HTTP/1.1 200 OK\r\n");
    let reply = raw(
        env.emu.addr(),
        b"HEAD /oauth/serverinfo HTTP/1.1\r\nConnection: close\r\n\r\n",
    );
    assert!(reply.starts_with("HTTP/1.1 200 OK"));
    assert!(
        reply.ends_with("\r\n\r\n"),
        "no body after a HEAD reply: {reply:?}"
    );
}
