//! Issue 27 on the shared stores: with encryption on, no token nor 8-character fragment of
//! one is in `mysqldump` of the table (both layouts) or in Redis' keys and values; a tampered
//! value, two users' values swapped or a missing key is a clear error that refreshes and
//! overwrites nothing; a sealed value too long for an SDK-width column is refused naming the
//! column, before anything is written; rotation and `rekey` during a refresh storm of two
//! "hosts" (separate store connections) make one refresh and leave every value readable
//! with the new key alone. Needs `scripts/mariadb.sh` / `scripts/redis.sh` servers (skipped
//! without, as the other server tests).
#![cfg(all(feature = "mysql", feature = "redis"))] // on MySQL and Redis (cargo features `mysql`, `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod mysql_support;
#[path = "redis/support.rs"]
mod redis_support;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use mysql::prelude::Queryable;
use zoho_oauth::config::EncryptionSettings;
use zoho_oauth::seal::rekey;
use zoho_oauth::{Config, ErrorKind, Secret, Tokens};

const BOB: &str = "bob@example.com";

/// A shared store under test: its configuration and how to dump what the server holds.
struct Backend {
    name: &'static str,
    pairs: Vec<(String, String)>,
    dump: Box<dyn Fn() -> String>,
}

fn config_of(env: &TestEnv, backend: &Backend, keys: &[&Path]) -> Config {
    let accounts = env.emulator.url();
    let mut pairs: Vec<(String, String)> = vec![
        ("client_id".into(), CLIENT_ID.into()),
        ("client_secret".into(), CLIENT_SECRET.into()),
        ("redirect_uri".into(), REDIRECT_URI.into()),
        ("accounts_url".into(), accounts),
    ];
    pairs.extend(backend.pairs.iter().cloned());
    let config = Config::from_pairs(pairs).unwrap();
    let mut enc = EncryptionSettings::default();
    for key in keys {
        enc = enc.with_key_file(*key);
    }
    config.with_encryption(enc)
}

/// `mysqldump` of one table.
fn mysqldump(url: &str, db: &str, table: &str) -> String {
    let parsed = url::Url::parse(url).unwrap();
    let out = std::process::Command::new("mysqldump")
        .arg(format!("-h{}", parsed.host_str().unwrap()))
        .arg(format!("-P{}", parsed.port().unwrap_or(3306)))
        .arg(format!("-u{}", parsed.username()))
        .args(["--skip-ssl", db, table])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("INSERT INTO"), "{text}");
    text
}

/// Every key under `prefix` and its value, as text.
fn redis_dump(url: &str, prefix: &str) -> String {
    let mut conn = redis_support::raw(url);
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}*"))
        .query(&mut conn)
        .unwrap();
    let mut text = String::new();
    for key in keys {
        let kind: String = redis::cmd("TYPE").arg(&key).query(&mut conn).unwrap();
        let value: Vec<String> = match kind.as_str() {
            "string" => vec![redis::cmd("GET").arg(&key).query(&mut conn).unwrap()],
            "set" => redis::cmd("SMEMBERS").arg(&key).query(&mut conn).unwrap(),
            "hash" => redis::cmd("HGETALL").arg(&key).query(&mut conn).unwrap(),
            other => panic!("unexpected type {other} of {key}"),
        };
        text.push_str(&format!("{key} = {value:?}\n"));
    }
    assert!(text.contains(ADA) || text.contains("ada"), "{text}");
    text
}

