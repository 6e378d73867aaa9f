//! A [`Survey`] in Prometheus' text exposition format (for node_exporter's textfile
//! collector or a scrape of a cron job's output). Label values are escaped; with user
//! labels turned off, per-user figures are summed (counters) or reduced to the worst
//! (gauges).

use std::collections::BTreeMap;
use std::fmt::Write;

use super::LockState;
use super::survey::{Survey, UserStatus};

/// One metric family being written.
struct Family<'a> {
    out: &'a mut String,
}

impl Family<'_> {
    fn start<'a>(out: &'a mut String, name: &str, kind: &str, help: &str) -> Family<'a> {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        Family { out }
    }

    fn sample(&mut self, name: &str, labels: &[(&str, &str)], value: f64) {
        let _ = write!(self.out, "{name}");
        if !labels.is_empty() {
            let inner: Vec<String> = labels
                .iter()
                .map(|(k, v)| format!("{k}=\"{}\"", escape_label(v)))
                .collect();
            let _ = write!(self.out, "{{{}}}", inner.join(","));
        }
        let _ = writeln!(self.out, " {}", number(value));
    }
}

/// A label value escaped as the format asks: `\\`, `\"` and `\n`.
pub fn escape_label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

/// A per-user figure: its name, type and help, how it is read from a user, and how users
/// are folded into one sample when user labels are off.
struct PerUser {
    name: &'static str,
    kind: &'static str,
    help: &'static str,
    value: fn(&UserStatus) -> Option<f64>,
    fold: fn(f64, f64) -> f64,
}

fn sum(a: f64, b: f64) -> f64 {
    a + b
}

fn flag(on: bool) -> Option<f64> {
    Some(if on { 1.0 } else { 0.0 })
}

/// The one per-user figure given for a user whose tokens cannot be read (the others would be
/// made up).
const READABLE: &str = "zoho_oauth_tokens_readable";

/// Every per-user figure but the failures (which have a `kind` label too).
const PER_USER: &[PerUser] = &[
    PerUser {
        name: READABLE,
        kind: "gauge",
        help: "1 when the stored tokens can be read (0: sealed with a key not configured, or altered); without user labels, the least.",
        value: |u| flag(u.unreadable.is_none()),
        fold: f64::min,
    },
    PerUser {
        name: "zoho_oauth_refreshes_total",
        kind: "counter",
        help: "Refreshes recorded in the store's history.",
        value: |u| Some(u.history.refreshes_total as f64),
        fold: sum,
    },
    PerUser {
        name: "zoho_oauth_access_token_expiry_seconds",
        kind: "gauge",
        help: "Seconds until the stored access token expires (negative: expired); without user labels, the least.",
        value: |u| Some(u.access_remaining_ms as f64 / 1000.0),
        fold: f64::min,
    },
    PerUser {
        name: "zoho_oauth_refreshes_last_10m",
        kind: "gauge",
        help: "Refreshes in Zoho's 10-minute window (Zoho allows 10 per refresh token); without user labels, the most.",
        value: |u| Some(u.refreshes_in_window as f64),
        fold: f64::max,
    },
    PerUser {
        name: "zoho_oauth_consecutive_refresh_failures",
        kind: "gauge",
        help: "Refreshes that failed since the last one that worked; without user labels, the most.",
        value: |u| Some(f64::from(u.history.consecutive_failures)),
        fold: f64::max,
    },
    PerUser {
        name: "zoho_oauth_refresh_token_present",
        kind: "gauge",
        help: "1 when a refresh token is stored; without user labels, the least.",
        value: |u| flag(u.has_refresh_token),
        fold: f64::min,
    },
    PerUser {
        name: "zoho_oauth_last_refresh_duration_seconds",
        kind: "gauge",
        help: "How long the last refresh took; without user labels, the longest.",
        value: |u| {
            u.history
                .last_refresh_duration_ms
                .map(|ms| ms as f64 / 1000.0)
        },
        fold: f64::max,
    },
    PerUser {
        name: "zoho_oauth_lock_held",
        kind: "gauge",
        help: "1 while the refresh lock is held; without user labels, how many are.",
        value: |u| flag(matches!(u.lock, LockState::Held { .. })),
        fold: sum,
    },
    PerUser {
        name: "zoho_oauth_lock_wait_seconds",
        kind: "gauge",
        help: "How long the refresh lock has been held so far, what a caller needing it now has waited at least (0 when free; absent when the store cannot tell); without user labels, the longest.",
        value: lock_wait,
        fold: f64::max,
    },
];

/// The metrics of `survey`; `user_labels` false leaves out every `user` label.
pub fn render(survey: &Survey, user_labels: bool) -> String {
    let mut out = String::new();
    store_metrics(&mut out, survey);
    failures(&mut out, &survey.users, user_labels);
    for figure in PER_USER {
        let mut family = Family::start(&mut out, figure.name, figure.kind, figure.help);
        let value = |u: &UserStatus| {
            (u.unreadable.is_none() || figure.name == READABLE)
                .then(|| (figure.value)(u))
                .flatten()
        };
        if user_labels {
            for u in &survey.users {
                if let Some(v) = value(u) {
                    family.sample(figure.name, &[("user", &u.user)], v);
                }
            }
        } else if let Some(v) = survey.users.iter().filter_map(value).reduce(figure.fold) {
            family.sample(figure.name, &[], v);
        }
    }
    out
}

fn lock_wait(u: &UserStatus) -> Option<f64> {
    match u.lock {
        LockState::Free => Some(0.0),
        LockState::Held { held_for, .. } => held_for.map(|d| d.as_secs_f64()),
        LockState::Unknown => None,
    }
}

fn store_metrics(out: &mut String, survey: &Survey) {
    let name = "zoho_oauth_store_up";
    Family::start(out, name, "gauge", "1 when the token store answered.").sample(
        name,
        &[],
        if survey.store.reachable { 1.0 } else { 0.0 },
    );
    let name = "zoho_oauth_store_round_trip_seconds";
    Family::start(
        out,
        name,
        "gauge",
        "How long the token store took to list the users.",
    )
    .sample(name, &[], survey.store.round_trip.as_secs_f64());
}

fn failures(out: &mut String, users: &[UserStatus], user_labels: bool) {
    let name = "zoho_oauth_refresh_failures_total";
    let mut family = Family::start(
        out,
        name,
        "counter",
        "Failed refreshes recorded in the store's history, by error kind.",
    );
    let mut summed: BTreeMap<&str, u64> = BTreeMap::new();
    for u in users {
        for (kind, count) in &u.history.failures_total {
            if user_labels {
                family.sample(name, &[("kind", kind), ("user", &u.user)], *count as f64);
            } else {
                *summed.entry(kind).or_default() += count;
            }
        }
    }
    for (kind, count) in summed {
        family.sample(name, &[("kind", kind)], count as f64);
    }
}
