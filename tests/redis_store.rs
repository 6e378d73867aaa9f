//! The Redis token store through the Rust API against a real redis-server: the layout,
//! odd identifiers, bad input (garbage values, wrong password, a server that is down or
//! silent), restarts, and the refresh lease. Start the servers with
//! `eval "$(scripts/redis.sh start DIR)"`; without them these tests print SKIPPED.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::Commands;
use support::{PrivateRedis, raw, settings, store, tokens, unique_prefix};
use zoho_oauth::store::RefreshSave;
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{ErrorKind, Secret, TokenStore};

const ODD: &[&str] = &[
    "ada@example.com",
    "with space",
    "colon:separated:id",
    "quotes \"double\" and 'single'",
    "zoë@exämple.de",
    "日本語ユーザー",
    "percent%3A and %",
    "user:with space@example.com",
    "o'brien@example.com",
    "back\\slash",
];

#[test]
fn odd_identifiers_round_trip_with_every_field() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    for (n, user) in ODD.iter().enumerate() {
        s.save(&tokens(user, n as i64)).unwrap();
    }
    for (n, user) in ODD.iter().enumerate() {
        assert_eq!(s.get(user).unwrap(), Some(tokens(user, n as i64)), "{user}");
    }
    let listed = s.list().unwrap();
    let mut expected: Vec<_> = ODD
        .iter()
        .enumerate()
        .map(|(n, u)| tokens(u, n as i64))
        .collect();
    expected.sort_by(|a, b| a.user.cmp(&b.user));
    assert_eq!(listed, expected);
    // Another store instance (another process, another host) sees the same.
    let other = store(&url, &prefix);
    assert_eq!(
        other.get("with space").unwrap(),
        Some(tokens("with space", 1))
    );
    // Deleting one leaves the others.
    assert!(s.delete("colon:separated:id").unwrap());
    assert!(!s.delete("colon:separated:id").unwrap());
    assert_eq!(s.get("colon:separated:id").unwrap(), None);
    assert_eq!(s.list().unwrap().len(), ODD.len() - 1);
    assert_eq!(s.get("colon").unwrap(), None);
}

#[test]
fn the_layout_is_what_docs_fleet_md_documents() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    s.save(&tokens("ada@example.com", 7)).unwrap();
    s.save(&tokens("a b:c", 8)).unwrap();
    let mut con = raw(&url);
    let value: String = con.get(format!("{prefix}user:ada@example.com")).unwrap();
    let json: serde_json::Value = serde_json::from_str(&value).unwrap();
    assert_eq!(json["format"], "zoho-oauth-tokens");
    assert_eq!(json["version"], 1);
    let entry = &json["tokens"][0];
    assert_eq!(entry["user"], "ada@example.com");
    assert_eq!(entry["access_token"], "1000.access.7");
    assert_eq!(entry["refresh_token"], "1000.refresh.r");
    assert_eq!(entry["expiry_time_ms"], 4_000_000_000_007_i64);
    assert_eq!(entry["api_domain"], "https://www.zohoapis.eu");
    assert_eq!(entry["accounts_url"], "https://accounts.zoho.eu");
    assert!(
        con.exists::<_, bool>(format!("{prefix}user:a%20b%3Ac"))
            .unwrap()
    );
    let mut users: Vec<String> = con.smembers(format!("{prefix}users")).unwrap();
    users.sort();
    assert_eq!(users, ["a b:c", "ada@example.com"]);
    assert_eq!(s.user_key("a b:c"), format!("{prefix}user:a%20b%3Ac"));
    assert_eq!(s.users_key(), format!("{prefix}users"));
    // The prefix separates applications.
    assert_eq!(store(&url, &unique_prefix()).list().unwrap(), vec![]);
}

