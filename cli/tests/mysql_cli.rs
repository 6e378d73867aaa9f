//! The CLI and MySQL: `mysql-create` makes the database and table, `migrate` copies the SDK's
//! token file to MySQL and back to a JSON file, refusing a non-empty target without --force.
#![allow(clippy::unwrap_used, missing_docs)]

#[allow(dead_code, unused_imports)]
#[path = "support/mod.rs"]
mod cli_support;
#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "support/sealed_migration.rs"]
mod sealed_migration;
#[path = "../../tests/mysql/support.rs"]
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
    cli_with(dir, args, &[])
}

/// [`cli`] with environment variables.
fn cli_with(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> (i32, String, String) {
    let out = Command::new(BIN)
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("ZOHO_TOKEN_DIR", dir)
        .envs(vars.iter().copied())
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

/// `migrate --to mysql --to-encryption on` into a table `mysql-create` made: every value in
/// the table sealed, none readable without the key, and back out in clear with it.
#[test]
fn migrate_to_mysql_with_encryption_and_back_in_clear() {
    let Some(url) = server_url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let db = unique_table("sealdb");
    let table = unique_table("sealed");
    let db_url = url.replace("/zohooauth", &format!("/{db}"));
    let sets = [
        format!("mysql_url={db_url}"),
        format!("mysql_table={table}"),
    ];
    let (code, _, err) = cli(
        dir.path(),
        &["mysql-create", "--to-set", &sets[0], "--to-set", &sets[1]],
    );
    assert_eq!(code, 0, "{err}");
    sealed_migration::sealed_round_trip(dir.path(), "mysql", &sets, || {
        support::store(&db_url, &table).list().unwrap()
    });
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
    let down = format!("mysql_url=mysql://root@127.0.0.1:{port}/zohooauth");
    let (code, out, err) = cli_with(
        dir.path(),
        &["mysql-create", "--to-set", &down],
        &[("ZOHO_DB_PASSWORD", "pw-s3cret")],
    );
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

#[test]
fn a_password_on_the_command_line_is_refused_and_nothing_is_done() {
    let dir = tempfile::tempdir().unwrap();
    let table = unique_table("argv");
    let table_set = format!("mysql_table={table}");
    let port = server_url()
        .and_then(|u| {
            u.rsplit(':')
                .next()
                .map(|p| p.trim_end_matches("/zohooauth").to_string())
        })
        .unwrap_or_else(|| "9".into());
    let with_password = format!("mysql_url=mysql://root:hunter2@127.0.0.1:{port}/zohooauth");
    // A token file to migrate from, so migrate gets as far as the target's settings.
    FileStore::in_directory(dir.path(), StoreFormat::PhpSdk)
        .unwrap()
        .save(&zoho_oauth::Tokens::new(
            Some("ada@example.com".into()),
            zoho_oauth::Secret::new("1000.a"),
            None,
            1,
        ))
        .unwrap();
    for args in [
        vec![
            "mysql-create",
            "--to-set",
            &with_password,
            "--to-set",
            &table_set,
        ],
        vec![
            "mysql-create",
            "--to-set",
            "db_password=hunter2",
            "--to-set",
            &table_set,
        ],
        vec![
            "migrate",
            "--from",
            "php",
            "--to",
            "mysql",
            "--to-set",
            &with_password,
        ],
        vec![
            "migrate",
            "--from",
            "mysql",
            "--to",
            "json",
            "--from-set",
            "db_password=hunter2",
        ],
        vec![
            "migrate",
            "--from",
            "php",
            "--to",
            "redis",
            "--to-set",
            "redis_url=redis://:hunter2@127.0.0.1:9/0",
        ],
    ] {
        let (code, out, err) = cli(dir.path(), &args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(
            err.contains("process list") && err.contains("ZOHO_DB_PASSWORD"),
            "{err}"
        );
        assert!(!format!("{out}{err}").contains("hunter2"), "{args:?}");
    }
    if let Some(url) = server_url() {
        let made: Option<u64> = admin(&url)
            .exec_first(
                "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_NAME = ?",
                (&table,),
            )
            .unwrap();
        assert_eq!(made, Some(0), "nothing was created");
    }
}

/// A MySQL user with a password, allowed to create tables in `zohooauth`.
fn user_with_password(url: &str, password: &str) -> String {
    let user = unique_table("pw");
    let mut conn = admin(url);
    conn.query_drop(format!(
        "CREATE USER '{user}'@'127.0.0.1' IDENTIFIED BY '{password}'"
    ))
    .unwrap();
    conn.query_drop(format!("GRANT ALL ON zohooauth.* TO '{user}'@'127.0.0.1'"))
        .unwrap();
    user
}

/// `mysql-create` of `table` with `url_set` (`mysql_url=...`) and `vars`.
fn create(dir: &Path, url_set: &str, table: &str, vars: &[(&str, &str)]) -> (i32, String, String) {
    let table_set = format!("mysql_table={table}");
    cli_with(
        dir,
        &["mysql-create", "--to-set", url_set, "--to-set", &table_set],
        vars,
    )
}

fn table_exists(url: &str, table: &str) -> bool {
    let n: Option<u64> = admin(url)
        .exec_first(
            "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'zohooauth' AND TABLE_NAME = ?",
            (table,),
        )
        .unwrap();
    n == Some(1)
}

#[test]
fn mysql_create_takes_the_password_from_the_environment_or_the_config_file() {
    let Some(url) = server_url() else { return };
    let password = "pw-Env5ecret";
    let user = user_with_password(&url, password);
    let dir = tempfile::tempdir().unwrap();
    let url_set = format!(
        "mysql_url={}",
        url.replacen("root@", &format!("{user}@"), 1)
    );

    let table = unique_table("pw_none");
    let (code, _, err) = create(dir.path(), &url_set, &table, &[]);
    assert_ne!(code, 0, "no password: access denied");
    assert!(err.contains("access denied"), "{err}");

    let table = unique_table("pw_env");
    let (code, _, err) = create(
        dir.path(),
        &url_set,
        &table,
        &[("ZOHO_DB_PASSWORD", password)],
    );
    assert_eq!(code, 0, "{err}");
    assert!(table_exists(&url, &table));

    let table = unique_table("pw_file");
    let config = dir.path().join("config");
    std::fs::write(&config, format!("db_password={password}\n")).unwrap();
    let (code, out, err) = create(
        dir.path(),
        &url_set,
        &table,
        &[("ZOHO_OAUTH_CONFIG", config.to_str().unwrap())],
    );
    assert_eq!(code, 0, "{err}");
    assert!(table_exists(&url, &table));
    assert!(!format!("{out}{err}").contains(password));

    // --ask-password without a terminal says so.
    let (code, _, err) = cli(
        dir.path(),
        &["mysql-create", "--ask-password", "--to-set", &url_set],
    );
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("terminal"), "{err}");
    support::drop_user(&url, &user);
}

#[test]
fn mysql_create_asks_for_the_password_on_a_terminal_without_echo() {
    let Some(url) = server_url() else { return };
    let password = "pw-Typed5ecret";
    let user = user_with_password(&url, password);
    let dir = tempfile::tempdir().unwrap();
    let table = unique_table("pw_tty");
    let mut cmd = Command::new(BIN);
    cmd.args([
        "mysql-create",
        "--ask-password",
        "--to-set",
        &format!(
            "mysql_url={}",
            url.replacen("root@", &format!("{user}@"), 1)
        ),
        "--to-set",
        &format!("mysql_table={table}"),
    ])
    .env_clear()
    .env("HOME", dir.path())
    .env("ZOHO_TOKEN_DIR", dir.path());
    let mut pty = cli_support::Pty::spawn(cmd);
    pty.wait_until("the prompt", |p| p.shown().contains("MySQL password for"));
    pty.wait_until("echo off", |p| !p.echo());
    pty.type_text(&format!("{password}\n"));
    let status = pty.wait();
    pty.wait_until("the result", |p| p.shown().contains("Created"));
    assert_eq!(status.code(), Some(0), "{:?}", pty.shown());
    assert!(!pty.shown().contains(password), "the password was echoed");
    assert!(table_exists(&url, &table));
    support::drop_user(&url, &user);
}
