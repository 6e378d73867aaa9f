//! The client on the MySQL store against the accounts emulator and a real MariaDB: seed 000's
//! configuration with the SDK's defaults, the fleet cache bound, single flight across 64
//! processes, a lock holder killed mid-refresh, and a server restart mid-run.
//! Child processes are this test binary re-run with one ignored `child_*` test selected.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv, advance};
use mysql::prelude::Queryable;
use support::{admin, rows, sdk_table, server_url, spawn_child, wait_for};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::{Config, ErrorKind, OAuthClient, TokenStore};

/// Seed 000's configuration (plus `accounts_url` for the emulator) and `extra` keys.
fn config(env: &TestEnv, extra: &[(String, String)]) -> Config {
    let mut pairs: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT_ID.into()),
        ("client_secret".into(), CLIENT_SECRET.into()),
        ("redirect_uri".into(), REDIRECT_URI.into()),
        ("currentUserEmail".into(), ADA.into()),
        ("accounts_url".into(), env.emulator.url()),
    ];
    pairs.extend(extra.iter().cloned());
    // Seed 000 is PHP: its door asks for the SDK's MySQL store when no store is named (the
    // Rust API and the other doors guess none).
    Config::from_pairs(pairs)
        .unwrap()
        .or_store_kind(zoho_oauth::config::StoreKind::named("mysql"))
}

fn pair(key: &str, value: impl Into<String>) -> (String, String) {
    (key.to_string(), value.into())
}

/// Stops a test's own server when dropped.
struct OwnServer(PathBuf);

impl Drop for OwnServer {
    fn drop(&mut self) {
        support::stop_server(&self.0);
    }
}

#[test]
fn seed_000_as_written_uses_mariadb_on_localhost_3306_in_the_sdk_layout() {
    if std::net::TcpListener::bind("127.0.0.1:3306").is_err() {
        eprintln!(
            "skipped: 127.0.0.1:3306 is taken, so the SDK-default case cannot start its own server there"
        );
        return;
    }
    if server_url().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = OwnServer(dir.path().join("db"));
    let url = support::own_server(&server.0, Some(3306));
    admin(&url)
        .query_drop("CREATE TABLE zohooauth.oauthtokens(useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)")
        .unwrap();
    let env = TestEnv::start();
    let client = env.client_for(config(&env, &[]));
    assert!(client.store().describe().contains("localhost:3306"));
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let stored: Vec<mysql::Row> = admin(&url)
        .query("SELECT * FROM zohooauth.oauthtokens")
        .unwrap();
    assert_eq!(stored.len(), 1);
    let row = &stored[0];
    assert_eq!(row.columns_ref().len(), 4);
    let (user, access, refresh, expiry): (String, String, String, i64) =
        mysql::from_row(row.clone());
    assert_eq!(user, ADA);
    assert_eq!(access, tokens.access_token.expose());
    assert_eq!(refresh, tokens.refresh_token.as_ref().unwrap().expose());
    assert_eq!(expiry, tokens.expiry_time_ms);

    assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    advance(&env.clock, 3600);
    let fresh = client.get_access_token(ADA).unwrap();
    assert_ne!(fresh, tokens.access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);
    let after = rows(&url, "oauthtokens");
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].1, fresh.expose());
}

#[test]
fn another_machines_change_is_seen_within_store_recheck_and_not_before() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "recheck", None);
    let env = TestEnv::start();
    let mut keys = support::keys(&url, &table);
    keys.push(pair("store_recheck_ms", "400"));
    let here = env.client_for(config(&env, &keys));
    let there = env.client_for(config(&env, &keys));
    let tokens = here.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    assert_eq!(there.get_access_token(ADA).unwrap(), tokens.access_token);

    // A delete on one machine: the other serves its cached token for at most the bound.
    assert!(here.delete_tokens(ADA).unwrap());
    assert_eq!(
        there.get_access_token(ADA).unwrap(),
        tokens.access_token,
        "served from memory within store_recheck_ms, without a database read"
    );
    std::thread::sleep(Duration::from_millis(450));
    let e = there.get_access_token(ADA).expect_err("deleted elsewhere");
    assert_eq!(e.kind(), ErrorKind::NoTokens);

    // store_recheck_ms=0: every call asks the database.
    let mut keys = support::keys(&url, &table);
    keys.push(pair("store_recheck_ms", "0"));
    let here = env.client_for(config(&env, &keys));
    let there = env.client_for(config(&env, &keys));
    here.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    there.get_access_token(ADA).unwrap();
    here.delete_tokens(ADA).unwrap();
    assert_eq!(
        there.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}

const HOSTS: usize = 2;
const PER_HOST: usize = 32;

