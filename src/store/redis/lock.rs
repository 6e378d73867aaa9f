//! The per-user refresh lease: `SET <prefix>lock:<id> <owner> NX PX <ttl>`, polled with
//! back-off until the caller's wait bound, released by a compare-and-delete script. A
//! holder that dies frees the lock when its lease ends. Each attempt is one store call,
//! bounded by the store's bound; a zero wait is exactly one attempt. A holder whose lease
//! ran out cannot undo anything with its late save: a refresh saves through
//! `SAVE_REFRESHED`, which keeps a newer token (see [`super::scripts`]).

use std::sync::Arc;
use std::time::Duration;

use super::scripts::{ACQUIRE, RELEASE};
use super::shared::Inner;
use crate::error::Result;
use crate::store::wait::{lock_timeout, retry_until};

/// A held lease; dropping it releases the lease if it is still ours.
pub(super) struct Lease {
    inner: Arc<Inner>,
    user: String,
    owner: String,
}

impl Drop for Lease {
    fn drop(&mut self) {
        let key = self.inner.keys.lock(&self.user);
        let release = RELEASE.call().key(key).arg(&self.owner);
        // A failure costs nothing lasting: the lease ends by itself after its TTL.
        let _ = self.inner.conn.run("release the refresh lock", |call| {
            call.eval::<i64>(&release)
        });
    }
}

/// Takes `user`'s lease, waiting at most `wait` for a holder (polling with back-off; zero:
/// one attempt). Each attempt is one store call; the last one starts before `wait` ends.
pub(super) fn acquire(inner: &Arc<Inner>, user: &str, wait: Duration) -> Result<Lease> {
    let key = inner.keys.lock(user);
    let owner = new_owner();
    let ttl_ms = inner.lease.as_millis().max(1).to_string();
    let take = ACQUIRE.call().key(key.clone()).arg(&owner).arg(&ttl_ms);
    let won = retry_until(wait, || {
        let won = inner
            .conn
            .run("take the refresh lock", |call| call.eval::<i64>(&take))?;
        Ok((won == 1).then_some(()))
    })?;
    if won.is_none() {
        return Err(lock_timeout(&format!("Redis key {key}"), user, wait).with_hint(format!(
            "a holder that died frees the lock when its {} ms lease ends; raise lock_timeout_secs if refreshes take this long",
            inner.lease.as_millis()
        )));
    }
    Ok(Lease {
        inner: Arc::clone(inner),
        user: user.to_string(),
        owner,
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
