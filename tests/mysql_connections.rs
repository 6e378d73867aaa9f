//! Connections a fleet can afford, counted at the server: a process holds no connection
//! between store calls and one during a refresh (its reads and saves run on the lock's
//! connection); an idle pool of processes holds none; and 3 hosts × 32 processes on one
//! expired token, against MariaDB's default `max_connections` (151), all succeed with exactly
//! one refresh, waiting without holding a connection each.
//! Child processes are this test binary re-run with one ignored `child_*` test selected.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::path::PathBuf;
use std::process::Child;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use mysql::prelude::Queryable;
use support::{
    OwnServer, admin, connections_of, rows, sdk_table, server_url, settle_connections, spawn_child,
    url_as, user_with, wait_for,
};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::store::mysql::MysqlStore;
use zoho_oauth::{Config, OAuthClient, Secret, TokenStore, Tokens};

fn config(url: &str, table: &str, accounts: &str) -> Config {
    let mut pairs: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT_ID.into()),
        ("client_secret".into(), CLIENT_SECRET.into()),
        ("redirect_uri".into(), REDIRECT_URI.into()),
        ("accounts_url".into(), accounts.into()),
        ("lock_timeout_secs".into(), "60".into()),
    ];
    pairs.extend(support::keys(url, table));
    Config::from_pairs(pairs).unwrap()
}

#[test]
fn a_process_holds_no_connection_between_calls_and_one_during_a_refresh() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "conns", None);
    let user = user_with(&url, "one", "SELECT, INSERT, DELETE");
    let store =
        MysqlStore::open(&config(&url_as(&url, &user), &table, "http://127.0.0.1:9")).unwrap();
    let t = Tokens::new(
        Some(ADA.into()),
        Secret::new("1000.a"),
        Some(Secret::new("1000.r")),
        1,
    );
    store.save(&t).unwrap();
    assert_eq!(settle_connections(&url, &user, 0), 0, "after a save");
    assert!(store.get(ADA).unwrap().is_some());
    store.list().unwrap();
    assert_eq!(settle_connections(&url, &user, 0), 0, "after reads");

    let guard = store.lock_user(ADA, Duration::from_secs(1)).unwrap();
    let during = connections_of(&url, &user);
    assert_eq!(during.len(), 1, "the lock's connection");
    assert!(store.get(ADA).unwrap().is_some());
    let fresh = Tokens::new(
        Some(ADA.into()),
        Secret::new("1000.b"),
        Some(Secret::new("1000.r")),
        2,
    );
    store
        .save_refreshed(&fresh, &Secret::new("1000.r"))
        .unwrap();
    assert_eq!(
        connections_of(&url, &user),
        during,
        "the refresh's read and save ran on the lock's connection"
    );
    drop(guard);
    assert_eq!(settle_connections(&url, &user, 0), 0, "after the refresh");
    support::drop_user(&url, &user);
}

fn child_client() -> (PathBuf, usize, OAuthClient) {
    let dir = PathBuf::from(std::env::var("CHILD_DIR").unwrap());
    let id = std::env::var("CHILD_ID").unwrap().parse().unwrap();
    let var = |k: &str| std::env::var(k).unwrap();
    let config = config(&var("MYSQL_URL"), &var("MYSQL_TABLE"), &var("EMULATOR_URL"));
    (dir, id, OAuthClient::from_config(config).unwrap())
}

#[test]
#[ignore = "child process of an_idle_pool_of_16_processes_holds_no_connection"]
fn child_idle_worker() {
    let (dir, id, client) = child_client();
    let token = client.get_access_token(ADA).unwrap();
    std::fs::write(dir.join(format!("done-{id}")), token.expose()).unwrap();
    // An FPM worker between requests: alive, idle.
    assert!(wait_for(&dir.join("quit"), Duration::from_secs(120)));
}

#[test]
fn an_idle_pool_of_16_processes_holds_no_connection() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "idlepool", None);
    let user = user_with(&url, "idle", "SELECT, INSERT, DELETE");
    let env = TestEnv::start();
    let setup = env.client_for(config(&url, &table, &env.emulator.url()));
    let issued = setup
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let vars = [
        ("MYSQL_URL", url_as(&url, &user)),
        ("MYSQL_TABLE", table.clone()),
        ("EMULATOR_URL", env.emulator.url()),
    ];
    let mut children: Vec<Child> = (0..16)
        .map(|id| spawn_child("child_idle_worker", dir.path(), id, &vars))
        .collect();
    for id in 0..16 {
        assert!(
            wait_for(
                &dir.path().join(format!("done-{id}")),
                Duration::from_secs(60)
            ),
            "worker {id} did not answer"
        );
    }
    let idle = settle_connections(&url, &user, 0);
    eprintln!("an idle pool of 16 processes holds {idle} connections");
    std::fs::write(dir.path().join("quit"), b"").unwrap();
    for child in &mut children {
        assert!(child.wait().unwrap().success());
    }
    assert_eq!(idle, 0, "idle workers hold connections");
    for id in 0..16 {
        let got = std::fs::read_to_string(dir.path().join(format!("done-{id}"))).unwrap();
        assert_eq!(got, issued.access_token.expose());
    }
    support::drop_user(&url, &user);
}

