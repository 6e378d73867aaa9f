//! The `oauthtoken` table of Zoho's current SDKs (`token_store=mysql`, `mysql_table=oauthtoken`)
//! on a real MariaDB (`eval "$(scripts/mariadb.sh start DIR)"`; skipped without
//! `ZOHO_TEST_MYSQL_URL`): rows written with the SDK's own statements are read, ours are read
//! by the SDK's `SELECT`, ids are allocated as the SDK does, one refresh for many clients,
//! and a missing table is a clear error that changes nothing.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::sync::{Arc, Barrier};
use std::thread;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv};
use mysql::prelude::Queryable;
use support::{admin, server_url, unique_table};
use zoho_oauth::store::mysql::oauthtoken;
use zoho_oauth::{Config, Secret, TokenStore, Tokens};

const FAR: i64 = 4_102_444_800_000;

/// A fresh database holding an `oauthtoken` table (the SDK README's DDL, `user_name` nullable).
fn database(url: &str) -> String {
    let db = unique_table("bridge");
    let mut conn = admin(url);
    conn.query_drop(format!("CREATE DATABASE `{db}`")).unwrap();
    conn.query_drop(oauthtoken::create_table(&format!("`{db}`.`oauthtoken`")))
        .unwrap();
    db
}

fn config(env: Option<&TestEnv>, url: &str, db: &str) -> Config {
    let accounts = env.map_or("https://accounts.zoho.com".to_string(), |e| {
        e.emulator.url()
    });
    Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("accounts_url", accounts.as_str()),
        ("token_store", "mysql"),
        ("mysql_url", url),
        ("mysql_database", db),
        ("mysql_table", "oauthtoken"),
    ])
    .unwrap()
}

/// What the SDK's DBStore runs to save a token (fully prepared INSERT ... ON DUPLICATE KEY).
fn sdk_insert(url: &str, db: &str, id: &str, user: Option<&str>, access: &str, expiry: &str) {
    admin(url)
        .exec_drop(
            format!(
                "INSERT INTO `{db}`.oauthtoken (id, user_name, client_id, client_secret, refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE access_token = VALUES(access_token)"
            ),
            (id, user, CLIENT_ID, CLIENT_SECRET, format!("1000.r.{id}"), access, None::<String>, expiry, REDIRECT_URI, "https://www.zohoapis.eu"),
        )
        .unwrap();
}

/// One row as the SDK's `SELECT *` sees it: (id, user_name, client_id, access_token, expiry_time).
type SdkRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// The table as the SDK's `SELECT *` sees it, in id order.
fn sdk_rows(url: &str, db: &str) -> Vec<SdkRow> {
    admin(url)
        .query(format!(
            "SELECT id, user_name, client_id, access_token, expiry_time FROM `{db}`.oauthtoken ORDER BY CAST(id AS UNSIGNED)"
        ))
        .unwrap()
}

#[test]
fn the_sdks_rows_and_ours_read_each_other() {
    let Some(url) = server_url() else { return };
    let db = database(&url);
    sdk_insert(&url, &db, "1", Some(ADA), "1000.a.ada", &FAR.to_string());
    sdk_insert(&url, &db, "2", None, "1000.a.anon", &FAR.to_string());
    let store = zoho_oauth::store::open(&config(None, &url, &db)).unwrap();
    assert!(
        store.describe().ends_with(".oauthtoken"),
        "{}",
        store.describe()
    );

    let ada = store
        .get("ADA@example.com")
        .unwrap()
        .expect("found by user name");
    assert_eq!(ada.access_token.expose(), "1000.a.ada");
    assert_eq!(ada.expiry_time_ms, FAR);
    assert_eq!(ada.api_domain.as_deref(), Some("https://www.zohoapis.eu"));
    let anon = store.get("2").unwrap().expect("a row without user, by id");
    assert_eq!(anon.access_token.expose(), "1000.a.anon");

    let mut fresh = ada.clone();
    fresh.access_token = Secret::new("1000.a.new");
    store.save(&fresh).unwrap();
    store
        .save(&Tokens::new(
            Some("bob@example.com".into()),
            Secret::new("1000.a.bob"),
            Some(Secret::new("1000.r.bob")),
            FAR,
        ))
        .unwrap();
    let rows = sdk_rows(&url, &db);
    assert_eq!(rows.len(), 3);
    assert_eq!(
        rows[0],
        (
            "1".into(),
            Some(ADA.into()),
            Some(CLIENT_ID.into()),
            Some("1000.a.new".into()),
            Some(FAR.to_string())
        ),
        "updated in place"
    );
    assert_eq!(
        rows[2],
        (
            "3".into(),
            Some("bob@example.com".into()),
            Some(CLIENT_ID.into()),
            Some("1000.a.bob".into()),
            Some(FAR.to_string())
        ),
        "the next id and our client"
    );
    assert_eq!(store.list().unwrap().len(), 3);
    assert!(store.delete("2").unwrap());
    assert!(!store.delete("2").unwrap());
    assert_eq!(sdk_rows(&url, &db).len(), 2);
}

