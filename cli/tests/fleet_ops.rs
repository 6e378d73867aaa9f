//! Issue 26, the fleet side: the refresh history kept beside the token file, and `status`,
//! `check` and `metrics` run as processes against the accounts emulator (the token file
//! store; `mysql_cli.rs` and `redis_cli.rs` do the same on the shared stores).
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[allow(dead_code, unused_imports)]
mod support;

use std::os::unix::fs::PermissionsExt;
use std::process::{Command, Stdio};

use serde_json::Value;
use support::{ADA, Env, Run, assert_no_secrets, http, stored};
use zoho_accounts_emulator::{FaultKind, FaultSpec};

/// The emulator and a store: the token file, or MySQL or Redis named in a config file.
struct Fleet {
    env: Env,
    /// The store keys (`token_store=...` and its own), none for the token file.
    keys: Vec<(String, String)>,
}

impl Fleet {
    fn on_file() -> Fleet {
        Fleet {
            env: Env::start(),
            keys: Vec::new(),
        }
    }

    fn on(keys: &[(&str, String)]) -> Fleet {
        let env = Env::start();
        let keys: Vec<(String, String)> = keys
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        let text: String = keys.iter().map(|(k, v)| format!("{k}={v}\n")).collect();
        let path = env.token_dir().join("fleet.conf");
        std::fs::write(&path, text).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        Fleet { env, keys }
    }

    /// `zoho-oauth ARGS` as host `host`.
    fn cmd(&self, host: &str, args: &[&str]) -> Command {
        let mut cmd = self.env.cmd(args);
        cmd.env("ZOHO_OAUTH_HOST_NAME", host);
        if !self.keys.is_empty() {
            cmd.env("ZOHO_OAUTH_CONFIG", self.env.token_dir().join("fleet.conf"));
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Run {
        let run = support::run(self.cmd("host-t", args));
        self.assert_no_secrets(&run.stdout);
        self.assert_no_secrets(&run.stderr);
        run
    }

    /// The store, opened by the library as the CLI opens it.
    fn store(&self) -> std::sync::Arc<dyn zoho_oauth::TokenStore> {
        if self.keys.is_empty() {
            let file = zoho_oauth::FileStore::in_directory(
                self.env.token_dir(),
                zoho_oauth::StoreFormat::PhpSdk,
            )
            .unwrap();
            return std::sync::Arc::new(file);
        }
        let mut pairs = self.keys.clone();
        pairs.push(("client_id".into(), common::CLIENT_ID.into()));
        pairs.push(("client_secret".into(), common::CLIENT_SECRET.into()));
        pairs.push(("accounts_url".into(), self.env.emulator.url()));
        pairs.push(("redirect_uri".into(), common::REDIRECT_URI.into()));
        zoho_oauth::store::open(&zoho_oauth::Config::from_pairs(pairs).unwrap()).unwrap()
    }

    fn assert_no_secrets(&self, text: &str) {
        assert!(!text.contains(common::CLIENT_SECRET), "{text}");
        for t in self.store().list().unwrap_or_default() {
            assert!(!text.contains(t.access_token.expose()), "{text}");
            if let Some(r) = &t.refresh_token {
                assert!(!text.contains(r.expose()), "{text}");
            }
        }
    }

    /// A consent for ADA whose access token is expired a moment later; later tokens live
    /// an hour.
    fn expired_consent(&self) {
        self.env.set_token_ttl(1);
        let code = self.env.grant(ADA, common::SCOPES);
        self.run(&["exchange", "--grant-token", &code]).expect(0);
        self.env.set_token_ttl(3600);
        std::thread::sleep(std::time::Duration::from_millis(1_500));
    }

    /// Six `token` processes at once, three on each of two hosts; all succeed.
    fn storm(&self) {
        let children: Vec<_> = (0..6)
            .map(|i| {
                let host = if i % 2 == 0 { "host-a" } else { "host-b" };
                self.cmd(host, &["token", "--user", ADA])
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap()
            })
            .collect();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{out:?}");
        }
    }

    fn status_json(&self) -> (Value, Value) {
        let run = self.run(&["status", "--json"]).expect(0);
        let lines: Vec<Value> = run
            .stdout
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 2, "{run:?}");
        (lines[0]["store"].clone(), lines[1].clone())
    }

