//! Turns the driver's errors into the library's, without the server's text.
//!
//! Server messages can quote values (a rejected string, a duplicate key), so they are never
//! passed on: each known error number gets a message of ours, and any other shows only its
//! number and SQLSTATE. Unreachable, timed out, full ("too many connections") and
//! gone-away servers are [`ErrorKind::StoreUnavailable`] (transient), each with its own
//! hint; a CA file that cannot be read and an untrusted server certificate are
//! [`ErrorKind::ConfigInvalid`].

use mysql::{DriverError, MySqlError};

use super::schema;
use super::settings::{MysqlSettings, Tls};
use crate::error::{Error, ErrorKind};

/// Server error numbers that mean "the server went away or is going away".
const GONE: &[u16] = &[
    1053, // ER_SERVER_SHUTDOWN
    1077, // ER_NORMAL_SHUTDOWN
    1152, // ER_ABORTING_CONNECTION
    1927, // ER_CONNECTION_KILLED
    2006, // CR_SERVER_GONE_ERROR
    2013, // CR_SERVER_LOST
    4031, // ER_CLIENT_INTERACTION_TIMEOUT
];

/// The server (or this user) has no connection to spare: worth another try shortly.
const BUSY: &[u16] = &[
    1040, // ER_CON_COUNT_ERROR: max_connections
    1203, // ER_TOO_MANY_USER_CONNECTIONS: max_user_connections
];

/// Lock wait timeout, deadlock, and a group replication conflict (another member committed
/// first): the transaction may simply be tried again.
pub const RETRYABLE: &[u16] = &[1205, 1213, 3101];

/// `GET_LOCK` refused: MariaDB Galera (`wsrep_on`) answers ER_NOT_SUPPORTED_YET.
pub const NOT_SUPPORTED_YET: u16 = 1235;

/// The innermost I/O error of `e` (the driver wraps socket errors in codec errors).
fn innermost_io(e: &mysql::Error) -> Option<&std::io::Error> {
    match e {
        mysql::Error::IoError(io) => Some(io),
        mysql::Error::CodecError(codec) => {
            std::error::Error::source(codec).and_then(|inner| inner.downcast_ref())
        }
        _ => None,
    }
}

/// The TLS error inside `e`, if the failure was TLS's (an untrusted certificate, say).
fn tls_failure(e: &mysql::Error) -> Option<&rustls::Error> {
    innermost_io(e)?.get_ref()?.downcast_ref::<rustls::Error>()
}

/// Whether `e` means the connection is unusable (so a fresh one may work).
pub fn is_connectivity(e: &mysql::Error) -> bool {
    match e {
        mysql::Error::IoError(_) | mysql::Error::CodecError(_) | mysql::Error::TlsError(_) => true,
        mysql::Error::DriverError(d) => matches!(
            d,
            DriverError::ConnectTimeout
                | DriverError::CouldNotConnect(_)
                | DriverError::PacketOutOfSync
                | DriverError::UnexpectedPacket
        ),
        mysql::Error::MySqlError(m) => GONE.contains(&m.code) || BUSY.contains(&m.code),
        _ => false,
    }
}

/// The server ended a statement at the session's bound: MariaDB's `max_statement_time`
/// (ER_STATEMENT_TIMEOUT) and MySQL's `max_execution_time` (ER_QUERY_TIMEOUT).
const STATEMENT_TIMEOUT: &[u16] = &[1969, 3024];

/// Whether `e` is a read, write or connect timeout, by its innermost I/O error kind (the
/// server may still be running the statement, so the connection must never be used again),
/// or the server ending a statement at the session's bound: trying again would only wait
/// again.
pub fn is_timeout(e: &mysql::Error) -> bool {
    use std::io::ErrorKind as K;
    if let Some(io) = innermost_io(e) {
        return matches!(io.kind(), K::TimedOut | K::WouldBlock);
    }
    match e {
        mysql::Error::MySqlError(m) => STATEMENT_TIMEOUT.contains(&m.code),
        mysql::Error::DriverError(d) => matches!(
            d,
            DriverError::ConnectTimeout | DriverError::CouldNotConnect(Some((_, _, K::TimedOut)))
        ),
        _ => false,
    }
}

