//! Shared set-up for the MySQL tests: the throwaway server from `scripts/mariadb.sh`
//! (`ZOHO_TEST_MYSQL_URL`), a fresh table per test, and an admin connection.
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, Opts};
use zoho_oauth::store::mysql::{Bounds, MysqlSettings, MysqlStore};

/// The test server's URL, or `None` (with a message) when the tests should skip. With
/// `ZOHO_REQUIRE_MYSQL=1` a missing server fails the test instead.
pub fn server_url() -> Option<String> {
    match std::env::var("ZOHO_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("ZOHO_REQUIRE_MYSQL").as_deref() != Ok("1"),
                "ZOHO_REQUIRE_MYSQL=1 but ZOHO_TEST_MYSQL_URL is not set; run: eval \"$(scripts/mariadb.sh start /tmp/zoho-mariadb)\""
            );
            eprintln!(
                "skipped: ZOHO_TEST_MYSQL_URL is not set (eval \"$(scripts/mariadb.sh start DIR)\" to run the MySQL tests)"
            );
            None
        }
    }
}

/// An admin connection (root, no default database) to `url`'s server.
pub fn admin(url: &str) -> Conn {
    let opts = Opts::from_url(url).expect("test URL");
    let opts = mysql::OptsBuilder::from_opts(opts)
        .db_name(None::<String>)
        .prefer_socket(false);
    Conn::new(opts).expect("admin connection")
}

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A table name no other test (or test process) uses.
pub fn unique_table(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    )
}

/// A fresh table in `zohooauth` with the SDK's documented layout (varchar(100), no key),
/// or with `columns` when given.
pub fn sdk_table(url: &str, prefix: &str, columns: Option<&str>) -> String {
    let table = unique_table(prefix);
    let columns = columns.unwrap_or(
        "useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint",
    );
    let mut conn = admin(url);
    conn.query_drop("CREATE DATABASE IF NOT EXISTS zohooauth")
        .unwrap();
    conn.query_drop(format!("CREATE TABLE zohooauth.`{table}` ({columns})"))
        .unwrap();
    table
}

/// The store keys for `url` and `table`.
pub fn keys(url: &str, table: &str) -> Vec<(String, String)> {
    vec![
        ("token_store".into(), "mysql".into()),
        ("mysql_url".into(), url.into()),
        ("mysql_table".into(), table.into()),
    ]
}

/// Settings for `url` and `table` with short timeouts.
pub fn settings(url: &str, table: &str) -> MysqlSettings {
    settings_from(
        &keys(url, table),
        Duration::from_secs(5),
        Duration::from_secs(10),
    )
    .expect("settings")
}

/// Settings from store key pairs, with the given bounds.
pub fn settings_from<K: AsRef<str>, V: AsRef<str>>(
    pairs: &[(K, V)],
    call: Duration,
    lease: Duration,
) -> zoho_oauth::Result<MysqlSettings> {
    MysqlSettings::from_keys(
        |k| {
            pairs
                .iter()
                .find(|(key, _)| key.as_ref() == k)
                .map(|(_, v)| v.as_ref())
        },
        Bounds { call, lease },
    )
}

/// A client of the accounts server at `accounts_url` whose tokens live in `table`;
/// `identity` is the client's ID, secret and redirect URI.
pub fn client(
    identity: (&str, &str, &str),
    accounts_url: String,
    url: &str,
    table: &str,
) -> zoho_oauth::OAuthClient {
    let (client_id, client_secret, redirect_uri) = identity;
    let mut pairs = vec![
        ("client_id".to_string(), client_id.to_string()),
        ("client_secret".into(), client_secret.into()),
        ("redirect_uri".into(), redirect_uri.into()),
        ("accounts_url".into(), accounts_url),
    ];
    pairs.extend(keys(url, table));
    let config = zoho_oauth::Config::from_pairs(pairs).expect("a configuration");
    zoho_oauth::OAuthClient::from_config(config).expect("a client")
}

/// A store on `table`.
pub fn store(url: &str, table: &str) -> MysqlStore {
    MysqlStore::with_settings(settings(url, table))
}

/// The rows of `table` as the SDK's `SELECT *` sees them, in table order.
pub fn rows(url: &str, table: &str) -> Vec<(String, String, String, i64)> {
    admin(url)
        .query(format!(
            "SELECT useridentifier, accesstoken, refreshtoken, expirytime FROM zohooauth.`{table}`"
        ))
        .unwrap()
}

/// The repository root (for scripts): the workspace's directory, the one with `Cargo.lock`
/// (this file serves the tests of the core and of its door crates).
pub fn repo() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .ancestors()
        .find(|dir| dir.join("Cargo.lock").is_file())
        .unwrap_or(manifest)
        .to_path_buf()
}

/// A throwaway server of the test's own (for restarts and kills), started by
/// `scripts/mariadb.sh` in `dir`; returns its URL.
pub fn own_server(dir: &Path, port: Option<u16>) -> String {
    own_server_with(dir, port, "")
}

