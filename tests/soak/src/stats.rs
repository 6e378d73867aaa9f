//! What a worker counted, printed as one `DONE <json>` line on its stdout.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use zoho_oauth::ErrorKind;

/// The error kinds a worker may see under injected faults (and deletes by other workers).
pub const EXPECTED: &[ErrorKind] = &[
    ErrorKind::Connect,
    ErrorKind::Timeout,
    ErrorKind::ServerError,
    ErrorKind::InvalidResponse,
    ErrorKind::RateLimited,
    ErrorKind::NoTokens,
    // Waits for a user's refresh lock are bounded (`lock_timeout_secs`): under injected
    // stalls, a caller whose token has expired can queue behind several slow, failing
    // refreshes of that user and give up at the bound (a still-valid token is served instead).
    ErrorKind::LockTimeout,
];

/// A worker's counts.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Operations started, by name.
    pub ops: BTreeMap<String, u64>,
    /// Operations that succeeded, by name.
    pub ok: BTreeMap<String, u64>,
    /// Typed errors seen, by kind name.
    pub errors: BTreeMap<String, u64>,
    /// Errors of a kind not in [`EXPECTED`] (first few messages).
    pub unexpected: Vec<String>,
    /// Users that could not be restored after a delete.
    pub lost: Vec<String>,
    /// Memory check: VmRSS samples in KiB, first after warm-up, last at the end.
    #[serde(default)]
    pub rss_kb: Vec<u64>,
    /// Memory check: `get_access_token` calls after warm-up.
    #[serde(default)]
    pub calls: u64,
}

impl Stats {
    /// Counts the start of `op`.
    pub fn start(&mut self, op: &str) {
        *self.ops.entry(op.to_string()).or_insert(0) += 1;
    }

    /// Counts a success of `op`.
    pub fn success(&mut self, op: &str) {
        *self.ok.entry(op.to_string()).or_insert(0) += 1;
    }

    /// Counts an error of `op`; returns whether its kind was expected.
    pub fn error(&mut self, op: &str, e: &zoho_oauth::Error) -> bool {
        *self.errors.entry(e.kind().name().to_string()).or_insert(0) += 1;
        let expected = EXPECTED.contains(&e.kind());
        if !expected && self.unexpected.len() < 20 {
            self.unexpected
                .push(format!("{op}: {} ({})", e, e.kind().name()));
        }
        expected
    }

    /// Adds another worker's counts to these.
    pub fn add(&mut self, other: &Stats) {
        for (mine, theirs) in [
            (&mut self.ops, &other.ops),
            (&mut self.ok, &other.ok),
            (&mut self.errors, &other.errors),
        ] {
            for (k, v) in theirs {
                *mine.entry(k.clone()).or_insert(0) += v;
            }
        }
        self.unexpected.extend(other.unexpected.iter().cloned());
        self.lost.extend(other.lost.iter().cloned());
    }

    /// The `DONE` line.
    pub fn done_line(&self) -> String {
        format!(
            "DONE {}",
            serde_json::to_string(self).unwrap_or_else(|_| "{}".into())
        )
    }

    /// Finds and parses the `DONE` line in a worker's output.
    pub fn from_output(output: &str) -> Option<Stats> {
        output
            .lines()
            .rev()
            .find_map(|l| l.strip_prefix("DONE "))
            .and_then(|json| serde_json::from_str(json).ok())
    }
}
