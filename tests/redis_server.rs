//! What Redis may hold tokens, checked once per connection from `INFO`: a cache Redis
//! (`maxmemory-policy allkeys-*`) is refused before anything is written, so no token is
//! ever evicted silently; `noeviction` keeps every token under memory pressure; a server
//! without an append-only file is logged once per process; Cluster, Sentinel and replicas
//! are refused with a clear message. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU16, Ordering};
use std::time::{Duration, Instant};

use redis::Commands;
use support::{PrivateRedis, info_field, raw, tokens, unique_prefix};
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{ErrorKind, TokenStore};

const USERS: usize = 20;

fn user(n: usize) -> String {
    format!("user{n}@example.com")
}

/// A store on `url` that logs into `log_dir`'s SDK log.
fn logging_store(url: &str, prefix: &str, log_dir: &Path) -> RedisStore {
    let mut set = support::settings(url, prefix);
    set.log_file = Some(log_dir.join("ZCRMClientLibrary.log"));
    RedisStore::with_settings(set).unwrap()
}

fn log_of(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("ZCRMClientLibrary.log")).unwrap_or_default()
}

/// Another application's writes of 1 kB values until the server says `OOM` (or `limit`).
fn fill(url: &str, limit: usize) -> Option<redis::RedisError> {
    let mut con = raw(url);
    let value = "x".repeat(1024);
    for n in 0..limit {
        if let Err(e) = con.set::<_, _, ()>(format!("cache:{n}"), &value) {
            return Some(e);
        }
    }
    None
}

#[test]
fn a_cache_redis_is_refused_before_any_token_can_be_evicted() {
    let Some(server) = PrivateRedis::start_with(&[
        "--maxmemory",
        "4mb",
        "--maxmemory-policy",
        "allkeys-lru",
        "--appendfsync",
        "no",
    ]) else {
        return;
    };
    let url = server.url();
    let logs = tempfile::tempdir().unwrap();
    let s = logging_store(&url, &unique_prefix(), logs.path());
    let e = s.prepare().unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(!e.kind().is_transient());
    assert!(e.message().contains("allkeys-lru"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("noeviction")), "{e}");
    for n in 0..USERS {
        let e = s.save(&tokens(&user(n), n as i64)).unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::ConfigInvalid,
            "every consent is told: {e}"
        );
    }
    let keys: i64 = redis::cmd("DBSIZE").query(&mut raw(&url)).unwrap();
    assert_eq!(
        keys, 0,
        "no token was written, so none can be evicted silently"
    );
    // Another application fills the cache: it evicts its own keys, never a token of ours.
    assert!(
        fill(&url, 8_000).is_none(),
        "allkeys-lru evicts instead of failing"
    );
    assert!(
        info_field(&url, "stats", "evicted_keys")
            .parse::<u64>()
            .unwrap()
            > 0
    );
    // The remedy: noeviction. Then every token survives another application's pressure,
    // which gets OOM errors instead.
    let _: () = redis::cmd("CONFIG")
        .arg("SET")
        .arg("maxmemory-policy")
        .arg("noeviction")
        .query(&mut raw(&url))
        .unwrap();
    let _: () = redis::cmd("FLUSHALL").query(&mut raw(&url)).unwrap();
    let s = logging_store(&url, &unique_prefix(), logs.path());
    for n in 0..USERS {
        s.save(&tokens(&user(n), n as i64)).unwrap();
    }
    let oom = fill(&url, 8_000).expect("the other application hits maxmemory");
    assert_eq!(oom.code(), Some("OOM"), "{oom}");
    for n in 0..USERS {
        assert_eq!(s.get(&user(n)).unwrap(), Some(tokens(&user(n), n as i64)));
    }
    assert_eq!(s.list().unwrap().len(), USERS);
    // A save into the full server is an error with a hint, never a silent loss.
    let e = s.save(&tokens(&user(0), 99)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert_eq!(s.get(&user(0)).unwrap(), Some(tokens(&user(0), 0)));
}

