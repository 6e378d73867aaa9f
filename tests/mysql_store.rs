//! The MySQL store through the Rust API against a real MariaDB (`ZOHO_TEST_MYSQL_URL`):
//! round trips, the SDK's rows, one row per user, bad input, the server's errors, locks.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;
#[path = "mysql/support.rs"]
mod support;

use std::time::{Duration, Instant};

use mysql::prelude::Queryable;
use support::{admin, connections_of, rows, sdk_table, server_url, store};
use zoho_oauth::store::mysql::MysqlStore;
use zoho_oauth::{ErrorKind, Secret, TokenStore, Tokens};

fn tokens(user: &str, access: &str, refresh: Option<&str>, expiry: i64) -> Tokens {
    Tokens::new(
        Some(user.into()),
        Secret::new(access),
        refresh.map(Secret::new),
        expiry,
    )
}

#[test]
fn round_trip_with_quotes_backslashes_and_utf8_in_identifiers() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "roundtrip", None);
    let store = store(&url, &table);
    let users = [
        "o'brien@example.com",
        "back\\slash@example.com",
        "zoë@exämple.de",
        "日本@例え.jp",
        "x'); DROP TABLE oauthtokens; --",
    ];
    for (i, user) in users.iter().enumerate() {
        let t = tokens(
            user,
            &format!("1000.a'\\{i}"),
            Some("1000.r\"'\\"),
            1_000 + i as i64,
        );
        store.save(&t).unwrap();
        assert_eq!(store.get(user).unwrap(), Some(t));
    }
    let listed = store.list().unwrap();
    assert_eq!(listed.len(), users.len());
    let sdk_rows = rows(&url, &table);
    assert_eq!(sdk_rows[0].0, "o'brien@example.com");
    assert_eq!(sdk_rows[1].2, "1000.r\"'\\");
    assert!(store.delete("zoë@exämple.de").unwrap());
    assert!(!store.delete("zoë@exämple.de").unwrap());
    assert_eq!(store.get("zoë@exämple.de").unwrap(), None);
    assert_eq!(store.list().unwrap().len(), users.len() - 1);
}

#[test]
fn sdk_rows_are_read_and_a_save_leaves_one_row_per_user() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "dups", None);
    let mut conn = admin(&url);
    // What the SDK leaves behind: duplicates from racing delete-then-insert, '' for a
    // missing refresh token, and a case variant that is another user.
    conn.query_drop(format!(
        "INSERT INTO zohooauth.`{table}` VALUES \
         ('ada@example.com','1000.old','1000.r',1000), \
         ('ada@example.com','1000.new','1000.r',2000), \
         ('online@example.com','1000.o','',3000), \
         ('ADA@example.com','1000.upper','1000.R',4000)"
    ))
    .unwrap();
    let store = store(&url, &table);
    let ada = store.get("ada@example.com").unwrap().unwrap();
    assert_eq!(
        ada.access_token.expose(),
        "1000.new",
        "the longest-lived duplicate"
    );
    let online = store.get("online@example.com").unwrap().unwrap();
    assert_eq!(online.refresh_token, None);
    assert_eq!(
        store
            .get("ADA@example.com")
            .unwrap()
            .unwrap()
            .access_token
            .expose(),
        "1000.upper"
    );
    assert_eq!(
        store.get("Ada@Example.com").unwrap(),
        None,
        "ambiguous case match"
    );
    assert_eq!(
        store
            .get("ONLINE@example.com")
            .unwrap()
            .unwrap()
            .user
            .as_deref(),
        Some("online@example.com"),
        "a unique case-insensitive match is found"
    );

    store
        .save(&tokens(
            "ada@example.com",
            "1000.newest",
            Some("1000.r"),
            5000,
        ))
        .unwrap();
    let all = rows(&url, &table);
    let adas: Vec<_> = all.iter().filter(|r| r.0 == "ada@example.com").collect();
    assert_eq!(adas.len(), 1, "{all:?}");
    assert_eq!(adas[0].1, "1000.newest");
    assert!(
        all.iter().any(|r| r.0 == "ADA@example.com"),
        "the other user is kept"
    );
    assert_eq!(all.len(), 3);
    assert!(store.delete("ADA@example.com").unwrap());
    assert!(rows(&url, &table).iter().any(|r| r.0 == "ada@example.com"));
}

