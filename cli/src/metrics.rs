//! `metrics`: the store's and users' figures in Prometheus' text format, on stdout.

use std::io::Write;

use zoho_oauth::history::metrics::render;
use zoho_oauth::history::survey::survey;
use zoho_oauth::{Clock, SystemClock};

use crate::cli::MetricsArgs;
use crate::config::Settings;
use crate::exit::Failure;

/// Prints the metrics. An unreachable store still prints its figures
/// (`zoho_oauth_store_up 0`), so the scrape shows it.
pub fn metrics(args: &MetricsArgs, settings: &Settings) -> Result<(), Failure> {
    let store = settings.store()?;
    let seen = survey(store.as_ref(), None, SystemClock.now_ms());
    let text = render(&seen, !args.no_user_labels);
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
    Ok(())
}
