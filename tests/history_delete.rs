//! A deleted user's refresh history goes with its tokens, in every store: the token files'
//! side file (`<file>.history`, for our token file in both formats and the SDK's CSV), MySQL's
//! `<table>_history` (both table layouts) and Redis' `<prefix>history:<id>`. Another user's
//! history stays. (MySQL and Redis run with `scripts/mariadb.sh` / `scripts/redis.sh`
//! servers, skipped without them.)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[cfg(feature = "mysql")]
#[path = "mysql/support.rs"]
mod mysql_support;
#[cfg(feature = "redis")]
#[path = "redis/support.rs"]
mod redis_support;

use common::{CLIENT_ID, CLIENT_SECRET, REDIRECT_URI};
use zoho_oauth::{Config, Secret, StoreFormat, TokenStore, Tokens};

const ADA: &str = "ada@example.com";
const BOB: &str = "bob@example.com";

fn tokens(user: &str) -> Tokens {
    Tokens::new(
        Some(user.into()),
        Secret::new(format!("1000.access.{user}")),
        Some(Secret::new(format!("1000.refresh.{user}"))),
        4_102_444_800_000,
    )
}

/// Two users with tokens and a history each; deleting one forgets its history only, and a
/// delete of nobody changes nothing. Returns nothing: asserts.
fn deleting_forgets_the_history(store: &dyn TokenStore, what: &str) {
    for user in [ADA, BOB] {
        store.save(&tokens(user)).unwrap();
        store
            .write_history(user, &format!("{{\"refreshes_total\":{}}}", user.len()))
            .unwrap();
    }
    assert!(store.read_history(BOB).unwrap().is_some(), "{what}: kept");
    assert!(!store.delete("nobody@example.com").unwrap());
    assert!(store.read_history(BOB).unwrap().is_some(), "{what}");
    assert!(store.delete(BOB).unwrap(), "{what}: deleted");
    assert_eq!(store.read_history(BOB).unwrap(), None, "{what}: forgotten");
    assert_eq!(
        store.read_history(ADA).unwrap(),
        Some(format!("{{\"refreshes_total\":{}}}", ADA.len())),
        "{what}: the other user's history stays"
    );
}

#[test]
fn the_token_files_side_file_forgets_a_deleted_user() {
    for (format, name) in [
        (StoreFormat::PhpSdk, "zcrm_oauthtokens.txt"),
        (StoreFormat::Json, "zoho_oauth_tokens.json"),
        (StoreFormat::PhpSdk, "sdk_tokens.txt"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let config = Config::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
            .with_token_persistence_path(dir.path().join(name))
            .with_token_store_format(format);
        let store = zoho_oauth::store::open(&config).unwrap();
        deleting_forgets_the_history(store.as_ref(), name);
        let side = std::fs::read_to_string(dir.path().join(format!("{name}.history"))).unwrap();
        assert!(!side.contains(BOB), "{name}: {side}");
        assert!(side.contains(ADA), "{name}: {side}");
    }
}

#[cfg(feature = "mysql")]
#[test]
fn mysql_side_tables_forget_a_deleted_user() {
    use mysql::prelude::Queryable;
    let Some(url) = mysql_support::server_url() else {
        return;
    };
    let table = mysql_support::sdk_table(&url, "histdel", None);
    let store = mysql_support::store(&url, &table);
    deleting_forgets_the_history(&store, "mysql");
    let rows: Vec<String> = mysql_support::admin(&url)
        .query(format!(
            "SELECT useridentifier FROM zohooauth.`{table}_history`"
        ))
        .unwrap();
    assert_eq!(rows, [ADA], "mysql: no row of the deleted user");

    let db = mysql_support::unique_table("histdel_ot");
    let mut admin = mysql_support::admin(&url);
    admin.query_drop(format!("CREATE DATABASE `{db}`")).unwrap();
    admin
        .query_drop(zoho_oauth::store::mysql::oauthtoken::create_table(
            &format!("`{db}`.`oauthtoken`"),
        ))
        .unwrap();
    let config = Config::from_pairs([
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
        ("redirect_uri", REDIRECT_URI),
        ("token_store", "mysql"),
        ("mysql_url", url.as_str()),
        ("mysql_database", db.as_str()),
        ("mysql_table", "oauthtoken"),
    ])
    .unwrap();
    let store = zoho_oauth::store::open(&config).unwrap();
    deleting_forgets_the_history(store.as_ref(), "oauthtoken");
    admin.query_drop(format!("DROP DATABASE `{db}`")).unwrap();
}

#[cfg(feature = "redis")]
#[test]
fn redis_forgets_a_deleted_users_history_key() {
    let Some(url) = redis_support::url() else {
        return;
    };
    let prefix = redis_support::unique_prefix();
    let store = redis_support::store(&url, &prefix);
    deleting_forgets_the_history(&store, "redis");
    let mut raw = redis_support::raw(&url);
    let keys: Vec<String> = redis::cmd("KEYS")
        .arg(format!("{prefix}history:*"))
        .query(&mut raw)
        .unwrap();
    assert_eq!(keys.len(), 1, "only the other user's history: {keys:?}");
}