    fn revoke_at_emulator(&self) {
        let stored = self.store().get(ADA).unwrap().unwrap();
        let refresh = stored.refresh_token.unwrap();
        let reply = http()
            .post(format!(
                "{}/oauth/v2/token/revoke?token={}",
                self.env.emulator.url(),
                refresh.expose()
            ))
            .send()
            .unwrap();
        assert_eq!(reply.status(), 200);
    }
}

fn check(env: &Env, extra: &[&str]) -> Run {
    let mut args = vec!["check"];
    args.extend_from_slice(extra);
    let run = env.run(&args);
    assert_no_secrets(env, &run.stdout);
    assert_eq!(run.stdout.lines().count(), 1, "one line: {run:?}");
    assert!(run.stdout.contains(" | "), "performance data: {run:?}");
    run
}

fn parsed_metrics(text: &str) -> prometheus_parse::Scrape {
    let lines = text.lines().map(|l| Ok(l.to_string()));
    prometheus_parse::Scrape::parse(lines).unwrap()
}

fn sample<'a>(
    scrape: &'a prometheus_parse::Scrape,
    name: &str,
    labels: &[(&str, &str)],
) -> Option<&'a prometheus_parse::Value> {
    scrape
        .samples
        .iter()
        .find(|s| s.metric == name && labels.iter().all(|(k, v)| s.labels.get(k) == Some(*v)))
        .map(|s| &s.value)
}

fn value(v: Option<&prometheus_parse::Value>) -> f64 {
    match v {
        Some(prometheus_parse::Value::Counter(x) | prometheus_parse::Value::Gauge(x)) => *x,
        Some(prometheus_parse::Value::Untyped(x)) => *x,
        other => panic!("no such sample: {other:?}"),
    }
}

/// A 2-host storm makes one refresh, which `status` shows with its host and time; after the
/// emulator revokes the refresh token, a refresh fails, `check` is CRITICAL (exit 2) and
/// `metrics` counts the failure by kind.
fn storm_then_revoke(fleet: &Fleet) {
    fleet.expired_consent();
    fleet.storm();
    assert_eq!(
        fleet.env.counter("token.refresh_token"),
        1,
        "one refresh for the fleet"
    );
    let (store, user) = fleet.status_json();
    assert_eq!(store["reachable"], true);
    assert!(store["round_trip_ms"].as_f64().unwrap() >= 0.0);
    assert_eq!(user["user"], ADA);
    assert_eq!(user["refreshes_total"], 1);
    assert_eq!(user["refreshes_last_10m"], 1);
    assert_eq!(user["refresh_cap_10m"], 10);
    let host = user["last_refresh_host"].as_str().unwrap();
    assert!(["host-a", "host-b"].contains(&host), "{user}");
    assert!(user["last_refresh_at"].as_str().unwrap().ends_with('Z'));
    assert!(user["last_refresh_ago_s"].as_i64().unwrap() < 60, "{user}");
    assert!(user["last_refresh_pid"].as_u64().unwrap() > 0);
    assert_eq!(user["refresh_token_present"], true);
    assert!(user["refresh_token_issued_at"].is_string(), "{user}");
    assert_eq!(user["consecutive_failures"], 0);
    assert_eq!(user["lock"], "free");
    assert!(user.get("scope").is_some());
    let text = fleet.run(&["status"]).expect(0).stdout;
    assert!(text.contains(&format!("on {host} (pid ")), "{text}");
    assert!(
        text.contains("1 in the last 10 min (Zoho allows 10)"),
        "{text}"
    );
    let ok = fleet.run(&["check"]).expect(0);
    assert!(
        ok.stdout.starts_with("ZOHO-OAUTH OK - 1 user(s) fine"),
        "{ok:?}"
    );

    // A refresh lock held by another process shows as held (a Redis lease: with its time).
    let store = fleet.store();
    let held = store.lock_user(ADA, std::time::Duration::ZERO).unwrap();
    let (_, user) = fleet.status_json();
    assert_eq!(user["lock"], "held", "{user}");
    if fleet.keys.iter().any(|(_, v)| v == "redis") {
        assert!(user["lock_expires_in_ms"].as_u64().unwrap() > 0, "{user}");
        assert!(user["lock_held_for_ms"].is_u64(), "{user}");
    }
    drop(held);
    assert_eq!(fleet.status_json().1["lock"], "free");

    fleet.revoke_at_emulator();
    let failed = fleet.run(&["refresh", "--user", ADA]);
    assert_ne!(failed.code, 0, "{failed:?}");
    let critical = fleet.run(&["check"]).expect(2);
    assert!(
        critical.stdout.starts_with(
            "ZOHO-OAUTH CRITICAL - ada@example.com's refresh token was refused (invalid_code"
        ),
        "{critical:?}"
    );
    let (_, user) = fleet.status_json();
    assert_eq!(user["consecutive_failures"], 1);
    assert_eq!(user["last_error_kind"], "invalid_code");
    let metrics = fleet.run(&["metrics"]).expect(0).stdout;
    let scrape = parsed_metrics(&metrics);
    let failures = sample(
        &scrape,
        "zoho_oauth_refresh_failures_total",
        &[("kind", "invalid_code"), ("user", ADA)],
    );
    assert_eq!(value(failures), 1.0, "{metrics}");
    assert_eq!(
        value(sample(
            &scrape,
            "zoho_oauth_refreshes_total",
            &[("user", ADA)]
        )),
        1.0
    );
    assert_eq!(value(sample(&scrape, "zoho_oauth_store_up", &[])), 1.0);
}

