//! The report: numbers of the run, every check with its verdict, and the closing
//! `N passed, M failed` line; optionally the same as JSON.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::json;

use crate::args::Options;
use crate::checker::Checker;
use crate::refresh_check::RefreshReport;
use crate::stats::Stats;

/// Most a long-running process's resident set may grow over the memory check, in KiB.
pub const MEMORY_GROWTH_LIMIT_KB: u64 = 2048;

/// The workers' summed results.
#[derive(Default)]
pub struct Workers {
    /// Workers that finished with a `DONE` line.
    pub count: usize,
    /// Their summed counts.
    pub stats: Stats,
    /// Processes that crashed or hung.
    pub crashed: Vec<String>,
    /// Processes that wrote to stderr (first lines).
    pub stderr: Vec<String>,
}

/// Everything the report is made of.
pub struct Outcome<'a> {
    /// The options of the run.
    pub options: &'a Options,
    /// Wall time from the first spawn to the last exit.
    pub elapsed: Duration,
    /// The workers' results.
    pub workers: Workers,
    /// The memory check's results, if it ran.
    pub memory: Option<Stats>,
    /// The file checker.
    pub checker: &'a Checker,
    /// The refresh check.
    pub refresh: RefreshReport,
    /// The emulator's counters.
    pub counters: BTreeMap<String, u64>,
}

/// One named check and its verdict.
struct Check {
    name: String,
    ok: bool,
    detail: String,
}

fn checks(o: &Outcome<'_>) -> Vec<Check> {
    let c = |name: &str, ok: bool, detail: String| Check {
        name: name.to_string(),
        ok,
        detail,
    };
    let w = &o.workers;
    let requests = o.counters.get("requests").copied().unwrap_or(0);
    let faults = o.counters.get("faults_injected").copied().unwrap_or(0);
    let share = faults as f64 / requests.max(1) as f64;
    let rate = o.options.fault_rate;
    let mut list = vec![
        c(
            "every worker ran to the end (no crash, no hang)",
            w.crashed.is_empty() && w.count == o.options.workers,
            format!(
                "{} of {} finished; {:?}",
                w.count, o.options.workers, w.crashed
            ),
        ),
        c(
            "every failure was a typed error of an expected kind",
            w.stats.unexpected.is_empty(),
            format!("{:?}", w.stats.unexpected),
        ),
        c(
            "no process wrote to stderr",
            w.stderr.is_empty(),
            format!("{:?}", w.stderr),
        ),
        c(
            "the token file parsed at every snapshot; no saved user was ever missing",
            o.checker.failed == 0,
            format!(
                "{} snapshots, {} assertions held, {} failed: {:?}",
                o.checker.snapshots, o.checker.passed, o.checker.failed, o.checker.failures
            ),
        ),
        c(
            "every deleted user was restored; none lost",
            w.stats.lost.is_empty(),
            format!("{:?}", w.stats.lost),
        ),
        c(
            "at most one refresh per user per expiry",
            o.refresh.violation_count == 0 && o.refresh.automatic > 0,
            format!(
                "{} automatic refreshes, {} gaps checked, {} explicit, {} orphaned by timeouts; {:?}",
                o.refresh.automatic,
                o.refresh.checked,
                o.refresh.explicit,
                o.refresh.orphans,
                o.refresh.violations
            ),
        ),
        c(
            "faults were injected at about the configured rate",
            rate == 0.0 || (share > rate * 0.5 && share < rate * 2.0),
            format!("{faults} of {requests} requests ({:.2}%)", share * 100.0),
        ),
    ];
    if let Some(m) = &o.memory {
        let growth = match (m.rss_kb.first(), m.rss_kb.last()) {
            (Some(first), Some(last)) => last.saturating_sub(*first),
            _ => u64::MAX,
        };
        list.push(c(
            "memory does not grow over the get_access_token calls",
            growth <= MEMORY_GROWTH_LIMIT_KB && m.unexpected.is_empty(),
            format!(
                "{} calls; VmRSS {:?} KiB; growth {growth} KiB (limit {MEMORY_GROWTH_LIMIT_KB}); errors {:?}",
                m.calls, m.rss_kb, m.errors
            ),
        ));
    }
    list
}

fn numbers(o: &Outcome<'_>) -> serde_json::Value {
    let faults: BTreeMap<&str, u64> = o
        .counters
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("fault.").map(|kind| (kind, *v)))
        .collect();
    json!({
        "mode": if o.options.php { "php" } else { "rust" },
        "seconds": o.elapsed.as_secs_f64().round(),
        "workers": o.workers.count,
        "users": o.options.users,
        "operations": o.workers.stats.ops.values().sum::<u64>(),
        "operations_by_kind": o.workers.stats.ops,
        "succeeded_by_kind": o.workers.stats.ok,
        "errors_by_kind": o.workers.stats.errors,
        "requests": o.counters.get("requests"),
        "faults_injected": o.counters.get("faults_injected"),
        "faults_by_kind": faults,
        "refreshes": o.counters.get("token.refresh_token"),
        "refresh_check": o.refresh,
        "snapshots": o.checker.snapshots,
        "assertions_passed": o.checker.passed,
        "assertions_failed": o.checker.failed,
        "memory": o.memory.as_ref().map(|m| json!({"calls": m.calls, "rss_kb": m.rss_kb})),
    })
}

/// Prints the report (and writes it as JSON to `summary`); returns whether all passed.
pub fn print(o: &Outcome<'_>, summary: Option<&Path>) -> Result<bool, String> {
    let numbers = numbers(o);
    let checks = checks(o);
    println!(
        "soak numbers: {}",
        serde_json::to_string_pretty(&numbers).unwrap_or_default()
    );
    for check in &checks {
        let verdict = if check.ok { "PASS" } else { "FAIL" };
        println!("{verdict}: {} ({})", check.name, check.detail);
    }
    let passed = checks.iter().filter(|c| c.ok).count();
    let failed = checks.len() - passed;
    if let Some(path) = summary {
        let verdicts: Vec<_> = checks
            .iter()
            .map(|c| json!({"check": c.name, "ok": c.ok, "detail": c.detail}))
            .collect();
        let all = json!({"numbers": numbers, "checks": verdicts});
        std::fs::write(path, serde_json::to_vec_pretty(&all).unwrap_or_default())
            .map_err(|e| format!("{}: {e}", path.display()))?;
    }
    println!("soak: {passed} passed, {failed} failed");
    Ok(failed == 0)
}
