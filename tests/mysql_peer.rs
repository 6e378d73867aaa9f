//! Row compatibility with Zoho's SDK, both ways: `tests/peers/sdk_mysql_peer.php` runs the
//! SDK's exact SQL with mysqli (a real PHP process); the store and the client read its rows,
//! and it reads ours.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::process::Command;

use common::TestEnv;
use mysql::prelude::Queryable;
use support::{repo, sdk_table, server_url};
use zoho_oauth::{Secret, TokenStore, Tokens};

/// Runs the peer against `url`'s server and `table`; returns its standard output.
fn peer(url: &str, table: &str, args: &[&str]) -> String {
    let port = url
        .rsplit(':')
        .next()
        .and_then(|p| p.split('/').next())
        .unwrap();
    let out = Command::new("php")
        .arg(repo().join("tests/peers/sdk_mysql_peer.php"))
        .args(args)
        // The SDK's host string: localhost:<port> is TCP with mysqlnd.
        .env("PEER_HOST", "localhost")
        .env("PEER_PORT", port)
        .env("PEER_TABLE", table)
        .output()
        .expect("php runs (install php8.2-cli and php8.2-mysql)");
    assert!(
        out.status.success(),
        "peer failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn rows_the_sdk_writes_are_read_by_the_store_and_the_client() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "peer_in", None);
    let far = "4102444800000"; // 2100-01-01: valid, no refresh needed
    peer(
        &url,
        &table,
        &[
            "save",
            "ada@example.com",
            "1000.peer-ada",
            "1000.r-ada",
            far,
        ],
    );
    peer(
        &url,
        &table,
        &["save", "zoë@exämple.de", "1000.peer-zoe", "", far],
    );
    // The SDK's own duplicate-free overwrite of one user.
    peer(
        &url,
        &table,
        &[
            "save",
            "ada@example.com",
            "1000.peer-ada2",
            "1000.r-ada",
            far,
        ],
    );

    let store = support::store(&url, &table);
    let ada = store.get("ada@example.com").unwrap().unwrap();
    assert_eq!(ada.access_token.expose(), "1000.peer-ada2");
    assert_eq!(ada.refresh_token.as_ref().unwrap().expose(), "1000.r-ada");
    assert_eq!(ada.expiry_time_ms, 4_102_444_800_000);
    let zoe = store.get("zoë@exämple.de").unwrap().unwrap();
    assert_eq!(zoe.refresh_token, None, "the SDK's '' is no refresh token");
    assert_eq!(store.list().unwrap().len(), 2);

    let env = TestEnv::start();
    let identity = (
        common::CLIENT_ID,
        common::CLIENT_SECRET,
        common::REDIRECT_URI,
    );
    let client = support::client(identity, env.emulator.url(), &url, &table);
    assert_eq!(
        client.get_access_token("ada@example.com").unwrap().expose(),
        "1000.peer-ada2"
    );
    assert_eq!(env.requests(), 0);
}

#[test]
fn rows_we_write_are_read_by_the_sdk() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "peer_out", None);
    let store = support::store(&url, &table);
    let ada = Tokens::new(
        Some("ada@example.com".into()),
        Secret::new("1000.ours-ada"),
        Some(Secret::new("1000.ours-r")),
        1_795_316_346_330,
    );
    store.save(&ada).unwrap();
    store.save(&ada).unwrap();
    let online = Tokens::new(
        Some("online@example.com".into()),
        Secret::new("1000.ours-online"),
        None,
        1_795_316_346_331,
    );
    store.save(&online).unwrap();
    assert_eq!(
        peer(&url, &table, &["get", "ada@example.com"]).trim(),
        r#"{"user":"ada@example.com","access":"1000.ours-ada","refresh":"1000.ours-r","expiry":1795316346330.0}"#
    );
    assert_eq!(
        peer(&url, &table, &["get", "online@example.com"]).trim(),
        r#"{"user":"online@example.com","access":"1000.ours-online","refresh":"","expiry":1795316346331.0}"#,
        "no refresh token is '' as the SDK writes it"
    );
    assert_eq!(
        peer(&url, &table, &["get", "nobody@example.com"]).trim(),
        "null"
    );
}

/// Identifiers outside ASCII, written by the SDK and by the store, are found by the other,
/// and the same identifier is one row whoever wrote it, on `url`'s server and `table`.
fn non_ascii_rows_are_shared(url: &str, table: &str) {
    let far = "4102444800000";
    let store = support::store(url, table);
    for user in ["zoë@exämple.de", "名@例え.jp"] {
        peer(url, table, &["save", user, "1000.sdk", "1000.r-sdk", far]);
        let found = store.get(user).unwrap();
        assert_eq!(
            found.map(|t| t.access_token.expose().to_string()),
            Some("1000.sdk".to_string()),
            "{user}: the SDK's row is found"
        );
        // The store replaces the SDK's row (same bytes: one row), and the SDK reads ours.
        let ours = Tokens::new(
            Some(user.into()),
            Secret::new("1000.ours"),
            Some(Secret::new("1000.r-ours")),
            4_102_444_800_001,
        );
        store.save(&ours).unwrap();
        assert_eq!(
            peer(url, table, &["get", user]).trim(),
            format!(
                r#"{{"user":"{user}","access":"1000.ours","refresh":"1000.r-ours","expiry":4102444800001.0}}"#
            ),
            "{user}: the SDK reads our row"
        );
        assert_eq!(store.get(user).unwrap(), Some(ours));
    }
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), 2, "one row per identifier: {listed:?}");
    assert!(store.delete("zoë@exämple.de").unwrap());
    assert_eq!(peer(url, table, &["get", "zoë@exämple.de"]).trim(), "null");
}

#[test]
fn non_ascii_identifiers_are_shared_with_the_sdk_on_a_utf8mb4_server() {
    let Some(url) = server_url() else { return };
    non_ascii_rows_are_shared(&url, &sdk_table(&url, "peer_utf8", None));
    let table = support::unique_table("peer_utf8_ours");
    let store = support::store(&url, &table);
    store.create_schema().unwrap();
    non_ascii_rows_are_shared(&url, &table);
}

#[test]
fn non_ascii_identifiers_are_shared_with_the_sdk_on_a_latin1_server() {
    if server_url().is_none() {
        return;
    }
    // MariaDB's compiled default, MySQL 5.7's default; the SDK's mysqli connection (which
    // never sets a character set) then sends its UTF-8 bytes as latin1.
    let server = support::OwnServer::start(
        "--character-set-server=latin1 --collation-server=latin1_swedish_ci",
    );
    let url = server.url.clone();
    let charset: Option<String> = support::admin(&url)
        .query_first("SELECT DEFAULT_CHARACTER_SET_NAME FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = 'zohooauth'")
        .unwrap();
    assert_eq!(charset.as_deref(), Some("latin1"));
    // The SDK's table (latin1, as the database), then the table mysql-create makes (utf8mb4).
    non_ascii_rows_are_shared(&url, &sdk_table(&url, "peer_latin1", None));
    let table = support::unique_table("peer_latin1_ours");
    let store = support::store(&url, &table);
    store.create_schema().unwrap();
    non_ascii_rows_are_shared(&url, &table);
}
