//! One Redis connection per process, made on first use and again after a fork (PHP-FPM
//! workers) or after the server closed it (a restart).
//!
//! Every call has one deadline: the store's bound (`store_timeout_secs`) from its start.
//! Connecting (TCP, TLS, `AUTH`, `SELECT`, the server check), each command, loading a script
//! and the one reconnect take their socket timeouts from what is left of it, and nothing is
//! tried once it has passed. A connection whose reply may still come (a timeout, any I/O
//! error) is dropped, never reused: its late reply would answer the next command. So is one
//! to a primary that became a replica (a failover).

use std::io;
use std::sync::{Mutex, TryLockError};
use std::time::{Duration, Instant};

use ::redis::{
    Client, Connection, ErrorKind as RedisKind, RedisError, RedisResult, ServerErrorKind,
};

use super::call::{Call, Failure, time_left};
use super::errors::from_redis;
use super::login::Login;
use super::server::Checker;
use crate::error::{Error, Result};
use crate::process_owned::{self, ProcessOwned};

/// This process's connection (one inherited through `fork` is closed, never used: dropping
/// it only closes the child's descriptor, nothing is sent).
type Slot = Option<ProcessOwned<Connection>>;

/// Makes and keeps this process's connection.
pub(super) struct Connector {
    /// Opens the socket (TCP or Unix, TLS) and sends nothing.
    client: Client,
    /// Then `AUTH` and `SELECT`.
    login: Login,
    bound: Duration,
    /// The redacted URL, for messages.
    described: String,
    checker: Checker,
    slot: Mutex<Slot>,
}

impl Connector {
    /// A connector for `client`'s server; nothing is connected yet.
    pub(super) fn new(
        client: &Client,
        described: String,
        bound: Duration,
        checker: Checker,
    ) -> RedisResult<Connector> {
        let (client, login) = Login::split(client.get_connection_info())?;
        Ok(Connector {
            client,
            login,
            bound,
            described,
            checker,
            slot: Mutex::new(None),
        })
    }

    /// The redacted URL.
    pub(super) fn described(&self) -> &str {
        &self.described
    }

    /// Runs `op` on this process's connection within one store bound; `what` names the
    /// operation for messages. A connection the server closed meanwhile (restart, idle
    /// timeout) is replaced and `op` tried once more, if time is left; every operation
    /// here is idempotent.
    pub(super) fn run<T>(
        &self,
        what: &str,
        mut op: impl FnMut(&mut Call<'_>) -> RedisResult<T>,
    ) -> Result<T> {
        let deadline = Instant::now() + self.bound;
        match self.slot.try_lock() {
            Ok(mut slot) => self.run_on(&mut slot, what, deadline, &mut op),
            // Busy: another thread is using the connection, or a fork() happened while one
            // was (the child would wait forever). This call uses a connection of its own.
            Err(TryLockError::WouldBlock) => self.run_on(&mut None, what, deadline, &mut op),
            // A panic while the connection was in use leaves it in an unknown state: drop it.
            Err(TryLockError::Poisoned(poisoned)) => {
                let mut slot = poisoned.into_inner();
                *slot = None;
                self.slot.clear_poison();
                self.run_on(&mut slot, what, deadline, &mut op)
            }
        }
    }

    fn run_on<T>(
        &self,
        slot: &mut Slot,
        what: &str,
        deadline: Instant,
        op: &mut impl FnMut(&mut Call<'_>) -> RedisResult<T>,
    ) -> Result<T> {
        // Inherited across fork: the parent keeps using that socket; it is closed here.
        let reused = process_owned::current(slot).is_some();
        let mut result = self.attempt(slot, deadline, op);
        let stale = matches!(&result, Err(Failure::Redis(e)) if stale_connection(e));
        if reused && stale && time_left(deadline).is_ok() {
            *slot = None;
            result = self.attempt(slot, deadline, op);
        }
        result.map_err(|failure| self.failure(what, failure, slot))
    }

    fn attempt<T>(
        &self,
        slot: &mut Slot,
        deadline: Instant,
        op: &mut impl FnMut(&mut Call<'_>) -> RedisResult<T>,
    ) -> std::result::Result<T, Failure> {
        if slot.is_none() {
            *slot = Some(ProcessOwned::closed_in_child(self.connect(deadline)?));
        }
        match process_owned::current(slot) {
            Some(con) => Ok(op(&mut Call::new(con, deadline))?),
            None => Err(Failure::Redis(io::Error::other("no connection").into())),
        }
    }

    /// A new connection, logged in and checked (once per connection) to be a server that
    /// may hold tokens.
    fn connect(&self, deadline: Instant) -> std::result::Result<Connection, Failure> {
        let mut con = self
            .client
            .get_connection_with_timeout(time_left(deadline)?)?;
        let mut call = Call::new(&mut con, deadline);
        self.login.send(&mut call)?;
        self.checker.check(&mut call)?;
        Ok(con)
    }

    /// The error for `failure`; a connection in an unknown state, or to a server that was
    /// refused, is dropped.
    fn failure(&self, what: &str, failure: Failure, slot: &mut Slot) -> Error {
        match failure {
            Failure::Redis(e) => {
                let answered = matches!(e.kind(), RedisKind::Server(_) | RedisKind::Extension);
                if !answered || stale_connection(&e) {
                    *slot = None;
                }
                from_redis(what, &self.described, self.bound, &e)
            }
            Failure::Refused(e) => {
                *slot = None;
                e
            }
        }
    }
}

/// Whether `e` says this connection is no use any more but a new one may be: the server
/// closed it (not a timeout: that reply may still come), or the primary it was made to has
/// become a replica (`READONLY`: a failover; a new connection to an address that moves
/// with the primary reaches the new one, and one that does not is refused by the check).
/// Nothing was written either way (the scripts write nothing on a replica).
fn stale_connection(e: &RedisError) -> bool {
    (e.is_connection_dropped() && !e.is_timeout())
        || e.kind() == RedisKind::Server(ServerErrorKind::ReadOnly)
}