/// Whether the server refused the connection for lack of connections (`max_connections`).
pub fn is_busy(e: &mysql::Error) -> bool {
    matches!(e, mysql::Error::MySqlError(m) if BUSY.contains(&m.code))
}

/// Whether the connection died under the statement (not a timeout): a new one may work.
pub fn is_dead(e: &mysql::Error) -> bool {
    is_connectivity(e) && !is_timeout(e) && !is_busy(e) && tls_failure(e).is_none()
}

/// Whether the transaction that failed with `e` may be retried as it is.
pub fn is_retryable(e: &mysql::Error) -> bool {
    matches!(e, mysql::Error::MySqlError(m) if RETRYABLE.contains(&m.code))
}

/// The library error for a driver error met while doing `action` (e.g. "read the tokens of
/// ada@example.com") in a call bounded by `bound`.
pub fn convert(
    e: &mysql::Error,
    settings: &MysqlSettings,
    action: &str,
    bound: std::time::Duration,
) -> Error {
    let at = settings.endpoint();
    if is_timeout(e) {
        return super::deadline::out_of_time(settings, action, bound);
    }
    if is_busy(e) {
        return busy(e, &at, action);
    }
    if let Some(tls) = tls_failure(e) {
        return untrusted(tls, settings, action);
    }
    if let mysql::Error::TlsError(_) = e {
        return Error::new(
            ErrorKind::ConfigInvalid,
            format!("cannot {action}: TLS to the MySQL server {at} cannot be set up with the CA that mysql_ssl names"),
        )
        .with_hint("mysql_ssl must name a PEM file holding the CA certificate that signed the server's certificate");
    }
    if is_connectivity(e) {
        return unavailable(e, &at, action);
    }
    match e {
        mysql::Error::MySqlError(m) => server_error(m, settings, action),
        mysql::Error::DriverError(d) => Error::new(
            ErrorKind::StoreIo,
            format!(
                "cannot {action}: MySQL protocol problem with {at} ({})",
                driver_reason(d)
            ),
        ),
        _ => Error::new(
            ErrorKind::StoreIo,
            format!("cannot {action}: unexpected reply from the MySQL server {at}"),
        ),
    }
}

/// "Too many connections": the server is up but full. Transient, with its own remedy.
fn busy(e: &mysql::Error, at: &str, action: &str) -> Error {
    let per_user = matches!(e, mysql::Error::MySqlError(m) if m.code == 1203);
    let limit = if per_user {
        "max_user_connections of this user"
    } else {
        "max_connections"
    };
    Error::new(
        ErrorKind::StoreUnavailable,
        format!("cannot {action}: the MySQL server {at} has no connection to spare ({limit} reached)"),
    )
    .with_hint(format!(
        "the server is up but full; this store holds no idle connection and retries within store_timeout_secs; raise {limit} or find what else holds connections (SHOW PROCESSLIST); nothing stored is lost"
    ))
}

/// A TLS handshake that failed: the server's certificate is not trusted (or TLS itself
/// failed). Not transient: it needs a configuration change (or a server that is ours).
fn untrusted(tls: &rustls::Error, s: &MysqlSettings, action: &str) -> Error {
    let trusted = match &s.tls {
        Tls::Verified(Some(ca)) => format!("the CA in {}", ca.display()),
        _ => "the public web roots".to_string(),
    };
    let why = match tls {
        rustls::Error::InvalidCertificate(_) => "its certificate is not trusted",
        _ => "the TLS handshake failed",
    };
    Error::new(
        ErrorKind::ConfigInvalid,
        format!(
            "cannot {action}: TLS to the MySQL server {} failed: {why} (mysql_ssl trusts {trusted})",
            s.endpoint()
        ),
    )
    .with_hint("set mysql_ssl to the CA file that signed the server's certificate (whose name must match host_address); if the certificate is right, something else answers at that address")
}