#[test]
fn emails_match_case_insensitively_unless_ambiguous() {
    let Some(url) = support::url() else { return };
    let s = store(&url, &unique_prefix());
    s.save(&tokens("Ada@Example.com", 1)).unwrap();
    assert_eq!(
        s.get("ada@example.com").unwrap(),
        Some(tokens("Ada@Example.com", 1))
    );
    assert_eq!(
        s.get("ADA@EXAMPLE.COM").unwrap(),
        Some(tokens("Ada@Example.com", 1))
    );
    s.save(&tokens("ada@example.COM", 2)).unwrap();
    assert_eq!(
        s.get("ADA@EXAMPLE.COM").unwrap(),
        None,
        "two candidates: none is picked"
    );
    assert_eq!(
        s.get("ada@example.COM").unwrap(),
        Some(tokens("ada@example.COM", 2))
    );
    assert!(
        !s.delete("ADA@EXAMPLE.COM").unwrap(),
        "ambiguous delete removes nothing"
    );
    assert!(s.delete("ada@example.COM").unwrap());
    assert!(
        s.delete("ADA@EXAMPLE.COM").unwrap(),
        "one candidate left: it is deleted"
    );
    assert_eq!(s.list().unwrap(), vec![]);
    // Identifiers without @ match exactly only.
    s.save(&tokens("Bob", 3)).unwrap();
    assert_eq!(s.get("bob").unwrap(), None);
}

#[test]
fn a_key_holding_garbage_is_a_clear_error_and_left_as_it_was() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    s.save(&tokens("good@example.com", 1)).unwrap();
    let mut con = raw(&url);
    let key = s.user_key("bad@example.com");
    let garbage = "1000.SECRETGARBAGE not json";
    let _: () = con.set(&key, garbage).unwrap();
    let _: () = con.sadd(s.users_key(), "bad@example.com").unwrap();
    let get = s.get("bad@example.com").unwrap_err();
    assert_eq!(get.kind(), ErrorKind::StoreCorrupt);
    assert!(get.message().contains(&key), "{get}");
    assert!(!get.to_string().contains("SECRETGARBAGE"), "{get}");
    let save = s.save(&tokens("bad@example.com", 2)).unwrap_err();
    assert_eq!(save.kind(), ErrorKind::StoreCorrupt);
    let delete = s.delete("bad@example.com").unwrap_err();
    assert_eq!(delete.kind(), ErrorKind::StoreCorrupt);
    // `list` skips the bad key and reports it; the good user is still listed.
    assert_eq!(s.list().unwrap(), vec![tokens("good@example.com", 1)]);
    let listing = s.list_checked().unwrap();
    assert_eq!(listing.skipped.len(), 1);
    assert_eq!(listing.skipped[0].kind(), ErrorKind::StoreCorrupt);
    assert!(listing.skipped[0].message().contains(&key));
    let left: String = con.get(&key).unwrap();
    assert_eq!(left, garbage, "left as it was");
    // JSON of another shape, and another identifier's tokens, are refused the same way.
    let _: () = con
        .set(
            &key,
            r#"{"format":"zoho-oauth-tokens","version":1,"tokens":[]}"#,
        )
        .unwrap();
    assert_eq!(
        s.get("bad@example.com").unwrap_err().kind(),
        ErrorKind::StoreCorrupt
    );
    let theirs: String = con.get(s.user_key("good@example.com")).unwrap();
    let _: () = con.set(&key, &theirs).unwrap();
    assert_eq!(
        s.get("bad@example.com").unwrap_err().kind(),
        ErrorKind::StoreCorrupt
    );
    // A key of another type (another application's hash).
    let _: () = con.del(&key).unwrap();
    let _: () = con.hset(&key, "field", "value").unwrap();
    assert_eq!(
        s.get("bad@example.com").unwrap_err().kind(),
        ErrorKind::StoreCorrupt
    );
    assert_eq!(
        s.save(&tokens("bad@example.com", 3)).unwrap_err().kind(),
        ErrorKind::StoreCorrupt
    );
    let kept: String = con.hget(&key, "field").unwrap();
    assert_eq!(kept, "value");
    // The other user is untouched throughout.
    assert_eq!(
        s.get("good@example.com").unwrap(),
        Some(tokens("good@example.com", 1))
    );
}

