//! Many real processes, as three simulated hosts, on one Redis: exactly one refresh for the
//! fleet on one connection per process (counted idle and at the peak of the storm), and a
//! refresher killed with SIGKILL holds nobody up longer than its lease.
//! Children are this test binary re-run with one ignored `child_*` test selected and its
//! instructions in environment variables. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "redis/support.rs"]
mod support;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use redis::Commands;
use support::{raw, unique_prefix};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{Config, OAuthClient, TokenStore};

const PROCESSES_PER_HOST: usize = 32;
const BOB: &str = "bob@example.com";

/// The configuration every child and the parent use: stale 1700 s before expiry, so a
/// token issued with 1000 s to live is refreshed though it still works.
fn config(emulator: &str, url: &str, prefix: &str) -> Config {
    Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", emulator),
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
        ("refresh_margin_secs", "1700"),
        ("connect_timeout_secs", "1"),
        ("timeout_secs", "3"),
    ])
    .unwrap()
}

fn spawn_child(test: &str, vars: &[(&str, &str)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--ignored", "--exact", test, "--test-threads=1", "--quiet"])
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, value) in vars {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

fn var(name: &str) -> String {
    std::env::var(name).expect("run by the parent test")
}

fn wait_for_go(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !dir.join("go").exists() {
        assert!(Instant::now() < deadline, "no go signal");
        std::thread::sleep(Duration::from_millis(2));
    }
}

/// A token for ADA that has expired (1 s to live, under the SDK's one-second validity
/// margin), so every process waits for the one refresh (a token that still works would be
/// served at once instead), and one for BOB.
fn seed(env: &TestEnv, url: &str, prefix: &str) -> (zoho_oauth::Tokens, String) {
    let c = OAuthClient::from_config(config(&env.emulator.url(), url, prefix)).unwrap();
    env.set_settings(|s| s.access_token_ttl_secs = 3600);
    c.generate_access_token(&env.grant(BOB, SCOPES)).unwrap();
    env.set_settings(|s| s.access_token_ttl_secs = 1);
    let first = c.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    env.set_settings(|s| s.access_token_ttl_secs = 3600);
    let bob: String = raw(url).get(format!("{prefix}user:{BOB}")).unwrap();
    (first, bob)
}

#[test]
#[ignore = "child process of three_hosts_of_32_processes_on_an_expired_token_make_one_refresh_on_one_connection_each"]
fn child_getter() {
    let dir = PathBuf::from(var("CHILD_DIR"));
    let config = config(
        &var("EMULATOR_URL"),
        &var("CHILD_REDIS_URL"),
        &var("CHILD_PREFIX"),
    );
    let client = OAuthClient::from_config(config).unwrap();
    wait_for_go(&dir);
    let token = client.get_access_token(ADA).unwrap();
    std::fs::write(dir.join(format!("{}.out", var("CHILD_ID"))), token.expose()).unwrap();
    // Stay alive, as an idle PHP-FPM worker does, until the parent has counted.
    let deadline = Instant::now() + Duration::from_secs(120);
    while !dir.join("exit").exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// The number of clients connected to the server at `url` (the observer included).
fn connected_clients(url: &str) -> usize {
    support::info_field(url, "clients", "connected_clients")
        .parse()
        .unwrap()
}

/// Samples the connected clients every few ms until `stop` exists; the highest count.
fn peak_clients(url: String, stop: PathBuf) -> std::thread::JoinHandle<usize> {
    std::thread::spawn(move || {
        let mut observer = raw(&url);
        let mut peak = 0;
        while !stop.exists() {
            let info: String = redis::cmd("INFO")
                .arg("clients")
                .query(&mut observer)
                .unwrap();
            let now = info
                .lines()
                .find_map(|l| l.strip_prefix("connected_clients:"))
                .and_then(|n| n.trim().parse().ok())
                .unwrap_or(0);
            peak = peak.max(now);
            std::thread::sleep(Duration::from_millis(5));
        }
        peak
    })
}

/// Starts 32 getters for each (host, url), waiting for `dir/go`.
fn spawn_hosts(hosts: &[(&str, &str)], dir: &Path, emulator: &str, prefix: &str) -> Vec<Child> {
    let dir_text = dir.to_str().unwrap().to_string();
    let mut children = Vec::new();
    for (host, url) in hosts {
        for n in 0..PROCESSES_PER_HOST {
            let id = format!("{host}{n}");
            children.push(spawn_child(
                "child_getter",
                &[
                    ("CHILD_DIR", &dir_text),
                    ("CHILD_ID", &id),
                    ("EMULATOR_URL", emulator),
                    ("CHILD_REDIS_URL", url),
                    ("CHILD_PREFIX", prefix),
                ],
            ));
        }
    }
    children
}

/// Waits until every child wrote its token (or one exited early).
fn wait_for_outputs(dir: &Path, children: &mut [Child]) {
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let done = std::fs::read_dir(dir)
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .path()
                    .extension()
                    .is_some_and(|x| x == "out")
            })
            .count();
        if done == children.len() {
            return;
        }
        for child in children.iter_mut() {
            if let Some(status) = child.try_wait().unwrap() {
                assert!(status.success(), "a child process failed");
            }
        }
        assert!(
            Instant::now() < deadline,
            "{done} of {} answered",
            children.len()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn three_hosts_of_32_processes_on_an_expired_token_make_one_refresh_on_one_connection_each() {
    let Some(mut server) = support::PrivateRedis::start() else {
        return;
    };
    let socket = server.dir().join("redis.sock");
    server.restart_with(&[
        "--unixsocket",
        socket.to_str().unwrap(),
        "--unixsocketperm",
        "700",
    ]);
    let tcp = server.url();
    let unix = format!("redis+unix://{}?db=0", socket.display());
    let env = TestEnv::start();
    let prefix = unique_prefix();
    // Ada's access token lives 2 s: it has expired when the processes start.
    env.set_settings(|s| s.access_token_ttl_secs = 2);
    let first = {
        let c = OAuthClient::from_config(config(&env.emulator.url(), &tcp, &prefix)).unwrap();
        c.generate_access_token(&env.grant(ADA, SCOPES)).unwrap()
    };
    env.set_settings(|s| s.access_token_ttl_secs = 3600);
    std::thread::sleep(Duration::from_millis(2100));
    // A slow accounts server: the refresh takes 1.5 s, so every process piles up on it.
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        delay_ms: 1500,
        ..FaultSpec::new(FaultKind::Delay)
    });
    let dir = tempfile::tempdir().unwrap();
    let emulator = env.emulator.url();
    let hosts = [
        ("a", tcp.as_str()),
        ("b", unix.as_str()),
        ("c", tcp.as_str()),
    ];
    let mut children = spawn_hosts(&hosts, dir.path(), &emulator, &prefix);
    let processes = children.len();
    let peak = peak_clients(tcp.clone(), dir.path().join("exit"));
    std::fs::write(dir.path().join("go"), b"").unwrap();
    wait_for_outputs(dir.path(), &mut children);
    // Every process answered and now idles: one connection each, plus the observer and
    // the count below.
    let idle = connected_clients(&tcp);
    std::fs::write(dir.path().join("exit"), b"").unwrap();
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    let peak = peak.join().unwrap();
    eprintln!("{processes} processes: {idle} clients idle, {peak} at the peak (1 observer)");
    assert_eq!(idle, processes + 2, "one connection per idle process");
    assert!(
        peak <= processes + 2,
        "one connection per process in the storm: {peak}"
    );
    assert_eq!(env.counter("token.refresh_token"), 1, "exactly one refresh");
    let store = RedisStore::open(&config(&emulator, &tcp, &prefix)).unwrap();
    let fresh = store.get(ADA).unwrap().unwrap().access_token;
    assert_ne!(fresh, first.access_token);
    for (host, _) in hosts {
        for n in 0..PROCESSES_PER_HOST {
            let got = std::fs::read_to_string(dir.path().join(format!("{host}{n}.out"))).unwrap();
            assert_eq!(got, fresh.expose(), "process {host}{n}");
        }
    }
    let lock: Option<String> = raw(&tcp).get(store.lock_key(ADA)).unwrap();
    assert_eq!(lock, None, "the lease was released");
}

#[test]
fn one_process_holds_one_connection_through_grant_refresh_and_lock() {
    let Some(server) = support::PrivateRedis::start() else {
        return;
    };
    let url = server.url();
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let client = OAuthClient::from_config(config(&env.emulator.url(), &url, &prefix)).unwrap();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    client
        .generate_access_token(&env.grant(BOB, SCOPES))
        .unwrap();
    // ADA is stale (refresh_margin_secs 1700 > the token's life after this): a refresh
    // under the lease, a save, and the user lookups all go through one connection.
    client.refresh_user(ADA).unwrap();
    client.get_access_token(BOB).unwrap();
    assert!(env.counter("token.refresh_token") >= 1);
    assert_eq!(
        connected_clients(&url),
        2,
        "this process's one, and the count's own"
    );
}

#[test]
#[ignore = "child process of a_refresher_killed_mid_refresh_holds_nobody_up_past_its_lease"]
fn child_stuck_refresher() {
    let config = config(
        &var("EMULATOR_URL"),
        &var("CHILD_REDIS_URL"),
        &var("CHILD_PREFIX"),
    );
    let client = OAuthClient::from_config(config).unwrap();
    let _ = client.get_access_token(ADA);
}

#[test]
fn a_refresher_killed_mid_refresh_holds_nobody_up_past_its_lease() {
    let Some(url) = support::url() else { return };
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let (first, _) = seed(&env, &url, &prefix);
    let emulator = env.emulator.url();
    // The child's refresh request hangs (the accounts server never answers it).
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        delay_ms: 20_000,
        ..FaultSpec::new(FaultKind::Stall)
    });
    let mut child = spawn_child(
        "child_stuck_refresher",
        &[
            ("EMULATOR_URL", &emulator),
            ("CHILD_REDIS_URL", &url),
            ("CHILD_PREFIX", &prefix),
        ],
    );
    let parent = OAuthClient::from_config(config(&emulator, &url, &prefix)).unwrap();
    let store = RedisStore::open(parent.config()).unwrap();
    let lease = store.lease();
    let lock_key = store.lock_key(ADA);
    let deadline = Instant::now() + Duration::from_secs(20);
    while raw(&url)
        .get::<_, Option<String>>(&lock_key)
        .unwrap()
        .is_none()
        || env.counter("fault.stall") < 1
    {
        assert!(
            Instant::now() < deadline,
            "the child never took the lock and asked"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let killed_at = Instant::now();
    child.kill().unwrap(); // SIGKILL, mid-refresh, holding the lease
    child.wait().unwrap();
    let fresh = parent.get_access_token(ADA).unwrap();
    let waited = killed_at.elapsed();
    assert_ne!(
        fresh, first.access_token,
        "refreshed, not the stale token served"
    );
    assert!(
        waited < lease + Duration::from_secs(2),
        "{waited:?} (lease {lease:?})"
    );
    assert!(
        waited > lease / 2,
        "it waited for the dead holder's lease: {waited:?}"
    );
    assert_eq!(store.get(ADA).unwrap().unwrap().access_token, fresh);
}
