//! The fleet cache bound (`store_recheck`), bounded lock waits, stale-while-revalidate and
//! the back-off from a stalled store, against a store that counts its reads and lock
//! attempts and can be made to fail or stall. No request reaches an accounts server: every
//! case is decided before one would be sent (the accounts URL is a closed loopback port).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::OAuthClient;
use crate::clock::system_now_ms;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::store::{LockGuard, MemoryStore, TokenStore};
use crate::token::Tokens;

/// A memory store that counts `get` calls and lock attempts, fails reads while `down` is
/// set, and answers each read only after `stall_ms` (a paused server, a locked table).
#[derive(Default)]
struct CountingStore {
    inner: MemoryStore,
    gets: AtomicUsize,
    locks: AtomicUsize,
    down: AtomicBool,
    stall_ms: AtomicU64,
}

impl TokenStore for CountingStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
        thread::sleep(Duration::from_millis(self.stall_ms.load(Ordering::SeqCst)));
        if self.down.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorKind::StoreUnavailable, "the store is down"));
        }
        self.inner.get(user)
    }
    fn save(&self, tokens: &Tokens) -> Result<()> {
        self.inner.save(tokens)
    }
    fn delete(&self, user: &str) -> Result<bool> {
        self.inner.delete(user)
    }
    fn list(&self) -> Result<Vec<Tokens>> {
        self.inner.list()
    }
    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        self.locks.fetch_add(1, Ordering::SeqCst);
        self.inner.lock_user(user, wait)
    }
    fn describe(&self) -> String {
        "counting".to_string()
    }
}

fn tokens(user: &str, access: &str, expires_in_ms: i64) -> Tokens {
    Tokens::new(
        Some(user.into()),
        Secret::new(access),
        Some(Secret::new("1000.refresh")),
        system_now_ms() + expires_in_ms,
    )
}

/// A client on `store` whose accounts server is a loopback port nobody listens on.
fn client(store: &Arc<CountingStore>, recheck_ms: u64, lock_wait_ms: u64) -> OAuthClient {
    let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_store_recheck(Duration::from_millis(recheck_ms))
        .with_lock_timeout(Duration::from_millis(lock_wait_ms));
    let store: Arc<dyn TokenStore> = store.clone();
    OAuthClient::new(config, store).expect("client")
}

#[test]
fn a_cached_token_is_served_from_memory_within_the_recheck_bound_and_reread_after_it() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.first", 3_600_000))
        .expect("save");
    let c = client(&store, 300, 1000);
    assert_eq!(
        c.get_access_token("ada@example.com")
            .expect("token")
            .expose(),
        "1000.first"
    );
    assert_eq!(store.gets.load(Ordering::SeqCst), 1);
    // Another machine replaces the token: inside the bound the cached one is still served.
    store
        .save(&tokens("ada@example.com", "1000.second", 3_600_000))
        .expect("save");
    for _ in 0..100 {
        assert_eq!(
            c.get_access_token("ada@example.com")
                .expect("token")
                .expose(),
            "1000.first"
        );
    }
    assert_eq!(
        store.gets.load(Ordering::SeqCst),
        1,
        "no store read inside the bound"
    );
    thread::sleep(Duration::from_millis(350));
    assert_eq!(
        c.get_access_token("ada@example.com")
            .expect("token")
            .expose(),
        "1000.second"
    );
    assert_eq!(store.gets.load(Ordering::SeqCst), 2);
}

#[test]
fn a_token_deleted_elsewhere_stops_being_served_after_the_bound() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.first", 3_600_000))
        .expect("save");
    let c = client(&store, 200, 1000);
    c.get_access_token("ada@example.com").expect("token");
    store.delete("ada@example.com").expect("delete");
    thread::sleep(Duration::from_millis(250));
    let e = c.get_access_token("ada@example.com").expect_err("deleted");
    assert_eq!(e.kind(), ErrorKind::NoTokens);
}

#[test]
fn recheck_zero_reads_the_store_on_every_call_without_a_fingerprint() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.first", 3_600_000))
        .expect("save");
    let c = client(&store, 0, 1000);
    for _ in 0..5 {
        c.get_access_token("ada@example.com").expect("token");
    }
    assert_eq!(store.gets.load(Ordering::SeqCst), 5);
}