#[test]
fn a_wrong_password_is_a_clear_store_io_error_that_never_shows_it() {
    let Some(good) = support::env_url("ZOHO_TEST_REDIS_AUTH_URL") else {
        return;
    };
    let Some(bad) = support::env_url("ZOHO_TEST_REDIS_AUTH_BAD_URL") else {
        return;
    };
    let prefix = unique_prefix();
    let password = url::Url::parse(&good)
        .unwrap()
        .password()
        .unwrap()
        .to_string();
    let ok = store(&good, &prefix);
    ok.save(&tokens("ada@example.com", 1)).unwrap();
    assert_eq!(
        ok.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 1))
    );
    let wrong = store(&bad, &prefix);
    let e = wrong.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert!(e.message().contains("refused the credentials"), "{e}");
    let none = store(&good.replace(&format!("default:{password}@"), ""), &prefix);
    let e2 = none.get("ada@example.com").unwrap_err();
    assert_eq!(e2.kind(), ErrorKind::StoreIo, "no password: {e2}");
    let wrong_password = url::Url::parse(&bad)
        .unwrap()
        .password()
        .unwrap()
        .to_string();
    for shown in [
        e.to_string(),
        format!("{e:?}"),
        e2.to_string(),
        wrong.describe(),
        format!("{wrong:?}"),
        format!("{ok:?}"),
        format!("{:?}", settings(&good, &prefix)),
    ] {
        assert!(!shown.contains(&password), "{shown}");
        assert!(!shown.contains(&wrong_password), "{shown}");
    }
    assert_eq!(
        wrong
            .save(&tokens("ada@example.com", 2))
            .unwrap_err()
            .kind(),
        ErrorKind::StoreIo
    );
    assert_eq!(
        ok.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 1))
    );
}

#[test]
fn a_unix_socket_url_works() {
    let Some(unix) = support::env_url("ZOHO_TEST_REDIS_UNIX_URL") else {
        return;
    };
    let Some(tcp) = support::url() else { return };
    let prefix = unique_prefix();
    store(&unix, &prefix)
        .save(&tokens("sock@example.com", 4))
        .unwrap();
    assert_eq!(
        store(&tcp, &prefix).get("sock@example.com").unwrap(),
        Some(tokens("sock@example.com", 4)),
        "the same server over TCP"
    );
}

#[test]
fn a_server_that_is_down_is_store_unavailable_within_the_bound() {
    if support::url().is_none() {
        return;
    }
    let port = support::free_port();
    let s = store(&format!("redis://127.0.0.1:{port}/0"), &unique_prefix());
    let started = Instant::now();
    let e = s.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(e.kind().is_transient());
    assert!(started.elapsed() < Duration::from_secs(2));
    let e = s.save(&tokens("ada@example.com", 1)).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
    assert_eq!(
        s.lock_user("ada@example.com", Duration::from_secs(1))
            .err()
            .map(|e| e.kind()),
        Some(ErrorKind::StoreUnavailable)
    );
}

#[test]
fn a_server_that_never_answers_is_store_unavailable_within_the_timeouts() {
    if support::url().is_none() {
        return;
    }
    // Accepts connections (the kernel's backlog) but never reads or answers.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "redis://127.0.0.1:{}/0",
        silent.local_addr().unwrap().port()
    );
    let mut set = settings(&url, &unique_prefix());
    set.timeout = Duration::from_millis(500);
    let s = RedisStore::with_settings(set).unwrap();
    let started = Instant::now();
    let e = s.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn a_bad_url_is_config_invalid_without_the_password() {
    for url in [
        "http://h:1/",
        "redis://:pw-SECRET@h:1/notanumber",
        "nonsense pw-SECRET",
    ] {
        match RedisStore::with_settings(settings(url, "p:")) {
            Ok(s) => {
                // Some URLs only fail when used; they still never show the password.
                assert!(!s.describe().contains("pw-SECRET"));
            }
            Err(e) => {
                assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{url}: {e}");
                assert!(!e.to_string().contains("pw-SECRET"), "{e}");
            }
        }
    }
}

