//! Other applications' values in our key space, and values out of shape: a key holding
//! another identifier's tokens is never overwritten, a foreign `users` key never lets a save
//! half-write, one stray key never makes `list` fail for every user, and values read are
//! checked (a 64 kB access token, control bytes, a non-numeric expiry) with a clear error
//! naming the user and nothing overwritten. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use redis::Commands;
use support::{raw, store, tokens, unique_prefix};
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{ErrorKind, Secret, TokenStore};

const ADA: &str = "ada@example.com";

/// Asserts `e` is a `store_corrupt` error that names `key` and shows no token.
fn names(e: &zoho_oauth::Error, key: &str) {
    assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
    assert!(e.message().contains(key), "{e}");
    assert!(!e.to_string().contains("1000.access"), "{e}");
}

#[test]
fn another_identifiers_tokens_are_never_overwritten_by_a_grant() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    let mut con = raw(&url);
    // Bob's tokens under Ada's key (copied by hand, or another identifier's encoding).
    s.save(&tokens("bob@example.com", 1)).unwrap();
    let bobs: String = con.get(s.user_key("bob@example.com")).unwrap();
    let _: () = con.set(s.user_key(ADA), &bobs).unwrap();
    let key = s.user_key(ADA);
    names(&s.save(&tokens(ADA, 2)).unwrap_err(), &key);
    names(
        &s.save_refreshed(&tokens(ADA, 3), &Secret::new("1000.refresh.r"))
            .unwrap_err(),
        &key,
    );
    names(&s.delete(ADA).unwrap_err(), &key);
    names(&s.get(ADA).unwrap_err(), &key);
    let left: String = con.get(&key).unwrap();
    assert_eq!(left, bobs, "left as it was");
    let members: Vec<String> = con.smembers(s.users_key()).unwrap();
    assert_eq!(members, ["bob@example.com"], "Ada was not indexed");
}

#[test]
fn a_foreign_users_key_never_lets_a_save_half_write() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    let mut con = raw(&url);
    let _: () = con
        .set(s.users_key(), "another application's counter")
        .unwrap();
    for e in [
        s.save(&tokens(ADA, 1)).unwrap_err(),
        s.save_refreshed(&tokens(ADA, 1), &Secret::new("x"))
            .unwrap_err(),
        s.delete(ADA).unwrap_err(),
        s.prepare().unwrap_err(),
        s.list().unwrap_err(),
    ] {
        assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
        assert!(e.message().contains(&s.users_key()), "{e}");
    }
    assert!(
        !con.exists::<_, bool>(s.user_key(ADA)).unwrap(),
        "nothing was written before the users key's type was found wrong"
    );
    let left: String = con.get(s.users_key()).unwrap();
    assert_eq!(left, "another application's counter");
    // The case index of an e-mail identifier is checked the same way.
    let _: () = con.del(s.users_key()).unwrap();
    let folded = format!("{prefix}ci:{ADA}");
    let _: () = con.hset(&folded, "f", "v").unwrap();
    let e = s.save(&tokens(ADA, 1)).unwrap_err();
    assert!(e.message().contains(&folded), "{e}");
    assert!(!con.exists::<_, bool>(s.user_key(ADA)).unwrap());
    assert!(!con.exists::<_, bool>(s.users_key()).unwrap());
}

#[test]
fn one_stray_key_never_makes_list_fail_for_every_user() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let log = tempfile::tempdir().unwrap();
    let mut set = support::settings(&url, &prefix);
    set.log_file = Some(log.path().join("ZCRMClientLibrary.log"));
    let s = RedisStore::with_settings(set).unwrap();
    let mut con = raw(&url);
    for n in 0..5 {
        s.save(&tokens(&format!("user{n}@example.com"), n)).unwrap();
    }
    // Garbage under one user, another application's hash under another, and an index entry
    // whose key was deleted by hand (silently gone).
    let _: () = con.set(s.user_key("user1@example.com"), "garbage").unwrap();
    let _: () = con.del(s.user_key("user2@example.com")).unwrap();
    let _: () = con.hset(s.user_key("user2@example.com"), "f", "v").unwrap();
    let _: () = con.sadd(s.users_key(), "gone@example.com").unwrap();
    let listed: Vec<String> = s
        .list()
        .unwrap()
        .into_iter()
        .map(|t| t.user.unwrap())
        .collect();
    assert_eq!(
        listed,
        [
            "user0@example.com",
            "user3@example.com",
            "user4@example.com"
        ]
    );
    let listing = s.list_checked().unwrap();
    assert_eq!(listing.tokens.len(), 3);
    let mut skipped: Vec<String> = listing
        .skipped
        .iter()
        .map(|e| e.message().to_string())
        .collect();
    skipped.sort();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped[0].contains(&s.user_key("user1@example.com")));
    assert!(skipped[1].contains(&s.user_key("user2@example.com")));
    let logged = std::fs::read_to_string(log.path().join("ZCRMClientLibrary.log")).unwrap();
    assert!(
        logged.contains(&s.user_key("user1@example.com")) && logged.contains("WARNING"),
        "{logged}"
    );
}

/// A value of ours for ADA with `field` set to the JSON `value`.
fn ours_with(field: &str, value: serde_json::Value) -> String {
    let mut json: serde_json::Value = serde_json::json!({
        "format": "zoho-oauth-tokens", "version": 1,
        "tokens": [{"user": ADA, "access_token": "1000.access.1",
                    "refresh_token": "1000.refresh.r", "expiry_time_ms": 4_000_000_000_000_i64}]
    });
    json["tokens"][0][field] = value;
    json.to_string()
}

#[test]
fn values_out_of_shape_are_clear_errors_and_never_overwritten() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let s = store(&url, &prefix);
    let mut con = raw(&url);
    let key = s.user_key(ADA);
    for (field, value) in [
        ("access_token", serde_json::json!("a".repeat(64 * 1024))),
        (
            "refresh_token",
            serde_json::json!("1000.r\r\nX-Injected: yes"),
        ),
        ("access_token", serde_json::json!("1000.a\u{0}b")),
        ("expiry_time_ms", serde_json::json!("tomorrow")),
        ("scope", serde_json::json!("ZohoCRM\u{1b}[31m")),
    ] {
        let planted = ours_with(field, value);
        let _: () = con.set(&key, &planted).unwrap();
        let e = s.get(ADA).unwrap_err();
        names(&e, &key);
        assert!(e.message().contains(ADA), "names the user: {e}");
        assert!(!e.to_string().contains("X-Injected"), "{e}");
        names(&s.save(&tokens(ADA, 2)).unwrap_err(), &key);
        let left: String = con.get(&key).unwrap();
        assert_eq!(left, planted, "{field}: left as it was");
    }
    // Tokens that could not be read back are refused before anything is written.
    let _: () = con.del(&key).unwrap();
    let mut huge = tokens(ADA, 1);
    huge.access_token = Secret::new("a".repeat(64 * 1024));
    let e = s.save(&huge).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidArgument, "{e}");
    assert!(!con.exists::<_, bool>(&key).unwrap());
}
