//! Nothing may undo a consent or a delete: a refresh's save (`save_refreshed`) checks and
//! writes in one transaction, on both table layouts. Each race is played with two
//! connections: another session's transaction (a grant's save, a delete, a later refresh) is
//! open when the refresh's save starts, which then waits for it and decides on what it
//! committed. A read-then-save would overwrite it.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "mysql/support.rs"]
mod support;

use std::sync::Arc;
use std::time::Duration;

use mysql::prelude::Queryable;
use support::{admin, rows, sdk_table, server_url};
use zoho_oauth::store::RefreshSave;
use zoho_oauth::store::mysql::oauthtoken::OauthtokenStore;
use zoho_oauth::{Config, ErrorKind, Secret, TokenStore, Tokens};

const ADA: &str = "ada@example.com";

fn tokens(access: &str, refresh: &str, expiry: i64) -> Tokens {
    Tokens::new(
        Some(ADA.into()),
        Secret::new(access),
        Some(Secret::new(refresh)),
        expiry,
    )
}

/// Runs `statements` in a transaction of another session, starts `fresh`'s conditional save
/// (refreshed with `used`), checks that it waits for that transaction, commits it, and
/// returns what the save did.
fn race(
    url: &str,
    store: Arc<dyn TokenStore>,
    statements: &[String],
    fresh: Tokens,
    used: &str,
) -> RefreshSave {
    let mut other = admin(url);
    other.query_drop("START TRANSACTION").unwrap();
    for sql in statements {
        other.query_drop(sql).unwrap();
    }
    let used = Secret::new(used);
    let saving = std::thread::spawn(move || store.save_refreshed(&fresh, &used));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !saving.is_finished(),
        "the refresh's save did not wait for the other transaction"
    );
    other.query_drop("COMMIT").unwrap();
    saving.join().unwrap().unwrap()
}

fn sdk_store(url: &str, prefix: &str) -> (String, Arc<dyn TokenStore>) {
    let table = sdk_table(url, prefix, None);
    let store: Arc<dyn TokenStore> = Arc::new(support::store(url, &table));
    store.save(&tokens("1000.a1", "1000.rt1", 1_000)).unwrap();
    (table, store)
}

fn insert_sdk(table: &str, access: &str, refresh: &str, expiry: i64) -> [String; 2] {
    [
        format!("DELETE FROM zohooauth.`{table}` WHERE useridentifier = '{ADA}'"),
        format!(
            "INSERT INTO zohooauth.`{table}` VALUES ('{ADA}', '{access}', '{refresh}', {expiry})"
        ),
    ]
}

#[test]
fn a_consent_saved_while_a_refresh_runs_is_kept() {
    let Some(url) = server_url() else { return };
    let (table, store) = sdk_store(&url, "race_consent");
    let grant = insert_sdk(&table, "1000.a2", "1000.rt2", 5_000);
    let outcome = race(
        &url,
        store.clone(),
        &grant,
        tokens("1000.a1b", "1000.rt1", 4_000),
        "1000.rt1",
    );
    assert_eq!(outcome, RefreshSave::Superseded);
    let stored = rows(&url, &table);
    assert_eq!(
        stored,
        [(ADA.to_string(), "1000.a2".into(), "1000.rt2".into(), 5_000)]
    );
}

#[test]
fn a_delete_made_while_a_refresh_runs_is_not_undone() {
    let Some(url) = server_url() else { return };
    let (table, store) = sdk_store(&url, "race_delete");
    let delete = [format!(
        "DELETE FROM zohooauth.`{table}` WHERE useridentifier = '{ADA}'"
    )];
    let outcome = race(
        &url,
        store.clone(),
        &delete,
        tokens("1000.a1b", "1000.rt1", 4_000),
        "1000.rt1",
    );
    assert_eq!(outcome, RefreshSave::Superseded);
    assert!(rows(&url, &table).is_empty());
    assert_eq!(store.get(ADA).unwrap(), None);
}

#[test]
fn a_later_refresh_is_not_replaced_by_an_earlier_one() {
    let Some(url) = server_url() else { return };
    let (table, store) = sdk_store(&url, "race_later");
    let later = insert_sdk(&table, "1000.a3", "1000.rt1", 9_000);
    let outcome = race(
        &url,
        store.clone(),
        &later,
        tokens("1000.a1b", "1000.rt1", 4_000),
        "1000.rt1",
    );
    assert_eq!(outcome, RefreshSave::Newer);
    assert_eq!(rows(&url, &table)[0].1, "1000.a3");

    // Without a race, the refresh is saved over the SDK's duplicates: one row remains.
    admin(&url)
        .query_drop(format!(
            "INSERT INTO zohooauth.`{table}` VALUES ('{ADA}', '1000.dup', '1000.rt1', 10)"
        ))
        .unwrap();
    let fresh = tokens("1000.a4", "1000.rt1", 20_000);
    assert_eq!(
        store
            .save_refreshed(&fresh, &Secret::new("1000.rt1"))
            .unwrap(),
        RefreshSave::Saved
    );
    assert_eq!(
        rows(&url, &table),
        [(ADA.to_string(), "1000.a4".into(), "1000.rt1".into(), 20_000)]
    );
}