#[test]
fn on_the_token_file_a_storm_shows_one_refresh_then_a_revoke_is_critical() {
    storm_then_revoke(&Fleet::on_file());
}

#[test]
fn on_mysql_a_storm_shows_one_refresh_then_a_revoke_is_critical() {
    let Ok(url) = std::env::var("ZOHO_TEST_MYSQL_URL") else {
        eprintln!("skipped: ZOHO_TEST_MYSQL_URL is not set");
        return;
    };
    let table = format!("fleet{}", std::process::id());
    let fleet = Fleet::on(&[
        ("token_store", "mysql".into()),
        ("mysql_url", url),
        ("mysql_table", table.clone()),
    ]);
    let created = fleet.run(&["mysql-create"]).expect(0);
    assert!(
        created.stdout.contains(&format!("`{table}_history`")),
        "{created:?}"
    );
    storm_then_revoke(&fleet);
}

#[test]
fn on_redis_a_storm_shows_one_refresh_then_a_revoke_is_critical() {
    let Ok(url) = std::env::var("ZOHO_TEST_REDIS_URL") else {
        eprintln!("skipped: ZOHO_TEST_REDIS_URL is not set");
        return;
    };
    let prefix = format!("fleet{}:", std::process::id());
    storm_then_revoke(&Fleet::on(&[
        ("token_store", "redis".into()),
        ("redis_url", url),
        ("redis_key_prefix", prefix),
    ]));
}

#[test]
fn the_history_side_file_is_private_bounded_and_never_breaks_the_token_file() {
    let fleet = Fleet::on_file();
    fleet.expired_consent();
    let env = &fleet.env;
    env.run(&["token", "--user", ADA]).expect(0);
    let side = env.token_dir().join("zcrm_oauthtokens.txt.history");
    let meta = std::fs::metadata(&side).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
    let text = std::fs::read_to_string(&side).unwrap();
    assert_no_secrets(env, &text);
    assert!(text.len() < 4096, "{text}");
    // The SDK's file holds only what the SDK writes.
    assert_eq!(stored(env).len(), 1);
    // A side file that cannot be written costs the history, never the refresh.
    std::fs::write(&side, "garbage\n").unwrap();
    std::fs::set_permissions(&side, std::fs::Permissions::from_mode(0o600)).unwrap();
    let other = env.token_dir().join("elsewhere");
    std::fs::write(&other, "x").unwrap();
    std::fs::remove_file(&side).unwrap();
    std::os::unix::fs::symlink(&other, &side).unwrap();
    env.run(&["refresh", "--user", ADA]).expect(0);
    assert_eq!(
        std::fs::read_to_string(&other).unwrap(),
        "x",
        "never written through a symlink"
    );
    assert_eq!(env.counter("token.refresh_token"), 2);
}