#[test]
fn volatile_policies_are_accepted_and_keep_tokens() {
    let Some(server) = PrivateRedis::start_with(&[
        "--maxmemory",
        "4mb",
        "--maxmemory-policy",
        "volatile-lru",
        "--appendfsync",
        "no",
    ]) else {
        return;
    };
    let s = support::store(&server.url(), &unique_prefix());
    for n in 0..USERS {
        s.save(&tokens(&user(n), n as i64)).unwrap();
    }
    // Keys without a TTL are never evicted under volatile-*: the server refuses writes.
    assert!(fill(&server.url(), 8_000).is_some());
    assert_eq!(s.list().unwrap().len(), USERS);
}

#[test]
fn the_server_is_checked_once_per_connection_not_per_call() {
    let Some(server) = PrivateRedis::start() else {
        return;
    };
    let url = server.url();
    let info_calls = || support::command_calls(&url, "info");
    let s = support::store(&url, &unique_prefix());
    let before = info_calls();
    s.save(&tokens(&user(1), 1)).unwrap();
    for _ in 0..100 {
        s.get(&user(1)).unwrap();
    }
    drop(s.lock_user(&user(1), Duration::ZERO).unwrap());
    s.list().unwrap();
    // One INFO by the store, one by the check above.
    assert_eq!(info_calls() - before, 2, "one check for one connection");
    // A new connection (the old one killed by the server) is checked again.
    let _: () = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("TYPE")
        .arg("normal")
        .arg("SKIPME")
        .arg("yes")
        .query(&mut raw(&url))
        .unwrap();
    let before = info_calls();
    assert!(s.get(&user(1)).unwrap().is_some());
    assert_eq!(info_calls() - before, 2);
}

#[test]
fn a_server_without_an_append_only_file_is_logged_once_per_process() {
    let Some(rdb_only) = PrivateRedis::start_with(&["--appendonly", "no", "--save", "3600 1"])
    else {
        return;
    };
    let logs = tempfile::tempdir().unwrap();
    let s = logging_store(&rdb_only.url(), &unique_prefix(), logs.path());
    s.save(&tokens(&user(1), 1)).unwrap();
    let other = logging_store(&rdb_only.url(), &unique_prefix(), logs.path());
    other.get(&user(1)).unwrap();
    let log = log_of(logs.path());
    assert_eq!(log.matches("aof_enabled:0").count(), 1, "{log}");
    assert!(
        log.contains("WARNING") && log.contains("appendonly yes"),
        "{log}"
    );
    // With AOF (the private servers' default) nothing is logged.
    let Some(aof) = PrivateRedis::start() else {
        return;
    };
    let quiet = tempfile::tempdir().unwrap();
    logging_store(&aof.url(), &unique_prefix(), quiet.path())
        .save(&tokens(&user(1), 1))
        .unwrap();
    assert_eq!(log_of(quiet.path()), "");
}

#[test]
fn cluster_nodes_and_replicas_are_refused_with_a_clear_message() {
    let Some(cluster) = PrivateRedis::start_with(&["--cluster-enabled", "yes"]) else {
        return;
    };
    let e = support::store(&cluster.url(), "p:").get("a").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("cluster mode"), "{e}");
    let primary = PrivateRedis::start().unwrap();
    let replica_of = format!("127.0.0.1 {}", primary.port);
    let replica = PrivateRedis::start_with(&["--replicaof", &replica_of]).unwrap();
    let e = support::store(&replica.url(), "p:")
        .save(&tokens("a", 1))
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("replica"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("primary")), "{e}");
}