#[test]
fn an_unusable_stored_row_fails_the_refreshs_save_and_stays() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(
        &url,
        "race_corrupt",
        Some(
            "useridentifier varchar(100), accesstoken text, refreshtoken varchar(100), expirytime varchar(20)",
        ),
    );
    admin(&url)
        .query_drop(format!(
            "INSERT INTO zohooauth.`{table}` VALUES ('{ADA}', '1000.a1', '1000.rt1', 'soon')"
        ))
        .unwrap();
    let store = support::store(&url, &table);
    let e = store
        .save_refreshed(
            &tokens("1000.a2", "1000.rt1", 4_000),
            &Secret::new("1000.rt1"),
        )
        .expect_err("the stored row is unusable");
    assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
    assert!(
        e.message().contains("expirytime") && e.message().contains(ADA),
        "{e}"
    );
    let kept: Vec<(String, String)> = admin(&url)
        .query(format!(
            "SELECT accesstoken, expirytime FROM zohooauth.`{table}`"
        ))
        .unwrap();
    assert_eq!(kept, [("1000.a1".to_string(), "soon".to_string())]);
}

/// The current SDKs' table, with Ada's row (refresh token rt1) and Bob's.
fn oauthtoken_store(url: &str, db: &str) -> Arc<dyn TokenStore> {
    let mut conn = admin(url);
    conn.query_drop(format!("CREATE DATABASE `{db}`")).unwrap();
    conn.query_drop(zoho_oauth::store::mysql::oauthtoken::create_table(
        &format!("`{db}`.`oauthtoken`"),
    ))
    .unwrap();
    conn.query_drop(format!(
        "INSERT INTO `{db}`.oauthtoken (id, user_name, client_id, refresh_token, access_token, expiry_time) VALUES \
         ('1', '{ADA}', 'c', '1000.rt1', '1000.a1', '1000'), ('2', 'bob@example.com', 'c', '1000.rtb', '1000.b', '1000')"
    ))
    .unwrap();
    let config = Config::from_pairs([
        ("client_id", "1000.C"),
        ("client_secret", "s"),
        ("redirect_uri", "https://example.com/cb"),
        ("token_store", "mysql"),
        ("mysql_url", url),
        ("mysql_database", db),
        ("mysql_table", "oauthtoken"),
    ])
    .unwrap();
    Arc::new(OauthtokenStore::open(&config).unwrap())
}

fn ada_row(url: &str, db: &str) -> Option<(String, String, String)> {
    admin(url)
        .exec_first(
            format!("SELECT access_token, refresh_token, expiry_time FROM `{db}`.oauthtoken WHERE user_name = ?"),
            (ADA,),
        )
        .unwrap()
}

#[test]
fn the_current_sdks_table_keeps_consents_deletes_and_later_refreshes() {
    let Some(url) = server_url() else { return };
    let db = support::unique_table("race_ot");
    let store = oauthtoken_store(&url, &db);
    let fresh = || tokens("1000.a1b", "1000.rt1", 4_000);

    let consent = [format!(
        "UPDATE `{db}`.oauthtoken SET access_token = '1000.a2', refresh_token = '1000.rt2', expiry_time = '5000' WHERE id = '1'"
    )];
    assert_eq!(
        race(&url, store.clone(), &consent, fresh(), "1000.rt1"),
        RefreshSave::Superseded
    );
    assert_eq!(
        ada_row(&url, &db),
        Some(("1000.a2".into(), "1000.rt2".into(), "5000".into()))
    );

    let later = [format!(
        "UPDATE `{db}`.oauthtoken SET access_token = '1000.a3', refresh_token = '1000.rt1', expiry_time = '9000' WHERE id = '1'"
    )];
    assert_eq!(
        race(&url, store.clone(), &later, fresh(), "1000.rt1"),
        RefreshSave::Newer
    );
    assert_eq!(ada_row(&url, &db).unwrap().0, "1000.a3");

    let delete = [format!("DELETE FROM `{db}`.oauthtoken WHERE id = '1'")];
    assert_eq!(
        race(&url, store.clone(), &delete, fresh(), "1000.rt1"),
        RefreshSave::Superseded
    );
    assert_eq!(ada_row(&url, &db), None, "the delete stands");

    let bob = Tokens::new(
        Some("bob@example.com".into()),
        Secret::new("1000.b2"),
        Some(Secret::new("1000.rtb")),
        7_000,
    );
    assert_eq!(
        store
            .save_refreshed(&bob, &Secret::new("1000.rtb"))
            .unwrap(),
        RefreshSave::Saved
    );
    let bob_row: Option<(String, String)> = admin(&url)
        .query_first(format!(
            "SELECT id, access_token FROM `{db}`.oauthtoken WHERE user_name = 'bob@example.com'"
        ))
        .unwrap();
    assert_eq!(
        bob_row,
        Some(("2".into(), "1000.b2".into())),
        "the row and its id are kept"
    );
    admin(&url)
        .query_drop(format!("DROP DATABASE `{db}`"))
        .unwrap();
}