#[test]
fn concurrent_saves_of_new_users_get_distinct_ids() {
    let Some(url) = server_url() else { return };
    let db = database(&url);
    let config = config(None, &url, &db);
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|i| {
            let (config, barrier) = (config.clone(), barrier.clone());
            thread::spawn(move || {
                let store = zoho_oauth::store::open(&config).unwrap();
                barrier.wait();
                store
                    .save(&Tokens::new(
                        Some(format!("user{i}@example.com")),
                        Secret::new("1000.a"),
                        None,
                        FAR,
                    ))
                    .unwrap();
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let mut ids: Vec<u64> = sdk_rows(&url, &db)
        .iter()
        .map(|r| r.0.parse().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, (1..=8).collect::<Vec<_>>());
}

#[test]
fn one_refresh_for_many_clients() {
    let Some(url) = server_url() else { return };
    let env = TestEnv::start();
    let db = database(&url);
    let config = config(Some(&env), &url, &db);
    let client = env.client_for(config.clone());
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    assert_eq!(sdk_rows(&url, &db)[0].1.as_deref(), Some(ADA));
    common::advance(&env.clock, 3600);
    let barrier = Arc::new(Barrier::new(8));
    let handles: Vec<_> = (0..8)
        .map(|_| {
            let (config, barrier, clock) = (config.clone(), barrier.clone(), env.clock.clone());
            thread::spawn(move || {
                let client = zoho_oauth::OAuthClient::from_config(config)
                    .unwrap()
                    .with_clock(clock);
                barrier.wait();
                client.get_access_token(ADA).unwrap().expose().to_string()
            })
        })
        .collect();
    let tokens: Vec<String> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(tokens.iter().all(|t| *t == tokens[0]));
    assert_eq!(env.counter("token.refresh_token"), 1);
    assert_eq!(
        sdk_rows(&url, &db)[0].3.as_deref(),
        Some(tokens[0].as_str()),
        "the SDK reads the new token"
    );
}

#[test]
fn a_missing_table_is_a_clear_error_and_nothing_is_created() {
    let Some(url) = server_url() else { return };
    let db = unique_table("bridge_empty");
    admin(&url)
        .query_drop(format!("CREATE DATABASE `{db}`"))
        .unwrap();
    let store = zoho_oauth::store::open(&config(None, &url, &db)).unwrap();
    let e = store.get(ADA).expect_err("no table");
    assert!(
        e.message().contains("oauthtoken") || e.hint().unwrap_or("").contains("oauthtoken"),
        "{e:?}"
    );
    assert!(!format!("{e:?}").contains(CLIENT_SECRET));
    let save = store.save(&Tokens::new(
        Some(ADA.into()),
        Secret::new("1000.a"),
        None,
        FAR,
    ));
    assert!(save.is_err());
    let tables: Vec<String> = admin(&url)
        .query(format!("SHOW TABLES FROM `{db}`"))
        .unwrap();
    assert!(tables.is_empty(), "nothing created: {tables:?}");
}

#[test]
fn mysql_create_makes_the_current_sdks_table() {
    let Some(url) = server_url() else { return };
    let db = unique_table("bridge_create");
    let config = config(None, &url, &db);
    let statements = zoho_oauth::store::MysqlStore::open(&config)
        .unwrap()
        .create_schema()
        .unwrap();
    assert!(
        statements[1].contains("user_name varchar(255)"),
        "{statements:?}"
    );
    let store = zoho_oauth::store::open(&config).unwrap();
    store
        .save(&Tokens::new(
            Some(ADA.into()),
            Secret::new("1000.a"),
            None,
            FAR,
        ))
        .unwrap();
    assert_eq!(sdk_rows(&url, &db)[0].0, "1");
}
