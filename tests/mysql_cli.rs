//! The CLI and MySQL: `mysql-create` makes the database and table, `migrate` copies the SDK's
//! token file to MySQL and back to a JSON file, refusing a non-empty target without --force.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "mysql/support.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Stdio};

use mysql::prelude::Queryable;
use support::{admin, repo, server_url, unique_table};
use zoho_oauth::store::php_format;
use zoho_oauth::{FileStore, StoreFormat, TokenStore};

const BIN: &str = env!("CARGO_BIN_EXE_zoho-oauth");

/// Runs the CLI with a clean environment and `dir` as HOME and token directory.
fn cli(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("ZOHO_TOKEN_DIR", dir)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn mysql_create_then_migrate_sdk_file_to_mysql_and_back_to_json() {
    let Some(url) = server_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = unique_table("clidb");
    let table = unique_table("cli");
    let url_set = format!("mysql_url={}", url.replace("/zohooauth", &format!("/{db}")));
    let table_set = format!("mysql_table={table}");

    let (code, out, err) = cli(
        dir.path(),
        &["mysql-create", "--to-set", &url_set, "--to-set", &table_set],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("PRIMARY KEY (useridentifier)"), "{out}");
    let keys: Vec<(String, String)> = admin(&url)
        .exec(
            "SELECT COLUMN_NAME, COLUMN_KEY FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION",
            (&db, &table),
        )
        .unwrap();
    let names: Vec<&str> = keys.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "useridentifier",
            "accesstoken",
            "refreshtoken",
            "expirytime"
        ]
    );
    assert_eq!(keys[0].1, "PRI");

    let fixture = repo().join("tests/fixtures/php-sdk/three-users.zcrm_oauthtokens.txt");
    std::fs::copy(&fixture, dir.path().join("zcrm_oauthtokens.txt")).unwrap();
    let (code, out, err) = cli(
        dir.path(),
        &[
            "migrate", "--from", "php", "--to", "mysql", "--to-set", &url_set, "--to-set",
            &table_set,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Copied 3 users"), "{out}");
    let expected = php_format::decode(&std::fs::read(&fixture).unwrap()).unwrap();
    let in_db = support::store(&url.replace("/zohooauth", &format!("/{db}")), &table)
        .list()
        .unwrap();
    assert_eq!(in_db.len(), 3);
    for t in &expected {
        assert!(in_db.contains(t), "{:?} copied", t.user);
    }

    // Again without --force: refused, nothing written.
    let (code, _, err) = cli(
        dir.path(),
        &[
            "migrate", "--from", "php", "--to", "mysql", "--to-set", &url_set, "--to-set",
            &table_set,
        ],
    );
    assert_eq!(code, 6, "{err}");
    assert!(err.contains("already holds tokens of 3"), "{err}");

    let (code, out, err) = cli(
        dir.path(),
        &[
            "migrate",
            "--from",
            "mysql",
            "--to",
            "json",
            "--from-set",
            &url_set,
            "--from-set",
            &table_set,
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Copied 3 users"), "{out}");
    let json = FileStore::in_directory(dir.path(), StoreFormat::Json)
        .unwrap()
        .list()
        .unwrap();
    for t in &expected {
        assert!(json.contains(t), "{:?} copied back", t.user);
    }
    admin(&url)
        .query_drop(format!("DROP DATABASE `{db}`"))
        .unwrap();
}

#[test]
fn cli_store_errors_are_clear_and_never_show_the_password() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let down = format!("mysql_url=mysql://root:pw-s3cret@127.0.0.1:{port}/zohooauth");
    let (code, out, err) = cli(dir.path(), &["mysql-create", "--to-set", &down]);
    assert_ne!(code, 0);
    assert!(
        err.contains("unavailable") && err.contains("connection refused"),
        "{err}"
    );
    assert!(!format!("{out}{err}").contains("pw-s3cret"));
    for bad in ["mysql_table=o'brien", "mysql_url", "not_a_key=1"] {
        let (code, out, err) = cli(dir.path(), &["mysql-create", "--to-set", bad]);
        assert_ne!(code, 0, "{bad}");
        assert!(!out.contains("CREATE"), "{bad}");
        assert!(!err.is_empty(), "{bad}");
    }
    let (code, _, err) = cli(
        dir.path(),
        &["migrate", "--to", "json", "--from-set", "mysql_table=x"],
    );
    assert_eq!(code, 2, "{err}");
}
