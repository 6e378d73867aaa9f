//! A little history kept with each user's tokens, for operators (`zoho-oauth status`,
//! `check`, `metrics`): when, where and how fast the last refresh ran, the refreshes of the
//! last ten minutes (Zoho allows 10 per refresh token), consecutive failures and the last
//! error's kind, and when the refresh token was issued.
//!
//! The record never holds a secret or a token fragment: times, counts, a host name, a process
//! id and error kind names (from [`ErrorKind::name`]). Its encoding is bounded
//! ([`MAX_ENCODED_LEN`]); a stored record that is too long, unreadable or hostile is read as
//! an empty one, and every field read is cleaned ([`History::decode`]). Stores keep it beside
//! the tokens, never in the SDKs' own formats (a side file, a side table, a side key), and a
//! failed history write never fails a token save ([`update`]).

pub mod health;
mod host;
pub mod metrics;
pub mod survey;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, ErrorKind, Result};
use crate::store::TokenStore;

pub use crate::store::{LockState, MAX_HISTORY_LEN as MAX_ENCODED_LEN};
pub use host::{HOST_NAME_ENV, host_name};

/// Zoho's window for its refresh cap: 10 minutes.
pub const CAP_WINDOW_MS: i64 = 10 * 60 * 1000;

/// Zoho's refresh cap: 10 access tokens per refresh token per [`CAP_WINDOW_MS`].
pub const REFRESH_CAP: usize = 10;

/// Zoho's cap on live access tokens per refresh token.
pub const LIVE_ACCESS_TOKEN_CAP: usize = 15;

/// The most refresh times a record keeps (more than the cap, so a storm over it shows).
pub const MAX_RECENT: usize = 16;

/// The longest host name a record keeps.
pub const MAX_HOST_LEN: usize = 64;

/// One user's refresh history (see the module's documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct History {
    /// When the last successful refresh was asked for (epoch ms).
    pub last_refresh_ms: Option<i64>,
    /// The host that made it ([`host_name`]).
    pub last_refresh_host: Option<String>,
    /// The process that made it.
    pub last_refresh_pid: Option<u32>,
    /// How long it took, the accounts server's answer and the save (ms).
    pub last_refresh_duration_ms: Option<u64>,
    /// When the refreshes of the last [`CAP_WINDOW_MS`] were made (at most [`MAX_RECENT`]).
    pub recent_refreshes_ms: Vec<i64>,
    /// Every refresh recorded.
    pub refreshes_total: u64,
    /// Refreshes that failed since the last one that worked.
    pub consecutive_failures: u32,
    /// The kind of the last failure ([`ErrorKind::name`]).
    pub last_error_kind: Option<String>,
    /// When the last failure happened (epoch ms).
    pub last_failure_ms: Option<i64>,
    /// Every failure recorded, by kind name.
    pub failures_total: BTreeMap<String, u64>,
    /// When the refresh token was issued (a consent saved through this library; epoch ms).
    pub refresh_token_issued_ms: Option<i64>,
}

/// A successful refresh, as recorded.
#[derive(Clone, Debug)]
pub struct Refresh {
    /// When it was asked for (epoch ms).
    pub at_ms: i64,
    /// How long it took (ms).
    pub duration_ms: u64,
    /// The host that made it.
    pub host: String,
    /// The process that made it.
    pub pid: u32,
}

impl History {
    /// Records a refresh that worked: the failure streak ends.
    pub fn refreshed(&mut self, refresh: Refresh) {
        self.last_refresh_ms = Some(refresh.at_ms);
        self.last_refresh_host = Some(clean_host(&refresh.host));
        self.last_refresh_pid = Some(refresh.pid);
        self.last_refresh_duration_ms = Some(refresh.duration_ms);
        self.recent_refreshes_ms.push(refresh.at_ms);
        self.keep_recent(refresh.at_ms);
        self.refreshes_total = self.refreshes_total.saturating_add(1);
        self.consecutive_failures = 0;
    }