#[test]
fn over_long_values_are_refused_before_writing_and_wider_columns_work() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "long", None);
    let store = store(&url, &table);
    let kept = tokens("ada@example.com", "1000.a", Some("1000.r"), 1);
    store.save(&kept).unwrap();
    let long_token = format!("1000.{}", "a".repeat(150));
    for bad in [
        tokens("ada@example.com", &long_token, Some("1000.r"), 2),
        tokens("ada@example.com", "1000.a", Some(&long_token), 2),
        tokens(
            &format!("{}@example.com", "ö".repeat(100)),
            "1000.a",
            None,
            2,
        ),
    ] {
        let e = store.save(&bad).expect_err("too long");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
        assert!(e.message().contains("holds 100"), "{e}");
        assert!(!e.to_string().contains(&long_token));
    }
    assert_eq!(store.list().unwrap(), vec![kept]);

    let wide = sdk_table(
        &url,
        "wide",
        Some(
            "useridentifier varchar(320) PRIMARY KEY, accesstoken text, refreshtoken varchar(255), expirytime bigint",
        ),
    );
    let store = support::store(&url, &wide);
    let t = tokens(
        &format!("{}@example.com", "ö".repeat(200)),
        &long_token,
        Some(&long_token),
        3,
    );
    store.save(&t).unwrap();
    store.save(&t).unwrap();
    assert_eq!(store.get(t.user.as_deref().unwrap()).unwrap(), Some(t));
    assert_eq!(rows(&url, &wide).len(), 1);
}

#[test]
fn a_missing_table_or_database_names_the_create_statements() {
    let Some(url) = server_url() else { return };
    let table = support::unique_table("missing");
    let store = store(&url, &table);
    for e in [
        store.get("ada@example.com").expect_err("missing"),
        store
            .save(&tokens("ada@example.com", "1000.a", None, 1))
            .expect_err("missing"),
        store.list().expect_err("missing"),
    ] {
        assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
        let hint = e.hint().unwrap();
        assert!(
            hint.contains(&format!("CREATE TABLE IF NOT EXISTS `zohooauth`.`{table}`")),
            "{hint}"
        );
        assert!(
            hint.contains("CREATE DATABASE IF NOT EXISTS `zohooauth`"),
            "{hint}"
        );
    }
    let db = support::unique_table("nodb");
    let mut s = support::settings(&url, "oauthtokens");
    s.database = db.clone();
    let store = MysqlStore::with_settings(s);
    let e = store.get("ada@example.com").expect_err("no database");
    assert!(
        e.hint()
            .unwrap()
            .contains(&format!("CREATE DATABASE IF NOT EXISTS `{db}`"))
    );
    let statements = store.create_schema().unwrap();
    assert!(statements[1].contains("PRIMARY KEY (useridentifier)"));
    let t = tokens("ada@example.com", "1000.a", Some("1000.r"), 1);
    store.save(&t).unwrap();
    assert_eq!(store.get("ADA@example.com").unwrap(), Some(t.clone()));
    store.create_schema().unwrap();
    assert_eq!(
        store.list().unwrap(),
        vec![t],
        "creating again keeps the rows"
    );
    admin(&url)
        .query_drop(format!("DROP DATABASE `{db}`"))
        .unwrap();
}

