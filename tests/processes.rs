//! Many real processes on one token file: no lost update, one refresh per expiry, and no
//! broken file when a writer is killed. Child processes are this test binary re-run with
//! one ignored `child_*` test selected and its instructions in environment variables.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use zoho_oauth::store::php_format;
use zoho_oauth::{Config, FileStore, OAuthClient, Secret, StoreFormat, TokenStore, Tokens};

const PROCESSES: usize = 32;
/// Each save rewrites the whole file (it grows to 1,600 entries): enough contention to lose an
/// update if the write lock failed, without a child starving for the lock on a loaded machine
/// (flock is not fair; at 100 saves each, one waited past its 60 s bound under a load of 12).
const SAVES_PER_PROCESS: usize = 50;

fn spawn_child(test: &str, dir: &Path, id: usize, extra: &[(&str, String)]) -> Child {
    let mut command = Command::new(std::env::current_exe().unwrap());
    command
        .args(["--ignored", "--exact", test, "--test-threads=1", "--quiet"])
        .env("CHILD_DIR", dir)
        .env("CHILD_ID", id.to_string())
        .stdout(Stdio::null())
        .stderr(Stdio::inherit());
    for (key, value) in extra {
        command.env(key, value);
    }
    command.spawn().unwrap()
}

fn child_env() -> (PathBuf, usize) {
    let dir = PathBuf::from(std::env::var("CHILD_DIR").expect("run by the parent test"));
    let id = std::env::var("CHILD_ID").unwrap().parse().unwrap();
    (dir, id)
}

/// Children start together, when the parent creates `go`.
fn wait_for_go(dir: &Path) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !dir.join("go").exists() {
        assert!(Instant::now() < deadline, "no go signal");
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn wait_all(children: Vec<Child>) {
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
}

fn tokens_for(user: &str, n: usize) -> Tokens {
    Tokens::new(
        Some(user.to_string()),
        Secret::new(format!("1000.access-{user}-{n}")),
        Some(Secret::new(format!("1000.refresh-{user}"))),
        4_000_000_000_000 + n as i64,
    )
}

#[test]
#[ignore = "child process of saves_from_32_processes_lose_nothing"]
fn child_saver() {
    let (dir, id) = child_env();
    let store = FileStore::in_directory(&dir, StoreFormat::PhpSdk).unwrap();
    wait_for_go(&dir);
    for n in 0..SAVES_PER_PROCESS {
        store
            .save(&tokens_for(&format!("p{id}-u{n}@example.com"), n))
            .unwrap();
    }
}

#[test]
fn saves_from_32_processes_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let children: Vec<Child> = (0..PROCESSES)
        .map(|id| spawn_child("child_saver", dir.path(), id, &[]))
        .collect();
    std::fs::write(dir.path().join("go"), b"").unwrap();
    wait_all(children);
    let bytes = std::fs::read(dir.path().join("zcrm_oauthtokens.txt")).unwrap();
    let stored = php_format::decode(&bytes).unwrap();
    assert_eq!(stored.len(), PROCESSES * SAVES_PER_PROCESS);
    for id in 0..PROCESSES {
        for n in 0..SAVES_PER_PROCESS {
            let user = format!("p{id}-u{n}@example.com");
            let found = stored.iter().find(|t| t.user.as_deref() == Some(&user));
            assert_eq!(found, Some(&tokens_for(&user, n)), "{user}");
        }
    }
}

#[test]
#[ignore = "child process of the one-refresh tests"]
fn child_getter() {
    let (dir, id) = child_env();
    let url = std::env::var("EMULATOR_URL").unwrap();
    let config = Config::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        .with_accounts_url(url)
        .with_token_persistence_path(&dir)
        .with_refresh_margin(Duration::from_secs(1700));
    let client = OAuthClient::from_config(config).unwrap();
    wait_for_go(&dir);
    let token = client.get_access_token(ADA).unwrap();
    std::fs::write(dir.join(format!("child-{id}.out")), token.expose()).unwrap();
}

