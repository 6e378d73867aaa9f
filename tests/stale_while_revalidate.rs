//! Issue 21, item 3: a caller whose token still works never waits for someone else's
//! refresh. A token 30 s from expiry (inside the 60 s refresh margin); one process refreshes
//! behind a slow accounts reply, or is frozen (SIGSTOP) in the middle of its refresh; 16
//! callers in 2 other processes all return at once with the token they have, and there is
//! exactly one refresh. Runs on the token file and the SDK's CSV file, and on MySQL and Redis
//! when their test servers are set.
#![cfg(all(feature = "mysql", feature = "redis"))] // also on MySQL and Redis (cargo features `mysql`, `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "fleet/support.rs"]
mod fleet;
#[path = "mysql/support.rs"]
mod mysql_support;
#[path = "redis/support.rs"]
mod redis_support;

use std::path::Path;
use std::time::Duration;

use common::{ADA, SCOPES, TestEnv};
use fleet::{KilledOnDrop, StoreUnderTest, epoch_ms, signal, spawn_child, wait_child, wait_until};
use zoho_accounts_emulator::{FaultKind, FaultSpec};
use zoho_oauth::OAuthClient;

const CALLER_PROCESSES: usize = 2;
const CALLERS_PER_PROCESS: usize = 8;

/// One refresher: writes `<end ms> <token>` when its call returns.
#[test]
#[ignore = "child process of the stale-while-revalidate tests"]
fn child_refresher() {
    let (config, out) = fleet::child_config();
    let client = OAuthClient::from_config(config).unwrap();
    let token = client.get_access_token(ADA).unwrap();
    std::fs::write(out, format!("{} {}", epoch_ms(), token.expose())).unwrap();
}

/// Eight callers on threads of one process (one client, as a threaded server has): each
/// line is `<end ms> <token>`.
#[test]
#[ignore = "child process of the stale-while-revalidate tests"]
fn child_callers() {
    let (config, out) = fleet::child_config();
    let client = OAuthClient::from_config(config).unwrap();
    let lines: Vec<String> = std::thread::scope(|s| {
        let callers: Vec<_> = (0..CALLERS_PER_PROCESS)
            .map(|_| {
                s.spawn(|| {
                    let token = client.get_access_token(ADA).unwrap();
                    format!("{} {}", epoch_ms(), token.expose())
                })
            })
            .collect();
        callers.into_iter().map(|c| c.join().unwrap()).collect()
    });
    std::fs::write(out, lines.join("\n")).unwrap();
}

/// `(end ms, token)` lines written by a child.
fn results(path: &Path) -> Vec<(i64, String)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let (at, token) = line.split_once(' ').unwrap();
            (at.parse().unwrap(), token.to_string())
        })
        .collect()
}

/// The scenario on `store`: with `freeze`, the refresher is stopped (SIGSTOP) while its
/// request is in flight, and continued only after every caller returned.
fn callers_with_a_working_token_never_wait(store: &StoreUnderTest, freeze: bool) {
    let label = store.label;
    let env = TestEnv::start();
    let seed = store.client(&env, &[]);
    let first = seed.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    fleet::set_expiry(seed.store().as_ref(), ADA, 30_000);
    env.emulator
        .try_inject_fault(FaultSpec {
            delay_ms: 6_000,
            path: Some("/oauth/v2/token".into()),
            ..FaultSpec::new(FaultKind::Delay)
        })
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let pairs = store.pairs(&env, &[]);
    let mut refresher = KilledOnDrop(spawn_child(
        "child_refresher",
        &pairs,
        &out.path().join("r"),
        &[],
    ));
    wait_until("the refresher's request", Duration::from_secs(60), || {
        env.counter("fault.delay") == 1
    });
    if freeze {
        signal(&refresher.0, "STOP");
    }
    // Waiting for the lock could take 25 s (the token works for 30 s): callers must be back
    // long before that, while the refresher is still slow or frozen.
    let caller_pairs = store.pairs(&env, &[("lock_timeout_secs", "25")]);
    let mut callers: Vec<_> = (0..CALLER_PROCESSES)
        .map(|i| {
            let out = out.path().join(format!("c{i}"));
            KilledOnDrop(spawn_child("child_callers", &caller_pairs, &out, &[]))
        })
        .collect();
    for caller in &mut callers {
        assert!(
            wait_child(&mut caller.0, "a caller process", Duration::from_secs(15)),
            "{label}: a caller failed"
        );
    }
    if freeze {
        signal(&refresher.0, "CONT");
    }
    assert!(
        wait_child(&mut refresher.0, "the refresher", Duration::from_secs(60)),
        "{label}: the refresher failed"
    );
    let (refreshed_at, fresh) = results(&out.path().join("r")).remove(0);
    assert_ne!(fresh, first.access_token.expose(), "{label}: it refreshed");
    let seen: Vec<(i64, String)> = (0..CALLER_PROCESSES)
        .flat_map(|i| results(&out.path().join(format!("c{i}"))))
        .collect();
    assert_eq!(seen.len(), CALLER_PROCESSES * CALLERS_PER_PROCESS);
    for (at, token) in &seen {
        assert_eq!(
            token,
            first.access_token.expose(),
            "{label}: a caller got its working token"
        );
        assert!(
            *at < refreshed_at,
            "{label}: a caller returned only after the refresh ({at} >= {refreshed_at})"
        );
    }
    assert_eq!(
        env.counter("token.refresh_token"),
        1,
        "{label}: exactly one refresh"
    );
    let stored = store.client(&env, &[]).store().get(ADA).unwrap().unwrap();
    assert_eq!(
        stored.access_token.expose(),
        fresh,
        "{label}: the refresh was saved"
    );
}

#[test]
fn callers_with_a_working_token_return_at_once_behind_a_slow_refresh() {
    for store in fleet::stores() {
        callers_with_a_working_token_never_wait(&store, false);
    }
}

#[test]
fn callers_with_a_working_token_return_at_once_behind_a_frozen_refresher() {
    for store in fleet::stores() {
        callers_with_a_working_token_never_wait(&store, true);
    }
}
