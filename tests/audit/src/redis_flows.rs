//! The Redis store through the Rust API: a private redis-server whose password is a
//! registered secret, the whole happy path on it, then a wrong password, a server that is
//! down and a key holding garbage. Without a `redis-server` (`ZOHO_TEST_REDIS_SERVER` or
//! PATH) this says so in `out.txt` and checks nothing.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use zoho_oauth::config::{StoreKind, StoreSettings};
use zoho_oauth::{OAuthClient, OffsetClock};

use super::{ADA, Flows, happy_path};

/// Runs the Redis flows, or notes that they were skipped.
pub(super) fn run(f: &mut Flows<'_>, dir: &Path, clock: &Arc<OffsetClock>) -> Result<(), String> {
    let password = f.world.made_up_secret("AUDITREDISPW");
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let Some(mut server) = start_server(dir, port, &password) else {
        let _ = writeln!(f.out, "redis: skipped (no redis-server)");
        return Ok(());
    };
    let result = flows(f, dir, clock, port, &password);
    let _ = server.kill();
    let _ = server.wait();
    result
}

fn start_server(dir: &Path, port: u16, password: &str) -> Option<Child> {
    let binary = std::env::var_os("ZOHO_TEST_REDIS_SERVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("redis-server"));
    let data = dir.join("redis-data");
    std::fs::create_dir_all(&data).ok()?;
    let mut child = Command::new(binary)
        .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
        .args([
            "--save",
            "",
            "--appendonly",
            "no",
            "--requirepass",
            password,
        ])
        .arg("--dir")
        .arg(&data)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(child)
}

fn client(
    f: &Flows<'_>,
    dir: &Path,
    clock: &Arc<OffsetClock>,
    url: &str,
) -> Result<OAuthClient, String> {
    let settings = StoreSettings::new()
        .with("redis_url", url)
        .and_then(|s| s.with("redis_key_prefix", "audit:"))
        .map_err(|e| e.to_string())?;
    let config = f
        .config(dir)
        .with_store_kind(StoreKind::named("redis"))
        .with_store_settings(settings);
    f.client(config, clock).map_err(|e| e.to_string())
}

fn flows(
    f: &mut Flows<'_>,
    dir: &Path,
    clock: &Arc<OffsetClock>,
    port: u16,
    password: &str,
) -> Result<(), String> {
    let url = format!("redis://default:{password}@127.0.0.1:{port}/0");
    let redis = client(f, dir, clock, &url)?;
    let _ = writeln!(
        f.out,
        "redis: {} / {:?}",
        redis.store().describe(),
        redis.config()
    );
    happy_path(f, &redis, clock)?;
    let wrong = f.world.made_up_secret("AUDITREDISWRONG");
    let refused = client(
        f,
        dir,
        clock,
        &format!("redis://default:{wrong}@127.0.0.1:{port}/0"),
    )?;
    f.show("redis: wrong password", &refused.get_access_token(ADA));
    let closed = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let down = client(
        f,
        dir,
        clock,
        &format!("redis://default:{password}@127.0.0.1:{closed}/0"),
    )?;
    f.show("redis: server down", &down.get_access_token(ADA));
    let code = f.world.grant(ADA, super::PROFILE_SCOPES)?;
    f.show(
        "redis: grant with the server down",
        &down.generate_access_token(&code),
    );
    plant_garbage(port, password)?;
    f.show("redis: a key holding garbage", &redis.get_access_token(ADA));
    f.show("redis: list with garbage", &redis.list_tokens());
    Ok(())
}

/// Sets ADA's key to something that is not ours, with a raw RESP exchange.
fn plant_garbage(port: u16, password: &str) -> Result<(), String> {
    let mut con = TcpStream::connect(("127.0.0.1", port)).map_err(|e| e.to_string())?;
    con.set_read_timeout(Some(Duration::from_secs(2)))
        .map_err(|e| e.to_string())?;
    let key = format!("audit:user:{ADA}");
    let mut request = Vec::new();
    for args in [vec!["AUTH", password], vec!["SET", &key, "not json at all"]] {
        request.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
        for a in args {
            request.extend_from_slice(format!("${}\r\n{a}\r\n", a.len()).as_bytes());
        }
    }
    con.write_all(&request).map_err(|e| e.to_string())?;
    let mut reply = [0u8; 64];
    let mut got = 0;
    while got < 10 {
        match con.read(&mut reply[got..]) {
            Ok(0) | Err(_) => break,
            Ok(n) => got += n,
        }
    }
    if reply[..got].starts_with(b"+OK\r\n+OK\r\n") {
        Ok(())
    } else {
        Err("redis: planting the garbage value failed".into())
    }
}