fn child_config() -> (PathBuf, usize, Config) {
    let dir = PathBuf::from(std::env::var("CHILD_DIR").expect("run by the parent test"));
    let id = std::env::var("CHILD_ID").unwrap().parse().unwrap();
    let var = |k: &str| std::env::var(k).unwrap();
    let config = Config::from_pairs([
        ("client_id", CLIENT_ID.to_string()),
        ("client_secret", CLIENT_SECRET.to_string()),
        ("redirect_uri", REDIRECT_URI.to_string()),
        ("accounts_url", var("EMULATOR_URL")),
        ("token_store", "mysql".to_string()),
        ("mysql_url", var("MYSQL_URL")),
        ("mysql_table", var("MYSQL_TABLE")),
        ("refresh_margin_secs", "1700".to_string()),
        ("lock_timeout_secs", var("LOCK_TIMEOUT")),
    ])
    .unwrap();
    (dir, id, config)
}

#[test]
#[ignore = "child process of one_refresh_for_two_hosts_of_32_processes"]
fn child_getter() {
    let (dir, id, config) = child_config();
    let client = OAuthClient::from_config(config).unwrap();
    assert!(wait_for(&dir.join("go"), Duration::from_secs(120)));
    let token = client.get_access_token(ADA).unwrap();
    std::fs::write(dir.join(format!("child-{id}.out")), token.expose()).unwrap();
}

/// A first token that lives 1000 s: stale (though still valid) for children that refresh
/// 1700 s early. Returns the env, the table, the first access token and the child settings.
fn stale_token_setup(
    url: &str,
    prefix: &str,
) -> (TestEnv, String, String, Vec<(&'static str, String)>) {
    let table = sdk_table(url, prefix, None);
    let env = TestEnv::start();
    env.set_settings(|s| s.access_token_ttl_secs = 1000);
    let client = env.client_for(config(&env, &support::keys(url, &table)));
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    env.set_settings(|s| s.access_token_ttl_secs = 3600);
    let vars = vec![
        ("EMULATOR_URL", env.emulator.url()),
        ("MYSQL_URL", url.to_string()),
        ("MYSQL_TABLE", table.clone()),
        ("LOCK_TIMEOUT", "30".to_string()),
    ];
    (env, table, first.access_token.expose().to_string(), vars)
}

#[test]
fn one_refresh_for_two_hosts_of_32_processes() {
    let Some(url) = server_url() else { return };
    let (env, table, first, vars) = stale_token_setup(&url, "fleet");
    let mut conn = admin(&url);
    conn.query_drop(format!(
        "INSERT INTO zohooauth.`{table}` VALUES ('bob@example.com','1000.bob','1000.rbob',42)"
    ))
    .unwrap();
    // Expired, so every process waits for the one refresh (a token that still works is
    // served at once instead: tests/stale_while_revalidate.rs).
    conn.query_drop(format!(
        "UPDATE zohooauth.`{table}` SET expirytime = 1000 WHERE useridentifier = '{ADA}'"
    ))
    .unwrap();
    // A slow accounts server: the refresh takes 800 ms while 63 processes wait.
    env.emulator.inject_fault(FaultSpec {
        delay_ms: 800,
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Delay)
    });
    let dirs: Vec<tempfile::TempDir> = (0..HOSTS).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut children = Vec::new();
    for dir in &dirs {
        for id in 0..PER_HOST {
            children.push(spawn_child("child_getter", dir.path(), id, &vars));
        }
    }
    for dir in &dirs {
        std::fs::write(dir.path().join("go"), b"").unwrap();
    }
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    assert_eq!(
        env.counter("token.refresh_token"),
        1,
        "exactly one refresh for the fleet"
    );
    let all = rows(&url, &table);
    let ada: Vec<_> = all.iter().filter(|r| r.0 == ADA).collect();
    assert_eq!(ada.len(), 1);
    assert_ne!(ada[0].1, first);
    for dir in &dirs {
        for id in 0..PER_HOST {
            let got = std::fs::read_to_string(dir.path().join(format!("child-{id}.out"))).unwrap();
            assert_eq!(got, ada[0].1, "child {id}");
        }
    }
    let bob: Vec<_> = all.iter().filter(|r| r.0 == "bob@example.com").collect();
    assert_eq!(
        bob,
        [&(
            "bob@example.com".to_string(),
            "1000.bob".to_string(),
            "1000.rbob".to_string(),
            42
        )]
    );
}

