//! Judging a [`Survey`] the way monitoring plugins do (Nagios, Icinga, a container health
//! check): OK, WARNING, CRITICAL or UNKNOWN, with one line of text and performance data.

use super::REFRESH_CAP;
use super::survey::{Survey, UserStatus};
use crate::error::ErrorCategory;

/// Refreshes in Zoho's window from which a user is near the cap (a warning).
pub const NEAR_CAP: usize = REFRESH_CAP - 2;

/// Consecutive failures from which refreshes "keep failing" (critical).
pub const FAILURES_CRITICAL: u32 = 3;

/// A monitoring plugin's state; its number is the exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum State {
    /// All is well (0).
    Ok = 0,
    /// Look soon (1).
    Warning = 1,
    /// Act now (2).
    Critical = 2,
    /// The check could not tell (3).
    Unknown = 3,
}

impl State {
    /// The word monitoring tools print: `OK`, `WARNING`, `CRITICAL`, `UNKNOWN`.
    pub fn word(self) -> &'static str {
        match self {
            State::Ok => "OK",
            State::Warning => "WARNING",
            State::Critical => "CRITICAL",
            State::Unknown => "UNKNOWN",
        }
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What a check found: the worst state, the problems (worst first) and the performance data.
#[derive(Clone, Debug)]
pub struct Verdict {
    /// The worst state found.
    pub state: State,
    /// One sentence per problem, worst first; empty when all is well.
    pub problems: Vec<(State, String)>,
    /// `label=value[unit];warn;crit` items.
    pub perfdata: Vec<String>,
}

impl Verdict {
    /// The plugin's one line: `ZOHO-OAUTH STATE - text | perfdata`.
    pub fn line(&self, ok_text: &str) -> String {
        let text = match self.problems.first() {
            None => ok_text.to_string(),
            Some(_) => self
                .problems
                .iter()
                .map(|(_, p)| p.as_str())
                .collect::<Vec<_>>()
                .join("; "),
        };
        let text = text.replace(['|', '\n', '\r'], " ");
        format!(
            "ZOHO-OAUTH {} - {text} | {}",
            self.state.word(),
            self.perfdata.join(" ")
        )
    }
}

/// Judges `survey`; `wanted` is the user asked for (missing: critical), `min_ttl_ms` how much
/// access-token life counts as near expiry.
pub fn assess(survey: &Survey, wanted: Option<&str>, min_ttl_ms: i64) -> Verdict {
    let mut problems = Vec::new();
    if let Some((kind, message)) = &survey.store.error {
        problems.push((
            State::Critical,
            format!(
                "the token store cannot be read ({}): {message}",
                kind.name()
            ),
        ));
    } else if survey.users.is_empty() {
        problems.push(match wanted {
            Some(user) => (
                State::Critical,
                format!("no tokens are stored for {user}: consent again"),
            ),
            None => (State::Unknown, "no users are stored".to_string()),
        });
    }
    for user in &survey.users {
        problems.extend(user_problems(user, min_ttl_ms));
    }
    problems.sort_by_key(|(state, _)| std::cmp::Reverse(rank(*state)));
    let state = problems.first().map_or(State::Ok, |(s, _)| *s);
    Verdict {
        state,
        problems,
        perfdata: perfdata(survey, min_ttl_ms),
    }
}

/// Orders states by urgency for the summary: critical, warning, unknown, ok.
fn rank(state: State) -> u8 {
    match state {
        State::Critical => 3,
        State::Warning => 2,
        State::Unknown => 1,
        State::Ok => 0,
    }
}

fn user_problems(u: &UserStatus, min_ttl_ms: i64) -> Vec<(State, String)> {
    let mut found = Vec::new();
    let who = &u.user;
    if let Some((kind, message)) = &u.unreadable {
        found.push((
            State::Critical,
            format!(
                "{who}'s stored tokens cannot be read ({}): {message}",
                kind.name()
            ),
        ));
        return found;
    }
    let h = &u.history;
    let failing = h.consecutive_failures;
    let kind = h.last_error_kind.as_deref().unwrap_or("unknown");
    if !u.has_refresh_token {
        found.push((
            State::Critical,
            format!("{who} has no refresh token: consent again"),
        ));
    } else if failing > 0
        && h.last_error()
            .is_some_and(|k| k.category() == ErrorCategory::Refused)
    {
        found.push((
            State::Critical,
            format!(
                "{who}'s refresh token was refused ({kind}; revoked or expired?): consent again"
            ),
        ));
    } else if failing >= FAILURES_CRITICAL {
        found.push((
            State::Critical,
            format!("{who}'s refreshes keep failing ({failing} in a row, last {kind})"),
        ));
    } else if failing > 0 && u.access_remaining_ms < min_ttl_ms {
        found.push((
            State::Warning,
            format!("{who}'s access token is near expiry and its last refresh failed ({kind})"),
        ));
    }
    if u.refreshes_in_window >= NEAR_CAP {
        found.push((
            State::Warning,
            format!(
                "{who} made {} refreshes in 10 minutes (Zoho allows {REFRESH_CAP})",
                u.refreshes_in_window
            ),
        ));
    }
    found
}

fn perfdata(survey: &Survey, min_ttl_ms: i64) -> Vec<String> {
    let users = &survey.users;
    let max_window = users
        .iter()
        .map(|u| u.refreshes_in_window)
        .max()
        .unwrap_or(0);
    let failures = users
        .iter()
        .map(|u| u.history.consecutive_failures)
        .max()
        .unwrap_or(0);
    let mut items = vec![
        format!("users={}", users.len()),
        format!(
            "store_round_trip={:.6}s",
            survey.store.round_trip.as_secs_f64()
        ),
        format!("refreshes_10m={max_window};{NEAR_CAP};{REFRESH_CAP};0"),
        format!("consecutive_failures={failures};1;{FAILURES_CRITICAL};0"),
    ];
    let readable = users.iter().filter(|u| u.unreadable.is_none());
    if let Some(least) = readable.map(|u| u.access_remaining_ms).min() {
        items.push(format!(
            "access_ttl={}s;{};;",
            least / 1000,
            min_ttl_ms / 1000
        ));
    }
    items
}
