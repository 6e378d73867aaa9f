//! `mysql_ssl` against a MariaDB of the test's own with TLS (certificates made by `openssl`):
//! a user that must use TLS works with the CA file, a wrong CA is refused, and TLS to a server
//! without it is a clear error.
#![cfg(feature = "mysql")] // the MySQL store (cargo feature `mysql`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "mysql/support.rs"]
mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use mysql::prelude::Queryable;
use support::{admin, server_url};
use zoho_oauth::store::mysql::{MysqlSettings, MysqlStore};
use zoho_oauth::{ErrorKind, Secret, TokenStore, Tokens};

/// A CA and a server certificate for 127.0.0.1 signed by it, in `dir`.
fn certificates(dir: &Path, name: &str) {
    let run = |args: &[&str]| {
        let status = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .expect("openssl");
        assert!(status.success(), "openssl {args:?}");
    };
    let ca_key = format!("{name}-ca.key");
    let ca = format!("{name}-ca.pem");
    run(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=zoho-test-ca",
        "-keyout",
        &ca_key,
        "-out",
        &ca,
    ]);
    run(&[
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
    ]);
    std::fs::write(
        dir.join("san.ext"),
        "subjectAltName=IP:127.0.0.1,DNS:localhost\n",
    )
    .unwrap();
    run(&[
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        &ca,
        "-CAkey",
        &ca_key,
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem",
    ]);
}

fn settings(url: &str, ssl: &str, user: &str) -> MysqlSettings {
    let pairs = [
        (
            "mysql_url",
            url.replacen("root@", &format!("{user}:tls-pass@"), 1),
        ),
        ("mysql_ssl", ssl.to_string()),
        ("mysql_table", "tls_tokens".to_string()),
    ];
    support::settings_from(&pairs, Duration::from_secs(5), Duration::from_secs(10)).unwrap()
}

#[test]
fn tls_with_a_ca_file_works_a_wrong_ca_is_refused() {
    if server_url().is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    certificates(dir.path(), "good");
    let other = tempfile::tempdir().unwrap();
    certificates(other.path(), "other");
    let db = dir.path().join("db");
    let out = Command::new("bash")
        .arg(support::repo().join("scripts/mariadb.sh"))
        .args(["start"])
        .arg(&db)
        .env(
            "MARIADB_EXTRA_ARGS",
            format!(
                "--ssl-ca={0}/good-ca.pem --ssl-cert={0}/server.pem --ssl-key={0}/server.key",
                dir.path().display()
            ),
        )
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let url = String::from_utf8(out.stdout)
        .unwrap()
        .trim()
        .rsplit('=')
        .next()
        .unwrap()
        .to_string();
    let result = std::panic::catch_unwind(|| {
        let mut conn = admin(&url);
        conn.query_drop("CREATE TABLE zohooauth.tls_tokens (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)").unwrap();
        conn.query_drop("CREATE USER 'tlsuser'@'127.0.0.1' IDENTIFIED BY 'tls-pass' REQUIRE SSL")
            .unwrap();
        conn.query_drop("GRANT SELECT, INSERT, DELETE ON zohooauth.* TO 'tlsuser'@'127.0.0.1'")
            .unwrap();

        let ca = dir.path().join("good-ca.pem");
        let store = MysqlStore::with_settings(settings(&url, ca.to_str().unwrap(), "tlsuser"));
        let t = Tokens::new(
            Some("ada@example.com".into()),
            Secret::new("1000.a"),
            Some(Secret::new("1000.r")),
            1,
        );
        store.save(&t).unwrap();
        assert_eq!(store.get("ada@example.com").unwrap(), Some(t));

        let plain = MysqlStore::with_settings(settings(&url, "off", "tlsuser"));
        let e = plain
            .get("ada@example.com")
            .expect_err("the user must use TLS");
        assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");

        let wrong = other.path().join("other-ca.pem");
        let e = MysqlStore::with_settings(settings(&url, wrong.to_str().unwrap(), "tlsuser"))
            .get("ada@example.com")
            .expect_err("an untrusted certificate");
        assert_eq!(
            e.kind(),
            ErrorKind::ConfigInvalid,
            "an untrusted certificate is a configuration error, not a transient one: {e}"
        );
        assert!(
            e.message().contains("TLS") && e.message().contains("not trusted"),
            "{e}"
        );
        assert!(e.message().contains("other-ca.pem"), "{e}");
        assert!(
            !e.hint().unwrap().contains("start the database server"),
            "{e}"
        );
        assert!(!format!("{e:?}").contains("tls-pass"));
    });
    support::stop_server(&db);
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}

#[test]
fn tls_to_a_server_without_it_is_a_clear_error() {
    let Some(url) = server_url() else { return };
    let mut s = settings(&url, "on", "root");
    s.password = Secret::new("");
    let e = MysqlStore::with_settings(s)
        .get("ada@example.com")
        .expect_err("no TLS");
    assert!(e.to_string().contains("TLS"), "{e}");
}
