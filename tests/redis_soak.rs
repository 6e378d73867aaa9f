//! A short fleet soak on one Redis: 2 simulated hosts x 8 processes call
//! `get_access_token` for 4 users whose access tokens live 3 s, for 8 s, with 5% of the
//! accounts server's token requests faulted and Redis restarted in the middle. Checks: no
//! `Access Denied` from Zoho, never two refreshes for one expiry, only transient errors
//! (the store during the outage, the faults), and every user still stored afterwards.
//! Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "redis/support.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use support::{PrivateRedis, unique_prefix};
use zoho_accounts_emulator::FaultKind;
use zoho_oauth::{Config, ErrorKind, OAuthClient, TokenStore};

const HOSTS: usize = 2;
const PROCESSES_PER_HOST: usize = 8;
const USERS: usize = 4;
const RUN: Duration = Duration::from_secs(8);
const TTL_SECS: u64 = 3;

fn user(n: usize) -> String {
    format!("soak{n}@example.com")
}

fn config(emulator: &str, url: &str, prefix: &str) -> Config {
    Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", emulator),
        ("token_store", "redis"),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
        ("refresh_margin_secs", "1"),
        ("store_recheck_ms", "100"),
        ("connect_timeout_secs", "1"),
        ("timeout_secs", "1"),
    ])
    .unwrap()
}

fn var(name: &str) -> String {
    std::env::var(name).expect("run by the parent test")
}

#[test]
#[ignore = "child process of a_short_fleet_soak_with_faults_and_a_redis_restart"]
fn child_soak_worker() {
    let config = config(
        &var("EMULATOR_URL"),
        &var("CHILD_REDIS_URL"),
        &var("CHILD_PREFIX"),
    );
    let client = OAuthClient::from_config(config).unwrap();
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let started = Instant::now();
    let mut n: usize = var("CHILD_ID").bytes().map(usize::from).sum();
    while started.elapsed() < RUN {
        n = n.wrapping_add(1);
        let outcome = match client.get_access_token(&user(n % USERS)) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.kind().name().to_string(),
        };
        *counts.entry(outcome).or_default() += 1;
        std::thread::sleep(Duration::from_millis(5));
    }
    let out = PathBuf::from(var("CHILD_OUT"));
    std::fs::write(out, serde_json::to_string(&counts).unwrap()).unwrap();
}

#[test]
fn a_short_fleet_soak_with_faults_and_a_redis_restart() {
    let Some(mut server) = PrivateRedis::start() else {
        return;
    };
    let env = TestEnv::start();
    let prefix = unique_prefix();
    let emulator = env.emulator.url();
    let url = server.url();
    env.set_settings(|s| {
        s.access_token_ttl_secs = TTL_SECS;
        s.record_refreshes = true;
    });
    let seed = OAuthClient::from_config(config(&emulator, &url, &prefix)).unwrap();
    for n in 0..USERS {
        seed.generate_access_token(&env.grant(&user(n), SCOPES))
            .unwrap();
    }
    env.set_settings(|s| {
        s.random_fault_rate = 0.05;
        s.random_fault_delay_ms = 300;
        s.random_fault_path = Some("/oauth/v2/token".into());
        // Every fault but Zoho's throttle reply: an `Access Denied` must only ever be real.
        s.random_fault_kinds = vec![
            FaultKind::Http500,
            FaultKind::Html,
            FaultKind::Reset,
            FaultKind::Empty,
            FaultKind::Stall,
        ];
    });
    let dir = tempfile::tempdir().unwrap();
    let mut children: Vec<(String, Child)> = Vec::new();
    for host in 0..HOSTS {
        for p in 0..PROCESSES_PER_HOST {
            let id = format!("h{host}p{p}");
            let out = dir.path().join(format!("{id}.json"));
            let child = Command::new(std::env::current_exe().unwrap())
                .args([
                    "--ignored",
                    "--exact",
                    "child_soak_worker",
                    "--test-threads=1",
                    "--quiet",
                ])
                .env("EMULATOR_URL", &emulator)
                .env("CHILD_REDIS_URL", &url)
                .env("CHILD_PREFIX", &prefix)
                .env("CHILD_ID", &id)
                .env("CHILD_OUT", &out)
                .stdout(Stdio::null())
                .stderr(Stdio::inherit())
                .spawn()
                .unwrap();
            children.push((id, child));
        }
    }
    std::thread::sleep(RUN / 2);
    server.kill(); // Redis restarted mid-run: about half a second down
    std::thread::sleep(Duration::from_millis(500));
    server.run();
    let mut totals: BTreeMap<String, u64> = BTreeMap::new();
    for (id, mut child) in children {
        assert!(child.wait().unwrap().success(), "worker {id} failed");
        let text = std::fs::read_to_string(dir.path().join(format!("{id}.json"))).unwrap();
        let counts: BTreeMap<String, u64> = serde_json::from_str(&text).unwrap();
        for (k, v) in counts {
            *totals.entry(k).or_default() += v;
        }
    }
    eprintln!(
        "soak outcomes: {totals:?}, refreshes: {:?}",
        env.emulator
            .refresh_history()
            .values()
            .map(Vec::len)
            .collect::<Vec<_>>()
    );
    let allowed = [
        "ok",
        ErrorKind::StoreUnavailable.name(),
        ErrorKind::LockTimeout.name(),
        ErrorKind::Timeout.name(),
        ErrorKind::Connect.name(),
        ErrorKind::ServerError.name(),
        ErrorKind::InvalidResponse.name(),
    ];
    for (outcome, count) in &totals {
        assert!(allowed.contains(&outcome.as_str()), "{count} x {outcome}");
    }
    assert_eq!(
        totals.get(ErrorKind::RateLimited.name()),
        None,
        "no Access Denied"
    );
    let ok = totals.get("ok").copied().unwrap_or(0);
    let all: u64 = totals.values().sum();
    // The outage fails the calls that re-check the store meanwhile (about 6% here).
    assert!(
        ok * 4 >= all * 3,
        "at least 75% of the calls succeeded: {totals:?}"
    );
    // Never two refreshes for one expiry: a token lives 3 s and is refreshed 1 s early,
    // so one refresh token's refreshes are about 2 s apart. Its expiry counts from when its
    // refresh request was sent (the safe side), so a request the emulator took long to answer
    // brings the next refresh that much closer to it: 0.5-0.7 s on a loaded 2-core machine.
    // A second refresh for the same expiry (a process that did not see the first one's save)
    // would come as soon as the first one's lock is released, or after the 1 s that a caller
    // who found the lock busy waits: under 1.2 s after the first.
    let history = env.emulator.refresh_history();
    let refreshes: usize = history.values().map(Vec::len).sum();
    assert!(
        refreshes >= USERS,
        "the tokens were refreshed during the run: {refreshes}"
    );
    for (token, times) in &history {
        for pair in times.windows(2) {
            assert!(
                pair[1] - pair[0] >= 1_200,
                "two refreshes {} ms apart for one expiry of {}",
                pair[1] - pair[0],
                &token[..12]
            );
        }
    }
    let store =
        zoho_oauth::store::redis::RedisStore::open(&config(&emulator, &url, &prefix)).unwrap();
    let stored = store.list().unwrap();
    assert_eq!(stored.len(), USERS, "no user lost");
}