#[test]
fn wrong_credentials_and_a_read_only_user_are_clear_errors_that_change_nothing() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "rights", None);
    let writer = store(&url, &table);
    let kept = tokens("ada@example.com", "1000.a", Some("1000.r"), 1);
    writer.save(&kept).unwrap();

    let mut s = support::settings(&url, &table);
    s.password = Secret::new("hunter2-wrong");
    let e = MysqlStore::with_settings(s)
        .get("ada@example.com")
        .expect_err("denied");
    assert_eq!(e.kind(), ErrorKind::StoreIo);
    assert!(e.message().contains("access denied"), "{e}");
    assert!(!format!("{e} {e:?}").contains("hunter2"));

    let user = format!("ro_{}", std::process::id());
    let mut conn = admin(&url);
    conn.query_drop(format!(
        "CREATE USER IF NOT EXISTS '{user}'@'127.0.0.1' IDENTIFIED BY 'r0-pass'"
    ))
    .unwrap();
    conn.query_drop(format!(
        "GRANT SELECT ON zohooauth.* TO '{user}'@'127.0.0.1'"
    ))
    .unwrap();
    let mut s = support::settings(&url, &table);
    s.user = user.clone();
    s.password = Secret::new("r0-pass");
    let reader = MysqlStore::with_settings(s);
    assert_eq!(reader.get("ada@example.com").unwrap(), Some(kept.clone()));
    let e = reader
        .save(&tokens("ada@example.com", "1000.b", Some("1000.r"), 2))
        .expect_err("read-only");
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert!(
        e.hint().unwrap().contains("GRANT SELECT, INSERT, DELETE"),
        "{e}"
    );
    assert!(reader.delete("ada@example.com").is_err());
    assert_eq!(writer.list().unwrap(), vec![kept]);
    conn.query_drop(format!("DROP USER '{user}'@'127.0.0.1'"))
        .unwrap();
}

#[test]
fn a_server_that_is_down_is_store_unavailable_quickly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let pairs = [(
        "mysql_url",
        format!("mysql://root:pw-secret@127.0.0.1:{port}/zohooauth"),
    )];
    let second = Duration::from_secs(1);
    let s = support::settings_from(&pairs, second, second).unwrap();
    let store = MysqlStore::with_settings(s);
    let started = Instant::now();
    for e in [
        store.get("ada@example.com").expect_err("down"),
        store
            .save(&tokens("ada@example.com", "1000.a", None, 1))
            .expect_err("down"),
        store
            .lock_user("ada@example.com", Duration::from_secs(5))
            .err()
            .expect("down"),
    ] {
        assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
        assert!(e.kind().is_transient());
        assert!(e.message().contains("connection refused"), "{e}");
        assert!(e.hint().unwrap().contains("start the database server"));
        assert!(!format!("{e} {e:?}").contains("pw-secret"));
    }
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(!store.describe().contains("pw-secret"));
    assert!(!format!("{store:?}").contains("pw-secret"));
}

#[test]
fn the_refresh_lock_is_exclusive_bounded_and_released_by_drop_or_a_dead_session() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "lock", None);
    let a = store(&url, &table);
    let b = store(&url, &table);
    let held = a
        .lock_user("ada@example.com", Duration::from_secs(1))
        .unwrap();
    let started = Instant::now();
    let e = b
        .lock_user("ada@example.com", Duration::from_millis(400))
        .err()
        .expect("held elsewhere");
    let waited = started.elapsed();
    assert_eq!(e.kind(), ErrorKind::LockTimeout, "{e}");
    assert!(
        waited >= Duration::from_millis(350) && waited < Duration::from_secs(3),
        "{waited:?}"
    );
    // Another user and another table are not blocked.
    drop(
        b.lock_user("bob@example.com", Duration::from_millis(100))
            .unwrap(),
    );
    let other = sdk_table(&url, "lock2", None);
    drop(
        support::store(&url, &other)
            .lock_user("ada@example.com", Duration::from_millis(100))
            .unwrap(),
    );

    // Released on drop: a waiter gets it at once.
    let waiter = std::thread::spawn(move || {
        let t = Instant::now();
        let guard = b.lock_user("ada@example.com", Duration::from_secs(5));
        (guard.is_ok(), t.elapsed())
    });
    std::thread::sleep(Duration::from_millis(300));
    drop(held);
    let (ok, waited) = waiter.join().unwrap();
    assert!(ok && waited < Duration::from_secs(2), "{waited:?}");

    // A holder whose session dies (killed connection) releases it.
    let held = a
        .lock_user("ada@example.com", Duration::from_secs(1))
        .unwrap();
    let mut conn = admin(&url);
    let ids: Vec<u64> = conn
        .exec(
            "SELECT IS_USED_LOCK(?)",
            (format!("zoho_oauth:zohooauth.{table}:ada@example.com"),),
        )
        .unwrap();
    assert_eq!(ids.len(), 1);
    conn.query_drop(format!("KILL {}", ids[0])).unwrap();
    let t = Instant::now();
    drop(
        a.lock_user("ada@example.com", Duration::from_secs(5))
            .unwrap(),
    );
    assert!(t.elapsed() < Duration::from_secs(2));
    drop(held); // releasing on a dead session is harmless
}

