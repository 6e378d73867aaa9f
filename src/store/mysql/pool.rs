//! One connection pool per process and server, created on first use.
//!
//! Pools live in a process-wide registry keyed by where they connect, so every client and
//! store of a process (PHP's `initialize` on every request, say) shares one. A pool created
//! before a `fork` is never used by the child (PHP-FPM workers, `pcntl_fork`): on a new
//! process id the inherited pools are abandoned without closing their connections (closing
//! would end the parent's sessions) and fresh ones are made.

use std::collections::HashMap;
use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use mysql::{Conn, Opts, OptsBuilder, Pool, PoolConstraints, PoolOpts, PooledConn, SslOpts};

use super::errors;
use super::settings::{MysqlSettings, Tls};
use crate::error::{Error, Result};

/// Most connections one process keeps to one server.
const MAX_CONNECTIONS: usize = 32;

/// The pools of this process, with the id of the process that made them.
static POOLS: Mutex<Option<(u32, HashMap<String, Pool>)>> = Mutex::new(None);

/// The driver options for `s`: no default database (every statement names it), TCP even to
/// `localhost` (as the SDK), strict SQL mode so nothing is silently truncated, utf8mb4, and
/// the timeouts. `read_timeout` overrides the I/O timeout (lock connections wait longer).
pub fn opts(s: &MysqlSettings, read_timeout: Option<Duration>) -> Opts {
    let mut b = OptsBuilder::new()
        .user(Some(s.user.clone()))
        .pass(Some(s.password.expose().to_string()))
        .prefer_socket(false)
        .tcp_connect_timeout(Some(s.connect_timeout))
        .read_timeout(Some(read_timeout.unwrap_or(s.io_timeout)))
        .write_timeout(Some(s.io_timeout))
        .init(vec![
            "SET NAMES utf8mb4",
            "SET SESSION sql_mode = TRIM(BOTH ',' FROM CONCAT(@@SESSION.sql_mode, ',STRICT_ALL_TABLES'))",
        ])
        .pool_opts(
            PoolOpts::default()
                .with_constraints(PoolConstraints::new_const::<0, MAX_CONNECTIONS>())
                // No ping before and no reset after each use (two round trips saved, and
                // prepared statements stay cached): the store keeps no session state
                // between uses (locks live on connections of their own), and a connection
                // that died meanwhile is replaced by [`run`]'s retry.
                .with_check_health(false)
                .with_reset_connection(false),
        );
    b = match &s.socket {
        Some(socket) => b.socket(Some(socket.display().to_string())),
        None => b.ip_or_hostname(Some(s.host.clone())).tcp_port(s.port),
    };
    if let Tls::Verified(ca) = &s.tls {
        let ssl = SslOpts::default().with_root_cert_path(ca.clone());
        b = b.ssl_opts(Some(ssl));
    }
    Opts::from(b)
}

/// The registry key: everything that decides where and as whom a pool connects.
fn key(s: &MysqlSettings) -> String {
    format!(
        "{}\0{}\0{}\0{}\0{:?}\0{:?}\0{:?}\0{:?}",
        s.host,
        s.port,
        s.user,
        s.password.expose(),
        s.socket,
        s.tls,
        s.connect_timeout,
        s.io_timeout
    )
}

/// This process's pool for `s`, created (without connecting) on first use.
///
/// The registry is only ever `try_lock`ed: when it is busy (another thread is inside, or a
/// `fork()` happened while one was, which would leave it locked forever in the child), this
/// call gets a pool of its own, unregistered, instead of waiting.
pub fn pool(s: &MysqlSettings) -> Result<Pool> {
    let mut registry = match POOLS.try_lock() {
        Ok(registry) => registry,
        Err(TryLockError::WouldBlock) => {
            return Pool::new(opts(s, None)).map_err(|e| errors::convert(&e, s, "connect"));
        }
        Err(TryLockError::Poisoned(_)) => {
            return Err(Error::internal(
                "the MySQL pool registry was poisoned by a panic",
            ));
        }
    };
    let pid = std::process::id();
    if registry.as_ref().is_some_and(|(owner, _)| *owner != pid) {
        // Inherited from the parent: leak, never close (closing would send COM_QUIT on
        // sockets the parent still uses).
        if let Some(inherited) = registry.take() {
            std::mem::forget(inherited);
        }
    }
    let (_, pools) = registry.get_or_insert_with(|| (pid, HashMap::new()));
    let key = key(s);
    if let Some(pool) = pools.get(&key) {
        return Ok(pool.clone());
    }
    let pool = Pool::new(opts(s, None)).map_err(|e| errors::convert(&e, s, "connect"))?;
    pools.insert(key, pool.clone());
    Ok(pool)
}

/// A connection from this process's pool, waiting at most the connect timeout for a free one.
pub fn conn(s: &MysqlSettings, action: &str) -> Result<PooledConn> {
    let pool = pool(s)?;
    pool.try_get_conn(s.connect_timeout + s.io_timeout)
        .map_err(|e| errors::convert(&e, s, action))
}

/// A connection of its own (not pooled), for a lock held across a refresh: its read timeout
/// covers `wait` so a long `GET_LOCK` does not count as a dead server.
pub fn dedicated(s: &MysqlSettings, wait: Duration, action: &str) -> Result<Conn> {
    Conn::new(opts(s, Some(wait + s.io_timeout))).map_err(|e| errors::convert(&e, s, action))
}

/// Runs `op` on a pooled connection. When the connection turns out to be dead (the server
/// restarted since it was pooled), `op` runs again on the next one, until a new connection
/// fails too; deadlocks and lock wait timeouts are retried up to three times. `op` must
/// therefore be safe to repeat.
pub fn run<T>(
    s: &MysqlSettings,
    action: &str,
    mut op: impl FnMut(&mut PooledConn) -> mysql::Result<T>,
) -> Result<T> {
    let mut attempts = 0;
    loop {
        attempts += 1;
        let mut conn = conn(s, action)?;
        match op(&mut conn) {
            Ok(value) => return Ok(value),
            Err(e) => {
                // Every pooled connection may have died with a restarted server: at most
                // the pool's size of them, then a new one decides. A timeout is final: every
                // wait stays bounded by one timeout.
                let dead = errors::is_connectivity(&e) && !errors::is_timeout(&e);
                let again = (dead && attempts <= MAX_CONNECTIONS)
                    || (errors::is_retryable(&e) && attempts < 4);
                if errors::is_connectivity(&e) {
                    // Reset on return: a dead connection fails it and leaves the pool.
                    conn.reset_connection(true);
                }
                drop(conn);
                if !again {
                    return Err(errors::convert(&e, s, action));
                }
            }
        }
    }
}