#[test]
fn check_exit_codes_for_each_state() {
    let env = Env::start();
    let unknown = check(&env, &[]).expect(3);
    assert!(
        unknown
            .stdout
            .starts_with("ZOHO-OAUTH UNKNOWN - no users are stored"),
        "{unknown:?}"
    );
    let missing = check(&env, &["--user", "nobody@example.com"]).expect(2);
    assert!(
        missing
            .stdout
            .contains("no tokens are stored for nobody@example.com"),
        "{missing:?}"
    );
    env.exchange(ADA, &[]);
    check(&env, &[]).expect(0);
    // Near the cap: 8 refreshes in 10 minutes.
    for _ in 0..8 {
        env.run(&["refresh", "--user", ADA]).expect(0);
    }
    let warning = check(&env, &[]).expect(1);
    assert!(
        warning
            .stdout
            .contains("made 8 refreshes in 10 minutes (Zoho allows 10)"),
        "{warning:?}"
    );
    assert!(
        warning.stdout.contains("refreshes_10m=8;8;10;0"),
        "{warning:?}"
    );
    // A transient failure with the access token near expiry: a warning, not yet critical.
    let env = Env::start();
    env.exchange(ADA, &[]);
    env.emulator
        .inject_fault(FaultSpec::new(FaultKind::Http500));
    env.run(&["refresh", "--user", ADA]);
    check(&env, &[]).expect(0);
    let near = check(&env, &["--min-ttl", "7200"]).expect(1);
    assert!(
        near.stdout
            .contains("near expiry and its last refresh failed (server_error)"),
        "{near:?}"
    );
    // Refreshes that keep failing.
    let mut fault = FaultSpec::new(FaultKind::Http500);
    fault.count = 2;
    env.emulator.inject_fault(fault);
    env.run(&["refresh", "--user", ADA]);
    env.run(&["refresh", "--user", ADA]);
    let failing = check(&env, &[]).expect(2);
    assert!(
        failing
            .stdout
            .contains("refreshes keep failing (3 in a row, last server_error)"),
        "{failing:?}"
    );
    // A store that cannot be read.
    let gone = env
        .cmd(&["check"])
        .env("ZOHO_TOKEN_DIR", env.token_dir().join("missing"))
        .output()
        .unwrap();
    assert_eq!(gone.status.code(), Some(2), "{gone:?}");
    assert!(String::from_utf8_lossy(&gone.stdout).starts_with("ZOHO-OAUTH CRITICAL - "));
    // A configuration it cannot use.
    let bad = env
        .cmd(&["check", "--store-format", "nonsense"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(3), "{bad:?}");
}

#[test]
fn metrics_parse_and_escape_labels_and_drop_users_on_request() {
    let env = Env::start();
    let odd = "o\"dd\\user@example.com";
    env.exchange(ADA, &[]);
    env.exchange(odd, &["--user", odd]);
    let text = env.run(&["metrics"]).expect(0).stdout;
    assert_no_secrets(&env, &text);
    assert!(
        text.contains("# TYPE zoho_oauth_refreshes_total counter"),
        "{text}"
    );
    assert!(
        text.contains("# HELP zoho_oauth_store_round_trip_seconds "),
        "{text}"
    );
    let scrape = parsed_metrics(&text);
    for name in [
        "zoho_oauth_access_token_expiry_seconds",
        "zoho_oauth_lock_wait_seconds",
        "zoho_oauth_refreshes_total",
    ] {
        let users: Vec<_> = scrape
            .samples
            .iter()
            .filter(|s| s.metric == name)
            .map(|s| s.labels.get("user").unwrap().to_string())
            .collect();
        assert_eq!(users.len(), 2, "{name}: {text}");
    }
    let expiry = value(sample(
        &scrape,
        "zoho_oauth_access_token_expiry_seconds",
        &[("user", ADA)],
    ));
    assert!((3000.0..=3600.0).contains(&expiry), "{expiry}");
    assert!(text.contains(r#"user="o\"dd\\user@example.com""#), "{text}");
    let plain = env.run(&["metrics", "--no-user-labels"]).expect(0).stdout;
    assert!(!plain.contains("user="), "{plain}");
    let scrape = parsed_metrics(&plain);
    assert_eq!(
        value(sample(&scrape, "zoho_oauth_refresh_token_present", &[])),
        1.0
    );
    assert_eq!(value(sample(&scrape, "zoho_oauth_lock_held", &[])), 0.0);
}
