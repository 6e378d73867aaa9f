//! Per-endpoint counters and the request log.

use std::collections::{BTreeMap, VecDeque};

use crate::spec::LoggedRequest;

/// Counter keys that always exist (starting at 0).
pub const COUNTER_KEYS: &[&str] = &[
    "connections",
    "requests",
    "auth",
    "token",
    "token.authorization_code",
    "token.refresh_token",
    "token.error",
    "throttled",
    "revoke",
    "user_info",
    "resource",
    "serverinfo",
    "not_found",
    "faults_injected",
    "fault.http500",
    "fault.html",
    "fault.reset",
    "fault.delay",
    "fault.throttle",
    "fault.empty",
    "fault.stall",
    "fault.reply",
];

/// Requests kept in the log; older ones are dropped.
pub const MAX_LOGGED: usize = 10_000;

/// Counters and the request log.
#[derive(Debug)]
pub struct Metrics {
    counters: BTreeMap<String, u64>,
    log: VecDeque<LoggedRequest>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics {
            counters: COUNTER_KEYS.iter().map(|k| (k.to_string(), 0)).collect(),
            log: VecDeque::new(),
        }
    }
}

impl Metrics {
    /// Adds one to counter `key`.
    pub fn bump(&mut self, key: &str) {
        *self.counters.entry(key.to_string()).or_insert(0) += 1;
    }

    /// Appends a request to the log.
    pub fn log(&mut self, req: LoggedRequest) {
        if self.log.len() >= MAX_LOGGED {
            self.log.pop_front();
        }
        self.log.push_back(req);
    }

    /// A copy of the counters.
    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.counters.clone()
    }

    /// A copy of the request log, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.log.iter().cloned().collect()
    }
}