/// [`own_server`] with extra server options (`MARIADB_EXTRA_ARGS`, e.g.
/// `--max-connections=151` or `--character-set-server=latin1`).
pub fn own_server_with(dir: &Path, port: Option<u16>, extra: &str) -> String {
    let mut cmd = Command::new("bash");
    cmd.arg(repo().join("scripts/mariadb.sh"))
        .arg("start")
        .arg(dir)
        .env("MARIADB_EXTRA_ARGS", extra);
    if let Some(port) = port {
        cmd.arg(port.to_string());
    }
    let out = cmd.output().expect("mariadb.sh runs");
    assert!(
        out.status.success(),
        "mariadb.sh start failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    text.trim()
        .rsplit('=')
        .next()
        .expect("export line")
        .to_string()
}

/// Stops and removes a server made by [`own_server`].
pub fn stop_server(dir: &Path) {
    let _ = Command::new("bash")
        .arg(repo().join("scripts/mariadb.sh"))
        .arg("stop")
        .arg(dir)
        .status();
}

/// Kills a server made by [`own_server`] with SIGKILL (a crash), keeping its data.
pub fn crash_server(dir: &Path) {
    let pid = std::fs::read_to_string(dir.join("pid")).expect("pid file");
    let status = Command::new("kill")
        .args(["-KILL", pid.trim()])
        .status()
        .expect("kill");
    assert!(status.success());
    let pid: i32 = pid.trim().parse().expect("pid");
    for _ in 0..200 {
        if !Path::new(&format!("/proc/{pid}")).exists() {
            return;
        }
        std::thread::sleep(Duration::from_millis(25));
    }
    panic!("mariadbd {pid} did not die");
}

/// A server of the test's own, stopped (and removed) when dropped.
pub struct OwnServer {
    pub dir: PathBuf,
    pub url: String,
    _parent: tempfile::TempDir,
}

impl OwnServer {
    /// Starts one with `extra` server options.
    pub fn start(extra: &str) -> OwnServer {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("db");
        let url = own_server_with(&dir, None, extra);
        OwnServer {
            dir,
            url,
            _parent: parent,
        }
    }

    /// The server process's id.
    pub fn pid(&self) -> i32 {
        std::fs::read_to_string(self.dir.join("pid"))
            .unwrap()
            .trim()
            .parse()
            .unwrap()
    }

    /// Pauses the server (SIGSTOP) until the guard is dropped (SIGCONT), panics included.
    pub fn pause(&self) -> Paused {
        let pid = self.pid();
        // SAFETY: signals the test's own server process.
        assert_eq!(unsafe { libc::kill(pid, libc::SIGSTOP) }, 0);
        Paused(pid)
    }
}

impl Drop for OwnServer {
    fn drop(&mut self) {
        stop_server(&self.dir);
    }
}

/// A process stopped with SIGSTOP; continued (SIGCONT) when dropped, on every exit path.
pub struct Paused(pub i32);

impl Drop for Paused {
    fn drop(&mut self) {
        // SAFETY: signals a process this test stopped.
        unsafe { libc::kill(self.0, libc::SIGCONT) };
    }
}

/// A user of its own on `url`'s server (so its connections can be counted), with `grants`
/// on `zohooauth.*` and no password; dropped with the server or by [`drop_user`].
pub fn user_with(url: &str, prefix: &str, grants: &str) -> String {
    let user = unique_table(prefix);
    let mut conn = admin(url);
    conn.query_drop(format!("CREATE USER '{user}'@'127.0.0.1'"))
        .unwrap();
    conn.query_drop(format!(
        "GRANT {grants} ON zohooauth.* TO '{user}'@'127.0.0.1'"
    ))
    .unwrap();
    user
}

/// Drops a user made by [`user_with`].
pub fn drop_user(url: &str, user: &str) {
    let _ = admin(url).query_drop(format!("DROP USER '{user}'@'127.0.0.1'"));
}

/// `url` with the user `user` (no password) instead of root.
pub fn url_as(url: &str, user: &str) -> String {
    url.replacen("root@", &format!("{user}@"), 1)
}

/// The ids of the connections `user` has open on `url`'s server.
pub fn connections_of(url: &str, user: &str) -> Vec<u64> {
    admin(url)
        .exec(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE USER = ? ORDER BY ID",
            (user,),
        )
        .unwrap()
}

/// Waits (at most 5 s) until `user` has `n` connections open; returns how many it has.
pub fn settle_connections(url: &str, user: &str, n: usize) -> usize {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let open = connections_of(url, user).len();
        if open == n || std::time::Instant::now() > deadline {
            return open;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Settings for `url` and `table` with the given bounds.
pub fn settings_with(url: &str, table: &str, call: Duration, lease: Duration) -> MysqlSettings {
    let mut s = settings(url, table);
    s.bounds = Bounds { call, lease };
    s
}

/// This test binary re-run with the ignored test `test` selected, as a child process with
/// `CHILD_DIR`, `CHILD_ID` and `vars` in its environment.
pub fn spawn_child(
    test: &str,
    dir: &Path,
    id: usize,
    vars: &[(&str, String)],
) -> std::process::Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--ignored", "--exact", test, "--test-threads=1", "--quiet"])
        .env("CHILD_DIR", dir)
        .env("CHILD_ID", id.to_string())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::inherit());
    for (key, value) in vars {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

/// Waits until `path` exists, at most `limit`; whether it does.
pub fn wait_for(path: &Path, limit: Duration) -> bool {
    let deadline = std::time::Instant::now() + limit;
    while !path.exists() {
        if std::time::Instant::now() > deadline {
            return false;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    true
}