#[test]
fn a_restart_mid_run_fails_clearly_then_works_with_nothing_lost() {
    let Some(mut server) = PrivateRedis::start() else {
        return;
    };
    let s = store(&server.url(), "restart:");
    s.save(&tokens("ada@example.com", 1)).unwrap();
    server.kill();
    let e = s.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable, "{e}");
    assert_eq!(
        s.save(&tokens("ada@example.com", 2)).unwrap_err().kind(),
        ErrorKind::StoreUnavailable
    );
    server.run();
    assert_eq!(
        s.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 1))
    );
    // A restart between two calls is not even noticed: the dead connection is replaced.
    server.kill();
    server.run();
    s.save(&tokens("ada@example.com", 3)).unwrap();
    assert_eq!(
        s.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 3))
    );
}

#[test]
fn the_lease_serializes_and_times_out_within_the_bound() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let a = store(&url, &prefix);
    let b = store(&url, &prefix);
    let held = a.lock_user("a b:c", Duration::from_secs(1)).unwrap();
    let owner: String = raw(&url).get(a.lock_key("a b:c")).unwrap();
    assert!(
        owner.contains(&format!("/{}/", std::process::id())),
        "{owner}"
    );
    let started = Instant::now();
    let e = b
        .lock_user("a b:c", Duration::from_millis(300))
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::LockTimeout, "{e}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
    // Another user is not blocked.
    drop(b.lock_user("other", Duration::from_millis(100)).unwrap());
    // Released: the next one gets it at once.
    let waiter = std::thread::spawn(move || {
        let started = Instant::now();
        let guard = b.lock_user("a b:c", Duration::from_secs(5)).unwrap();
        (started.elapsed(), guard)
    });
    std::thread::sleep(Duration::from_millis(200));
    drop(held);
    let (waited, _guard) = waiter.join().unwrap();
    assert!(waited < Duration::from_secs(2), "{waited:?}");
}

#[test]
fn a_zero_wait_is_exactly_one_attempt() {
    let Some(server) = PrivateRedis::start() else {
        return;
    };
    let url = server.url();
    let (holder, other) = (store(&url, "zero:"), store(&url, "zero:"));
    let _held = holder.lock_user("ada@example.com", Duration::ZERO).unwrap();
    other.get("warm up the connection").unwrap();
    let before = support::command_calls(&url, "evalsha");
    let started = Instant::now();
    let e = other
        .lock_user("ada@example.com", Duration::ZERO)
        .err()
        .unwrap();
    assert_eq!(e.kind(), ErrorKind::LockTimeout, "{e}");
    assert!(started.elapsed() < Duration::from_secs(1), "no waiting");
    assert_eq!(
        support::command_calls(&url, "evalsha") - before,
        1,
        "one SET NX attempt"
    );
    // Free: taken at the first attempt.
    drop(other.lock_user("bob@example.com", Duration::ZERO).unwrap());
}

#[test]
fn a_dead_holder_frees_the_lock_when_its_lease_ends() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let mut short = settings(&url, &prefix);
    short.lease = Duration::from_millis(400);
    let dead = RedisStore::with_settings(short).unwrap();
    // Never released, as if its process had been killed.
    std::mem::forget(
        dead.lock_user("ada@example.com", Duration::from_secs(1))
            .unwrap(),
    );
    let started = Instant::now();
    let _guard = store(&url, &prefix)
        .lock_user("ada@example.com", Duration::from_secs(5))
        .unwrap();
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(2),
        "{waited:?}"
    );
}

