//! The per-user refresh lease: `SET <prefix>lock:<id> <owner> NX PX <ttl>`, polled with
//! back-off until the caller's wait bound, released by a compare-and-delete script. A
//! holder that dies frees the lock when its lease ends. While a thread holds a lease, its
//! saves of that user carry the owner, so a save after the lease ran out cannot replace a
//! newer token (see [`super::scripts::SAVE`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::thread::ThreadId;
use std::time::Duration;

use super::Inner;
use super::scripts::{ACQUIRE, RELEASE};
use crate::error::Result;
use crate::store::wait::{lock_timeout, retry_until};

/// The leases this process's threads hold: (thread, user) → owner.
#[derive(Default)]
pub(super) struct Held(Mutex<HashMap<(ThreadId, String), String>>);

impl Held {
    /// The owner of `user`'s lease if the calling thread holds it.
    pub(super) fn owner(&self, user: &str) -> Option<String> {
        let key = (std::thread::current().id(), user.to_string());
        self.0.lock().ok()?.get(&key).cloned()
    }

    fn insert(&self, user: &str, owner: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.insert(
                (std::thread::current().id(), user.to_string()),
                owner.to_string(),
            );
        }
    }

    fn remove(&self, thread: ThreadId, user: &str) {
        if let Ok(mut map) = self.0.lock() {
            map.remove(&(thread, user.to_string()));
        }
    }
}

/// A held lease; dropping it releases the lease if it is still ours.
pub(super) struct Lease {
    inner: Arc<Inner>,
    user: String,
    owner: String,
    thread: ThreadId,
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.inner.held.remove(self.thread, &self.user);
        let key = self.inner.keys.lock(&self.user);
        // A failure costs nothing lasting: the lease ends by itself after its TTL.
        let _ = self.inner.conn.run("release the refresh lock", |con| {
            RELEASE.key(&key).arg(&self.owner).invoke::<i64>(con)
        });
    }
}

/// Takes `user`'s lease, waiting at most `wait` (polling with back-off).
pub(super) fn acquire(inner: &Arc<Inner>, user: &str, wait: Duration) -> Result<Lease> {
    let key = inner.keys.lock(user);
    let owner = new_owner();
    let ttl_ms = inner.lease.as_millis().max(1).to_string();
    let won = retry_until(wait, || {
        let won = inner.conn.run("take the refresh lock", |con| {
            ACQUIRE
                .key(&key)
                .arg(&owner)
                .arg(&ttl_ms)
                .invoke::<i64>(con)
        })?;
        Ok((won == 1).then_some(()))
    })?;
    if won.is_none() {
        return Err(lock_timeout(&format!("Redis key {key}"), user, wait).with_hint(format!(
            "a holder that died frees the lock when its {} ms lease ends; raise lock_timeout_secs if refreshes take this long",
            inner.lease.as_millis()
        )));
    }
    inner.held.insert(user, &owner);
    Ok(Lease {
        inner: Arc::clone(inner),
        user: user.to_string(),
        owner,
        thread: std::thread::current().id(),
    })
}

/// `host/pid/random`: unique, and tells an operator who holds a lease.
fn new_owner() -> String {
    let mut random = [0u8; 8];
    let _ = getrandom::fill(&mut random);
    let hex: String = random.iter().map(|b| format!("{b:02x}")).collect();
    format!("{}/{}/{hex}", hostname(), std::process::id())
}

fn hostname() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: the buffer is valid for its length; gethostname NUL-terminates within it
    // or truncates, and we stop at the first NUL or the end.
    let rc = unsafe { libc::gethostname(buf.as_mut_ptr().cast(), buf.len() - 1) };
    if rc != 0 {
        return "host".to_string();
    }
    let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
    String::from_utf8_lossy(&buf[..end]).into_owned()
}