fn unavailable(e: &mysql::Error, at: &str, action: &str) -> Error {
    let reason = match e {
        mysql::Error::IoError(io) => io_reason(io.kind()),
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, _, kind)))) => {
            io_reason(*kind)
        }
        mysql::Error::MySqlError(m) if [1053, 1077].contains(&m.code) => {
            "the server is shutting down"
        }
        _ => "the connection was lost",
    };
    Error::new(
        ErrorKind::StoreUnavailable,
        format!("cannot {action}: the MySQL server {at} is unavailable ({reason})"),
    )
    .with_hint("start the database server or fix host_address/db_port (or mysql_url, mysql_socket); calls work again as soon as it answers, nothing stored is lost")
}

fn io_reason(kind: std::io::ErrorKind) -> &'static str {
    use std::io::ErrorKind as K;
    match kind {
        K::ConnectionRefused => "connection refused",
        K::TimedOut | K::WouldBlock => "timed out",
        K::ConnectionReset | K::ConnectionAborted | K::BrokenPipe | K::UnexpectedEof => {
            "the connection was closed"
        }
        K::NotFound => "no such socket or host",
        K::PermissionDenied => "permission denied",
        _ => "network error",
    }
}

fn driver_reason(d: &DriverError) -> &'static str {
    match d {
        DriverError::TlsNotSupported => "the server does not offer TLS but mysql_ssl asks for it",
        DriverError::UnknownAuthPlugin(_) => "unknown authentication plugin",
        DriverError::CleartextPluginDisabled => "the server wants a clear-text password",
        _ => "unexpected packet",
    }
}

fn server_error(m: &MySqlError, settings: &MysqlSettings, action: &str) -> Error {
    let at = settings.endpoint();
    let table = settings.qualified_table();
    match m.code {
        1044 | 1045 | 1698 => Error::new(
            ErrorKind::StoreIo,
            format!("cannot {action}: the MySQL server {at} refused the login (access denied)"),
        )
        .with_hint("check db_username and db_password (or the user and password in mysql_url), and that this user may connect from this host"),
        1049 | 1146 => schema::missing(settings, action),
        1054 => schema::wrong_columns(settings, action),
        1036 | 1142 | 1143 | 1227 | 1290 | 1792 => Error::new(
            ErrorKind::StoreIo,
            format!("cannot {action}: the MySQL user of {at} may not change {table} (read-only user or database)"),
        )
        .with_hint(format!(
            "grant it SELECT, INSERT, DELETE on {table} (GRANT SELECT, INSERT, DELETE ON {table} TO ...); nothing was changed"
        )),
        1406 => Error::invalid_argument(format!(
            "cannot {action}: a value is longer than its column in {table}; nothing was written"
        )),
        1366 | 1300 => Error::invalid_argument(format!(
            "cannot {action}: a value has characters the column's character set in {table} cannot hold; nothing was written"
        ))
        .with_hint("convert the table to utf8mb4 (ALTER TABLE ... CONVERT TO CHARACTER SET utf8mb4)"),
        1062 => Error::new(
            ErrorKind::StoreIo,
            format!("cannot {action}: {table} already holds a user identifier that its key treats as the same (differing only in case or trailing spaces); nothing was written"),
        ),
        1205 | 1213 => Error::new(
            ErrorKind::StoreUnavailable,
            format!("cannot {action}: {table} stayed locked by other transactions"),
        )
        .with_hint("another process held the rows too long; try again"),
        code => Error::new(
            ErrorKind::StoreIo,
            format!(
                "cannot {action}: the MySQL server {at} answered error {code} (SQLSTATE {})",
                m.state
            ),
        ),
    }
}
