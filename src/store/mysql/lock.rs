//! The per-user refresh lock, shared by every machine using the same server: `GET_LOCK`, held
//! by the session of a connection that the guard owns for the length of the refresh.
//!
//! - **Waiting pins no connection.** A wait is a series of `GET_LOCK(name, 0)` attempts, each
//!   on a connection opened for it and closed after it, with pauses between them (25 ms
//!   growing to 250 ms, with jitter), until the caller's wait runs out; a zero wait is one
//!   attempt. Each attempt is bounded by `store_timeout_secs`.
//! - **One connection per refresh.** While a thread holds a lock, its store calls to that
//!   server run on the lock's connection ([`run_on_held`]).
//! - **A lease.** The lock's session has `wait_timeout` = the lease (the connect and request
//!   timeouts plus 2 s): a holder that goes silent (frozen, partitioned, its host gone) loses
//!   its session, and with it the lock, that long after its last statement. A late holder's
//!   save is then a conditional one (`save_refreshed`), kept only while still the newest.
//! - **Released** by `RELEASE_LOCK` when the guard drops, by closing the connection, and by
//!   the server when the holder's process dies.

use std::cell::RefCell;
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use mysql::Conn;
use mysql::prelude::Queryable;

use super::deadline::Deadline;
use super::errors;
use super::session::{self, Purpose, Session};
use super::settings::MysqlSettings;
use crate::error::{Error, ErrorKind, Result};
use crate::store::wait;

/// MySQL's limit on lock names is 64 characters; counted in bytes here, so a name stays
/// within it whatever character set the connection reads it in.
const MAX_NAME_BYTES: usize = 64;
/// The first pause between two attempts; it grows by half up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(25);
/// The longest pause between two attempts.
const MAX_PAUSE: Duration = Duration::from_millis(250);

/// A held lock's session, shared by the guard and the holding thread's registry.
struct Held {
    session: Session,
    /// False once a statement on it timed out or the connection failed: a statement may
    /// still run there, so nothing more is sent (closing it releases the lock).
    usable: bool,
}

type Shared = Arc<Mutex<Held>>;

thread_local! {
    /// The locks this thread holds: the server they are held on, and their session.
    static HELD: RefCell<Vec<(String, Weak<Mutex<Held>>)>> = const { RefCell::new(Vec::new()) };
}

/// A held `GET_LOCK`; released when dropped.
pub struct MysqlLock {
    held: Shared,
    name: String,
    bound: Duration,
}

impl Drop for MysqlLock {
    fn drop(&mut self) {
        let _ = HELD.try_with(|held| {
            held.borrow_mut().retain(|(_, h)| {
                h.strong_count() > 0 && !Weak::ptr_eq(h, &Arc::downgrade(&self.held))
            })
        });
        let Ok(mut held) = self.held.lock() else {
            return;
        };
        if held.usable && held.session.is_ours() {
            let deadline = Deadline::after(self.bound);
            if let Some(conn) = held.session.conn(&deadline) {
                // An error means the session is gone, which released the lock anyway.
                let _ = conn.exec_drop("DO RELEASE_LOCK(?)", (&self.name,));
            }
        }
        // The session closes with the guard.
    }
}

/// The lock name for `user` in the table of `s`: readable when it fits in 64 bytes,
/// otherwise a 128-bit hash of the readable name.
pub fn lock_name(s: &MysqlSettings, user: &str) -> String {
    let name = format!("zoho_oauth:{}.{}:{user}", s.database, s.table);
    if name.len() <= MAX_NAME_BYTES {
        return name;
    }
    let bytes = name.as_bytes();
    format!(
        "zoho_oauth:{:016x}{:016x}",
        fnv1a(0xcbf2_9ce4_8422_2325, bytes),
        fnv1a(0x6c62_272e_07bb_0142, bytes)
    )
}

/// [`lock`], as the guard a [`crate::store::TokenStore`] returns.
pub fn lock_guard(
    s: &MysqlSettings,
    user: &str,
    wait: Duration,
) -> Result<crate::store::LockGuard> {
    Ok(Box::new(lock(s, user, wait)?))
}

/// Takes `user`'s lock, trying until `wait` has passed (a zero `wait`: once);
/// [`ErrorKind::LockTimeout`] when another session keeps holding it.
pub fn lock(s: &MysqlSettings, user: &str, wait: Duration) -> Result<MysqlLock> {
    let action = format!("take the refresh lock of {user}");
    let name = lock_name(s, user);
    let started = Instant::now();
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(session) = attempt(s, &name, &action)? {
            return Ok(register(s, session, name));
        }
        let waited = started.elapsed();
        if waited >= wait {
            return Err(wait::lock_timeout(
                &format!("the MySQL server {}", s.endpoint()),
                user,
                wait,
            ));
        }
        std::thread::sleep((pause + jitter(pause)).min(wait - waited));
        pause = (pause * 3 / 2).min(MAX_PAUSE);
    }
}

