//! What a Redis server must be to hold tokens, checked once per connection from one `INFO`
//! reply (which works where `CONFIG` is renamed or disabled, as on managed services):
//!
//! - a standalone primary: a Redis Cluster node (`cluster_enabled:1`), a Sentinel
//!   (`redis_mode:sentinel`) and a replica (`role:slave`) are refused;
//! - an eviction policy that never evicts a key without a TTL: `allkeys-*` is refused (it
//!   evicts refresh tokens silently when another application fills the memory);
//!   `noeviction` and `volatile-*` are accepted (tokens have no TTL; a full server then
//!   refuses writes with `OOM`, an error, instead of dropping tokens);
//! - persistence: without an append-only file (`aof_enabled:0`) a crash loses every token
//!   saved since the last RDB snapshot, if any; that is logged once per process and server.
//!
//! Refusals are [`ErrorKind::ConfigInvalid`]: the configuration points at a server that
//! cannot keep tokens; retrying does not help.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::Mutex;

use ::redis::cmd;

use super::call::{Call, Failure};
use crate::clock::system_now_ms;
use crate::error::{Error, ErrorKind};
use crate::log::{Level, SdkLog};

/// The servers this process has already warned about (by redacted URL).
static WARNED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());

/// Checks a new connection's server; warns through the SDK log.
pub(super) struct Checker {
    described: String,
    log: SdkLog,
}

impl Checker {
    /// A checker for the server described as `described` (the redacted URL), warning into
    /// `log_file`.
    pub(super) fn new(described: String, log_file: Option<PathBuf>) -> Checker {
        Checker {
            described,
            log: SdkLog::new(log_file),
        }
    }

    /// One `INFO`: refuses a server that must not hold tokens, warns (once per process and
    /// server) about one that may lose them.
    pub(super) fn check(&self, call: &mut Call<'_>) -> Result<(), Failure> {
        let info: String = call.query(&cmd("INFO"))?;
        if let Some(refusal) = refusal(&info, &self.described) {
            return Err(Failure::Refused(refusal));
        }
        if let Some(warning) = warning(&info, &self.described) {
            let first = WARNED
                .lock()
                .map(|mut warned| warned.insert(self.described.clone()))
                .unwrap_or(true);
            if first {
                self.log.write(Level::Warning, &warning, system_now_ms());
            }
        }
        Ok(())
    }
}

/// The value of `name` in an `INFO` reply (`name:value` lines).
fn field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines().find_map(|line| {
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(':'))
            .map(str::trim)
    })
}

/// Why the server described by `info` must not hold tokens, if it must not.
fn refusal(info: &str, server: &str) -> Option<Error> {
    let refuse = |what: String, hint: &str| {
        Some(Error::new(ErrorKind::ConfigInvalid, what).with_hint(hint.to_string()))
    };
    if field(info, "redis_mode") == Some("sentinel") {
        return refuse(
            format!(
                "redis_url points at a Redis Sentinel ({server}), which holds no data; zoho-oauth does not follow Sentinel"
            ),
            "point redis_url at the primary itself (redis-cli -p 26379 SENTINEL GET-MASTER-ADDR-BY-NAME <name>), or at an address your failover moves with it (a virtual IP or a DNS name)",
        );
    }
    if field(info, "cluster_enabled") == Some("1") {
        return refuse(
            format!(
                "the Redis server at {server} runs in cluster mode (cluster_enabled:1); zoho-oauth supports a standalone server only"
            ),
            "use a standalone Redis (a small dedicated instance is enough: about 1 kB per user), with maxmemory-policy noeviction and appendonly yes",
        );
    }
    if field(info, "role") == Some("slave") {
        return refuse(
            format!(
                "redis_url points at a replica ({server}, role:slave); tokens must be written to the primary"
            ),
            "point redis_url at the primary (INFO replication on the replica names it as master_host:master_port)",
        );
    }
    let policy = field(info, "maxmemory_policy")?;
    if !policy.starts_with("allkeys-") {
        return None;
    }
    let limit = field(info, "maxmemory").unwrap_or("?");
    refuse(
        format!(
            "the Redis server at {server} has maxmemory-policy {policy} (maxmemory {limit} bytes): it may evict any key, refresh tokens included, silently, when it is full; a lost refresh token means the user must consent again"
        ),
        "set maxmemory-policy noeviction (redis-cli CONFIG SET maxmemory-policy noeviction, and in redis.conf), or keep tokens in a Redis of their own; volatile-* policies are accepted too: they evict only keys with a TTL, and tokens have none",
    )
}

/// What the log should say about the server described by `info`, if anything.
fn warning(info: &str, server: &str) -> Option<String> {
    (field(info, "aof_enabled") == Some("0")).then(|| {
        format!("the Redis server at {server} keeps tokens without an append-only file (aof_enabled:0): a crash or restart loses every token saved since the last RDB snapshot, if any (a new consent, a refresh); set appendonly yes with appendfsync everysec (at most 1 s lost)")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const STANDALONE: &str = "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\n# Memory\r\nmaxmemory:0\r\nmaxmemory_policy:noeviction\r\n# Persistence\r\naof_enabled:1\r\n# Replication\r\nrole:master\r\n# Cluster\r\ncluster_enabled:0\r\n";

    fn with(from: &str, to: &str) -> String {
        STANDALONE.replace(from, to)
    }

    #[test]
    fn only_a_standalone_primary_that_never_evicts_tokens_is_accepted() {
        assert!(refusal(STANDALONE, "s").is_none());
        assert!(warning(STANDALONE, "s").is_none());
        for policy in [
            "volatile-lru",
            "volatile-ttl",
            "volatile-lfu",
            "volatile-random",
        ] {
            let info = with("noeviction", policy);
            assert!(refusal(&info, "s").is_none(), "{policy}");
        }
        for (from, to, says) in [
            ("noeviction", "allkeys-lru", "allkeys-lru"),
            ("noeviction", "allkeys-random", "allkeys-random"),
            ("cluster_enabled:0", "cluster_enabled:1", "cluster"),
            ("role:master", "role:slave", "replica"),
            ("redis_mode:standalone", "redis_mode:sentinel", "Sentinel"),
        ] {
            let e = refusal(&with(from, to), "redis://h:1/0").expect(to);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
            assert!(e.message().contains(says), "{e}");
            assert!(e.hint().is_some());
        }
        let w = warning(&with("aof_enabled:1", "aof_enabled:0"), "redis://h:1/0");
        assert!(w.is_some_and(|w| w.contains("appendonly yes")));
        assert_eq!(field("a:1\r\nab:2\r\n", "a"), Some("1"));
        assert_eq!(field("ab:2\r\n", "a"), None);
    }
}
