//! One connection to the server, opened for one store call (or for one refresh lock) and
//! closed after it: a worker holds no idle connection.
//!
//! Everything is bounded by the call's [`Deadline`]: the TCP connect, the handshake (the
//! driver's socket timeouts are what is left when it starts), and each statement (the
//! socket's timeouts are set again to what is left before it). The session itself bounds
//! what the server may wait on our behalf, so a statement we gave up on does not live on:
//! `lock_wait_timeout` (table and metadata locks: `LOCK TABLES`, `ALTER`),
//! `innodb_lock_wait_timeout` (row locks) and MariaDB's `max_statement_time` / MySQL's
//! `max_execution_time` are the call's bound, and `wait_timeout` ends a session whose
//! client went silent (the bound; the lease for a lock's connection).
//!
//! The connection's character set is the server's default (`character_set_server`), as the
//! SDK's `mysqli` connection, which never sets one, gets it: identifiers travel as the same
//! bytes, so rows are shared with the SDK on a latin1 server too.

use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, SslOpts};

use super::deadline::Deadline;
use super::errors;
#[cfg(test)]
use super::settings::Bounds;
use super::settings::{MysqlSettings, Tls};
use super::socket;
use crate::error::{Error, ErrorKind, Result};
use crate::process_owned::ProcessOwned;

/// What a session is opened for: its `wait_timeout`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// One store call: the server ends the session if we go silent for the call's bound.
    Call,
    /// A refresh lock held across a refresh: the server ends the session (releasing the
    /// lock) if the holder goes silent for the lease.
    Lock,
}

/// The largest packet the driver sends or accepts (the server's default is 16 MiB).
const MAX_PACKET: usize = 16 * 1024 * 1024;

/// The first pause after "too many connections"; it doubles up to [`MAX_BUSY_PAUSE`].
const FIRST_BUSY_PAUSE: Duration = Duration::from_millis(10);
/// The longest pause between two connection attempts refused for "too many connections".
const MAX_BUSY_PAUSE: Duration = Duration::from_millis(200);

/// An open session. Dropped in the process that opened it, it closes (`COM_QUIT`); in a
/// `fork()`ed child, it is abandoned without a byte sent (the parent still uses it).
pub struct Session {
    conn: ProcessOwned<Conn>,
}

impl Session {
    /// The connection, its socket timeouts set to what is left of `deadline`; `None` when
    /// no time is left, in a forked child (the session is the parent's), or when the socket
    /// cannot be set (which only a closed one does).
    pub fn conn(&mut self, deadline: &Deadline) -> Option<&mut Conn> {
        let left = deadline.left()?;
        let conn = self.conn.get_mut()?;
        socket::set_timeouts(conn, left).ok()?;
        Some(conn)
    }

    /// Whether this process opened the session (not inherited through `fork`).
    pub fn is_ours(&self) -> bool {
        self.conn.is_ours()
    }
}

/// Opens a session for `purpose` within `deadline`. A server with too many connections is
/// tried again after a short pause while time is left; an address where nothing listens
/// gives way to the host name's next address; any other failure is final.
pub fn open(
    s: &MysqlSettings,
    deadline: &Deadline,
    purpose: Purpose,
    action: &str,
) -> Result<Session> {
    check_ca_file(s)?;
    open_at(s, &host_addresses(s), deadline, purpose, action)
}

/// [`open`] trying `hosts` (addresses of `s.host`) in turn.
fn open_at(
    s: &MysqlSettings,
    hosts: &[String],
    deadline: &Deadline,
    purpose: Purpose,
    action: &str,
) -> Result<Session> {
    let mut next_host = 0;
    let mut pause = FIRST_BUSY_PAUSE;
    loop {
        let Some(left) = deadline.left() else {
            return Err(super::deadline::out_of_time(s, action, deadline.bound()));
        };
        let host = hosts.get(next_host).unwrap_or(&s.host);
        match connect(s, host, left, deadline, purpose) {
            Ok(session) => return Ok(session),
            Err(e) if errors::is_busy(&e) && deadline.pause(pause) => {
                pause = (pause * 2).min(MAX_BUSY_PAUSE);
            }
            Err(e) if errors::is_unreachable(&e) && next_host + 1 < hosts.len() => {
                next_host += 1;
            }
            Err(e) => return Err(errors::convert(&e, s, action, deadline.bound())),
        }
    }
}

