//! Row compatibility with Zoho's SDK, both ways: `tests/peers/sdk_mysql_peer.php` runs the
//! SDK's exact SQL with mysqli (a real PHP process); the store and the client read its rows,
//! and it reads ours.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::process::Command;

use common::TestEnv;
use support::{repo, sdk_table, server_url};
use zoho_oauth::{Config, OAuthClient, Secret, TokenStore, Tokens};

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
    let mut pairs = vec![
        ("client_id".to_string(), common::CLIENT_ID.to_string()),
        ("client_secret".into(), common::CLIENT_SECRET.into()),
        ("redirect_uri".into(), common::REDIRECT_URI.into()),
        ("accounts_url".into(), env.emulator.url()),
    ];
    pairs.extend(support::keys(&url, &table));
    let client = OAuthClient::from_config(Config::from_pairs(pairs).unwrap()).unwrap();
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