/// MySQL (both layouts) and Redis, those whose server is configured.
fn backends() -> Vec<Backend> {
    let mut out = Vec::new();
    if let Some(url) = mysql_support::server_url() {
        let table = mysql_support::sdk_table(
            &url,
            "enc",
            Some(
                "useridentifier varchar(255) NOT NULL PRIMARY KEY, accesstoken varchar(255), refreshtoken varchar(255), expirytime bigint",
            ),
        );
        let pairs = mysql_support::keys(&url, &table);
        let (u, t) = (url.clone(), table.clone());
        out.push(Backend {
            name: "mysql",
            pairs,
            dump: Box::new(move || mysqldump(&u, "zohooauth", &t)),
        });
        let db = mysql_support::unique_table("encdb");
        let mut admin = mysql_support::admin(&url);
        admin.query_drop(format!("CREATE DATABASE `{db}`")).unwrap();
        let create =
            zoho_oauth::store::mysql::oauthtoken::create_table(&format!("`{db}`.`oauthtoken`"));
        admin.query_drop(create).unwrap();
        let pairs = vec![
            ("token_store".into(), "mysql".into()),
            ("mysql_url".into(), url.clone()),
            ("mysql_database".into(), db.clone()),
            ("mysql_table".into(), "oauthtoken".into()),
        ];
        let u = url.clone();
        out.push(Backend {
            name: "oauthtoken",
            pairs,
            dump: Box::new(move || mysqldump(&u, &db, "oauthtoken")),
        });
    }
    if let Some(url) = redis_support::url() {
        let prefix = redis_support::unique_prefix();
        let pairs = vec![
            ("token_store".into(), "redis".into()),
            ("redis_url".into(), url.clone()),
            ("redis_key_prefix".into(), prefix.clone()),
        ];
        out.push(Backend {
            name: "redis",
            pairs,
            dump: Box::new(move || redis_dump(&url, &prefix)),
        });
    }
    out
}

fn new_key(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    zoho_oauth::seal::key::generate(&path).unwrap();
    path
}

fn id_of(path: &Path) -> String {
    zoho_oauth::seal::Key::load(path).unwrap().id().hex()
}

fn consent_both(env: &TestEnv, config: &Config) -> Vec<Tokens> {
    let client = env.client_for(config.clone());
    [ADA, BOB]
        .iter()
        .map(|u| client.generate_access_token(&env.grant(u, SCOPES)).unwrap())
        .collect()
}

/// What the store holds, sealed, sorted by user.
fn raw_entries(config: &Config) -> Vec<Tokens> {
    let mut all = zoho_oauth::store::open_unsealed(config)
        .unwrap()
        .list()
        .unwrap();
    all.sort_by(|a, b| a.user.cmp(&b.user));
    all
}

#[test]
fn no_token_nor_fragment_is_in_a_dump_and_bad_values_are_loud_and_kept() {
    let env = TestEnv::start();
    let key = new_key(env.dir.path(), "k1");
    let id = id_of(&key);
    for backend in backends() {
        let name = backend.name;
        let config = config_of(&env, &backend, &[&key]);
        let issued = consent_both(&env, &config);
        let dump = (backend.dump)();
        common::assert_no_token_fragment(&dump, &issued, name);
        assert!(dump.contains(&format!("zoe1.{id}.")), "{name}: {dump}");
        common::advance(&env.clock, 3_700);
        let client = env.client_for(config.clone());
        let fresh = client.get_access_token(ADA).unwrap();
        assert_ne!(fresh, issued[0].access_token, "{name}: refreshed");
        let mut seen = issued.clone();
        seen.push(client.store().get(ADA).unwrap().unwrap());
        common::assert_no_token_fragment(&(backend.dump)(), &seen, name);
        bad_values_are_refused(&env, &config, &id, name);
    }
}

/// Tampered, swapped, no key: an error naming the user and the key id, no refresh, and the
/// store unchanged.
fn bad_values_are_refused(env: &TestEnv, config: &Config, id: &str, name: &str) {
    common::advance(&env.clock, 3_700);
    let raw = zoho_oauth::store::open_unsealed(config).unwrap();
    let clean = raw_entries(config);
    let (ada, bob) = (&clean[0], &clean[1]);
    let mut tampered = ada.clone();
    let mut bytes = ada
        .refresh_token
        .clone()
        .unwrap()
        .expose()
        .as_bytes()
        .to_vec();
    let i = bytes.len() - 7;
    bytes[i] = if bytes[i] == b'x' { b'y' } else { b'x' };
    tampered.refresh_token = Some(Secret::new(String::from_utf8(bytes).unwrap()));
    let mut swapped = ada.clone();
    swapped.refresh_token = bob.refresh_token.clone();
    swapped.access_token = bob.access_token.clone();
    let no_key = config
        .clone()
        .with_encryption(EncryptionSettings::default());
    let cases = [
        (
            "tampered",
            tampered,
            config.clone(),
            ErrorKind::StoreCorrupt,
        ),
        ("swapped", swapped, config.clone(), ErrorKind::StoreCorrupt),
        ("no key", ada.clone(), no_key, ErrorKind::ConfigMissing),
    ];
    for (case, planted, config, kind) in cases {
        raw.save(&planted).unwrap();
        let before = raw_entries(&config);
        let refreshes = env.counter("token.refresh_token");
        let client = env.client_for(config.clone());
        let e = client.get_access_token(ADA).expect_err(case);
        assert_eq!(e.kind(), kind, "{name} {case}: {e}");
        assert!(
            e.message().contains(ADA) && e.message().contains(id),
            "{name} {case}: {e}"
        );
        client.refresh_user(ADA).expect_err(case);
        assert_eq!(
            env.counter("token.refresh_token"),
            refreshes,
            "{name} {case}"
        );
        assert_eq!(
            raw_entries(&config),
            before,
            "{name} {case}: nothing overwritten"
        );
    }
    raw.save(ada).unwrap();
}

