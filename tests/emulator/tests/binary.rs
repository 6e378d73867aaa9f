//! The `zoho-accounts-emulator` binary: first stdout line, config, signals, exit codes.
#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_zoho-accounts-emulator");

fn spawn(args: &[&str]) -> (Child, String, BufReader<std::process::ChildStdout>) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut out = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    (child, first.trim_end().to_string(), out)
}

fn signal(child: &Child, sig: &str) {
    let status = Command::new("kill")
        .arg(format!("-{sig}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success());
}

fn wait(child: &mut Child) -> std::process::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "emulator did not stop");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A plain client; installs a crypto provider first, which reqwest needs whenever the
/// workspace unifies the core's `rustls-no-provider` feature into it.
fn http_client() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::new()
}

fn get(url: &str) -> (u16, String) {
    let r = http_client().get(url).send().unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

#[test]
fn prints_the_url_first_and_stops_cleanly_on_sigterm() {
    let (mut child, url, mut rest) = spawn(&["--listen", "127.0.0.1:0"]);
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    assert_ne!(url, "http://127.0.0.1:0");
    let (status, body) = get(&format!("{url}/oauth/serverinfo"));
    assert_eq!(status, 200);
    assert!(body.contains(&format!("{url}/eu")));
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    let mut more = String::new();
    rest.read_to_string(&mut more).unwrap();
    assert_eq!(more, "", "only the URL is printed");
}

#[test]
fn stops_cleanly_on_sigint() {
    let (mut child, url, _) = spawn(&["--listen", "127.0.0.1:0"]);
    assert_eq!(get(&format!("{url}/oauth/serverinfo")).0, 200);
    signal(&child, "INT");
    assert_eq!(wait(&mut child).code(), Some(0));
}

#[test]
fn config_file_and_legacy_flag_and_no_secrets_printed() {
    let dir = std::env::temp_dir().join(format!("emu-config-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("config.json");
    std::fs::write(
        &config,
        r#"{"clients":[{"client_id":"1000.CFG","client_secret":"very-secret-value","redirect_uris":["http://localhost/cb"]}],
           "users":[{"email":"cfg@example.com","zuid":7}],
           "settings":{"access_token_ttl_secs":900}}"#,
    )
    .unwrap();
    let (mut child, url, _) = spawn(&[
        "--listen",
        "127.0.0.1:0",
        "--config",
        config.to_str().unwrap(),
        "--legacy",
    ]);
    let client = http_client();
    let r = client
        .post(format!("{url}/_emulator/grant"))
        .body(r#"{"client_id":"1000.CFG","user":"cfg@example.com","scope":"a"}"#)
        .send()
        .unwrap();
    let code: serde_json::Value = serde_json::from_str(&r.text().unwrap()).unwrap();
    let code = code["code"].as_str().unwrap().to_string();
    let r = client
        .post(format!("{url}/oauth/v2/token"))
        .body(format!("grant_type=authorization_code&client_id=1000.CFG&client_secret=very-secret-value&code={code}"))
        .send()
        .unwrap();
    let v: serde_json::Value = serde_json::from_str(&r.text().unwrap()).unwrap();
    assert_eq!(v["expires_in_sec"], 900);
    assert_eq!(v["expires_in"], 900_000);
    signal(&child, "TERM");
    assert_eq!(wait(&mut child).code(), Some(0));
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    assert!(!err.contains("very-secret-value") && !err.contains(&code));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn refuses_non_loopback_and_bad_arguments() {
    let out = Command::new(BIN)
        .args(["--listen", "0.0.0.0:0"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("non-loopback"));
    let out = Command::new(BIN).arg("--bogus").output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let out = Command::new(BIN).arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("--listen"));
}