#[test]
#[ignore = "child process of a_lock_holder_killed_mid_refresh_blocks_no_one"]
fn child_stuck_refresher() {
    let (dir, _, config) = child_config();
    let client = OAuthClient::from_config(config).unwrap();
    std::fs::write(dir.join("started"), b"").unwrap();
    // The accounts server stalls this refresh; the parent kills us meanwhile.
    let _ = client.get_access_token(ADA);
}

#[test]
fn a_lock_holder_killed_mid_refresh_blocks_no_one() {
    let Some(url) = server_url() else { return };
    let (env, table, first, vars) = stale_token_setup(&url, "killed");
    env.emulator.inject_fault(FaultSpec {
        delay_ms: 60_000,
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Stall)
    });
    let dir = tempfile::tempdir().unwrap();
    let requests_before = env.requests();
    let mut child = spawn_child("child_stuck_refresher", dir.path(), 0, &vars);
    assert!(wait_for(
        &dir.path().join("started"),
        Duration::from_secs(30)
    ));
    let name = format!("zoho_oauth:zohooauth.{table}:{ADA}");
    let mut conn = admin(&url);
    let deadline = Instant::now() + Duration::from_secs(30);
    // Kill it once it holds the lock and its refresh request is stuck at the server.
    loop {
        let holder: Option<Option<u64>> =
            conn.exec_first("SELECT IS_USED_LOCK(?)", (&name,)).unwrap();
        if holder.flatten().is_some() && env.requests() > requests_before {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the child never got stuck in a refresh"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let started = Instant::now();
    let mut keys = support::keys(&url, &table);
    keys.push(pair("refresh_margin_secs", "1700"));
    keys.push(pair("lock_timeout_secs", "10"));
    let client = OAuthClient::from_config(config(&env, &keys)).unwrap();
    let fresh = client.get_access_token(ADA).unwrap();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_ne!(
        fresh.expose(),
        first,
        "refreshed by the next process, not blocked"
    );
    assert_eq!(rows(&url, &table)[0].1, fresh.expose());
}

#[test]
fn a_server_restart_mid_run_fails_clearly_then_works_and_loses_nothing() {
    if server_url().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let server = OwnServer(dir.path().join("db"));
    let url = support::own_server(&server.0, None);
    let port: u16 = url
        .rsplit(':')
        .next()
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let table = sdk_table(&url, "restart", None);
    let env = TestEnv::start();
    let mut keys = support::keys(&url, &table);
    keys.push(pair("store_recheck_ms", "0"));
    keys.push(pair("connect_timeout_secs", "1"));
    keys.push(pair("timeout_secs", "2"));
    let client = env.client_for(config(&env, &keys));
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();

    support::crash_server(&server.0);
    let started = Instant::now();
    let e = client.get_access_token(ADA).expect_err("server down");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(started.elapsed() < Duration::from_secs(5));
    // A consent during the outage is not lost: the store is checked before the grant is
    // spent, so the same grant works once the server is back.
    let grant = env.grant("bob@example.com", SCOPES);
    let exchanges = env.counter("token.authorization_code");
    let mut e = client
        .generate_access_token(&grant)
        .expect_err("cannot save");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(e.take_unsaved_tokens().is_none(), "no tokens were issued");
    assert_eq!(
        env.counter("token.authorization_code"),
        exchanges,
        "a grant was spent"
    );

    support::own_server(&server.0, Some(port));
    assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    drop(client.generate_access_token(&grant).unwrap());
    assert_eq!(rows(&url, &table).len(), 2);
    advance(&env.clock, 3600);
    assert_ne!(client.get_access_token(ADA).unwrap(), tokens.access_token);
}

#[test]
fn no_password_or_token_reaches_the_log_or_the_error_when_the_store_fails() {
    let env = TestEnv::start();
    let logs = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let keys = [
        pair(
            "mysql_url",
            format!("mysql://app:pw-LOGSECRET@127.0.0.1:{port}/zohooauth"),
        ),
        pair("applicationLogFilePath", logs.path().display().to_string()),
        pair("connect_timeout_secs", "1"),
    ];
    let client = env.client_for(config(&env, &keys));
    let mut e = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .expect_err("the store is down");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
    let shown = format!("{e} {e:?}");
    // The store is checked before the grant is spent: no tokens were issued to lose or show.
    assert!(e.take_unsaved_tokens().is_none(), "no tokens were issued");
    assert_eq!(
        env.counter("token.authorization_code"),
        0,
        "a grant was spent"
    );
    let secrets = ["pw-LOGSECRET", common::CLIENT_SECRET];
    let log =
        std::fs::read_to_string(logs.path().join("ZCRMClientLibrary.log")).unwrap_or_default();
    for secret in secrets {
        assert!(!log.contains(secret), "secret in the log");
        assert!(!shown.contains(secret), "secret in the error");
    }
}