#[test]
fn nothing_secret_is_in_the_sql_text_sent() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "audit", None);
    let store = store(&url, &table);
    let mut conn = admin(&url);
    conn.query_drop("SET GLOBAL log_output = 'TABLE'").unwrap();
    conn.query_drop("SET GLOBAL general_log = 1").unwrap();
    let marker = format!("1000.SECRETMARK{}", std::process::id());
    let t = tokens(
        "ada@example.com",
        &format!("{marker}a"),
        Some(&format!("{marker}r")),
        1,
    );
    store.save(&t).unwrap();
    store.get("ada@example.com").unwrap();
    store.delete("ada@example.com").unwrap();
    let texts: Vec<(String, String)> = conn
        .exec(
            "SELECT command_type, CONVERT(argument USING utf8mb4) FROM mysql.general_log \
             WHERE argument LIKE ? AND command_type IN ('Query', 'Prepare')",
            (format!("%{table}%"),),
        )
        .unwrap();
    conn.query_drop("SET GLOBAL general_log = 0").unwrap();
    assert!(
        texts
            .iter()
            .any(|(kind, sql)| kind == "Prepare" && sql.contains("INSERT")),
        "{texts:?}"
    );
    for (_, sql) in &texts {
        assert!(!sql.contains(&marker), "secret in SQL text: {sql}");
    }
}

/// `name`'s holder (a connection id) as the server sees it.
fn lock_holder(url: &str, name: &str) -> Option<u64> {
    let holder: Option<Option<u64>> = admin(url)
        .exec_first("SELECT IS_USED_LOCK(?)", (name,))
        .unwrap();
    holder.flatten()
}

#[test]
#[ignore = "child process of a_forked_child_never_touches_the_parents_lock_connection"]
fn child_forker() {
    let url = std::env::var("FORK_URL").unwrap();
    let table = std::env::var("FORK_TABLE").unwrap();
    let mut s = support::settings(&url, &table);
    s.user = std::env::var("FORK_USER").unwrap();
    let store = MysqlStore::with_settings(s);
    let name = format!("zoho_oauth:zohooauth.{table}:ada@example.com");
    let guard = store
        .lock_user("ada@example.com", Duration::from_secs(1))
        .unwrap();
    // Under the lock, this thread's reads run on the lock's connection.
    assert!(store.get("ada@example.com").unwrap().is_some());
    let holder = lock_holder(&url, &name).expect("held");
    assert_eq!(connections_of(&url, &store.settings().user), [holder]);
    // SAFETY: this process runs only this test; the child uses the store and exits at once.
    let pid = unsafe { libc::fork() };
    assert!(pid >= 0);
    // Both processes read at the same time: sharing the inherited connection would mix
    // their packets on one socket; the child's drop of the inherited guard must not release
    // the parent's lock.
    if pid == 0 {
        let ok = (0..300).all(|_| matches!(store.get("ada@example.com"), Ok(Some(_))));
        drop(guard);
        // SAFETY: ends the forked child without running the parent's destructors.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    for _ in 0..300 {
        assert!(store.get("ada@example.com").unwrap().is_some());
    }
    let mut status = 0;
    // SAFETY: waits for the child forked above.
    assert_eq!(unsafe { libc::waitpid(pid, &mut status, 0) }, pid);
    assert!(
        libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "the child read the row"
    );
    assert!(store.get("ada@example.com").unwrap().is_some());
    assert_eq!(
        lock_holder(&url, &name),
        Some(holder),
        "the parent still holds its lock on its own connection"
    );
    drop(guard);
    assert_eq!(lock_holder(&url, &name), None);
    let closed = Instant::now() + Duration::from_secs(5);
    while !connections_of(&url, &store.settings().user).is_empty() {
        assert!(
            Instant::now() < closed,
            "the lock's connection was not closed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_forked_child_never_touches_the_parents_lock_connection() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "fork", None);
    store(&url, &table)
        .save(&tokens("ada@example.com", "1000.a", Some("1000.r"), 1))
        .unwrap();
    let user = format!("fork_{}", std::process::id());
    let mut conn = admin(&url);
    conn.query_drop(format!("CREATE USER IF NOT EXISTS '{user}'@'127.0.0.1'"))
        .unwrap();
    conn.query_drop(format!(
        "GRANT SELECT ON zohooauth.* TO '{user}'@'127.0.0.1'"
    ))
    .unwrap();
    let status = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            "--ignored",
            "--exact",
            "child_forker",
            "--test-threads=1",
            "--quiet",
        ])
        .env("FORK_URL", &url)
        .env("FORK_TABLE", &table)
        .env("FORK_USER", &user)
        .stdout(std::process::Stdio::null())
        .status()
        .unwrap();
    conn.query_drop(format!("DROP USER '{user}'@'127.0.0.1'"))
        .unwrap();
    assert!(status.success());
}

