//! Bounded waiting for a lock that can only be tried (`flock(LOCK_NB)`, `SET NX`, ...).

use std::thread;
use std::time::{Duration, Instant};

use crate::error::{Error, ErrorKind, Result};

/// The first pause between two tries; it doubles up to [`MAX_PAUSE`].
const FIRST_PAUSE: Duration = Duration::from_millis(1);
/// The longest pause between two tries.
const MAX_PAUSE: Duration = Duration::from_millis(50);

/// Calls `try_take` until it gives `Some`, pausing between tries (1 ms, doubling to 50 ms),
/// for at most `wait` in all. `Ok(None)` when the time ran out; an error from `try_take`
/// ends the wait at once.
pub fn retry_until<T>(
    wait: Duration,
    mut try_take: impl FnMut() -> Result<Option<T>>,
) -> Result<Option<T>> {
    let deadline = Instant::now().checked_add(wait);
    let mut pause = FIRST_PAUSE;
    loop {
        if let Some(taken) = try_take()? {
            return Ok(Some(taken));
        }
        let now = Instant::now();
        let left = match deadline {
            Some(deadline) if deadline > now => deadline - now,
            Some(_) => return Ok(None),
            None => pause,
        };
        thread::sleep(pause.min(left));
        pause = (pause * 2).min(MAX_PAUSE);
    }
}

/// The [`ErrorKind::LockTimeout`] error for `user`'s refresh lock in `store`.
pub fn lock_timeout(store: &str, user: &str, wait: Duration) -> Error {
    Error::new(
        ErrorKind::LockTimeout,
        format!(
            "waited {:.1} s for the refresh lock of {user} in {store}: another process is refreshing it, or holds the lock without progress",
            wait.as_secs_f64()
        ),
    )
    .with_hint("try again; if it persists, look for a stuck process holding the lock, or raise lock_timeout_secs")
}

/// The [`ErrorKind::LockTimeout`] error for a lock file that guards a whole file's writes
/// (`<token file>.lock`, a stripe of refresh failure times), not one user's refreshes.
pub fn write_lock_timeout(lock: &str, wait: Duration) -> Error {
    Error::new(
        ErrorKind::LockTimeout,
        format!(
            "waited {:.1} s for the write lock {lock}: other processes are writing the file it guards, or one holds the lock without progress",
            wait.as_secs_f64()
        ),
    )
    .with_hint(format!(
        "try again; if it persists, `fuser -v {lock}` shows the process holding it"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_after_the_bound_and_stops_on_success_or_error() {
        let started = Instant::now();
        let none: Result<Option<()>> = retry_until(Duration::from_millis(60), || Ok(None));
        assert!(matches!(none, Ok(None)));
        let took = started.elapsed();
        assert!(
            took >= Duration::from_millis(60) && took < Duration::from_secs(2),
            "{took:?}"
        );

        let mut tries = 0;
        let some = retry_until(Duration::from_secs(5), || {
            tries += 1;
            Ok((tries == 3).then_some(tries))
        });
        assert_eq!(some.ok().flatten(), Some(3));

        let failed: Result<Option<()>> =
            retry_until(Duration::from_secs(5), || Err(Error::internal("boom")));
        assert_eq!(failed.err().map(|e| e.kind()), Some(ErrorKind::Internal));
    }
}
