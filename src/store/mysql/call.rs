//! One store call: a deadline of `store_timeout_secs`, the statements of `op` on the
//! connection of the refresh lock this thread holds on that server (a refresh uses one
//! connection, not two) or else on a session opened for this call and closed after it.
//!
//! Tried again, while time is left: a connection that died under the statement (the lock's
//! connection after a server restart, or after the lease ran out), a deadlock or lock wait
//! timeout. Never tried again: a timeout (the server may still be running the statement; its
//! connection is closed, never reused).

use mysql::Conn;

use super::deadline::{Deadline, out_of_time};
use super::errors;
use super::lock;
use super::session::{self, Purpose};
use super::settings::MysqlSettings;
use crate::error::Result;

/// Most tries of one call (deadlocks, dead connections), within its deadline.
const MAX_TRIES: u32 = 4;

/// Runs `op` within the call's bound. `op` must be safe to repeat (one transaction, or
/// reads): it runs again after a dead connection or a deadlock.
pub fn run<T>(
    s: &MysqlSettings,
    action: &str,
    mut op: impl FnMut(&mut Conn) -> mysql::Result<T>,
) -> Result<T> {
    let deadline = Deadline::after(s.bounds.call);
    let mut tries = 0;
    loop {
        tries += 1;
        let (result, reused) = match lock::run_on_held(s, &deadline, &mut op) {
            Some(result) => (result, true),
            None => (run_on_new(s, &deadline, action, &mut op)?, false),
        };
        let e = match result {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        // A fresh connection that died may be a server restarting: one more try. The
        // lock's connection may simply have outlived its lease: a fresh one is tried.
        let again = (errors::is_dead(&e) && (reused || tries < 2))
            || (errors::is_retryable(&e) && tries < MAX_TRIES);
        if !again || !deadline.pause(std::time::Duration::from_millis(u64::from(tries) * 5)) {
            return Err(errors::convert(&e, s, action, deadline.bound()));
        }
    }
}

/// `op` on a session of its own, closed when it returns (a connection whose statement timed
/// out is closed with it, never reused).
fn run_on_new<T>(
    s: &MysqlSettings,
    deadline: &Deadline,
    action: &str,
    op: &mut impl FnMut(&mut Conn) -> mysql::Result<T>,
) -> Result<mysql::Result<T>> {
    let mut session = session::open(s, deadline, Purpose::Call, action)?;
    match session.conn(deadline) {
        Some(conn) => Ok(op(conn)),
        None => Err(out_of_time(s, action, deadline.bound())),
    }
}
