//! `zoho_oauth_stats()`: this process's counters (the core's [`zoho_oauth::stats`]) as a PHP
//! array, and the same figures as rows of the extension's `phpinfo()` section.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::ZendHashTable;
use zoho_oauth::stats::{Stats, snapshot};

use crate::panic::guard;

/// The array `zoho_oauth_stats()` returns (registered in `module.rs`): this process's
/// counters since it started (a forked child, such as a PHP-FPM worker, starts from zero):
/// `token_calls`, `served_from_memory`, `store_reads`, `refreshes`, `refresh_failures`,
/// `lock_waits`, `locks_busy` (ints), `lock_wait_seconds` (float), `fleet_cache_age_seconds`
/// (float, null before the store was first read) and `errors` (error kind name => int,
/// every kind). No secret, token or user identifier is in it.
pub fn process_stats() -> PhpResult<ZBox<ZendHashTable>> {
    guard(|| {
        let stats = snapshot();
        let mut array = ZendHashTable::new();
        for (name, count) in stats.counts() {
            array.insert(name, count_to_php(count))?;
        }
        array.insert("lock_wait_seconds", stats.lock_wait_time.as_secs_f64())?;
        let age = stats.fleet_cache_age.map(|age| age.as_secs_f64());
        array.insert("fleet_cache_age_seconds", age)?;
        let mut errors = ZendHashTable::new();
        for (kind, count) in &stats.errors {
            errors.insert(kind.name(), count_to_php(*count))?;
        }
        array.insert("errors", errors)?;
        Ok(array)
    })
}

/// A counter as a PHP int (which is signed; a counter never reaches `i64::MAX`).
fn count_to_php(count: u64) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}

/// The rows of the `phpinfo()` section: each counter, then the errors that happened.
pub fn info_rows() -> Vec<(String, String)> {
    let stats = snapshot();
    let mut rows: Vec<(String, String)> = stats
        .counts()
        .iter()
        .map(|(name, count)| (format!("process {name}"), count.to_string()))
        .collect();
    rows.push((
        "process lock_wait_seconds".into(),
        format!("{:.6}", stats.lock_wait_time.as_secs_f64()),
    ));
    let age = stats.fleet_cache_age.map_or_else(
        || "(never read)".into(),
        |a| format!("{:.3}", a.as_secs_f64()),
    );
    rows.push(("process fleet_cache_age_seconds".into(), age));
    rows.push(("process errors".into(), errors_line(&stats)));
    rows
}

/// `kind=count` for each kind that happened, or `none`.
fn errors_line(stats: &Stats) -> String {
    let seen: Vec<String> = stats
        .errors
        .iter()
        .filter(|(_, count)| *count > 0)
        .map(|(kind, count)| format!("{}={count}", kind.name()))
        .collect();
    if seen.is_empty() {
        "none".into()
    } else {
        seen.join(", ")
    }
}
