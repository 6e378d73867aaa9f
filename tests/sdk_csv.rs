//! The SDK's `sdk_tokens.txt` (Zoho's current SDKs) as a token store: files in the SDK's exact
//! bytes are read and written back as the SDK writes them, the client refreshes through it
//! once for many threads, concurrent writers keep every user, and bad input is refused with
//! nothing changed.
#![allow(clippy::unwrap_used)]

mod common;

use std::fs;
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use zoho_oauth::store::SdkCsvStore;
use zoho_oauth::store::sdk_csv::format::HEADER;
use zoho_oauth::{ErrorKind, Secret, TokenStore, Tokens};

const FAR: i64 = 4_102_444_800_000; // 2100-01-01

/// A file as php-sdk-8.0's FileStore writes it: no quoting, `\n` between lines, no final newline.
fn sdk_file() -> String {
    format!(
        "{}\n1,{ADA},{CLIENT_ID},{CLIENT_SECRET},1000.r.ada,1000.a.ada,,{FAR},{REDIRECT_URI},https://www.zohoapis.eu\n2,,{CLIENT_ID},{CLIENT_SECRET},1000.r.anon,,,,,",
        HEADER.join(",")
    )
}

#[test]
fn reads_the_sdks_file_and_writes_it_back_as_the_sdk_would() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sdk_tokens.txt");
    fs::write(&path, sdk_file()).expect("written");
    let store = SdkCsvStore::new(&path).expect("store");
    let ada = store.get("Ada@Example.com").expect("read").expect("found");
    assert_eq!(ada.access_token.expose(), "1000.a.ada");
    assert_eq!(ada.expiry_time_ms, FAR);
    assert_eq!(ada.api_domain.as_deref(), Some("https://www.zohoapis.eu"));
    let anon = store
        .get("2")
        .expect("read")
        .expect("a row without user, by id");
    assert_eq!(
        anon.refresh_token
            .map(|r| r.expose().to_string())
            .as_deref(),
        Some("1000.r.anon")
    );

    store.save(&ada).expect("saved");
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        sdk_file(),
        "unchanged bytes"
    );
    let mut refreshed = ada.clone();
    refreshed.access_token = Secret::new("1000.a.new");
    store.save(&refreshed).expect("saved");
    let text = fs::read_to_string(&path).expect("read");
    assert_eq!(
        text,
        sdk_file().replace("1000.a.ada", "1000.a.new"),
        "updated in place"
    );
}

#[test]
fn the_client_refreshes_through_the_csv_once_for_many_threads() {
    let env = TestEnv::start();
    let path = env.dir.path().join("sdk_tokens.txt");
    let config = env.config().with_token_persistence_path(&path);
    let store = zoho_oauth::store::open(&config).expect("opened");
    assert!(
        store.describe().ends_with("sdk_tokens.txt"),
        "{}",
        store.describe()
    );
    let client = env.client_for(config.clone());
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .expect("exchanged");
    let row = fs::read_to_string(&path).expect("read");
    let line = row.lines().nth(1).expect("a row");
    assert!(
        line.starts_with(&format!("1,{ADA},{CLIENT_ID},{CLIENT_SECRET},1000.")),
        "new rows carry the client, so the SDK can refresh them"
    );
    assert!(line.contains(&format!(",{REDIRECT_URI},")));

    common::advance(&env.clock, 3600);
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (barrier, config, clock) = (barrier.clone(), config.clone(), env.clock.clone());
            thread::spawn(move || {
                let client = zoho_oauth::OAuthClient::from_config(config)
                    .expect("client")
                    .with_clock(clock);
                barrier.wait();
                client
                    .get_access_token(ADA)
                    .expect("token")
                    .expose()
                    .to_string()
            })
        })
        .collect();
    let tokens: Vec<String> = handles
        .into_iter()
        .map(|h| h.join().expect("joined"))
        .collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(
        env.counter("token.refresh_token"),
        1,
        "one refresh for eight clients"
    );
}

#[test]
fn concurrent_writers_keep_every_user_with_distinct_ids() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = Arc::new(dir.path().join("sdk_tokens.txt"));
    let barrier = Arc::new(Barrier::new(16));
    let handles: Vec<_> = (0..16)
        .map(|i| {
            let (path, barrier) = (path.clone(), barrier.clone());
            thread::spawn(move || {
                let store = SdkCsvStore::new(path.as_path()).expect("store");
                barrier.wait();
                let user = format!("user{i}@example.com");
                store
                    .save(&Tokens::new(Some(user), Secret::new("1000.a"), None, FAR))
                    .expect("saved");
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().expect("joined"));
    let store = SdkCsvStore::new(path.as_path()).expect("store");
    let rows = store.rows().expect("rows");
    assert_eq!(rows.len(), 16);
    let mut ids: Vec<u64> = rows
        .iter()
        .map(|r| r.id.parse().expect("numeric"))
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=16).collect::<Vec<_>>());
}

#[test]
fn the_refresh_lock_is_shared_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sdk_tokens.txt");
    let (one, two) = (
        SdkCsvStore::new(&path).expect("one"),
        SdkCsvStore::new(&path).expect("two"),
    );
    let held = one.lock_user(ADA, Duration::from_secs(1)).expect("locked");
    let started = Instant::now();
    let e = two
        .lock_user(ADA, Duration::from_millis(200))
        .err()
        .expect("times out");
    assert_eq!(e.kind(), ErrorKind::LockTimeout);
    assert!(started.elapsed() < Duration::from_secs(2));
    two.lock_user("bob@example.com", Duration::from_millis(200))
        .expect("another user is free");
    drop(held);
    two.lock_user(ADA, Duration::from_millis(200))
        .expect("free again");
}

#[test]
fn bad_input_is_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("sdk_tokens.txt");
    fs::write(&path, sdk_file()).expect("written");
    let store = SdkCsvStore::new(&path).expect("store");
    for user in ["Doe, Ada", "say \"hi\"", "two\nlines", ""] {
        let e = store
            .save(&Tokens::new(
                Some(user.into()),
                Secret::new("1000.a"),
                None,
                FAR,
            ))
            .expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{user:?}");
    }
    assert_eq!(fs::read_to_string(&path).expect("read"), sdk_file());

    let corrupt = format!(
        "{}\n1,Doe, Ada,c,{CLIENT_SECRET},r,a,,{FAR},,",
        HEADER.join(",")
    );
    fs::write(&path, &corrupt).expect("written");
    let e = store.list().expect_err("corrupt");
    assert_eq!(e.kind(), ErrorKind::StoreCorrupt);
    assert!(!e.message().contains(CLIENT_SECRET));
    assert!(
        store
            .save(&Tokens::new(
                Some("bob".into()),
                Secret::new("a"),
                None,
                FAR
            ))
            .is_err()
    );
    assert!(store.delete("Doe").is_err());
    assert_eq!(
        fs::read_to_string(&path).expect("read"),
        corrupt,
        "left untouched"
    );
    assert!(SdkCsvStore::new(dir.path().join("missing/sdk_tokens.txt")).is_err());
}
