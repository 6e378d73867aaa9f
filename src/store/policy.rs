//! The policies every door follows when it changes a user's entry by hand (not through a
//! refresh): the change runs under that user's refresh lock ([`TokenStore::lock_user`]), so
//! no refresh of the user, in any process or on any host sharing the store, runs at the
//! same time and saves over it. The CLI (`migrate`) and the PHP door (the SDK's persistence
//! classes, the bridge) call these instead of taking the lock themselves.

use std::time::Duration;

use super::TokenStore;
use crate::error::Result;
use crate::token::Tokens;

/// Runs `change` while holding `user`'s lock in `store`, waiting at most `wait` for it (then
/// an [`crate::ErrorKind::LockTimeout`] error and nothing runs).
pub fn with_user_locked<T>(
    store: &dyn TokenStore,
    user: &str,
    wait: Duration,
    change: impl FnOnce() -> Result<T>,
) -> Result<T> {
    let _lock = store.lock_user(user, wait)?;
    change()
}

/// Saves `tokens` (replacing their user's entry) under the user's lock.
pub fn save_locked(store: &dyn TokenStore, tokens: &Tokens, wait: Duration) -> Result<()> {
    with_user_locked(store, tokens.user_or_empty(), wait, || store.save(tokens))
}

/// Saves `tokens` under the user's lock only when the user has no entry (as
/// [`TokenStore::get`] finds one); whether they were written.
pub fn save_if_absent(store: &dyn TokenStore, tokens: &Tokens, wait: Duration) -> Result<bool> {
    let user = tokens.user_or_empty();
    with_user_locked(store, user, wait, || {
        if store.get(user)?.is_some() {
            return Ok(false);
        }
        store.save(tokens)?;
        Ok(true)
    })
}

/// Deletes `user`'s entry under the user's lock; whether there was one.
pub fn delete_locked(store: &dyn TokenStore, user: &str, wait: Duration) -> Result<bool> {
    with_user_locked(store, user, wait, || store.delete(user))
}

