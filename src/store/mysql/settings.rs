//! Where the MySQL store connects, from the SDK's keys and ours.
//!
//! The SDK's keys and defaults: `host_address` (`localhost`), `db_port` (`3306`),
//! `db_username` (`root`), `db_password` (`""`); the database is always `zohooauth` (the SDK
//! ignores `db_name`, and so do we) and the table `oauthtokens`. Ours, applied on top:
//! `mysql_url` (`mysql://user:password@host:port/database`; what it names wins over the SDK
//! keys), `mysql_database`, `mysql_table`, `mysql_socket` (a Unix socket path: used instead
//! of TCP) and `mysql_ssl` (`off`, `on` = TLS checked against the public web roots, or the
//! path of a PEM file with the CA to trust). Like the SDK, `localhost` means TCP to the port.
//!
//! Two durations come from the configuration's timeouts: the bound on one store call
//! (`store_timeout_secs`, see `session`) and the lease of a refresh lock (see `lock`).

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use percent_encoding::percent_decode_str;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// The SDK's database, which it uses whatever `db_name` says.
pub const SDK_DATABASE: &str = "zohooauth";
/// The SDK's table.
pub const SDK_TABLE: &str = "oauthtokens";
/// The SDK's default port.
pub const SDK_PORT: u16 = 3306;
/// Added to the connect and request timeouts to make the lease of a refresh lock: the
/// longest a holder stays silent on its lock's connection is one refresh request.
pub const LEASE_SLACK: Duration = Duration::from_secs(2);

/// How long things may take.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Bounds {
    /// The longest one store call may take, whatever happens inside (`store_timeout_secs`).
    pub call: Duration,
    /// How long a refresh lock outlives its holder's last statement when the holder stops
    /// (frozen, partitioned): the session `wait_timeout` of the lock's connection.
    pub lease: Duration,
}

impl Bounds {
    /// The bounds a configuration gives: `store_timeout_secs`, and a lease of the connect
    /// timeout plus the request timeout plus `LEASE_SLACK` (longer than one refresh).
    pub fn from_config(config: &crate::config::Config) -> Bounds {
        Bounds {
            call: config.policy().store_timeout(),
            lease: config.policy().connect_timeout()
                + config.policy().request_timeout()
                + LEASE_SLACK,
        }
    }
}

/// TLS to the server.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Tls {
    /// Plain TCP (the SDK's way).
    Off,
    /// TLS; the server certificate is checked against the public web roots, or against the
    /// CA in the given PEM file.
    Verified(Option<PathBuf>),
}

/// Everything needed to reach the table. `Debug` never shows the password.
#[derive(Clone)]
pub struct MysqlSettings {
    /// Host name or address (TCP), ignored when `socket` is set.
    pub host: String,
    /// TCP port.
    pub port: u16,
    /// The database user.
    pub user: String,
    /// The password (may be empty).
    pub password: Secret,
    /// The database (schema) holding the table; a validated identifier.
    pub database: String,
    /// The table; a validated identifier.
    pub table: String,
    /// A Unix socket to connect through instead of TCP.
    pub socket: Option<PathBuf>,
    /// TLS settings.
    pub tls: Tls,
    /// The bound on one call and the lease of a refresh lock.
    pub bounds: Bounds,
}

impl fmt::Debug for MysqlSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MysqlSettings")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password)
            .field("database", &self.database)
            .field("table", &self.table)
            .field("socket", &self.socket)
            .field("tls", &self.tls)
            .field("bounds", &self.bounds)
            .finish()
    }
}

impl MysqlSettings {
    /// The settings a configuration gives: its store keys and its timeouts.
    pub fn from_config(config: &crate::config::Config) -> Result<MysqlSettings> {
        MysqlSettings::from_keys(
            |key| config.store().settings().get(key),
            Bounds::from_config(config),
        )
    }

