//! Shared set-up for the Redis store's tests: the servers `scripts/redis.sh start` made
//! (found through `ZOHO_TEST_REDIS_*`), private servers a test can stop and restart, and
//! a unique key prefix per test so tests sharing one server never see each other's keys.
//!
//! Without `ZOHO_TEST_REDIS_URL` the tests print why and pass, unless
//! `ZOHO_REQUIRE_REDIS=1`, where they fail.
#![allow(dead_code, unsafe_code, clippy::unwrap_used, missing_docs)]

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use zoho_oauth::store::redis::{RedisSettings, RedisStore};
use zoho_oauth::{Secret, Tokens};

/// The value of `var`, or `None` after printing why the test is skipped.
pub fn env_url(var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let required = std::env::var("ZOHO_REQUIRE_REDIS").is_ok_and(|v| v == "1");
            assert!(
                !required,
                "{var} is not set but ZOHO_REQUIRE_REDIS=1: run eval \"$(scripts/redis.sh start DIR)\" first"
            );
            eprintln!(
                "SKIPPED: {var} is not set (eval \"$(scripts/redis.sh start DIR)\" to run the Redis tests)"
            );
            None
        }
    }
}

/// The plain test server's URL, or `None` (skip).
pub fn url() -> Option<String> {
    env_url("ZOHO_TEST_REDIS_URL")
}

/// A key prefix no other test (or test process) uses.
pub fn unique_prefix() -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let mut random = [0u8; 4];
    getrandom::fill(&mut random).unwrap();
    format!(
        "zt{}-{}-{:02x}{:02x}{:02x}{:02x}:",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst),
        random[0],
        random[1],
        random[2],
        random[3]
    )
}

/// Settings with short bounds, so failure tests finish quickly.
pub fn settings(url: &str, prefix: &str) -> RedisSettings {
    let mut s = RedisSettings::new(url);
    s.key_prefix = prefix.to_string();
    s.timeout = Duration::from_secs(3);
    s.lease = Duration::from_secs(10);
    s
}

pub fn store(url: &str, prefix: &str) -> RedisStore {
    RedisStore::with_settings(settings(url, prefix)).unwrap()
}

/// A raw connection for planting and inspecting keys.
pub fn raw(url: &str) -> redis::Connection {
    redis::Client::open(url)
        .unwrap()
        .get_connection_with_timeout(Duration::from_secs(2))
        .unwrap()
}

pub fn tokens(user: &str, n: i64) -> Tokens {
    let mut t = Tokens::new(
        Some(user.to_string()),
        Secret::new(format!("1000.access.{n}")),
        Some(Secret::new("1000.refresh.r")),
        4_000_000_000_000 + n,
    );
    t.api_domain = Some("https://www.zohoapis.eu".into());
    t.scope = Some("ZohoCRM.modules.ALL".into());
    t.accounts_url = Some("https://accounts.zoho.eu".into());
    t
}

/// A free loopback port (bound, then released).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A redis-server of this test's own, which it may stop and restart; its data survives a
/// restart (append-only file in its directory) unless its arguments say otherwise.
pub struct PrivateRedis {
    pub port: u16,
    dir: tempfile::TempDir,
    child: Option<Child>,
    extra: Vec<String>,
}

impl PrivateRedis {
    /// `None` (skip) when the Redis tests are not set up.
    pub fn start() -> Option<PrivateRedis> {
        PrivateRedis::start_with(&[])
    }

    /// A server started with `extra` arguments after the defaults (later ones win:
    /// `--appendonly no`, `--maxmemory-policy allkeys-lru`, `--cluster-enabled yes`, ...).
    pub fn start_with(extra: &[&str]) -> Option<PrivateRedis> {
        url()?;
        let mut server = PrivateRedis {
            port: free_port(),
            dir: tempfile::tempdir().unwrap(),
            child: None,
            extra: extra.iter().map(|a| a.to_string()).collect(),
        };
        server.run();
        Some(server)
    }

    /// Stops the server and starts it again with `extra` arguments instead.
    pub fn restart_with(&mut self, extra: &[&str]) {
        self.kill();
        self.extra = extra.iter().map(|a| a.to_string()).collect();
        self.run();
    }

    /// The server's process id.
    pub fn pid(&self) -> i32 {
        self.child.as_ref().map(|c| c.id() as i32).unwrap()
    }

    /// Stops the server's process (SIGSTOP) until the returned guard is dropped (SIGCONT),
    /// on every exit path, a failed assertion included.
    pub fn freeze(&self) -> Frozen {
        let pid = self.pid();
        // SAFETY: signalling our own child process.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
        Frozen { pid }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn dir(&self) -> &Path {
        self.dir.path()
    }

    fn binary() -> PathBuf {
        std::env::var_os("ZOHO_TEST_REDIS_SERVER")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("redis-server"))
    }

    /// Starts the server (again) on its port and waits until it answers.
    pub fn run(&mut self) {
        let port = self.port.to_string();
        let child = Command::new(Self::binary())
            .args(["--port", &port, "--bind", "127.0.0.1", "--save", ""])
            .args(["--appendonly", "yes", "--appendfsync", "always"])
            .arg("--dir")
            .arg(self.dir.path())
            .args(&self.extra)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let ping = redis::Client::open(self.url())
                .unwrap()
                .get_connection_with_timeout(Duration::from_millis(200))
                .and_then(|mut c| redis::cmd("PING").query::<String>(&mut c));
            // Up: it answers (a server with a password answers NOAUTH).
            if ping.is_ok() || ping.is_err_and(|e| e.code() == Some("NOAUTH")) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "private redis-server did not start"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// Stops the server (SIGKILL) and waits for it to exit.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for PrivateRedis {
    fn drop(&mut self) {
        self.kill();
    }
}

/// A stopped redis-server; dropping this resumes it.
pub struct Frozen {
    pid: i32,
}

impl Drop for Frozen {
    fn drop(&mut self) {
        // SAFETY: signalling our own child process.
        unsafe { libc::kill(self.pid, libc::SIGCONT) };
    }
}

/// How many times the server at `url` ran `command` (`INFO commandstats`; 0 before the
/// first; the INFO asking counts later).
pub fn command_calls(url: &str, command: &str) -> u64 {
    let stats: String = redis::cmd("INFO")
        .arg("commandstats")
        .query(&mut raw(url))
        .unwrap();
    let prefix = format!("cmdstat_{command}:calls=");
    stats
        .lines()
        .find_map(|l| l.strip_prefix(prefix.as_str()))
        .and_then(|rest| rest.split(',').next()?.parse().ok())
        .unwrap_or(0)
}

/// A value of `INFO` (`name:value` lines) from the server at `url`.
pub fn info_field(url: &str, section: &str, name: &str) -> String {
    let info: String = redis::cmd("INFO")
        .arg(section)
        .query(&mut raw(url))
        .unwrap();
    info.lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(':'))
        .unwrap_or_else(|| panic!("{name} not in INFO {section}"))
        .trim()
        .to_string()
}