/// Copies `entries` (read from `source`) into `target` user by user, each under that
/// user's lock in both stores (the source's first), re-reading the entry from `source`
/// under the locks so a refresh that ran meanwhile is copied, not undone. An entry without
/// a user, or one gone from `source` meanwhile, is copied as listed. Returns what was
/// written, in order; the first failure stops the copy (entries before it stay written).
pub fn copy_all(
    source: &dyn TokenStore,
    target: &dyn TokenStore,
    entries: &[Tokens],
    wait: Duration,
) -> Result<Vec<Tokens>> {
    let mut copied = Vec::with_capacity(entries.len());
    for entry in entries {
        let user = entry.user_or_empty();
        let _source_lock = source.lock_user(user, wait)?;
        let current = with_user_locked(target, user, wait, || {
            let current = match user {
                "" => entry.clone(),
                _ => source.get(user)?.unwrap_or_else(|| entry.clone()),
            };
            target.save(&current)?;
            Ok(current)
        })?;
        copied.push(current);
    }
    Ok(copied)
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::error::ErrorKind;
    use crate::secret::Secret;
    use crate::store::{LockGuard, MemoryStore};

    /// A memory store with user locks of its own (the default lock is per process), that
    /// records for each write whether the user's lock was held.
    #[derive(Default)]
    struct Locking {
        inner: MemoryStore,
        held: Arc<Mutex<HashSet<String>>>,
        writes_locked: Mutex<Vec<bool>>,
    }

    struct Held(Arc<Mutex<HashSet<String>>>, String);

    impl Drop for Held {
        fn drop(&mut self) {
            self.0.lock().expect("held").remove(&self.1);
        }
    }

    impl Locking {
        fn record(&self, user: &str) {
            let locked = self.held.lock().expect("held").contains(user);
            self.writes_locked.lock().expect("writes").push(locked);
        }

        fn writes(&self) -> Vec<bool> {
            self.writes_locked.lock().expect("writes").clone()
        }
    }

    impl TokenStore for Locking {
        fn get(&self, user: &str) -> Result<Option<Tokens>> {
            self.inner.get(user)
        }
        fn save(&self, tokens: &Tokens) -> Result<()> {
            self.record(tokens.user_or_empty());
            self.inner.save(tokens)
        }
        fn delete(&self, user: &str) -> Result<bool> {
            self.record(user);
            self.inner.delete(user)
        }
        fn list(&self) -> Result<Vec<Tokens>> {
            self.inner.list()
        }
        fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
            if !self.held.lock().expect("held").insert(user.to_string()) {
                return Err(crate::store::wait::lock_timeout("test", user, wait));
            }
            Ok(Box::new(Held(Arc::clone(&self.held), user.to_string())))
        }
        fn describe(&self) -> String {
            "test".into()
        }
    }

    fn tokens(user: &str, access: &str) -> Tokens {
        Tokens::new(Some(user.into()), Secret::new(access), None, 1)
    }

    const WAIT: Duration = Duration::ZERO;

    #[test]
    fn each_change_runs_under_the_users_lock_and_not_without_it() {
        let store = Locking::default();
        save_locked(&store, &tokens("ada", "a1"), WAIT).expect("save");
        assert!(delete_locked(&store, "ada", WAIT).expect("delete"));
        assert!(save_if_absent(&store, &tokens("ada", "a2"), WAIT).expect("save"));
        assert_eq!(
            store.writes(),
            [true, true, true],
            "every write held the lock"
        );

        let held = store.lock_user("ada", WAIT).expect("lock");
        for refused in [
            save_locked(&store, &tokens("ada", "a3"), WAIT).err(),
            delete_locked(&store, "ada", WAIT).err(),
            save_if_absent(&store, &tokens("ada", "a3"), WAIT).err(),
        ] {
            let e = refused.expect("the lock is held");
            assert_eq!(e.kind(), ErrorKind::LockTimeout, "{e}");
        }
        drop(held);
        assert_eq!(
            store.writes().len(),
            3,
            "nothing was written without the lock"
        );
        let kept = store.get("ada").expect("get").expect("entry");
        assert_eq!(kept.access_token.expose(), "a2");
    }

    #[test]
    fn save_if_absent_never_replaces_an_entry() {
        let store = Locking::default();
        assert!(save_if_absent(&store, &tokens("ada", "first"), WAIT).expect("save"));
        assert!(!save_if_absent(&store, &tokens("ada", "second"), WAIT).expect("save"));
        let kept = store.get("ada").expect("get").expect("entry");
        assert_eq!(kept.access_token.expose(), "first");
    }

    #[test]
    fn copy_all_copies_what_the_source_holds_under_both_locks() {
        let (source, target) = (Locking::default(), Locking::default());
        let listed = [tokens("ada", "old"), tokens("bob", "b")];
        // A refresh after the listing: the copy takes the source's current entry.
        source.save(&tokens("ada", "refreshed")).expect("save");
        source.save(&listed[1]).expect("save");
        let copied = copy_all(&source, &target, &listed, WAIT).expect("copy");
        let access: Vec<_> = copied.iter().map(|t| t.access_token.expose()).collect();
        assert_eq!(access, ["refreshed", "b"]);
        assert_eq!(target.list().expect("list"), copied);
        assert_eq!(target.writes(), [true, true]);

        let other = Locking::default();
        for (locked, store) in [(&source, "source"), (&other, "target")] {
            let held = locked.lock_user("ada", WAIT).expect("lock");
            let e = copy_all(&source, &other, &listed, WAIT).expect_err(store);
            assert_eq!(e.kind(), ErrorKind::LockTimeout, "{store}: {e}");
            drop(held);
        }
        assert!(other.list().expect("list").is_empty(), "nothing was copied");
    }
}