#[test]
fn a_still_valid_token_is_served_at_once_while_another_refreshes_and_the_lock_is_not_retried_per_call()
 {
    let store = Arc::new(CountingStore::default());
    // Inside the 60 s refresh margin but still valid for 30 s.
    store
        .save(&tokens("busy@example.com", "1000.old", 30_000))
        .expect("save");
    let clock = Arc::new(crate::clock::OffsetClock::new());
    // Waiting would take 5 s: nobody with a working token may wait for another's refresh.
    let c = client(&store, 0, 5_000).with_clock(clock.clone());
    let held = store
        .lock_user("busy@example.com", Duration::from_secs(1))
        .expect("lock");
    let before = store.locks.load(Ordering::SeqCst);
    let started = Instant::now();
    for _ in 0..50 {
        let token = c.get_access_token("busy@example.com").expect("served");
        assert_eq!(token.expose(), "1000.old");
    }
    assert!(started.elapsed() < Duration::from_secs(4), "nobody waited");
    assert_eq!(
        store.locks.load(Ordering::SeqCst) - before,
        1,
        "one try of the lock, then a pause"
    );
    // After the pause, the lock is tried again (once), still without waiting.
    clock.advance_ms(super::pauses::BUSY_REFRESH_PAUSE_MS + 1);
    assert_eq!(
        c.get_access_token("busy@example.com")
            .expect("served")
            .expose(),
        "1000.old"
    );
    assert_eq!(store.locks.load(Ordering::SeqCst) - before, 2);
    drop(held);
}

#[test]
fn a_stalled_store_costs_one_bounded_call_per_interval_not_one_per_call() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("stalled@example.com", "1000.cached", 3_600_000))
        .expect("save");
    let clock = Arc::new(crate::clock::OffsetClock::new());
    let c = client(&store, 20, 1000).with_clock(clock.clone());
    c.get_access_token("stalled@example.com").expect("cached");
    // The store stalls for 300 ms per call, then fails (its call bound).
    store.stall_ms.store(300, Ordering::SeqCst);
    store.down.store(true, Ordering::SeqCst);
    let gets = || store.gets.load(Ordering::SeqCst);
    let before = gets();
    for _ in 0..20 {
        thread::sleep(Duration::from_millis(30)); // past store_recheck_ms every time
        let token = c.get_access_token("stalled@example.com").expect("served");
        assert_eq!(token.expose(), "1000.cached");
    }
    assert_eq!(gets() - before, 1, "one stalled call, then a back-off");
    // After the back-off interval, the store is asked again: one call.
    clock.advance_ms(super::pauses::STORE_RETRY_AFTER_MS);
    c.get_access_token("stalled@example.com").expect("served");
    assert_eq!(gets() - before, 2);
    // The store answers again: its tokens are used, and the next re-check asks it.
    store.stall_ms.store(0, Ordering::SeqCst);
    store.down.store(false, Ordering::SeqCst);
    store
        .save(&tokens("stalled@example.com", "1000.new", 3_600_000))
        .expect("save");
    clock.advance_ms(super::pauses::STORE_RETRY_AFTER_MS);
    thread::sleep(Duration::from_millis(30));
    assert_eq!(
        c.get_access_token("stalled@example.com")
            .expect("read")
            .expose(),
        "1000.new"
    );
}

#[test]
fn a_stalled_store_costs_a_caller_with_a_working_token_one_call_bound_at_most() {
    let store = Arc::new(CountingStore::default());
    // Inside the margin: a call re-reads the store and would try to refresh.
    store
        .save(&tokens("working@example.com", "1000.stale", 30_000))
        .expect("save");
    let c = client(&store, 0, 1000);
    c.get_access_token("working@example.com").expect("read");
    store.stall_ms.store(300, Ordering::SeqCst);
    store.down.store(true, Ordering::SeqCst);
    let (gets, locks) = (
        store.gets.load(Ordering::SeqCst),
        store.locks.load(Ordering::SeqCst),
    );
    let token = c.get_access_token("working@example.com").expect("served");
    assert_eq!(token.expose(), "1000.stale");
    assert_eq!(
        store.gets.load(Ordering::SeqCst) - gets,
        1,
        "one store call"
    );
    assert_eq!(
        store.locks.load(Ordering::SeqCst),
        locks,
        "no lock tried behind a stalled store"
    );
}