const HOSTS: usize = 3;
const PER_HOST: usize = 32;

#[test]
#[ignore = "child process of three_hosts_of_32_processes_on_one_expired_token_fit_151_connections"]
fn child_storm_worker() {
    let (dir, id, client) = child_client();
    assert!(wait_for(&dir.join("go"), Duration::from_secs(180)));
    let outcome = match client.get_access_token(ADA) {
        Ok(token) => format!("ok {}", token.expose()),
        Err(e) => format!("error {e}"),
    };
    std::fs::write(dir.join(format!("child-{id}.out")), outcome).unwrap();
}

/// Samples the connections `user` holds until `stop`; keeps the largest count.
fn sample_peak(url: String, user: String, stop: Arc<AtomicBool>, peak: Arc<AtomicUsize>) {
    let mut conn = admin(&url);
    while !stop.load(Ordering::Relaxed) {
        let open: Option<u64> = conn
            .exec_first(
                "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = ?",
                (&user,),
            )
            .unwrap();
        peak.fetch_max(open.unwrap_or(0) as usize, Ordering::Relaxed);
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn three_hosts_of_32_processes_on_one_expired_token_fit_151_connections() {
    if server_url().is_none() {
        return;
    }
    let server = OwnServer::start("--max-connections=151");
    let url = server.url.clone();
    let table = sdk_table(&url, "storm", None);
    let user = user_with(&url, "storm", "SELECT, INSERT, DELETE");
    let env = TestEnv::start();
    let setup = env.client_for(config(&url, &table, &env.emulator.url()));
    let issued = setup
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    // Expired for everyone.
    admin(&url)
        .query_drop(format!("UPDATE zohooauth.`{table}` SET expirytime = 1000"))
        .unwrap();
    // A slow accounts server: 95 processes wait while one refreshes.
    env.emulator.inject_fault(FaultSpec {
        delay_ms: 1500,
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Delay)
    });
    let vars = [
        ("MYSQL_URL", url_as(&url, &user)),
        ("MYSQL_TABLE", table.clone()),
        ("EMULATOR_URL", env.emulator.url()),
    ];
    let hosts: Vec<tempfile::TempDir> = (0..HOSTS).map(|_| tempfile::tempdir().unwrap()).collect();
    let mut children = Vec::new();
    for host in &hosts {
        for id in 0..PER_HOST {
            children.push(spawn_child("child_storm_worker", host.path(), id, &vars));
        }
    }
    admin(&url).query_drop("FLUSH STATUS").unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let peak = Arc::new(AtomicUsize::new(0));
    let sampler = {
        let (url, user, stop, peak) = (url.clone(), user.clone(), stop.clone(), peak.clone());
        std::thread::spawn(move || sample_peak(url, user, stop, peak))
    };
    let started = Instant::now();
    for host in &hosts {
        std::fs::write(host.path().join("go"), b"").unwrap();
    }
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a child process failed");
    }
    let took = started.elapsed();
    stop.store(true, Ordering::Relaxed);
    sampler.join().unwrap();
    let max_used: Option<(String, u64)> = admin(&url)
        .query_first("SHOW GLOBAL STATUS LIKE 'Max_used_connections'")
        .unwrap();
    let max_used = max_used.unwrap().1;
    eprintln!(
        "3 x 32 processes, one expired token: {took:?}; peak connections of the workers {} (sampled every 10 ms), Max_used_connections {max_used} (all users, since FLUSH STATUS), max_connections 151",
        peak.load(Ordering::Relaxed)
    );

    let stored = rows(&url, &table);
    assert_eq!(stored.len(), 1);
    assert_ne!(stored[0].1, issued.access_token.expose());
    let mut failures = Vec::new();
    for host in &hosts {
        for id in 0..PER_HOST {
            let out = std::fs::read_to_string(host.path().join(format!("child-{id}.out"))).unwrap();
            if out != format!("ok {}", stored[0].1) {
                failures.push(out);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures: {failures:?}",
        failures.len()
    );
    assert_eq!(env.counter("token.refresh_token"), 1, "exactly one refresh");
    assert!(max_used < 151, "{max_used}");
}