/// Starts 32 getters at once on `env`'s token file; returns what each got.
fn run_getters(env: &TestEnv) -> Vec<String> {
    let url = ("EMULATOR_URL", env.emulator.url());
    let children: Vec<Child> = (0..PROCESSES)
        .map(|id| {
            spawn_child(
                "child_getter",
                env.dir.path(),
                id,
                std::slice::from_ref(&url),
            )
        })
        .collect();
    std::fs::write(env.dir.path().join("go"), b"").unwrap();
    wait_all(children);
    (0..PROCESSES)
        .map(|id| std::fs::read_to_string(env.dir.path().join(format!("child-{id}.out"))).unwrap())
        .collect()
}

fn stored_access_token(env: &TestEnv) -> Secret {
    let stored = FileStore::in_directory(env.dir.path(), StoreFormat::PhpSdk).unwrap();
    stored.get(ADA).unwrap().unwrap().access_token
}

#[test]
fn one_refresh_for_32_processes_with_an_expired_token() {
    let env = TestEnv::start();
    let first = env
        .client()
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let store = FileStore::in_directory(env.dir.path(), StoreFormat::PhpSdk).unwrap();
    let mut expired = first.clone();
    expired.expiry_time_ms = zoho_oauth::clock::system_now_ms() - 1_000;
    store.save(&expired).unwrap();
    let got = run_getters(&env);
    assert_eq!(env.counter("token.refresh_token"), 1, "exactly one refresh");
    let fresh = stored_access_token(&env);
    assert_ne!(fresh, first.access_token);
    for (id, token) in got.iter().enumerate() {
        assert_eq!(
            token,
            fresh.expose(),
            "child {id} waited for the fresh token"
        );
    }
}

#[test]
fn one_refresh_for_32_processes_with_a_stale_but_working_token() {
    let env = TestEnv::start();
    // The first token lives 1000 s: stale (though still valid) for children that refresh
    // 1700 s early. Nobody waits for the refresh: each child gets the old or the new token.
    env.set_settings(|s| s.access_token_ttl_secs = 1000);
    let first = env
        .client()
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    env.set_settings(|s| s.access_token_ttl_secs = 3600);
    let got = run_getters(&env);
    assert_eq!(env.counter("token.refresh_token"), 1, "exactly one refresh");
    let fresh = stored_access_token(&env);
    assert_ne!(fresh, first.access_token);
    for (id, token) in got.iter().enumerate() {
        assert!(
            token == fresh.expose() || token == first.access_token.expose(),
            "child {id} got a working token"
        );
    }
}

#[test]
#[ignore = "child process of a_writer_killed_mid_save_never_breaks_the_file"]
fn child_endless_saver() {
    let (dir, id) = child_env();
    let store = FileStore::in_directory(&dir, StoreFormat::PhpSdk).unwrap();
    for n in 0.. {
        store
            .save(&tokens_for(&format!("k{id}-u{n}@example.com"), n))
            .unwrap();
    }
}

#[test]
fn a_writer_killed_mid_save_never_breaks_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("zcrm_oauthtokens.txt");
    let mut seen = 0;
    for round in 0..12 {
        let mut child = spawn_child("child_endless_saver", dir.path(), round, &[]);
        std::thread::sleep(Duration::from_millis(60 + 37 * round as u64 % 150));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        let bytes = std::fs::read(&file).unwrap_or_default();
        let stored = php_format::decode(&bytes).expect("the file always parses");
        assert!(stored.len() >= seen, "entries were lost");
        seen = stored.len();
    }
    assert!(seen > 0, "the children saved something");
    // A leftover temporary file does not stop the next writer.
    let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    store.save(&tokens_for("after@example.com", 1)).unwrap();
    assert_eq!(store.list().unwrap().len(), seen + 1);
}