#[test]
fn a_lock_connection_the_server_closed_is_replaced_without_an_error() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(&url, "killed", None);
    let store = store(&url, &table);
    store
        .save(&tokens("ada@example.com", "1000.a", Some("1000.r"), 1))
        .unwrap();
    let name = format!("zoho_oauth:zohooauth.{table}:ada@example.com");
    let guard = store
        .lock_user("ada@example.com", Duration::from_secs(1))
        .unwrap();
    let holder = lock_holder(&url, &name).expect("held");
    // As after the lease (wait_timeout) or a server restart: the lock's session is gone.
    admin(&url).query_drop(format!("KILL {holder}")).unwrap();
    for _ in 0..3 {
        assert!(store.get("ada@example.com").unwrap().is_some());
    }
    let fresh = tokens("ada@example.com", "1000.b", Some("1000.r"), 2);
    assert_eq!(
        store
            .save_refreshed(&fresh, &Secret::new("1000.r"))
            .unwrap(),
        zoho_oauth::store::RefreshSave::Saved,
        "a holder whose lock ran out still saves while its tokens are the newest"
    );
    drop(guard);
    assert_eq!(store.get("ada@example.com").unwrap(), Some(fresh));
}

#[test]
fn unusable_values_in_the_table_are_clear_errors_and_nothing_is_overwritten() {
    let Some(url) = server_url() else { return };
    let table = sdk_table(
        &url,
        "hostile",
        Some(
            "useridentifier varchar(100), accesstoken mediumtext, refreshtoken varchar(100), expirytime varchar(20)",
        ),
    );
    let mut conn = admin(&url);
    let big = "1000.".to_string() + &"a".repeat(64 * 1024);
    for row in [
        ("big@example.com", big.as_str(), "4102444800000"),
        ("soon@example.com", "1000.a", "soon"),
        (
            "ctl@example.com",
            "1000.a\r\nX-Injected: 1",
            "4102444800000",
        ),
        ("ok@example.com", "1000.ok", "4102444800000"),
    ] {
        conn.exec_drop(
            format!("INSERT INTO zohooauth.`{table}` VALUES (?, ?, '1000.r', ?)"),
            row,
        )
        .unwrap();
    }
    let before = rows_text(&url, &table);
    let store = store(&url, &table);
    assert_eq!(
        store
            .get("ok@example.com")
            .unwrap()
            .unwrap()
            .access_token
            .expose(),
        "1000.ok",
        "other users work"
    );
    for (user, column) in [
        ("big@example.com", "accesstoken"),
        ("soon@example.com", "expirytime"),
        ("ctl@example.com", "accesstoken"),
    ] {
        let e = store.get(user).expect_err(user);
        assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
        assert!(
            e.message().contains(user) && e.message().contains(column),
            "{e}"
        );
        assert!(e.message().len() < 500, "the value is not repeated");
    }
    assert_eq!(store.list().unwrap_err().kind(), ErrorKind::StoreCorrupt);

    // Through the client: an error, no request to Zoho, the row as it was.
    let env = common::TestEnv::start();
    let identity = (
        common::CLIENT_ID,
        common::CLIENT_SECRET,
        common::REDIRECT_URI,
    );
    let client = support::client(identity, env.emulator.url(), &url, &table);
    for user in ["big@example.com", "soon@example.com", "ctl@example.com"] {
        let e = client.get_access_token(user).expect_err(user);
        assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
    }
    assert_eq!(env.requests(), 0);
    assert_eq!(rows_text(&url, &table), before, "nothing was overwritten");
    // A delete still removes an unusable row (then a new consent starts afresh).
    assert!(store.delete("soon@example.com").unwrap());
}

