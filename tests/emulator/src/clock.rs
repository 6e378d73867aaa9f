//! The emulator's clock: real time plus an adjustable offset.

use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

/// Wall-clock time shifted by an offset that tests can move.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

/// Real time in milliseconds since the Unix epoch.
pub fn real_now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

impl Clock {
    /// The emulator's current time in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        real_now_ms().saturating_add(self.offset_ms.load(Ordering::SeqCst))
    }

    /// Moves the clock forward (or back, when negative) by `secs` seconds.
    pub fn advance_secs(&self, secs: i64) {
        self.offset_ms
            .fetch_add(secs.saturating_mul(1000), Ordering::SeqCst);
    }

    /// Sets the clock so that it now reads `epoch_ms`.
    pub fn set_ms(&self, epoch_ms: i64) {
        self.offset_ms
            .store(epoch_ms.saturating_sub(real_now_ms()), Ordering::SeqCst);
    }

    /// Back to real time.
    pub fn reset(&self) {
        self.offset_ms.store(0, Ordering::SeqCst);
    }
}
