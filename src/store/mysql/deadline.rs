//! The bound on one store call (`store_timeout_secs`) as a deadline: connecting, each
//! statement, every retry and every pause between tries is cut to what is left of it.

use std::time::{Duration, Instant};

use super::settings::MysqlSettings;
use crate::error::{Error, ErrorKind};

/// The shortest time worth starting a network step with: below it the call is out of time.
/// (A socket timeout of zero would mean "no timeout" to the kernel.)
const MIN_STEP: Duration = Duration::from_millis(5);

/// When a store call must be over.
#[derive(Clone, Copy, Debug)]
pub struct Deadline {
    end: Instant,
    bound: Duration,
}

impl Deadline {
    /// The deadline `bound` from now.
    pub fn after(bound: Duration) -> Deadline {
        let now = Instant::now();
        Deadline {
            end: now
                .checked_add(bound)
                .unwrap_or(now + Duration::from_secs(86_400)),
            bound,
        }
    }

    /// What is left, or `None` when too little is left to start another step.
    pub fn left(&self) -> Option<Duration> {
        self.end
            .checked_duration_since(Instant::now())
            .filter(|left| *left >= MIN_STEP)
    }

    /// Sleeps `pause`, or what is left if that is shorter; `false` when no time is left after.
    pub fn pause(&self, pause: Duration) -> bool {
        if let Some(left) = self.left() {
            std::thread::sleep(pause.min(left));
        }
        self.left().is_some()
    }

    /// The whole bound, for messages.
    pub fn bound(&self) -> Duration {
        self.bound
    }
}

/// The error of a call that ran out of time doing `action`: the server did not answer in
/// time (paused, stalled, overloaded) or waited on a lock (a `LOCK TABLES`, a long `ALTER`).
pub fn out_of_time(s: &MysqlSettings, action: &str, bound: Duration) -> Error {
    Error::new(
        ErrorKind::StoreUnavailable,
        format!(
            "cannot {action}: the MySQL server {} did not answer within {:.1} s (store_timeout_secs)",
            s.endpoint(),
            bound.as_secs_f64()
        ),
    )
    .with_hint("the server is paused, overloaded or unreachable, or the table is locked (LOCK TABLES, ALTER TABLE, mysqldump --lock-tables); a save that timed out may or may not have been written; calls work again as soon as it answers")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_shrinks_and_cuts_pauses() {
        let d = Deadline::after(Duration::from_millis(80));
        assert!(d.left().is_some_and(|l| l <= Duration::from_millis(80)));
        let started = Instant::now();
        assert!(
            !d.pause(Duration::from_secs(10)),
            "the pause is cut to the deadline"
        );
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(d.left(), None);
        assert_eq!(Deadline::after(Duration::ZERO).left(), None);
    }
}
