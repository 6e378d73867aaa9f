//! Invariants on the token file, checked on snapshots while the workers run and once at the
//! end: the file always parses; every user is present unless a delete of it was under way;
//! every save a worker saw succeed is in the file (the same or a later one).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zoho_oauth::Tokens;
use zoho_oauth::store::php_format;

use crate::progress::Follower;
use crate::setup;

/// Failures kept for the report.
const MAX_FAILURES: usize = 30;

/// What the workers' progress logs said so far.
#[derive(Clone, Default)]
pub struct Events {
    /// Last acknowledged save sequence per scratch user.
    pub saves: HashMap<String, u64>,
    /// Delete windows open per user.
    pub open_deletes: HashMap<String, i64>,
    /// Delete windows ever opened per user.
    pub deletes: HashMap<String, u64>,
    /// Explicit refreshes per user: (start, end) in ms.
    pub explicit: HashMap<String, Vec<(i64, i64)>>,
    /// Timeouts seen per user, in ms.
    pub timeouts: HashMap<String, Vec<i64>>,
    /// Users reported lost.
    pub lost: Vec<String>,
}

impl Events {
    fn apply(&mut self, line: &str) {
        let parts: Vec<&str> = line.split(' ').collect();
        let number = |i: usize| {
            parts
                .get(i)
                .and_then(|v| v.parse::<i64>().ok())
                .unwrap_or(0)
        };
        let user = parts.get(1).map_or(String::new(), |u| (*u).to_string());
        match parts.first().copied() {
            Some("S") => {
                let seq = number(2) as u64;
                let last = self.saves.entry(user).or_insert(0);
                *last = (*last).max(seq);
            }
            Some("D") => {
                *self.open_deletes.entry(user.clone()).or_insert(0) += 1;
                *self.deletes.entry(user).or_insert(0) += 1;
            }
            Some("R") => *self.open_deletes.entry(user).or_insert(0) -= 1,
            Some("X") => self
                .explicit
                .entry(user)
                .or_default()
                .push((number(2), number(3))),
            Some("T") => self.timeouts.entry(user).or_default().push(number(2)),
            Some("L") => self.lost.push(user),
            _ => {}
        }
    }

    fn is_open(&self, user: &str) -> bool {
        self.open_deletes.get(user).copied().unwrap_or(0) > 0
    }

    fn deletes_of(&self, user: &str) -> u64 {
        self.deletes.get(user).copied().unwrap_or(0)
    }
}

/// Follows the workers and checks the token file.
pub struct Checker {
    file: PathBuf,
    users: usize,
    followers: Vec<Follower>,
    /// Everything read from the progress logs.
    pub events: Events,
    /// Snapshots of the file checked.
    pub snapshots: u64,
    /// Individual assertions that held.
    pub passed: u64,
    /// Assertions that failed (the first few).
    pub failures: Vec<String>,
    /// Assertions that failed, in all.
    pub failed: u64,
}

impl Checker {
    /// A checker for the token file in `dir`, followed by `workers` progress logs.
    pub fn new(dir: &Path, workers: usize, users: usize) -> Checker {
        Checker {
            file: setup::token_file(dir),
            users,
            followers: (0..workers).map(|id| Follower::new(dir, id)).collect(),
            events: Events::default(),
            snapshots: 0,
            passed: 0,
            failures: Vec::new(),
            failed: 0,
        }
    }

    fn follow(&mut self) {
        for follower in &mut self.followers {
            for line in follower.new_lines() {
                self.events.apply(&line);
            }
        }
    }

    fn verdict(&mut self, ok: bool, what: impl FnOnce() -> String) {
        if ok {
            self.passed += 1;
        } else {
            self.failed += 1;
            if self.failures.len() < MAX_FAILURES {
                self.failures.push(what());
            }
        }
    }

    /// Checks one snapshot of the file against what the workers reported before it was
    /// read; a user may be missing only if a delete of it was open then or began meanwhile.
    pub fn check(&mut self) {
        self.follow();
        let before = self.events.clone();
        let parsed = std::fs::read(&self.file)
            .map_err(|e| e.to_string())
            .and_then(|bytes| php_format::decode(&bytes));
        self.follow();
        self.snapshots += 1;
        let entries = match parsed {
            Ok(entries) => entries,
            Err(why) => {
                return self.verdict(false, || format!("the token file does not parse: {why}"));
            }
        };
        self.verdict(true, String::new);
        let index: HashMap<&str, &Tokens> = entries
            .iter()
            .filter_map(|t| t.user.as_deref().map(|u| (u, t)))
            .collect();
        for i in 0..self.users {
            let name = setup::user(i);
            let excused =
                before.is_open(&name) || self.events.deletes_of(&name) != before.deletes_of(&name);
            let ok = index.contains_key(name.as_str()) || excused;
            self.verdict(ok, || format!("{name} is missing from the token file"));
        }
        for (name, seq) in &before.saves {
            let stored = index.get(name.as_str()).map(|t| scratch_seq(t));
            let ok = stored.is_some_and(|s| s >= *seq);
            if !ok {
                self.failed += 1;
                if self.failures.len() < MAX_FAILURES {
                    self.failures.push(format!(
                        "save {seq} of {name} was acknowledged but the file has {stored:?}"
                    ));
                }
            } else {
                self.passed += 1;
            }
        }
    }

    /// The final check, once every worker has exited: no delete is left open and nothing
    /// was reported lost.
    pub fn finish(&mut self) {
        self.check();
        let open: Vec<String> = self
            .events
            .open_deletes
            .iter()
            .filter(|(_, n)| **n != 0)
            .map(|(u, _)| u.clone())
            .collect();
        self.verdict(open.is_empty(), || {
            format!("deletes never restored: {open:?}")
        });
        let lost = self.events.lost.clone();
        self.verdict(lost.is_empty(), || format!("users lost: {lost:?}"));
    }
}

/// The sequence number in a scratch user's access token (`1000.scratch.<worker>.<seq>`);
/// 0 for tokens the PHP workers save (they only check presence).
fn scratch_seq(tokens: &Tokens) -> u64 {
    tokens
        .access_token
        .expose()
        .rsplit('.')
        .next()
        .and_then(|s| s.parse().ok())
        .filter(|_| tokens.access_token.expose().starts_with("1000.scratch."))
        .unwrap_or(0)
}
