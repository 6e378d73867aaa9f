//! One Redis connection per process, made on first use and again after a fork (PHP-FPM
//! workers) or after the server closed it (a restart). Every wait is bounded: the connect
//! timeout for connecting (including `AUTH` and `SELECT`), the request timeout for each
//! reply.

use std::sync::{Mutex, TryLockError};
use std::time::Duration;

use ::redis::{Client, Connection, RedisError, RedisResult};

use super::errors::from_redis;
use crate::error::{Error, Result};

/// Makes and keeps this process's connection.
pub(super) struct Connector {
    client: Client,
    connect_timeout: Duration,
    io_timeout: Duration,
    /// The redacted URL, for messages.
    described: String,
    /// The connection and the process that made it.
    slot: Mutex<Option<(u32, Connection)>>,
}

impl Connector {
    /// A connector for `client`; nothing is connected yet.
    pub(super) fn new(
        client: Client,
        described: String,
        connect_timeout: Duration,
        io_timeout: Duration,
    ) -> Connector {
        Connector {
            client,
            connect_timeout,
            io_timeout,
            described,
            slot: Mutex::new(None),
        }
    }

    /// The redacted URL.
    pub(super) fn described(&self) -> &str {
        &self.described
    }

    /// Runs `op` on this process's connection; `what` names the operation for messages.
    /// A connection the server closed meanwhile (restart, idle timeout) is replaced and
    /// `op` tried once more on the new one; every operation here is idempotent.
    pub(super) fn run<T>(
        &self,
        what: &str,
        mut op: impl FnMut(&mut Connection) -> RedisResult<T>,
    ) -> Result<T> {
        let mut slot = match self.slot.try_lock() {
            Ok(slot) => slot,
            // Busy: another thread is using the connection, or a fork() happened while one
            // was (the child would wait forever). This call uses a connection of its own.
            Err(TryLockError::WouldBlock) => {
                let mut own = None;
                return self
                    .with_connection(&mut own, std::process::id(), &mut op)
                    .map_err(|e| self.failure(what, &e, &mut own));
            }
            // A panic while the connection was in use leaves it in an unknown state: drop it.
            Err(TryLockError::Poisoned(poisoned)) => {
                let mut slot = poisoned.into_inner();
                *slot = None;
                self.slot.clear_poison();
                slot
            }
        };
        let pid = std::process::id();
        if slot.as_ref().is_some_and(|(owner, _)| *owner != pid) {
            // Inherited across fork: the parent keeps using that socket. Dropping our copy
            // only closes this process's descriptor (no shutdown is sent).
            *slot = None;
        }
        let reused = slot.is_some();
        let result = self.with_connection(&mut slot, pid, &mut op);
        match result {
            Err(e) if reused && e.is_connection_dropped() && !e.is_timeout() => {
                *slot = None;
                self.with_connection(&mut slot, pid, &mut op)
                    .map_err(|e| self.failure(what, &e, &mut slot))
            }
            other => other.map_err(|e| self.failure(what, &e, &mut slot)),
        }
    }

    /// The error for `e`; a connection in an unknown state is dropped.
    fn failure(&self, what: &str, e: &RedisError, slot: &mut Option<(u32, Connection)>) -> Error {
        if !matches!(
            e.kind(),
            ::redis::ErrorKind::Server(_) | ::redis::ErrorKind::Extension
        ) {
            *slot = None;
        }
        from_redis(what, &self.described, self.io_timeout, e)
    }

    fn with_connection<T>(
        &self,
        slot: &mut Option<(u32, Connection)>,
        pid: u32,
        op: &mut impl FnMut(&mut Connection) -> RedisResult<T>,
    ) -> RedisResult<T> {
        if slot.is_none() {
            *slot = Some((pid, self.connect()?));
        }
        match slot.as_mut() {
            Some((_, con)) => op(con),
            None => Err(std::io::Error::other("no connection").into()),
        }
    }

    fn connect(&self) -> RedisResult<Connection> {
        let con = self
            .client
            .get_connection_with_timeout(self.connect_timeout)?;
        con.set_read_timeout(Some(self.io_timeout))?;
        con.set_write_timeout(Some(self.io_timeout))?;
        Ok(con)
    }
}