/// The addresses to try in turn for a plain TCP connection: every address the host name
/// resolves to, because the driver tries only the first (with Debian's `/etc/hosts`,
/// `localhost` is `::1` first, while MariaDB listens on 127.0.0.1 by default). Over TLS the
/// name itself is kept (the server's certificate is checked against it), as it is for a
/// Unix socket or a name that does not resolve (the driver then reports why).
fn host_addresses(s: &MysqlSettings) -> Vec<String> {
    use std::net::ToSocketAddrs;
    if s.socket.is_some() || s.tls != Tls::Off {
        return vec![s.host.clone()];
    }
    let mut addresses: Vec<String> = match (s.host.as_str(), s.port).to_socket_addrs() {
        Ok(resolved) => resolved.map(|a| a.ip().to_string()).collect(),
        Err(_) => Vec::new(),
    };
    addresses.dedup();
    if addresses.is_empty() {
        addresses.push(s.host.clone());
    }
    addresses
}

fn connect(
    s: &MysqlSettings,
    host: &str,
    left: Duration,
    deadline: &Deadline,
    purpose: Purpose,
) -> mysql::Result<Session> {
    let conn = Conn::new(opts(s, host, left))?;
    let mut session = Session {
        conn: ProcessOwned::new(conn),
    };
    let wait = match purpose {
        Purpose::Call => s.bounds.call,
        Purpose::Lock => s.bounds.lease,
    };
    let Some(conn) = session.conn(deadline) else {
        return Err(mysql::Error::IoError(std::io::ErrorKind::TimedOut.into()));
    };
    let sql = session_sql(conn.server_version(), s.bounds.call, wait);
    conn.query_drop(sql)?;
    Ok(session)
}

/// The driver options: no default database (every statement names it), TCP to `host` (an
/// address of `s.host`, or the name itself) even for `localhost` (as the SDK), and every
/// timeout `left`.
fn opts(s: &MysqlSettings, host: &str, left: Duration) -> Opts {
    let mut b = OptsBuilder::new()
        .user(Some(s.user.clone()))
        .pass(Some(s.password.expose().to_string()))
        .prefer_socket(false)
        // Given, so the driver does not ask the server (one round trip less); our packets
        // are small and rows of a few kB.
        .max_allowed_packet(Some(MAX_PACKET))
        .tcp_connect_timeout(Some(left))
        .read_timeout(Some(left))
        .write_timeout(Some(left));
    b = match &s.socket {
        Some(socket) => b.socket(Some(socket.display().to_string())),
        None => b.ip_or_hostname(Some(host.to_string())).tcp_port(s.port),
    };
    if let Tls::Verified(ca) = &s.tls {
        let ssl = SslOpts::default().with_root_cert_path(ca.clone());
        b = b.ssl_opts(Some(ssl));
    }
    Opts::from(b)
}

/// Whole seconds for a session variable: at least 1, rounded up.
fn whole_secs(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0).max(u64::from(d.is_zero()))
}

/// Whether `version` (as the driver parses the handshake) is MariaDB's: it announces itself
/// as `5.5.5-10.x...` (parsed as 5.5.5) or as 10 and later, numbers MySQL never used.
fn is_mariadb(version: (u16, u16, u16)) -> bool {
    version == (5, 5, 5) || version.0 >= 10
}

/// The one statement that sets up a session: strict mode (nothing silently truncated), the
/// server's default character set (the SDK's bytes), and the server-side bounds: `bound`
/// for waits on locks and for statements, `wait` for silence.
fn session_sql(version: (u16, u16, u16), bound: Duration, wait: Duration) -> String {
    let bound_secs = whole_secs(bound);
    let charset = "IF(@@GLOBAL.character_set_server IN ('ucs2', 'utf16', 'utf16le', 'utf32'), 'utf8mb4', @@GLOBAL.character_set_server)";
    let mut sql = format!(
        "SET SESSION sql_mode = TRIM(BOTH ',' FROM CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES')), \
         SESSION character_set_client = {charset}, SESSION character_set_connection = {charset}, \
         SESSION character_set_results = {charset}, SESSION wait_timeout = {}, \
         SESSION lock_wait_timeout = {bound_secs}, SESSION innodb_lock_wait_timeout = {bound_secs}",
        whole_secs(wait)
    );
    if is_mariadb(version) {
        sql.push_str(&format!(", SESSION max_statement_time = {bound_secs}"));
    } else if version >= (5, 7, 8) {
        sql.push_str(&format!(
            ", SESSION max_execution_time = {}",
            bound_secs * 1000
        ));
    }
    sql
}