    /// Settings from store keys (`get` returns a key's trimmed value, `None` when absent or
    /// empty) and the bounds.
    pub fn from_keys<'a>(
        get: impl Fn(&str) -> Option<&'a str>,
        bounds: Bounds,
    ) -> Result<MysqlSettings> {
        let mut s = MysqlSettings {
            host: get("host_address").unwrap_or("localhost").to_string(),
            port: match get("db_port") {
                Some(port) => parse_port("db_port", port)?,
                None => SDK_PORT,
            },
            user: get("db_username").unwrap_or("root").to_string(),
            password: Secret::new(get("db_password").unwrap_or("")),
            database: SDK_DATABASE.to_string(),
            table: SDK_TABLE.to_string(),
            socket: get("mysql_socket").map(PathBuf::from),
            tls: parse_tls(get("mysql_ssl"))?,
            bounds,
        };
        if let Some(url) = get("mysql_url") {
            s.apply_url(url)?;
        }
        if let Some(db) = get("mysql_database") {
            s.database = db.to_string();
        }
        if let Some(table) = get("mysql_table") {
            s.table = table.to_string();
        }
        check_identifier("mysql_database", &s.database)?;
        check_identifier("mysql_table", &s.table)?;
        Ok(s)
    }

    /// Takes host, port, user, password and database from `mysql_url` where it names them.
    /// Errors never repeat the URL: it may hold a password.
    fn apply_url(&mut self, text: &str) -> Result<()> {
        let bad = |why: &str| {
            Error::new(
                ErrorKind::ConfigInvalid,
                format!("mysql_url is not usable: {why}"),
            )
            .with_hint("write it as mysql://user:password@host:port/database (percent-encode special characters in the password)")
        };
        let url = url::Url::parse(text).map_err(|_| bad("it is not a URL"))?;
        if !matches!(url.scheme(), "mysql" | "mariadb") {
            return Err(bad("the scheme must be mysql://"));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(bad(
                "it takes no ?parameters (use mysql_ssl, mysql_socket, mysql_table)",
            ));
        }
        let decode = |part: &str| {
            percent_decode(part).ok_or_else(|| bad("a percent-encoded part is not UTF-8"))
        };
        if let Some(host) = url.host_str().filter(|h| !h.is_empty()) {
            self.host = host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string();
        }
        if let Some(port) = url.port() {
            self.port = port;
        }
        if !url.username().is_empty() {
            self.user = decode(url.username())?;
        }
        if let Some(password) = url.password() {
            self.password = Secret::new(decode(password)?);
        }
        let path = url.path().trim_start_matches('/');
        if !path.is_empty() {
            self.database = decode(path)?;
        }
        Ok(())
    }

    /// Where and as whom a connection goes (everything but the table and the bounds): a
    /// connection made for one store serves another with the same identity. Holds the
    /// password: never shown.
    pub fn identity(&self) -> String {
        format!(
            "{}\0{}\0{}\0{}\0{:?}\0{:?}",
            self.host,
            self.port,
            self.user,
            self.password.expose(),
            self.socket,
            self.tls
        )
    }

    /// `user@host:port` (or the socket), for messages; never the password.
    pub fn endpoint(&self) -> String {
        match &self.socket {
            Some(socket) => format!("{}@unix:{}", self.user, socket.display()),
            None => format!("{}@{}:{}", self.user, self.host, self.port),
        }
    }

    /// `mysql://user@host:port/database.table`: what a store on these settings shows of
    /// itself (never the password).
    pub fn describe(&self) -> String {
        format!(
            "mysql://{}/{}.{}",
            self.endpoint(),
            self.database,
            self.table
        )
    }

    /// The table, qualified and quoted: `` `zohooauth`.`oauthtokens` ``.
    pub fn qualified_table(&self) -> String {
        format!("`{}`.`{}`", self.database, self.table)
    }
}

fn parse_port(key: &str, value: &str) -> Result<u16> {
    match value.parse::<u16>() {
        Ok(port) if port > 0 => Ok(port),
        _ => Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("{key} must be a TCP port number (1-65535), not {value:?}"),
        )),
    }
}

fn parse_tls(value: Option<&str>) -> Result<Tls> {
    Ok(match value {
        None => Tls::Off,
        Some(v) if ["off", "false", "0", "no"].contains(&v.to_ascii_lowercase().as_str()) => {
            Tls::Off
        }
        Some(v)
            if ["on", "true", "1", "yes", "required"]
                .contains(&v.to_ascii_lowercase().as_str()) =>
        {
            Tls::Verified(None)
        }
        Some(path) if path.starts_with('/') => Tls::Verified(Some(PathBuf::from(path))),
        Some(other) => {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!(
                    "mysql_ssl must be off, on, or the absolute path of a CA PEM file, not {other:?}"
                ),
            ));
        }
    })
}

/// Database and table names go into SQL text (they cannot be bound parameters), so only
/// plain identifiers are accepted: ASCII letters, digits, `_` and `$`, at most 64 characters,
/// not only digits.
pub fn check_identifier(key: &str, name: &str) -> Result<()> {
    let plain = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'$');
    if plain && !name.is_empty() && name.len() <= 64 && !name.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(());
    }
    let shown: String = name.chars().take(80).collect();
    Err(Error::new(
        ErrorKind::ConfigInvalid,
        format!("{key} {shown:?} is not a plain MySQL identifier"),
    )
    .with_hint("use 1 to 64 ASCII letters, digits, _ or $ (not only digits); quotes, backslashes, dots, spaces and non-ASCII letters are refused because the name goes into SQL text"))
}