#[test]
fn a_holder_stalled_past_its_lease_neither_overwrites_nor_unlocks_the_next() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let mut short = settings(&url, &prefix);
    short.lease = Duration::from_millis(200);
    let stalled = Arc::new(RedisStore::with_settings(short).unwrap());
    let next = Arc::new(store(&url, &prefix));
    let user = "ada@example.com";
    let rt = Secret::new("1000.refresh.r");
    stalled.save(&tokens(user, 1)).unwrap();
    let stalled_guard = stalled.lock_user(user, Duration::from_secs(1)).unwrap();
    std::thread::sleep(Duration::from_millis(400)); // the lease runs out
    let next_guard = next.lock_user(user, Duration::from_secs(1)).unwrap();
    let mut newer = tokens(user, 1000);
    newer.access_token = Secret::new("1000.newer");
    assert_eq!(
        next.save_refreshed(&newer, &rt).unwrap(),
        RefreshSave::Saved
    );
    // The stalled holder's refresh came back earlier: its token expires before the newer one.
    let mut late = tokens(user, 500);
    late.access_token = Secret::new("1000.late");
    assert_eq!(
        stalled.save_refreshed(&late, &rt).unwrap(),
        RefreshSave::Newer
    );
    assert_eq!(
        next.get(user).unwrap(),
        Some(newer.clone()),
        "the newer token is kept"
    );
    drop(stalled_guard);
    let lock_owner: Option<String> = raw(&url).get(next.lock_key(user)).unwrap();
    assert!(
        lock_owner.is_some(),
        "the stalled holder did not release the next one's lock"
    );
    drop(next_guard);
    let lock_owner: Option<String> = raw(&url).get(next.lock_key(user)).unwrap();
    assert_eq!(lock_owner, None);
    // A plain save (a new grant's tokens) writes whatever it has, lease or not.
    stalled.save(&late).unwrap();
    assert_eq!(next.get(user).unwrap(), Some(late));
}

#[test]
fn the_refresh_failure_time_is_shared_between_processes() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let a = store(&url, &prefix);
    let b = store(&url, &prefix);
    assert_eq!(b.refresh_failed_at("a b"), None);
    a.set_refresh_failed_at("a b", Some(1_700_000_000_123))
        .unwrap();
    assert_eq!(b.refresh_failed_at("a b"), Some(1_700_000_000_123));
    let ttl: i64 = raw(&url).pttl(format!("{prefix}failed:a%20b")).unwrap();
    assert!(ttl > 0 && ttl <= 60_000, "it expires by itself: {ttl}");
    a.set_refresh_failed_at("a b", None).unwrap();
    assert_eq!(b.refresh_failed_at("a b"), None);
}

#[test]
fn tokens_without_a_user_are_refused_before_anything_is_written() {
    let Some(url) = support::url() else { return };
    let s = store(&url, &unique_prefix());
    let mut t = tokens("x", 1);
    t.user = None;
    assert_eq!(s.save(&t).unwrap_err().kind(), ErrorKind::InvalidArgument);
    assert_eq!(s.list().unwrap(), vec![]);
}

#[test]
fn rediss_refuses_a_server_whose_certificate_is_not_trusted() {
    let Some(_) = support::url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    std::fs::write(dir.path().join("cert.pem"), certified.cert.pem()).unwrap();
    std::fs::write(
        dir.path().join("key.pem"),
        certified.signing_key.serialize_pem(),
    )
    .unwrap();
    let port = support::free_port();
    let mut server = std::process::Command::new(
        std::env::var("ZOHO_TEST_REDIS_SERVER").unwrap_or_else(|_| "redis-server".into()),
    )
    .args([
        "--port",
        "0",
        "--bind",
        "127.0.0.1",
        "--save",
        "",
        "--appendonly",
        "no",
    ])
    .args(["--tls-port", &port.to_string(), "--tls-auth-clients", "no"])
    .arg("--tls-cert-file")
    .arg(dir.path().join("cert.pem"))
    .arg("--tls-key-file")
    .arg(dir.path().join("key.pem"))
    .arg("--dir")
    .arg(dir.path())
    .stdout(std::process::Stdio::null())
    .stderr(std::process::Stdio::null())
    .spawn()
    .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "TLS redis-server did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    let s = store(&format!("rediss://localhost:{port}/0"), &unique_prefix());
    let started = Instant::now();
    let e = s.get("ada@example.com").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(!e.kind().is_transient());
    assert!(e.message().contains("certificate"), "{e}");
    assert!(e.hint().is_some_and(|h| h.contains("CA")), "{e}");
    assert!(started.elapsed() < Duration::from_secs(3));
    // The same server over plain TCP to the TLS port is refused too (no downgrade).
    let plain = store(&format!("redis://localhost:{port}/0"), &unique_prefix());
    assert!(plain.get("ada@example.com").is_err());
    let _ = server.kill();
    let _ = server.wait();
}