/// Every row's values as text (hashes for the long ones), in table order.
fn rows_text(url: &str, table: &str) -> Vec<(String, String, String)> {
    admin(url)
        .query(format!(
            "SELECT useridentifier, MD5(accesstoken), expirytime FROM zohooauth.`{table}`"
        ))
        .unwrap()
}

#[test]
fn prepare_checks_the_database_and_the_table_before_a_grant_is_spent() {
    let Some(url) = server_url() else { return };
    // Present: fine, for both layouts.
    let table = sdk_table(&url, "prep", None);
    store(&url, &table).prepare().unwrap();
    // Missing table, missing database: the statements that create them.
    let missing = support::unique_table("prep_missing");
    let e = store(&url, &missing).prepare().expect_err("no table");
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert_eq!(e.remedy(), Some(zoho_oauth::Remedy::CreateSchema));
    assert!(
        e.hint().unwrap().contains("CREATE TABLE IF NOT EXISTS"),
        "{e}"
    );
    let mut s = support::settings(&url, "oauthtokens");
    s.database = support::unique_table("prep_nodb");
    let e = MysqlStore::with_settings(s.clone())
        .prepare()
        .expect_err("no database");
    assert!(
        e.hint().unwrap().contains("CREATE DATABASE IF NOT EXISTS"),
        "{e}"
    );
    // The current SDKs' layout.
    s.table = "oauthtoken".into();
    let e = zoho_oauth::store::mysql::oauthtoken::OauthtokenStore::with_settings(
        &zoho_oauth::Config::new("1000.C", "s", "https://example.com/cb"),
        s.clone(),
    )
    .prepare()
    .expect_err("no database");
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert!(e.hint().unwrap().contains("user_name varchar(255)"), "{e}");
    // A table without the SDK's columns.
    let odd = sdk_table(&url, "prep_odd", Some("id int, name varchar(10)"));
    let e = store(&url, &odd).prepare().expect_err("wrong columns");
    assert!(e.message().contains("useridentifier"), "{e}");
    // Readable columns, but not by this user: refused too.
    let user = support::user_with(&url, "prep", "INSERT");
    let mut s = support::settings(&url, &table);
    s.user = user.clone();
    assert!(MysqlStore::with_settings(s).prepare().is_err());
    support::drop_user(&url, &user);
}

#[test]
fn a_ca_file_that_cannot_be_read_is_a_configuration_error_naming_mysql_ssl() {
    let pairs = [
        ("mysql_url", "mysql://app:pw-CASECRET@127.0.0.1:9/zohooauth"),
        ("mysql_ssl", "/nonexistent/zoho-ca.pem"),
    ];
    let second = Duration::from_secs(1);
    let s = support::settings_from(&pairs, second, second).unwrap();
    let e = MysqlStore::with_settings(s)
        .get("ada@example.com")
        .expect_err("no CA");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(
        e.message().contains("mysql_ssl") && e.message().contains("/nonexistent/zoho-ca.pem"),
        "{e}"
    );
    assert!(!e.hint().unwrap().contains("start the database server"));
    assert!(!format!("{e:?}").contains("pw-CASECRET"));
}