#[test]
fn a_lock_held_too_long_with_an_expired_token_is_a_lock_timeout() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.old", -1000))
        .expect("save");
    let c = client(&store, 0, 200);
    let held = store
        .lock_user("ada@example.com", Duration::from_secs(1))
        .expect("lock");
    let result = thread::scope(|s| s.spawn(|| c.get_access_token("ada@example.com")).join());
    drop(held);
    let e = result.expect("no panic").expect_err("timeout");
    assert_eq!(e.kind(), ErrorKind::LockTimeout);
    assert!(e.message().contains("ada@example.com"), "{}", e.message());
}

#[test]
fn a_store_that_goes_down_during_a_refresh_serves_a_still_valid_token() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.old", 30_000))
        .expect("save");
    let c = client(&store, 0, 1000);
    // The first read succeeds (the token is stale), the re-read under the lock fails.
    let first = c.load("ada@example.com", None, None).expect("load");
    store.down.store(true, Ordering::SeqCst);
    let token = c
        .refresh_stored("ada@example.com", first, super::refresh::Trigger::Stale)
        .expect("old token served");
    assert_eq!(token.access_token.expose(), "1000.old");
    // A forced refresh never hides the failure.
    let e = c.refresh_user("ada@example.com").expect_err("store down");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
}

#[test]
fn the_file_store_lock_wait_is_bounded_too() {
    let dir = tempfile::tempdir().expect("dir");
    let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_token_persistence_path(dir.path())
        .with_lock_timeout(Duration::from_millis(250));
    let c = OAuthClient::from_config(config).expect("client");
    c.store()
        .save(&tokens("ada@example.com", "1000.old", -1000))
        .expect("save");
    // Another holder of the same lock file (a separate open file description, as another
    // process would have).
    let other = crate::store::FileStore::new(
        dir.path().join(crate::config::SDK_TOKEN_FILE_NAME),
        crate::config::StoreFormat::PhpSdk,
    )
    .expect("store");
    let held = other
        .lock_user("ada@example.com", Duration::from_secs(1))
        .expect("lock");
    let started = Instant::now();
    let e = c.get_access_token("ada@example.com").expect_err("timeout");
    let waited = started.elapsed();
    drop(held);
    assert_eq!(e.kind(), ErrorKind::LockTimeout);
    assert!(
        waited >= Duration::from_millis(250) && waited < Duration::from_secs(5),
        "{waited:?}"
    );
}

#[test]
fn a_store_outage_at_the_recheck_serves_the_cached_token_while_it_works() {
    let store = Arc::new(CountingStore::default());
    store
        .save(&tokens("ada@example.com", "1000.cached", 3_600_000))
        .expect("save");
    store
        .save(&tokens("bob@example.com", "1000.bob", -1000))
        .expect("save");
    let c = client(&store, 100, 1000);
    c.get_access_token("ada@example.com").expect("token");
    store.down.store(true, Ordering::SeqCst);
    thread::sleep(Duration::from_millis(150));
    // Past the bound, the store is asked, fails transiently: the cached token still works.
    let token = c
        .get_access_token("ada@example.com")
        .expect("served from the cache");
    assert_eq!(token.expose(), "1000.cached");
    assert!(
        store.gets.load(Ordering::SeqCst) >= 2,
        "the store was asked"
    );
    // A user with nothing cached gets the error.
    let e = c
        .get_access_token("carol@example.com")
        .expect_err("nothing cached");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
    // An expired cached token is never served.
    thread::sleep(Duration::from_millis(1600));
    let e = c.get_access_token("bob@example.com").expect_err("expired");
    assert_eq!(e.kind(), ErrorKind::StoreUnavailable);
}
