//! A refresh never undoes a consent or a delete, and a late refresh never replaces a newer
//! one: `save_refreshed` is one Lua script that checks the stored refresh token and expiry
//! and writes, atomic against every other writer. Two stores (two connections, as two
//! hosts) race at the store level. Needs `eval "$(scripts/redis.sh start DIR)"`.
#![cfg(feature = "redis")] // the Redis store (cargo feature `redis`)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
mod support;

use std::sync::{Arc, Barrier};
use std::time::Duration;

use support::{raw, settings, store, unique_prefix};
use zoho_oauth::store::RefreshSave;
use zoho_oauth::store::redis::RedisStore;
use zoho_oauth::{Secret, TokenStore, Tokens};

const USER: &str = "ada@example.com";

/// Tokens of USER with `access`, `refresh` and an expiry `expiry` ms from a fixed point.
fn t(access: &str, refresh: &str, expiry: i64) -> Tokens {
    Tokens::new(
        Some(USER.into()),
        Secret::new(access),
        Some(Secret::new(refresh)),
        4_000_000_000_000 + expiry,
    )
}

fn rt(value: &str) -> Secret {
    Secret::new(value)
}

#[test]
fn a_consent_during_a_refresh_keeps_the_new_refresh_token() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let (refresher, granter) = (store(&url, &prefix), store(&url, &prefix));
    refresher.save(&t("1000.at1", "1000.rt1", 0)).unwrap();
    let _lock = refresher.lock_user(USER, Duration::from_secs(1)).unwrap();
    let read = refresher.get(USER).unwrap().unwrap();
    // Another host exchanges a new grant (a re-consent adding a scope) meanwhile.
    let consent = t("1000.at-grant", "1000.rt2", 3_600_000);
    granter.save(&consent).unwrap();
    let refreshed = t("1000.at-refresh", "1000.rt1", 3_600_500);
    let used = read.refresh_token.unwrap();
    assert_eq!(
        refresher.save_refreshed(&refreshed, &used).unwrap(),
        RefreshSave::Superseded
    );
    assert_eq!(granter.get(USER).unwrap(), Some(consent));
}

#[test]
fn a_delete_during_a_refresh_is_not_undone() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let (refresher, deleter) = (store(&url, &prefix), store(&url, &prefix));
    refresher.save(&t("1000.at1", "1000.rt1", 0)).unwrap();
    let read = refresher.get(USER).unwrap().unwrap();
    assert!(deleter.delete(USER).unwrap());
    assert_eq!(
        refresher
            .save_refreshed(&t("1000.at2", "1000.rt1", 10), &read.refresh_token.unwrap())
            .unwrap(),
        RefreshSave::Superseded
    );
    assert_eq!(deleter.get(USER).unwrap(), None);
    assert_eq!(deleter.list().unwrap(), vec![]);
    let members: Vec<String> = redis::cmd("SMEMBERS")
        .arg(deleter.users_key())
        .query(&mut raw(&url))
        .unwrap();
    assert!(members.is_empty(), "not indexed again: {members:?}");
}

#[test]
fn a_late_holder_keeps_its_reply_only_while_it_is_the_newest() {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let mut short = settings(&url, &prefix);
    short.lease = Duration::from_millis(200);
    let late = RedisStore::with_settings(short).unwrap();
    let other = store(&url, &prefix);
    let used = rt("1000.rt1");
    late.save(&t("1000.at1", "1000.rt1", 0)).unwrap();
    let _stale_lock = late.lock_user(USER, Duration::from_secs(1)).unwrap();
    std::thread::sleep(Duration::from_millis(400)); // the lease runs out mid-refresh
    // Nobody refreshed meanwhile: the late reply is the newest and is kept.
    let first = t("1000.at-late", "1000.rt1", 1_000);
    assert_eq!(
        late.save_refreshed(&first, &used).unwrap(),
        RefreshSave::Saved
    );
    assert_eq!(other.get(USER).unwrap(), Some(first.clone()));
    // Another host refreshed after it (a later expiry): a later late reply that is older
    // than that is not kept.
    let _next = other.lock_user(USER, Duration::from_secs(1)).unwrap();
    let newer = t("1000.at-next", "1000.rt1", 3_000);
    assert_eq!(
        other.save_refreshed(&newer, &used).unwrap(),
        RefreshSave::Saved
    );
    let older = t("1000.at-late2", "1000.rt1", 2_000);
    assert_eq!(
        late.save_refreshed(&older, &used).unwrap(),
        RefreshSave::Newer
    );
    assert_eq!(other.get(USER).unwrap(), Some(newer.clone()));
    // A late reply that expires after the stored one is the newest: kept.
    let newest = t("1000.at-late3", "1000.rt1", 4_000);
    assert_eq!(
        late.save_refreshed(&newest, &used).unwrap(),
        RefreshSave::Saved
    );
    assert_eq!(other.get(USER).unwrap(), Some(newest.clone()));
    // The same save again (a retried request) is a save, not "newer".
    assert_eq!(
        late.save_refreshed(&newest, &used).unwrap(),
        RefreshSave::Saved
    );
}

/// `rounds` rounds of one refresh save against one `other` change (a consent or a
/// delete), started together from two threads with two connections; `check` sees each
/// round's outcome and the stored entry.
fn race(
    rounds: usize,
    other: impl Fn(&RedisStore) + Send + Sync + 'static,
    check: impl Fn(RefreshSave, Option<Tokens>),
) {
    let Some(url) = support::url() else { return };
    let prefix = unique_prefix();
    let refresher = Arc::new(store(&url, &prefix));
    let changer = Arc::new(store(&url, &prefix));
    let other = Arc::new(other);
    for round in 0..rounds {
        refresher.save(&t("1000.at1", "1000.rt1", 0)).unwrap();
        let start = Arc::new(Barrier::new(2));
        let thread = {
            let (changer, other, start) = (changer.clone(), other.clone(), start.clone());
            std::thread::spawn(move || {
                start.wait();
                // Spread the change over the refresher's read and write.
                std::thread::sleep(Duration::from_micros((round % 8) as u64 * 40));
                other(&changer);
            })
        };
        start.wait();
        let outcome = refresher
            .save_refreshed(&t("1000.at-refresh", "1000.rt1", 10), &rt("1000.rt1"))
            .unwrap();
        thread.join().unwrap();
        check(outcome, refresher.get(USER).unwrap());
    }
}

#[test]
fn racing_consents_always_win_over_refreshes() {
    let consent = t("1000.at-grant", "1000.rt2", 3_600_000);
    let expected = consent.clone();
    race(
        300,
        move |s| s.save(&consent).unwrap(),
        |outcome, stored| {
            assert_eq!(stored.as_ref(), Some(&expected), "{outcome:?}");
        },
    );
}

#[test]
fn racing_deletes_always_win_over_refreshes() {
    race(
        300,
        |s| assert!(s.delete(USER).unwrap()),
        |outcome, stored| assert_eq!(stored, None, "{outcome:?}"),
    );
}
