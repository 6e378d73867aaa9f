//! The memory check: one long-running process calls `get_access_token` on the shared file
//! (the users' tokens keep expiring and being refreshed, the file rewritten, faults
//! injected) and samples its resident set size (VmRSS) after a warm-up and at every tenth
//! of the calls.

use zoho_oauth::OAuthClient;

use crate::args::WorkerArgs;
use crate::setup;
use crate::stats::Stats;

/// Calls before the first sample: every user's tokens are cached, pools are warm.
const WARM_UP_CALLS: u64 = 50_000;
/// The users the memory check cycles through. The workers keep refreshing and rewriting
/// the file around it; these users' tokens expire and are refreshed by this process too,
/// but most calls are answered from the cache, as in a long-lived PHP-FPM worker.
const MEMORY_USERS: usize = 50;

/// This process's resident set size in KiB, from `/proc/self/status`.
pub fn rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Runs the memory check; prints its `DONE` line with the samples.
pub fn run(a: &WorkerArgs) -> Result<bool, String> {
    let config = setup::config(&a.dir, &a.url, a.margin, a.timeout);
    let client = OAuthClient::from_config(config).map_err(|e| e.to_string())?;
    let mut stats = Stats::default();
    let call = |n: u64, stats: &mut Stats| {
        let user = setup::user((n % a.users.min(MEMORY_USERS) as u64) as usize);
        match client.get_access_token(&user) {
            Ok(_) => {}
            Err(e) => {
                stats.error("memory_get", &e);
            }
        }
    };
    for n in 0..WARM_UP_CALLS {
        call(n, &mut stats);
    }
    stats.rss_kb.push(rss_kb());
    let step = (a.amount / 10).max(1);
    for n in 0..a.amount {
        call(n, &mut stats);
        if (n + 1) % step == 0 {
            stats.rss_kb.push(rss_kb());
        }
    }
    stats.calls = a.amount;
    println!("{}", stats.done_line());
    Ok(true)
}
