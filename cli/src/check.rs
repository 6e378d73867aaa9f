//! `check`: a monitoring-plugin check of the store and its users. Whatever happens it prints
//! one line and exits 0 OK, 1 WARNING, 2 CRITICAL or 3 UNKNOWN (a configuration it cannot
//! read is UNKNOWN; a store it cannot reach is CRITICAL).

use std::io::Write;

use zoho_oauth::history::health::{State, assess};
use zoho_oauth::history::survey::survey;
use zoho_oauth::{Clock, ErrorCategory, SystemClock};

use crate::cli::{CheckArgs, Global};
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::escape_controls;

/// The access-token life below which a failing refresh is a warning, without `--min-ttl`.
pub const DEFAULT_MIN_TTL_SECS: u64 = 300;

/// Runs the check and ends the process with its state's exit code.
pub fn check(args: &CheckArgs, global: &Global) -> Result<(), Failure> {
    let (state, line) = match verdict(args, global) {
        Ok(found) => found,
        Err(f) => {
            let state = match f.class {
                Class::Library(ErrorCategory::Store) => State::Critical,
                _ => State::Unknown,
            };
            let line = format!("ZOHO-OAUTH {} - {} |", state.word(), f.message);
            (state, line.replace('\n', " "))
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", escape_controls(&line));
    let _ = out.flush();
    std::process::exit(i32::from(state.code()))
}

fn verdict(args: &CheckArgs, global: &Global) -> Result<(State, String), Failure> {
    let settings = Settings::load(global)?;
    let store = settings.store()?;
    let seen = survey(store.as_ref(), args.user.as_deref(), SystemClock.now_ms());
    let min_ttl_secs = args.min_ttl_secs.unwrap_or(DEFAULT_MIN_TTL_SECS);
    let min_ttl_ms = i64::try_from(min_ttl_secs.saturating_mul(1000)).unwrap_or(i64::MAX);
    let verdict = assess(&seen, args.user.as_deref(), min_ttl_ms);
    let ok_text = format!(
        "{} user(s) fine in {}",
        seen.users.len(),
        seen.store.describe
    );
    Ok((verdict.state, verdict.line(&ok_text)))
}