/// `text` with its `%XX` escapes decoded; `None` when an escape is not two hex digits or the
/// bytes are not UTF-8.
fn percent_decode(text: &str) -> Option<String> {
    let escapes_whole = text.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    });
    if !escapes_whole {
        return None;
    }
    let decoded = percent_decode_str(text).decode_utf8().ok()?;
    Some(decoded.into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> Result<MysqlSettings> {
        let map: HashMap<&str, &str> = pairs.iter().copied().collect();
        MysqlSettings::from_keys(
            |k| map.get(k).copied(),
            Bounds {
                call: Duration::from_secs(1),
                lease: Duration::from_secs(2),
            },
        )
    }

    #[test]
    fn sdk_defaults_are_tcp_to_localhost_3306_as_root() {
        let s = settings(&[]).expect("defaults");
        assert_eq!(
            (s.host.as_str(), s.port, s.user.as_str()),
            ("localhost", 3306, "root")
        );
        assert_eq!(s.password.expose(), "");
        assert_eq!(s.qualified_table(), "`zohooauth`.`oauthtokens`");
        assert_eq!((s.socket.clone(), s.tls.clone()), (None, Tls::Off));
    }

    #[test]
    fn sdk_keys_then_url_then_our_keys() {
        let s = settings(&[
            ("host_address", "db.internal"),
            ("db_port", "3307"),
            ("db_username", "zoho"),
            ("db_password", "pw"),
            ("db_name", "ignored_like_the_sdk"),
        ])
        .expect("sdk keys");
        assert_eq!(s.endpoint(), "zoho@db.internal:3307");
        assert_eq!(s.database, "zohooauth");
        let s = settings(&[
            ("db_password", "pw"),
            ("mysql_url", "mysql://app:p%40ss%3Aw@127.0.0.1:4000/tokens"),
            ("mysql_table", "zoho_tokens"),
        ])
        .expect("url");
        assert_eq!(s.endpoint(), "app@127.0.0.1:4000");
        assert_eq!(s.password.expose(), "p@ss:w");
        assert_eq!(s.qualified_table(), "`tokens`.`zoho_tokens`");
        let s =
            settings(&[("mysql_url", "mysql://[::1]/x"), ("mysql_database", "y")]).expect("ipv6");
        assert_eq!(
            (s.host.as_str(), s.port, s.database.as_str()),
            ("::1", 3306, "y")
        );
    }

    #[test]
    fn bad_values_are_clear_errors_without_the_password() {
        for url in [
            "mysql://u:hunter2@h:99999/db",
            "postgres://u:hunter2@h/db",
            "mysql://u:hunter2@h/db?ssl=1",
            "u:hunter2@h",
        ] {
            let e = settings(&[("mysql_url", url)]).expect_err(url);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{url}");
            assert!(!e.to_string().contains("hunter2"), "{e}");
        }
        let e = settings(&[("db_port", "http")]).expect_err("port");
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(settings(&[("mysql_ssl", "maybe")]).is_err());
        let s = settings(&[
            ("mysql_ssl", "/etc/ca.pem"),
            ("mysql_socket", "/run/m.sock"),
        ])
        .expect("tls");
        assert_eq!(s.tls, Tls::Verified(Some("/etc/ca.pem".into())));
        assert_eq!(s.endpoint(), "root@unix:/run/m.sock");
    }

    #[test]
    fn identifiers_that_would_need_quoting_are_refused() {
        for bad in [
            "o'brien",
            "a`b",
            "a\\b",
            "a.b",
            "a b",
            "zoë",
            "",
            "123",
            "t;drop",
            &"x".repeat(65),
        ] {
            let e = settings(&[("mysql_table", bad)]).expect_err(bad);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
            assert!(e.hint().is_some_and(|h| h.contains("64")));
        }
        assert!(settings(&[("mysql_database", "my-db")]).is_err());
        assert!(settings(&[("mysql_url", "mysql://h/a%27b")]).is_err());
        for good in ["oauthtokens", "t_1", "$x", "1a", &"x".repeat(64)] {
            settings(&[("mysql_table", good)]).expect(good);
        }
    }

    #[test]
    fn percent_decoding_takes_only_whole_escapes_of_utf8() {
        assert_eq!(percent_decode("p%40ss%3Aw").as_deref(), Some("p@ss:w"));
        assert_eq!(
            percent_decode("zo%C3%ab%20%25%2f").as_deref(),
            Some("zoë %/")
        );
        assert_eq!(percent_decode("plain+text").as_deref(), Some("plain+text"));
        assert_eq!(percent_decode("%00%1F").as_deref(), Some("\u{0}\u{1f}"));
        assert_eq!(percent_decode("").as_deref(), Some(""));
        for bad in [
            "%", "%4", "a%zz", "%4g", "%%41", "ok%", "%C3", "%FF%FE", "%C3%28",
        ] {
            assert_eq!(percent_decode(bad), None, "{bad}");
        }
        assert!(settings(&[("mysql_url", "mysql://app:p%zz@h/db")]).is_err());
    }

    #[test]
    fn debug_hides_the_password() {
        let s = settings(&[("db_password", "hunter2")]).expect("settings");
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