/// A CA file that `mysql_ssl` names but that cannot be read is a configuration error, not a
/// server that is down.
fn check_ca_file(s: &MysqlSettings) -> Result<()> {
    let Tls::Verified(Some(ca)) = &s.tls else {
        return Ok(());
    };
    match std::fs::File::open(ca) {
        Ok(_) => Ok(()),
        Err(e) => Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!(
                "mysql_ssl names the CA file {}, which cannot be read ({})",
                ca.display(),
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such file",
                    std::io::ErrorKind::PermissionDenied => "permission denied",
                    _ => "it cannot be opened",
                }
            ),
        )
        .with_path(ca)
        .with_hint("set mysql_ssl to the absolute path of a readable PEM file with the CA that signed the MySQL server's certificate, or to on (the public web roots)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_tcp_tries_every_address_and_tls_keeps_the_name() {
        let bounds = Bounds {
            call: Duration::from_secs(5),
            lease: Duration::from_secs(5),
        };
        let keys = |ssl: &'static str| {
            move |key: &str| match key {
                "host_address" => Some("localhost"),
                "mysql_ssl" => Some(ssl),
                _ => None,
            }
        };
        let plain = MysqlSettings::from_keys(keys("off"), bounds).expect("settings");
        let addresses = host_addresses(&plain);
        assert!(
            addresses.iter().any(|a| a == "127.0.0.1" || a == "::1"),
            "{addresses:?}"
        );
        assert!(!addresses.iter().any(|a| a == "localhost"));
        let tls = MysqlSettings::from_keys(keys("on"), bounds).expect("settings");
        assert_eq!(host_addresses(&tls), ["localhost"]);
    }

    /// The throwaway server listens on 127.0.0.1 only (`scripts/mariadb.sh`); 127.0.0.3 is
    /// loopback too, with nothing listening: as `localhost` resolving to `::1` first is.
    #[test]
    fn an_address_where_nothing_listens_gives_way_to_the_next() {
        let Ok(url) = std::env::var("ZOHO_TEST_MYSQL_URL") else {
            assert_ne!(
                std::env::var("ZOHO_REQUIRE_MYSQL").as_deref(),
                Ok("1"),
                "ZOHO_REQUIRE_MYSQL=1 but ZOHO_TEST_MYSQL_URL is not set"
            );
            return;
        };
        let bounds = Bounds {
            call: Duration::from_secs(5),
            lease: Duration::from_secs(5),
        };
        let s = MysqlSettings::from_keys(|k| (k == "mysql_url").then_some(url.as_str()), bounds)
            .expect("settings");
        let open = |hosts: &[&str]| {
            let hosts: Vec<String> = hosts.iter().map(|h| h.to_string()).collect();
            open_at(
                &s,
                &hosts,
                &Deadline::after(Duration::from_secs(5)),
                Purpose::Call,
                "test",
            )
        };
        let mut session = open(&["127.0.0.3", "127.0.0.1"]).expect("the second address");
        let conn = session
            .conn(&Deadline::after(Duration::from_secs(5)))
            .expect("conn");
        let one: Option<u8> = conn.query_first("SELECT 1").expect("query");
        assert_eq!(one, Some(1));
        let alone = open(&["127.0.0.3"]).err().expect("nothing listens there");
        assert_eq!(alone.kind(), ErrorKind::StoreUnavailable);
    }

    #[test]
    fn whole_seconds_round_up_and_never_reach_zero() {
        assert_eq!(whole_secs(Duration::ZERO), 1);
        assert_eq!(whole_secs(Duration::from_millis(1)), 1);
        assert_eq!(whole_secs(Duration::from_secs(5)), 5);
        assert_eq!(whole_secs(Duration::from_millis(5001)), 6);
    }

    #[test]
    fn the_session_bounds_every_server_side_wait() {
        let maria = session_sql((5, 5, 5), Duration::from_secs(5), Duration::from_secs(42));
        for part in [
            "wait_timeout = 42",
            "lock_wait_timeout = 5",
            "innodb_lock_wait_timeout = 5",
            "max_statement_time = 5",
            "STRICT_ALL_TABLES",
            "character_set_client = IF(",
        ] {
            assert!(maria.contains(part), "{part}: {maria}");
        }
        assert!(
            session_sql((11, 4, 2), Duration::from_secs(5), Duration::from_secs(5))
                .contains("max_statement_time")
        );
        let mysql8 = session_sql((8, 0, 36), Duration::from_secs(5), Duration::from_secs(5));
        assert!(mysql8.contains("max_execution_time = 5000"), "{mysql8}");
        assert!(!mysql8.contains("max_statement_time"));
        let mysql56 = session_sql((5, 6, 51), Duration::from_secs(5), Duration::from_secs(5));
        assert!(!mysql56.contains("max_execution_time") && !mysql56.contains("max_statement"));
    }
}