    /// Records a refresh that failed with `kind` at `at_ms`.
    pub fn failed(&mut self, at_ms: i64, kind: ErrorKind) {
        self.consecutive_failures = self.consecutive_failures.saturating_add(1);
        self.last_error_kind = Some(kind.name().to_string());
        self.last_failure_ms = Some(at_ms);
        let count = self
            .failures_total
            .entry(kind.name().to_string())
            .or_default();
        *count = count.saturating_add(1);
        self.keep_recent(at_ms);
    }

    /// Records a new refresh token (a consent) issued at `at_ms`: earlier failures were the
    /// old token's.
    pub fn issued(&mut self, at_ms: i64) {
        self.refresh_token_issued_ms = Some(at_ms);
        self.consecutive_failures = 0;
        self.last_error_kind = None;
    }

    /// How many recorded refreshes fall in the [`CAP_WINDOW_MS`] before `now_ms`.
    pub fn refreshes_in_window(&self, now_ms: i64) -> usize {
        self.recent_refreshes_ms
            .iter()
            .filter(|&&at| (0..CAP_WINDOW_MS).contains(&now_ms.saturating_sub(at)))
            .count()
    }

    /// The last failure's kind, when it is one this library knows.
    pub fn last_error(&self) -> Option<ErrorKind> {
        self.last_error_kind
            .as_deref()
            .and_then(ErrorKind::from_name)
    }

    /// The record as a store keeps it: compact JSON, at most [`MAX_ENCODED_LEN`] bytes.
    pub fn encode(&self) -> Result<String> {
        let mut clean = self.clone();
        clean.sanitize();
        let text = serde_json::to_string(&clean)
            .map_err(|e| Error::internal(format!("cannot encode a refresh history: {e}")))?;
        if text.len() > MAX_ENCODED_LEN {
            return Err(Error::internal("a refresh history outgrew its bound"));
        }
        Ok(text)
    }

    /// A stored record; `None` when it is too long or not one (it is then started afresh).
    /// Every field is cleaned: unknown kinds are dropped, the host name is cut to printable
    /// ASCII, the refresh times to [`MAX_RECENT`].
    pub fn decode(text: &str) -> Option<History> {
        if text.len() > MAX_ENCODED_LEN {
            return None;
        }
        let mut history: History = serde_json::from_str(text).ok()?;
        history.sanitize();
        Some(history)
    }

    fn sanitize(&mut self) {
        self.last_refresh_host = self.last_refresh_host.as_deref().map(clean_host);
        self.last_error_kind = self
            .last_error_kind
            .take()
            .filter(|k| ErrorKind::from_name(k).is_some());
        self.failures_total
            .retain(|k, _| ErrorKind::from_name(k).is_some());
        let newest = self.recent_refreshes_ms.iter().copied().max();
        if let Some(newest) = newest {
            self.keep_recent(newest);
        }
    }

    /// Keeps the refresh times of the window before `now_ms` (the newest [`MAX_RECENT`]).
    fn keep_recent(&mut self, now_ms: i64) {
        self.recent_refreshes_ms
            .retain(|&at| now_ms.saturating_sub(at) < CAP_WINDOW_MS);
        self.recent_refreshes_ms.sort_unstable();
        let excess = self.recent_refreshes_ms.len().saturating_sub(MAX_RECENT);
        self.recent_refreshes_ms.drain(..excess);
    }
}

/// A host name as a record keeps it: printable ASCII without spaces, at most
/// [`MAX_HOST_LEN`] characters (anything else becomes `?`).
fn clean_host(host: &str) -> String {
    host.chars()
        .take(MAX_HOST_LEN)
        .map(|c| if c.is_ascii_graphic() { c } else { '?' })
        .collect()
}

/// `user`'s history in `store`: an empty one when the store keeps none yet or its record is
/// unreadable.
pub fn read(store: &dyn TokenStore, user: &str) -> Result<History> {
    Ok(store
        .read_history(user)?
        .and_then(|text| History::decode(&text))
        .unwrap_or_default())
}

/// Reads `user`'s history, applies `change` and writes it back; call it holding `user`'s
/// refresh lock. The caller logs an error and goes on: a history is never worth a failed save.
pub fn update(store: &dyn TokenStore, user: &str, change: impl FnOnce(&mut History)) -> Result<()> {
    let mut history = read(store, user)?;
    change(&mut history);
    store.write_history(user, &history.encode()?)
}

#[cfg(test)]
mod tests;