#[test]
fn a_sentinel_is_refused_with_a_clear_message() {
    let Some(primary) = PrivateRedis::start() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let port = support::free_port();
    let conf = dir.path().join("sentinel.conf");
    std::fs::write(
        &conf,
        format!(
            "port {port}\nbind 127.0.0.1\ndir {}\nsentinel monitor tokens 127.0.0.1 {} 1\n",
            dir.path().display(),
            primary.port
        ),
    )
    .unwrap();
    let binary = std::env::var("ZOHO_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into());
    let mut sentinel = Command::new(binary)
        .arg(&conf)
        .arg("--sentinel")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("redis://127.0.0.1:{port}/0");
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "redis-sentinel did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let e = support::store(&url, "p:").get("a").unwrap_err();
    let _ = sentinel.kill();
    let _ = sentinel.wait();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("Sentinel"), "{e}");
    assert!(
        e.hint()
            .is_some_and(|h| h.contains("GET-MASTER-ADDR-BY-NAME")),
        "{e}"
    );
}

/// Copies `from` to `to` until either side ends.
fn pump(mut from: TcpStream, mut to: TcpStream) {
    let mut buf = [0u8; 16 * 1024];
    while let Ok(n) = from.read(&mut buf) {
        if n == 0 || to.write_all(&buf[..n]).is_err() {
            break;
        }
    }
    let _ = to.shutdown(Shutdown::Both);
    let _ = from.shutdown(Shutdown::Both);
}

/// A loopback port that forwards each new connection to the port `target` holds when it is
/// accepted: an address that moves with the primary (a virtual IP, a DNS name, a proxy).
fn moving_address(target: Arc<AtomicU16>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = TcpStream::connect(("127.0.0.1", target.load(Ordering::SeqCst)))
            else {
                continue;
            };
            let (c2, s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || pump(client, server));
            std::thread::spawn(move || pump(s2, c2));
        }
    });
    port
}

fn replicaof(url: &str, primary: Option<u16>) {
    let mut command = redis::cmd("REPLICAOF");
    match primary {
        Some(port) => command.arg("127.0.0.1").arg(port),
        None => command.arg("NO").arg("ONE"),
    };
    let _: () = command.query(&mut raw(url)).unwrap();
}

#[test]
fn a_failover_behind_an_address_that_moves_keeps_every_token() {
    let Some(old) = PrivateRedis::start() else {
        return;
    };
    let replica_of = format!("127.0.0.1 {}", old.port);
    let new = PrivateRedis::start_with(&["--replicaof", &replica_of]).unwrap();
    let target = Arc::new(AtomicU16::new(old.port));
    let url = format!("redis://127.0.0.1:{}/0", moving_address(target.clone()));
    let s = support::store(&url, &unique_prefix());
    for n in 0..USERS {
        s.save(&tokens(&user(n), n as i64)).unwrap();
    }
    // Written to the replica before the failover (replication is asynchronous: a write
    // not yet replicated would be lost, as the README says).
    let acked: i64 = redis::cmd("WAIT")
        .arg(1)
        .arg(5000)
        .query(&mut raw(&old.url()))
        .unwrap();
    assert_eq!(acked, 1);
    // The failover: the replica is promoted, the old primary follows it, the address moves.
    replicaof(&new.url(), None);
    replicaof(&old.url(), Some(new.port));
    target.store(new.port, Ordering::SeqCst);
    // The open connection reaches the old primary, now a replica (READONLY): the store drops
    // it and connects again, through the address, to the new primary, in the same call.
    s.save(&tokens(&user(0), 100)).unwrap();
    let on_new: String = raw(&new.url()).get(s.user_key(&user(0))).unwrap();
    assert!(on_new.contains(&user(0)));
    for n in 1..USERS {
        assert_eq!(s.get(&user(n)).unwrap(), Some(tokens(&user(n), n as i64)));
    }
    assert_eq!(s.get(&user(0)).unwrap(), Some(tokens(&user(0), 100)));
    // A URL naming the old primary itself is refused now: it is a replica.
    let e = support::store(&old.url(), "p:").get("a").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
}