/// One `GET_LOCK(name, 0)` on a new session within the call bound: the session when the lock
/// was taken, `None` when someone else holds it (the session is closed at once).
fn attempt(s: &MysqlSettings, name: &str, action: &str) -> Result<Option<Session>> {
    let deadline = Deadline::after(s.bounds.call);
    let mut session = session::open(s, &deadline, Purpose::Lock, action)?;
    let Some(conn) = session.conn(&deadline) else {
        return Err(super::deadline::out_of_time(s, action, deadline.bound()));
    };
    let got: Option<Option<i64>> = conn
        .exec_first("SELECT GET_LOCK(?, 0)", (name,))
        .map_err(|e| refused(&e, s, action, deadline.bound()))?;
    match got.flatten() {
        Some(1) => Ok(Some(session)),
        Some(_) => Ok(None),
        None => Err(Error::new(
            ErrorKind::StoreUnavailable,
            format!(
                "cannot {action}: the MySQL server {} refused GET_LOCK",
                s.endpoint()
            ),
        )),
    }
}

/// The error of a failed `GET_LOCK`; a Galera node refuses it outright.
fn refused(e: &mysql::Error, s: &MysqlSettings, action: &str, bound: Duration) -> Error {
    match e {
        mysql::Error::MySqlError(m) if m.code == errors::NOT_SUPPORTED_YET => Error::new(
            ErrorKind::StoreIo,
            format!(
                "cannot {action}: the MySQL server {} does not support GET_LOCK (a MariaDB Galera cluster node with wsrep_on)",
                s.endpoint()
            ),
        )
        .with_hint("refreshes need a lock shared by every host: keep the tokens on a server that is not a Galera node, or use the Redis store"),
        _ => errors::convert(e, s, action, bound),
    }
}

/// Registers a taken lock's session for this thread's store calls to that server.
fn register(s: &MysqlSettings, session: Session, name: String) -> MysqlLock {
    let held = Arc::new(Mutex::new(Held {
        session,
        usable: true,
    }));
    let _ = HELD.try_with(|registry| {
        registry
            .borrow_mut()
            .push((s.identity(), Arc::downgrade(&held)));
    });
    MysqlLock {
        held,
        name,
        bound: s.bounds.call,
    }
}

/// Runs `op` on the connection of the newest lock this thread holds on the server of `s`,
/// within `deadline`; `None` when it holds none that is usable (the caller opens a session).
/// A connection error or a timeout makes that connection unusable from then on.
pub fn run_on_held<T>(
    s: &MysqlSettings,
    deadline: &Deadline,
    op: &mut impl FnMut(&mut Conn) -> mysql::Result<T>,
) -> Option<mysql::Result<T>> {
    let identity = s.identity();
    let held = HELD
        .try_with(|registry| {
            registry
                .borrow()
                .iter()
                .rev()
                .filter(|(server, _)| *server == identity)
                .find_map(|(_, held)| held.upgrade())
        })
        .ok()
        .flatten()?;
    let mut held = held.try_lock().ok()?;
    if !held.usable || !held.session.is_ours() {
        return None;
    }
    let result = match held.session.conn(deadline) {
        Some(conn) => op(conn),
        None => Err(mysql::Error::IoError(std::io::ErrorKind::TimedOut.into())),
    };
    if let Err(e) = &result
        && errors::is_connectivity(e)
    {
        held.usable = false;
    }
    Some(result)
}

/// Up to `pause` / 2 of jitter, so waiters on many hosts do not try in step.
fn jitter(pause: Duration) -> Duration {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos())
        ^ std::process::id().wrapping_mul(2_654_435_761);
    let half = (pause.as_micros() / 2).max(1) as u64;
    Duration::from_micros(u64::from(seed) % half)
}

/// FNV-1a over `bytes` from `seed`.
fn fnv1a(seed: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(seed, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mysql::settings::Bounds;
    use std::collections::HashMap;

    #[test]
    fn long_names_are_hashed_to_fit() {
        let map: HashMap<&str, &str> = HashMap::new();
        let s = MysqlSettings::from_keys(
            |k| map.get(k).copied(),
            Bounds {
                call: Duration::from_secs(1),
                lease: Duration::from_secs(1),
            },
        )
        .expect("settings");
        assert_eq!(
            lock_name(&s, "ada@example.com"),
            "zoho_oauth:zohooauth.oauthtokens:ada@example.com"
        );
        let long = format!("{}@example.com", "ö".repeat(60));
        let hashed = lock_name(&s, &long);
        assert!(hashed.len() <= MAX_NAME_BYTES, "{hashed}");
        assert_ne!(
            hashed,
            lock_name(&s, &format!("{}@example.com", "ö".repeat(61)))
        );
        assert_eq!(hashed, lock_name(&s, &long));
    }

    #[test]
    fn jitter_stays_under_half_the_pause() {
        for _ in 0..100 {
            assert!(jitter(FIRST_PAUSE) < FIRST_PAUSE / 2 + Duration::from_micros(1));
        }
    }
}
