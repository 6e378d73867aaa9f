//! Recording each refresh in the user's history ([`crate::history`]), under the user's lock.
//! A history that cannot be written is logged (without secrets) and forgotten: it never
//! fails a refresh or a save.

use std::time::Instant;

use super::OAuthClient;
use crate::error::{ErrorCategory, Result};
use crate::history::{self, History, Refresh};
use crate::log::Level;
use crate::token::Tokens;

impl OAuthClient {
    /// Records the outcome of a refresh of `key` that began at `started` (`at_ms` on the
    /// client's clock). A refresh whose save failed was still made at Zoho: it counts, unless
    /// the store itself failed (it is not asked again).
    pub(super) fn record_refresh<T>(
        &self,
        key: &str,
        at_ms: i64,
        started: Instant,
        outcome: &Result<T>,
    ) {
        let duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let refreshed = |h: &mut History| {
            h.refreshed(Refresh {
                at_ms,
                duration_ms,
                host: history::host_name(),
                pid: std::process::id(),
            })
        };
        match outcome {
            // The store is failing: another call to it would only add its time bound.
            Err(e) if e.kind().category() == ErrorCategory::Store => {}
            Ok(_) => self.record_history(key, refreshed),
            Err(e) if e.unsaved_tokens().is_some() => self.record_history(key, refreshed),
            Err(e) => self.record_history(key, |h| h.failed(self.now_ms(), e.kind())),
        }
    }

    /// Records that a consent saved `tokens` (a new refresh token) now.
    pub(super) fn record_issued(&self, tokens: &Tokens) {
        if tokens.refresh_token.is_some() {
            let now = self.now_ms();
            self.record_history(tokens.user_or_empty(), |h| h.issued(now));
        }
    }

    fn record_history(&self, key: &str, change: impl FnOnce(&mut History)) {
        if let Err(e) = history::update(self.store.as_ref(), key, change) {
            self.log(
                Level::Warning,
                &format!("the refresh history of {key} was not kept: {}", e.message()),
            );
        }
    }
}
