//! Turns the driver's errors into the library's, without the server's text.
//!
//! Server messages can quote values (a rejected string, a duplicate key), so they are never
//! passed on: each known error number gets a message of ours, and any other shows only its
//! number and SQLSTATE. Unreachable, timed out and gone-away servers are
//! [`ErrorKind::StoreUnavailable`] (transient).

use mysql::{DriverError, MySqlError};

use super::schema;
use super::settings::{MysqlSettings, Tls};
use crate::error::{Error, ErrorKind};

/// Server error numbers that mean "the server went away or is going away".
const GONE: &[u16] = &[
    1040, // ER_CON_COUNT_ERROR: too many connections
    1053, // ER_SERVER_SHUTDOWN
    1077, // ER_NORMAL_SHUTDOWN
    1152, // ER_ABORTING_CONNECTION
    1927, // ER_CONNECTION_KILLED
    2006, // CR_SERVER_GONE_ERROR
    2013, // CR_SERVER_LOST
    4031, // ER_CLIENT_INTERACTION_TIMEOUT
];

/// Lock wait timeout and deadlock: the transaction may simply be tried again.
pub const RETRYABLE: &[u16] = &[1205, 1213];

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
        mysql::Error::MySqlError(m) => GONE.contains(&m.code),
        _ => false,
    }
}

/// Whether `e` is a read, write or connect timeout (a hung server: not worth retrying).
pub fn is_timeout(e: &mysql::Error) -> bool {
    use std::io::ErrorKind as K;
    match e {
        mysql::Error::IoError(io) => matches!(io.kind(), K::TimedOut | K::WouldBlock),
        mysql::Error::DriverError(DriverError::ConnectTimeout) => true,
        _ => false,
    }
}

/// Whether the transaction that failed with `e` may be retried as it is.
pub fn is_retryable(e: &mysql::Error) -> bool {
    matches!(e, mysql::Error::MySqlError(m) if RETRYABLE.contains(&m.code))
}

/// The library error for a driver error met while doing `action` (e.g. "read the tokens of
/// ada@example.com").
pub fn convert(e: &mysql::Error, settings: &MysqlSettings, action: &str) -> Error {
    let at = settings.endpoint();
    if is_connectivity(e) {
        return unavailable(e, &at, action, settings.tls != Tls::Off);
    }
    match e {
        mysql::Error::MySqlError(m) => server_error(m, settings, action),
        mysql::Error::DriverError(DriverError::Timeout) => Error::new(
            ErrorKind::StoreUnavailable,
            format!("cannot {action}: every connection to the MySQL server {at} is busy"),
        )
        .with_hint("more threads use the store than the pool allows; try again shortly"),
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

fn unavailable(e: &mysql::Error, at: &str, action: &str, tls: bool) -> Error {
    let reason = match e {
        // rustls reports an untrusted or invalid certificate as invalid data.
        mysql::Error::CodecError(_) if tls => {
            "the TLS handshake failed: is the server's certificate signed by the CA mysql_ssl names?"
        }
        mysql::Error::IoError(io) if tls && io.kind() == std::io::ErrorKind::InvalidData => {
            "the TLS handshake failed: is the server's certificate signed by the CA mysql_ssl names?"
        }
        mysql::Error::IoError(io) => io_reason(io.kind()),
        mysql::Error::DriverError(DriverError::ConnectTimeout) => "the connection timed out",
        mysql::Error::DriverError(DriverError::CouldNotConnect(Some((_, _, kind)))) => {
            io_reason(*kind)
        }
        mysql::Error::TlsError(_) => "the TLS handshake failed",
        mysql::Error::MySqlError(m) if m.code == 1040 => "the server has too many connections",
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