#[test]
fn a_sealed_value_too_long_for_an_sdk_width_column_names_the_column_and_writes_nothing() {
    let Some(url) = mysql_support::server_url() else {
        return;
    };
    let env = TestEnv::start();
    let key = new_key(env.dir.path(), "k1");
    let table = mysql_support::sdk_table(&url, "narrow", None); // varchar(100)
    let backend = Backend {
        name: "narrow",
        pairs: mysql_support::keys(&url, &table),
        dump: Box::new(String::new),
    };
    let config = config_of(&env, &backend, &[&key]);
    let client = env.client_for(config);
    let e = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .expect_err("too long");
    assert!(
        e.message().contains("token") && e.message().contains("100"),
        "{e}"
    );
    assert!(e.hint().is_some_and(|h| h.contains("widen")), "{e}");
    assert!(mysql_support::rows(&url, &table).is_empty());
}

/// Two "hosts" (separate store connections) refresh an expired token while `rekey` moves
/// every value to a new key: Zoho sees one refresh, and afterwards every value opens with
/// the new key alone.
#[test]
fn a_two_host_refresh_storm_during_rekey_makes_one_refresh_and_loses_nothing() {
    let env = TestEnv::start();
    let old = new_key(env.dir.path(), "old");
    let new = new_key(env.dir.path(), "new");
    for backend in backends() {
        let name = backend.name;
        let issued = consent_both(&env, &config_of(&env, &backend, &[&old]));
        common::advance(&env.clock, 3_700);
        let both = config_of(&env, &backend, &[&new, &old]);
        let refreshes = env.counter("token.refresh_token");
        let hosts: Vec<_> = (0..2).map(|_| env.client_for(both.clone())).collect();
        let start = Arc::new(Barrier::new(3));
        let tokens = std::thread::scope(|s| {
            let workers: Vec<_> = hosts
                .iter()
                .map(|host| {
                    let start = start.clone();
                    s.spawn(move || {
                        start.wait();
                        (0..20)
                            .map(|_| host.get_access_token(ADA).unwrap())
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            let store = zoho_oauth::store::open_sealed(&both).unwrap();
            start.wait();
            let done = rekey::rekey(&store, Duration::from_secs(30)).unwrap();
            assert!(
                done.changed.is_empty() || done.rewritten.len() + done.already >= 1,
                "{done:?}"
            );
            let again = rekey::rekey(&store, Duration::from_secs(30)).unwrap();
            assert!(again.changed.is_empty(), "{name}: {again:?}");
            workers
                .into_iter()
                .flat_map(|w| w.join().unwrap())
                .collect::<Vec<_>>()
        });
        assert_eq!(
            env.counter("token.refresh_token"),
            refreshes + 1,
            "{name}: one refresh"
        );
        assert!(
            tokens.iter().all(|t| *t == tokens[0]),
            "{name}: one access token served"
        );
        let alone = zoho_oauth::store::open(&config_of(&env, &backend, &[&new])).unwrap();
        let ada = alone.get(ADA).unwrap().unwrap();
        assert_eq!(ada.access_token, tokens[0], "{name}: the refresh was kept");
        assert_eq!(ada.refresh_token, issued[0].refresh_token, "{name}");
        let bob = alone.get(BOB).unwrap().unwrap();
        assert_eq!(bob.refresh_token, issued[1].refresh_token, "{name}");
        let new_id = id_of(&new);
        for t in raw_entries(&both) {
            assert!(
                t.refresh_token
                    .unwrap()
                    .expose()
                    .starts_with(&format!("zoe1.{new_id}.")),
                "{name}"
            );
        }
    }
}
