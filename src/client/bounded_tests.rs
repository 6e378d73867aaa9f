//! The fleet cache bound (`store_recheck`) and bounded lock waits, against a store that
//! counts its reads and can be made to fail. No request reaches an accounts server: every
//! case is decided before one would be sent (the accounts URL is a closed loopback port).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use super::OAuthClient;
use crate::clock::system_now_ms;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::store::{LockGuard, MemoryStore, TokenStore};
use crate::token::Tokens;

/// A memory store that counts `get` calls and fails them while `down` is set.
#[derive(Default)]
struct CountingStore {
    inner: MemoryStore,
    gets: AtomicUsize,
    down: AtomicBool,
}

impl TokenStore for CountingStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        self.gets.fetch_add(1, Ordering::SeqCst);
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
fn a_lock_held_too_long_serves_a_still_valid_token_after_the_bound() {
    let store = Arc::new(CountingStore::default());
    // Inside the 60 s refresh margin but still valid for 30 s.
    store
        .save(&tokens("ada@example.com", "1000.old", 30_000))
        .expect("save");
    let c = client(&store, 0, 300);
    let held = store
        .lock_user("ada@example.com", Duration::from_secs(1))
        .expect("lock");
    let started = Instant::now();
    let token = thread::scope(|s| s.spawn(|| c.get_access_token("ada@example.com")).join());
    let waited = started.elapsed();
    drop(held);
    let token = token.expect("no panic").expect("old token served");
    assert_eq!(token.expose(), "1000.old");
    assert!(
        waited >= Duration::from_millis(300) && waited < Duration::from_secs(5),
        "{waited:?}"
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
