//! The per-user refresh lock, shared by every machine using the same server: `GET_LOCK` on a
//! connection of its own that the guard holds. Dropping the guard runs `RELEASE_LOCK`; if
//! the process dies instead, the server ends the session and releases the lock itself.

use std::time::Duration;

use mysql::Conn;
use mysql::prelude::Queryable;

use super::errors;
use super::pool;
use super::settings::MysqlSettings;
use crate::error::{Error, ErrorKind, Result};
use crate::store::wait;

/// MySQL's limit on lock names, in characters.
const MAX_NAME_CHARS: usize = 64;

/// A held `GET_LOCK`; released when dropped.
pub struct MysqlLock {
    conn: Option<Conn>,
    name: String,
}

impl Drop for MysqlLock {
    fn drop(&mut self) {
        if let Some(mut conn) = self.conn.take() {
            // An error here means the session is gone, which released the lock anyway.
            let _ = conn.exec_drop("DO RELEASE_LOCK(?)", (&self.name,));
        }
    }
}

/// The lock name for `user` in the table of `s`: readable when it fits in 64 characters,
/// otherwise a 128-bit hash of the readable name.
pub fn lock_name(s: &MysqlSettings, user: &str) -> String {
    let name = format!("zoho_oauth:{}.{}:{user}", s.database, s.table);
    if name.chars().count() <= MAX_NAME_CHARS {
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

/// Takes `user`'s lock, waiting at most `wait`; [`ErrorKind::LockTimeout`] when another
/// process keeps holding it.
pub fn lock(s: &MysqlSettings, user: &str, wait: Duration) -> Result<MysqlLock> {
    let action = format!("take the refresh lock of {user}");
    let mut conn = pool::dedicated(s, wait, &action)?;
    let name = lock_name(s, user);
    let got: Option<Option<i64>> = conn
        .exec_first("SELECT GET_LOCK(?, ?)", (&name, wait.as_secs_f64()))
        .map_err(|e| errors::convert(&e, s, &action))?;
    match got.flatten() {
        Some(1) => Ok(MysqlLock {
            conn: Some(conn),
            name,
        }),
        Some(_) => Err(wait::lock_timeout(
            &format!("the MySQL server {}", s.endpoint()),
            user,
            wait,
        )),
        None => Err(Error::new(
            ErrorKind::StoreUnavailable,
            format!(
                "cannot {action}: the MySQL server {} refused GET_LOCK",
                s.endpoint()
            ),
        )),
    }
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
    use std::collections::HashMap;

    #[test]
    fn long_names_are_hashed_to_fit() {
        let map: HashMap<&str, &str> = HashMap::new();
        let s = MysqlSettings::from_keys(
            |k| map.get(k).copied(),
            Duration::from_secs(1),
            Duration::from_secs(1),
        )
        .expect("settings");
        assert_eq!(
            lock_name(&s, "ada@example.com"),
            "zoho_oauth:zohooauth.oauthtokens:ada@example.com"
        );
        let long = format!("{}@example.com", "ö".repeat(60));
        let hashed = lock_name(&s, &long);
        assert!(hashed.len() <= MAX_NAME_CHARS, "{hashed}");
        assert_ne!(
            hashed,
            lock_name(&s, &format!("{}@example.com", "ö".repeat(61)))
        );
        assert_eq!(hashed, lock_name(&s, &long));
    }
}
