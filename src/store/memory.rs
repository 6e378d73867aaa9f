//! An in-memory token store, for tests and for callers who persist tokens elsewhere.

use std::collections::HashMap;
use std::sync::{Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use super::{Fingerprint, LockGuard, TokenStore, find_user, remove_entry, replace_entry};
use crate::error::{Error, Result};
use crate::process_owned::ProcessOwned;
use crate::token::Tokens;

/// Tokens kept in this process's memory only.
#[derive(Default)]
pub struct MemoryStore {
    state: Mutex<(u64, Vec<Tokens>)>,
    /// Each user's refresh history, encoded.
    histories: Mutex<HashMap<String, String>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    fn with_state<T>(&self, f: impl FnOnce(&mut (u64, Vec<Tokens>)) -> T) -> Result<T> {
        let mut guard = self
            .state
            .lock()
            .map_err(|_| Error::internal("the memory store's lock was poisoned by a panic"))?;
        Ok(f(&mut guard))
    }
}

impl TokenStore for MemoryStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        self.with_state(|(_, entries)| find_user(entries, user).map(|i| entries[i].clone()))
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        self.with_state(|(generation, entries)| {
            replace_entry(entries, tokens);
            *generation += 1;
        })
    }

    fn delete(&self, user: &str) -> Result<bool> {
        self.with_state(|(generation, entries)| {
            *generation += 1;
            remove_entry(entries, user)
        })
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        self.with_state(|(_, entries)| entries.clone())
    }

    fn fingerprint(&self) -> Option<Fingerprint> {
        let address = self as *const Self as u64;
        self.with_state(|(generation, _)| Fingerprint([address, *generation, 0, 0]))
            .ok()
    }

    fn read_history(&self, user: &str) -> Result<Option<String>> {
        let histories = self.histories.lock().map_err(|_| poisoned())?;
        Ok(histories.get(user).cloned())
    }

    fn write_history(&self, user: &str, encoded: &str) -> Result<()> {
        let mut histories = self.histories.lock().map_err(|_| poisoned())?;
        histories.insert(user.to_string(), encoded.to_string());
        Ok(())
    }

    fn describe(&self) -> String {
        "memory".to_string()
    }
}

/// Users whose refresh is in progress, with the process id of the holder, and a condition
/// to wait on. An entry of another process id was inherited through `fork()` from a thread
/// that does not exist in this process: it is free.
type Busy = (Mutex<HashMap<String, ProcessOwned<()>>>, Condvar);

fn busy_users() -> &'static Busy {
    static BUSY: OnceLock<Busy> = OnceLock::new();
    BUSY.get_or_init(|| (Mutex::new(HashMap::new()), Condvar::new()))
}

/// Releases a user's in-process lock when dropped.
struct InProcessLock {
    user: String,
}

impl Drop for InProcessLock {
    fn drop(&mut self) {
        let (lock, cond) = busy_users();
        if let Ok(mut map) = lock.lock() {
            map.remove(&self.user);
            cond.notify_all();
        }
    }
}

/// Serializes work on one user within this process (not across processes), waiting at most
/// `wait` for another thread to finish.
pub(super) fn lock_in_process(user: &str, wait: Duration) -> Result<LockGuard> {
    let (lock, cond) = busy_users();
    let deadline = Instant::now().checked_add(wait);
    let mut map = lock.lock().map_err(|_| poisoned())?;
    while map.get(user).is_some_and(ProcessOwned::is_ours) {
        let left = match deadline {
            Some(deadline) => deadline.saturating_duration_since(Instant::now()),
            None => wait,
        };
        if left.is_zero() {
            return Err(super::wait::lock_timeout("this process", user, wait));
        }
        map = cond.wait_timeout(map, left).map_err(|_| poisoned())?.0;
    }
    map.insert(user.to_string(), ProcessOwned::new(()));
    let guard: LockGuard = Box::new(InProcessLock {
        user: user.to_string(),
    });
    Ok(guard)
}

fn poisoned() -> Error {
    Error::internal("the in-process user lock was poisoned by a panic")
}
