//! The MySQL store through the Rust API: a private MariaDB (`scripts/mariadb.sh`, its data
//! directory outside the scanned tree: the table holds tokens by design) with a user whose
//! password is a registered secret; the whole happy path on it, then a wrong password, a
//! server that is down, a grant while it is down, a missing table and an over-long value.
//! Without MariaDB (`mariadb-install-db`) this says so in `out.txt` and checks nothing.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

use zoho_oauth::config::{StoreKind, StoreSettings};
use zoho_oauth::{OAuthClient, OffsetClock, Secret, Tokens};

use super::{ADA, Flows, happy_path};

/// The repository's `scripts/mariadb.sh`.
fn script() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/mariadb.sh")
}

/// Runs the MySQL flows, or notes that they were skipped.
pub(super) fn run(f: &mut Flows<'_>, dir: &Path, clock: &Arc<OffsetClock>) -> Result<(), String> {
    let have_server = Command::new("sh")
        .args(["-c", "command -v mariadb-install-db"])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !have_server {
        let _ = writeln!(f.out, "mysql: skipped (no mariadb-install-db)");
        return Ok(());
    }
    let data = tempfile::tempdir().map_err(|e| e.to_string())?;
    let db = data.path().join("db");
    let out = Command::new("bash")
        .arg(script())
        .arg("start")
        .arg(&db)
        .stderr(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err("mysql: scripts/mariadb.sh start failed".into());
    }
    let port = std::fs::read_to_string(db.join("port")).map_err(|e| e.to_string())?;
    let result = flows(f, dir, clock, port.trim());
    let _ = Command::new("bash")
        .arg(script())
        .arg("stop")
        .arg(&db)
        .status();
    result
}

/// Runs SQL as root on the private server.
fn sql(port: &str, statement: &str) -> Result<(), String> {
    let status = Command::new("mariadb")
        .args([
            "--no-defaults",
            "-uroot",
            "-h127.0.0.1",
            "-P",
            port,
            "-e",
            statement,
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map_err(|e| e.to_string())?;
    status
        .success()
        .then_some(())
        .ok_or_else(|| "mysql: an SQL statement failed".to_string())
}

fn client(
    f: &Flows<'_>,
    dir: &Path,
    clock: &Arc<OffsetClock>,
    url: &str,
    table: &str,
) -> Result<OAuthClient, String> {
    let settings = StoreSettings::new()
        .with("mysql_url", url)
        .and_then(|s| s.with("mysql_table", table))
        .map_err(|e| e.to_string())?;
    let config = f
        .config(dir)
        .with_store_kind(StoreKind::named("mysql"))
        .with_store_settings(settings);
    f.client(config, clock).map_err(|e| e.to_string())
}

fn flows(
    f: &mut Flows<'_>,
    dir: &Path,
    clock: &Arc<OffsetClock>,
    port: &str,
) -> Result<(), String> {
    let password = f.world.made_up_secret("AUDITMYSQLPW");
    sql(
        port,
        "CREATE TABLE zohooauth.oauthtokens (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)",
    )?;
    sql(
        port,
        &format!("CREATE USER 'audit'@'127.0.0.1' IDENTIFIED BY '{password}'"),
    )?;
    sql(
        port,
        "GRANT SELECT, INSERT, DELETE ON zohooauth.* TO 'audit'@'127.0.0.1'",
    )?;
    let url = format!("mysql://audit:{password}@127.0.0.1:{port}/zohooauth");
    let mysql = client(f, dir, clock, &url, "oauthtokens")?;
    let _ = writeln!(
        f.out,
        "mysql: {} / {:?} / {:?}",
        mysql.store().describe(),
        mysql.config(),
        mysql.store().list()
    );
    happy_path(f, &mysql, clock)?;

    let wrong = f.world.made_up_secret("AUDITMYSQLWRONG");
    let refused = client(
        f,
        dir,
        clock,
        &format!("mysql://audit:{wrong}@127.0.0.1:{port}/zohooauth"),
        "oauthtokens",
    )?;
    f.show("mysql: wrong password", &refused.get_access_token(ADA));
    let missing = client(f, dir, clock, &url, "no_such_table")?;
    f.show("mysql: missing table", &missing.get_access_token(ADA));
    let long = Tokens::new(
        Some(ADA.into()),
        Secret::new(f.world.made_up_secret("AUDITMYSQLLONG").repeat(8)),
        None,
        1,
    );
    f.show("mysql: an over-long token", &mysql.store().save(&long));

    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| e.to_string())?
        .port();
    let down = client(
        f,
        dir,
        clock,
        &format!("mysql://audit:{password}@127.0.0.1:{closed}/zohooauth"),
        "oauthtokens",
    )?;
    f.show("mysql: server down", &down.get_access_token(ADA));
    let code = f.world.grant(ADA, super::PROFILE_SCOPES)?;
    f.show(
        "mysql: grant with the server down",
        &down.generate_access_token(&code),
    );
    Ok(())
}
