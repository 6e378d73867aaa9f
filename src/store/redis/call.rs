//! One call on this process's connection: its deadline, and the commands and scripts run
//! within it. A leaf of the module graph (the connection, the login and the server check
//! all use it).

use std::io;
use std::time::{Duration, Instant};

use ::redis::{
    Cmd, Connection, ErrorKind as RedisKind, FromRedisValue, RedisError, RedisResult,
    ServerErrorKind,
};

use super::scripts::Invocation;
use crate::error::Error;

/// Why a call failed: Redis said so (or the network), or the server is not one that may
/// hold tokens (found by the check at connect).
pub(super) enum Failure {
    Redis(RedisError),
    Refused(Error),
}

impl From<RedisError> for Failure {
    fn from(e: RedisError) -> Failure {
        Failure::Redis(e)
    }
}

/// The connection for the length of one call, and the call's deadline.
pub(super) struct Call<'a> {
    con: &'a mut Connection,
    deadline: Instant,
}

impl<'a> Call<'a> {
    /// `con` for a call that ends at `deadline`.
    pub(super) fn new(con: &'a mut Connection, deadline: Instant) -> Call<'a> {
        Call { con, deadline }
    }

    /// Runs `command` with socket timeouts of what is left of the call's time.
    pub(super) fn query<T: FromRedisValue>(&mut self, command: &Cmd) -> RedisResult<T> {
        let left = time_left(self.deadline)?;
        self.con.set_read_timeout(Some(left))?;
        self.con.set_write_timeout(Some(left))?;
        command.query(self.con)
    }

    /// Runs a script: `EVALSHA`, and after `NOSCRIPT` (a server that restarted or flushed
    /// its scripts) `SCRIPT LOAD` and `EVALSHA` again, all within the call's time.
    pub(super) fn eval<T: FromRedisValue>(&mut self, script: &Invocation<'_>) -> RedisResult<T> {
        match self.query(&script.evalsha()) {
            Err(e) if e.kind() == RedisKind::Server(ServerErrorKind::NoScript) => {
                self.query::<::redis::Value>(&script.load())?;
                self.query(&script.evalsha())
            }
            other => other,
        }
    }
}

/// What is left until `deadline`, or a timeout error when nothing is.
pub(super) fn time_left(deadline: Instant) -> RedisResult<Duration> {
    deadline
        .checked_duration_since(Instant::now())
        .filter(|left| !left.is_zero())
        .ok_or_else(|| io::Error::new(io::ErrorKind::TimedOut, "the store's bound ran out").into())
}
