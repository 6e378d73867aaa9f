//! Shared set-up for the fleet tests that run the same scenario on every store: the token
//! file (SDK format), the SDK's CSV file, and, when their servers are there
//! (`ZOHO_TEST_MYSQL_URL`, `ZOHO_TEST_REDIS_URL`), MySQL and Redis. Child processes are the
//! test binary re-run with one ignored `child_*` test selected; their configuration travels
//! in `CHILD_PAIRS` (one `key=value` a line), and they write what they saw into `CHILD_OUT`.
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use zoho_oauth::{Config, OAuthClient, TokenStore};

use crate::common::{CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, TestEnv};
use crate::{mysql_support, redis_support};

/// A store a scenario runs on, with the configuration keys that select it.
pub struct StoreUnderTest {
    /// A name for messages.
    pub label: &'static str,
    /// The keys that select the store (`token_persistence_path`, `token_store`, ...).
    pub keys: Vec<(String, String)>,
    /// Keeps the token directory alive.
    _dir: Option<tempfile::TempDir>,
}

impl StoreUnderTest {
    /// The configuration for `env`'s emulator on this store, plus `extra` keys.
    pub fn config(&self, env: &TestEnv, extra: &[(&str, &str)]) -> Config {
        Config::from_pairs(self.pairs(env, extra)).unwrap()
    }

    /// The configuration keys, as a child gets them.
    pub fn pairs(&self, env: &TestEnv, extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("client_id".to_string(), CLIENT_ID.to_string()),
            ("client_secret".to_string(), CLIENT_SECRET.to_string()),
            ("redirect_uri".to_string(), REDIRECT_URI.to_string()),
            ("accounts_url".to_string(), env.emulator.url()),
            ("connect_timeout_secs".to_string(), "2".to_string()),
            ("timeout_secs".to_string(), "10".to_string()),
        ];
        pairs.extend(self.keys.iter().cloned());
        pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        pairs
    }

    /// A client of `env`'s emulator on this store.
    pub fn client(&self, env: &TestEnv, extra: &[(&str, &str)]) -> OAuthClient {
        OAuthClient::from_config(self.config(env, extra)).unwrap()
    }
}

fn keys(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Every store this machine can run the scenario on: the two token files always, MySQL and
/// Redis when their test servers are set.
pub fn stores() -> Vec<StoreUnderTest> {
    let file = tempfile::tempdir().unwrap();
    let csv = tempfile::tempdir().unwrap();
    let csv_path = csv.path().join("sdk_tokens.txt").display().to_string();
    let mut all = vec![
        StoreUnderTest {
            label: "token file",
            keys: keys(&[("token_persistence_path", &file.path().display().to_string())]),
            _dir: Some(file),
        },
        StoreUnderTest {
            label: "SDK CSV file",
            keys: keys(&[("token_persistence_path", &csv_path)]),
            _dir: Some(csv),
        },
    ];
    if let Some(url) = mysql_support::server_url() {
        let table = mysql_support::sdk_table(&url, "fleet", None);
        all.push(StoreUnderTest {
            label: "MySQL",
            keys: mysql_support::keys(&url, &table),
            _dir: None,
        });
    }
    if let Some(url) = redis_support::url() {
        let prefix = redis_support::unique_prefix();
        all.push(StoreUnderTest {
            label: "Redis",
            keys: keys(&[
                ("token_store", "redis"),
                ("redis_url", &url),
                ("redis_key_prefix", &prefix),
            ]),
            _dir: None,
        });
    }
    all
}

/// Runs the ignored test `test` of this binary as a child, with `pairs` as its
/// configuration, writing into `out`, and `extra` environment variables.
pub fn spawn_child(
    test: &str,
    pairs: &[(String, String)],
    out: &Path,
    extra: &[(&str, String)],
) -> Child {
    let lines: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--ignored", "--exact", test, "--test-threads=1", "--quiet"])
        .env("CHILD_PAIRS", lines.join("\n"))
        .env("CHILD_OUT", out)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, value) in extra {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

/// In a child: its configuration and the file to write into.
pub fn child_config() -> (Config, PathBuf) {
    let pairs = std::env::var("CHILD_PAIRS").expect("run by the parent test");
    let pairs: Vec<(String, String)> = pairs
        .lines()
        .filter_map(|line| line.split_once('='))
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let out = PathBuf::from(std::env::var("CHILD_OUT").unwrap());
    (Config::from_pairs(pairs).unwrap(), out)
}

/// Milliseconds since the epoch (wall clock, comparable between processes).
pub fn epoch_ms() -> i64 {
    zoho_oauth::clock::system_now_ms()
}

/// Waits until `ready` holds, at most `limit`.
pub fn wait_until(what: &str, limit: Duration, mut ready: impl FnMut() -> bool) {
    let deadline = Instant::now() + limit;
    while !ready() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Waits for `child` at most `limit`; kills it and fails when it takes longer.
pub fn wait_child(child: &mut Child, what: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.success();
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A child that is killed (SIGKILL works on a stopped one too) if the test ends before it.
pub struct KilledOnDrop(pub Child);

impl Drop for KilledOnDrop {
    fn drop(&mut self) {
        if matches!(self.0.try_wait(), Ok(None)) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// Sends `signal` (`STOP`, `CONT`) to `child`.
pub fn signal(child: &Child, signal: &str) {
    let status = Command::new("kill")
        .arg(format!("-{signal}"))
        .arg(child.id().to_string())
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal}");
}

/// Stores `user`'s tokens again with their access token expiring `in_ms` from now (negative:
/// expired), keeping the refresh token.
pub fn set_expiry(store: &dyn TokenStore, user: &str, in_ms: i64) {
    let mut tokens = store.get(user).unwrap().expect("stored");
    tokens.expiry_time_ms = epoch_ms() + in_ms;
    store.save(&tokens).unwrap();
}
