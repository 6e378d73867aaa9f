//! Where tokens live: the [`TokenStore`] trait, a file store in the SDK's or our JSON format,
//! and an in-memory store.

mod built_in;
mod defaults;
mod entry;
mod file;
#[allow(unsafe_code)] // libc: fcntl byte-range locks
mod file_locks;
#[allow(unsafe_code)] // libc: the shared change counter (mmap)
mod generation;
#[allow(unsafe_code)] // libc: fork handlers (pthread_atfork)
mod held_locks;
mod history_file;
pub mod json_format;
mod lock_state;
mod memory;
pub mod migrate;
#[cfg(feature = "mysql")]
pub mod mysql;
mod open;
pub mod php_format;
pub mod policy;
mod private_file;
#[cfg(feature = "redis")]
pub mod redis;
pub mod sdk_csv;
pub mod seal;
#[allow(unsafe_code)] // libc: owner and mode checks (geteuid, getpwuid_r)
mod strict;
#[allow(unsafe_code)] // libc: faccessat, geteuid
mod token_file;
pub mod values;
pub(crate) mod wait;

use std::sync::Arc;
use std::time::Duration;

pub use built_in::BuiltInStore;
pub use defaults::{BuiltIn, StoreDefaults};
pub use entry::StoreClass;
pub use file::FileStore;
pub use lock_state::LockState;
pub use memory::MemoryStore;
#[cfg(feature = "mysql")]
pub use mysql::MysqlStore;
pub use open::{open, open_sealed, open_unsealed};
#[cfg(feature = "redis")]
pub use redis::RedisStore;
pub use sdk_csv::SdkCsvStore;

use crate::error::Result;
use crate::secret::Secret;
use crate::token::Tokens;

/// The longest encoded refresh history ([`crate::history`]) a store is asked to keep, or one
/// read is accepted from (`crate::history::MAX_ENCODED_LEN`).
pub const MAX_HISTORY_LEN: usize = 2048;

/// A cheap value that changes whenever a store's contents may have changed. Equal
/// fingerprints mean "nothing was written in between", so cached tokens are still current.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u64; 4]);

impl Fingerprint {
    /// The fingerprint of the file at `path` (device and inode, size, modification and
    /// change times to the nanosecond); a missing file has one of its own. A store file
    /// rewritten by anyone (a rename over it included) gets a new one.
    pub fn of_file(path: &std::path::Path) -> Result<Fingerprint> {
        use std::os::unix::fs::MetadataExt;
        let nanos = |secs: i64, nsec: i64| {
            (secs as u64)
                .wrapping_mul(1_000_000_000)
                .wrapping_add(nsec as u64)
        };
        match std::fs::metadata(path) {
            Ok(m) => Ok(Fingerprint([
                m.ino() ^ m.dev().rotate_left(32),
                m.size(),
                nanos(m.mtime(), m.mtime_nsec()),
                nanos(m.ctime(), m.ctime_nsec()),
            ])),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                Ok(Fingerprint([u64::MAX, 0, 0, 0]))
            }
            Err(e) => Err(crate::error::Error::store_io("read", path, &e)),
        }
    }
}

/// A held lock; dropping it releases the lock.
pub type LockGuard = Box<dyn Send>;

/// What [`TokenStore::save_refreshed`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefreshSave {
    /// The refreshed tokens replaced the entry.
    Saved,
    /// Nothing was written: the entry no longer holds the refresh token the refresh used (a
    /// new consent saved another one while the refresh ran), or it is gone (deleted).
    Superseded,
    /// Nothing was written: the entry holds the same refresh token with an access token that
    /// expires no earlier than the refreshed one (another holder refreshed later).
    Newer,
}

impl RefreshSave {
    /// What a conditional save of `fresh` (refreshed with `used_refresh`) does to `stored`,
    /// the entry under exactly `fresh.user` (`None`: no entry).
    pub fn decide(stored: Option<&Tokens>, fresh: &Tokens, used_refresh: &Secret) -> RefreshSave {
        match stored {
            None => RefreshSave::Superseded,
            Some(stored) if stored.refresh_token.as_ref() != Some(used_refresh) => {
                RefreshSave::Superseded
            }
            Some(stored)
                if stored.access_token != fresh.access_token
                    && stored.expiry_time_ms >= fresh.expiry_time_ms =>
            {
                RefreshSave::Newer
            }
            Some(_) => RefreshSave::Saved,
        }
    }
}

/// Storage for users' tokens. Implementations must be safe to share between threads.
///
/// A store finds a user by exact identifier first and, when there is none, by a
/// case-insensitive match for identifiers that contain `@` (see [`find_user`]).
pub trait TokenStore: Send + Sync {
    /// The tokens stored for `user`, or `None`.
    fn get(&self, user: &str) -> Result<Option<Tokens>>;

    /// Saves tokens under `tokens.user`, replacing that user's entry (exact identifier).
    fn save(&self, tokens: &Tokens) -> Result<()>;

    /// Saves `fresh`, which a refresh obtained with `used_refresh`, only if the entry stored
    /// under exactly `fresh.user` still holds `used_refresh` and expires earlier than `fresh`
    /// ([`RefreshSave::decide`]): a refresh that ran while a new consent or a delete happened
    /// never undoes it, and a late refresh never replaces a newer one. Built-in stores make
    /// the check and the write one step against every other writer (a transaction, a script,
    /// the file's write lock); this default reads, decides and saves, which is enough only
    /// while every writer of the store holds the user's lock ([`TokenStore::lock_user`]).
    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        // The entry `get` finds is `user`'s when it names exactly `user`, or names nobody (a
        // custom store may keep tokens without their user; they are the ones asked for).
        let stored = match fresh.user.as_deref() {
            Some(user) => self.get(user)?.filter(|stored| {
                stored
                    .user
                    .as_deref()
                    .is_none_or(|named| named.is_empty() || named == user)
            }),
            None => None,
        };
        let outcome = RefreshSave::decide(stored.as_ref(), fresh, used_refresh);
        if outcome == RefreshSave::Saved {
            self.save(fresh)?;
        }
        Ok(outcome)
    }

    /// Deletes `user`'s entry; returns whether there was one.
    fn delete(&self, user: &str) -> Result<bool>;

    /// Checks, before a grant token is spent, that a save into this store can work (the
    /// table exists, the directory can be written), so a configuration error never costs
    /// the user a consent. The default checks nothing.
    fn prepare(&self) -> Result<()> {
        Ok(())
    }

    /// Every stored entry, in store order.
    fn list(&self) -> Result<Vec<Tokens>>;

    /// Every stored entry, in store order, each read on its own: an entry that cannot be
    /// read (a sealed value whose key is not configured, or that was altered) is an
    /// [`UnreadableEntry`] naming its user, and the others are still given, so one bad
    /// value does not hide a whole store from `status`, `check`, `metrics` and `users`. An
    /// error of the store itself is the outer error. The default: [`TokenStore::list`], every
    /// entry read.
    fn list_each(&self) -> Result<Vec<ListedEntry>> {
        Ok(self.list()?.into_iter().map(Ok).collect())
    }

    /// A cheap change indicator, or `None` when the store cannot tell (callers then do not
    /// cache across calls).
    fn fingerprint(&self) -> Option<Fingerprint> {
        None
    }

    /// A counter that every change made through this library (in any process) increases,
    /// readable without a system call; `None` when the store has none (the default). While
    /// it is unchanged, cached tokens are current as far as this library's writers go.
    fn generation(&self) -> Option<u64> {
        None
    }

    /// What a client assumes about this store where its configuration says nothing (how
    /// long a cached token is served without asking it). The default,
    /// [`StoreDefaults::CUSTOM`], asks on every call (a custom store may change behind the
    /// library's back); every store [`open`] opens answers [`StoreDefaults::BUILT_IN`]
    /// (declared once, in [`BuiltIn`]).
    fn defaults(&self) -> StoreDefaults {
        StoreDefaults::CUSTOM
    }

    /// Takes a lock that serializes refreshes of one user's tokens, across processes (and
    /// machines) where the store can (the file, MySQL and Redis stores do), waiting at most
    /// `wait` for it; then an [`crate::ErrorKind::LockTimeout`] error (see
    /// `wait::lock_timeout`). A zero `wait` is one attempt that does not wait for a holder
    /// (still bounded by the store's own call bound). The default serializes within this
    /// process.
    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        memory::lock_in_process(user, wait)
    }

    /// When a refresh of `user` last failed transiently, as recorded by
    /// [`TokenStore::set_refresh_failed_at`] (epoch ms), where the store shares that across
    /// processes (the file store does). The default knows nothing.
    fn refresh_failed_at(&self, _user: &str) -> Option<i64> {
        None
    }

    /// Records (`Some`) or clears (`None`) the time of `user`'s last transient refresh
    /// failure; called while holding `user`'s lock. The default does nothing.
    fn set_refresh_failed_at(&self, _user: &str, _at_ms: Option<i64>) -> Result<()> {
        Ok(())
    }

    /// `user`'s refresh history as [`crate::history`] encodes it, kept beside the tokens
    /// (never in the SDKs' own formats); `None` when there is none. The default keeps none.
    fn read_history(&self, _user: &str) -> Result<Option<String>> {
        Ok(None)
    }

    /// Replaces `user`'s refresh history (at most [`crate::history::MAX_ENCODED_LEN`]
    /// bytes); called while holding `user`'s lock. The default keeps nothing.
    fn write_history(&self, _user: &str, _encoded: &str) -> Result<()> {
        Ok(())
    }

    /// Whether `user`'s refresh lock is held now, found without waiting for it. The default
    /// cannot tell.
    fn probe_lock(&self, _user: &str) -> Result<LockState> {
        Ok(LockState::Unknown)
    }

    /// A description for messages, e.g. the file path.
    fn describe(&self) -> String;
}

/// One entry of [`TokenStore::list_each`]: its tokens, or why they cannot be read.
pub type ListedEntry = std::result::Result<Tokens, UnreadableEntry>;

/// A stored entry that cannot be read: its user (as stored) and the error (which names the
/// user, the field and, for a sealed value, its key id; never a secret).
#[derive(Debug)]
pub struct UnreadableEntry {
    /// The entry's user identifier.
    pub user: String,
    /// Why it cannot be read (boxed: an entry that reads is the common case).
    pub error: Box<crate::error::Error>,
}

/// A wrapper whose [`TokenStore`] methods are its inner store's ([`Arc`], [`BuiltIn`]).
trait Forward {
    /// The store the methods go to.
    type Inner: TokenStore + ?Sized;
    /// That store.
    fn inner(&self) -> &Self::Inner;
}

impl<S: TokenStore + ?Sized> Forward for Arc<S> {
    type Inner = S;
    fn inner(&self) -> &S {
        self
    }
}

impl<S: TokenStore> Forward for BuiltIn<S> {
    type Inner = S;
    fn inner(&self) -> &S {
        &self.0
    }
}

/// Every [`TokenStore`] method but `defaults`, forwarded to [`Forward::inner`]: one list, so
/// a method added to the trait cannot be forgotten by one wrapper and not the other.
macro_rules! forward_token_store_methods {
    () => {
        fn get(&self, user: &str) -> Result<Option<Tokens>> {
            self.inner().get(user)
        }
        fn save(&self, tokens: &Tokens) -> Result<()> {
            self.inner().save(tokens)
        }
        fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
            self.inner().save_refreshed(fresh, used_refresh)
        }
        fn delete(&self, user: &str) -> Result<bool> {
            self.inner().delete(user)
        }
        fn prepare(&self) -> Result<()> {
            self.inner().prepare()
        }
        fn list(&self) -> Result<Vec<Tokens>> {
            self.inner().list()
        }
        fn list_each(&self) -> Result<Vec<ListedEntry>> {
            self.inner().list_each()
        }
        fn fingerprint(&self) -> Option<Fingerprint> {
            self.inner().fingerprint()
        }
        fn generation(&self) -> Option<u64> {
            self.inner().generation()
        }
        fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
            self.inner().lock_user(user, wait)
        }
        fn refresh_failed_at(&self, user: &str) -> Option<i64> {
            self.inner().refresh_failed_at(user)
        }
        fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
            self.inner().set_refresh_failed_at(user, at_ms)
        }
        fn read_history(&self, user: &str) -> Result<Option<String>> {
            self.inner().read_history(user)
        }
        fn write_history(&self, user: &str, encoded: &str) -> Result<()> {
            self.inner().write_history(user, encoded)
        }
        fn probe_lock(&self, user: &str) -> Result<LockState> {
            self.inner().probe_lock(user)
        }
        fn describe(&self) -> String {
            self.inner().describe()
        }
    };
}

impl<S: TokenStore + ?Sized> TokenStore for Arc<S> {
    forward_token_store_methods!();

    fn defaults(&self) -> StoreDefaults {
        self.inner().defaults()
    }
}

impl<S: TokenStore> TokenStore for BuiltIn<S> {
    forward_token_store_methods!();

    fn defaults(&self) -> StoreDefaults {
        StoreDefaults::BUILT_IN
    }
}

/// Whether a file owned by `uid` is trusted as a token file would be: root's or this
/// process's effective user's (the key files of `crate::store::seal` are checked so).
pub(crate) fn trusted_owner(uid: u32) -> bool {
    strict::Trust::new(0).trusts(uid)
}

pub(crate) use strict::user_name;

/// The index of `user` in `entries`: the first exact match, else (for identifiers with `@`)
/// the one case-insensitive match. This spares users the SDK's "No Tokens exist" trap
/// when `currentUserEmail` differs from Zoho's `Email` only in case. When several entries
/// match case-insensitively and none exactly, there is no match: picking one could hand
/// out, refresh, revoke or delete another user's tokens.
pub fn find_user(entries: &[Tokens], user: &str) -> Option<usize> {
    if let Some(i) = entries.iter().position(|t| t.user.as_deref() == Some(user)) {
        return Some(i);
    }
    if !user.contains('@') {
        return None;
    }
    let wanted = user.to_lowercase();
    let mut matches = entries.iter().enumerate().filter(|(_, t)| {
        t.user
            .as_deref()
            .is_some_and(|u| u.to_lowercase() == wanted)
    });
    match (matches.next(), matches.next()) {
        (Some((i, _)), None) => Some(i),
        _ => None,
    }
}

/// Replaces the entry with exactly `tokens.user` by `tokens`, moved to the end, as the SDK's
/// file store does (delete, then append).
pub fn replace_entry(entries: &mut Vec<Tokens>, tokens: &Tokens) {
    entries.retain(|t| t.user != tokens.user);
    entries.push(tokens.clone());
}

/// Removes the entry `find_user` picks; returns whether there was one.
pub fn remove_entry(entries: &mut Vec<Tokens>, user: &str) -> bool {
    match find_user(entries, user) {
        Some(i) => {
            entries.remove(i);
            true
        }
        None => false,
    }
}

/// The stores' module graphs have no circle (reads the source).
#[cfg(test)]
mod module_graph;

#[cfg(test)]
mod tests {
    use super::*;

    /// The names of the `fn`s in the block of `source` that starts at `start` (up to the first
    /// line that is a lone `}` at the block's indentation).
    fn methods_in(source: &str, start: &str) -> std::collections::BTreeSet<String> {
        let from = source
            .find(start)
            .unwrap_or_else(|| panic!("{start} not found"));
        let block = &source[from..];
        let block = &block[..block.find("\n}\n").expect("the block's end")];
        block
            .split("fn ")
            .skip(1)
            .filter_map(|rest| rest.split(['(', '<']).next())
            .filter(|name| name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
            .map(str::to_string)
            .collect()
    }

    /// A wrapper that implements [`TokenStore`] by hand gets the trait's quiet defaults for
    /// any method it leaves out (keep no history, probe no lock): each wrapper must name every
    /// method of the trait, read from the source so a new method cannot be missed.
    #[test]
    fn every_wrapper_forwards_every_method_of_the_trait() {
        let trait_methods = methods_in(include_str!("mod.rs"), "pub trait TokenStore");
        assert!(trait_methods.len() >= 15, "{trait_methods:?}");
        let mut forwarded = methods_in(
            include_str!("mod.rs"),
            "macro_rules! forward_token_store_methods",
        );
        forwarded.insert("defaults".into()); // each wrapper's own
        assert_eq!(
            forwarded, trait_methods,
            "the forwarding macro (Arc, BuiltIn)"
        );
        let sealed = methods_in(
            include_str!("seal/store.rs"),
            "impl<S: TokenStore> TokenStore for Sealed<S>",
        );
        assert_eq!(sealed, trait_methods, "Sealed (encryption at rest)");
    }

    fn t(user: &str) -> Tokens {
        Tokens::new(Some(user.into()), Secret::new("a"), None, 0)
    }

    #[test]
    fn exact_match_wins_then_case_insensitive_for_emails() {
        let entries = vec![
            t("Ada@Example.com"),
            t("ada@example.com"),
            t("Bob"),
            t("ZOË@EXÄMPLE.DE"),
        ];
        assert_eq!(find_user(&entries, "ada@example.com"), Some(1));
        assert_eq!(find_user(&entries, "Ada@Example.com"), Some(0));
        assert_eq!(
            find_user(&entries, "ADA@example.COM"),
            None,
            "two entries differ only in case: neither is picked"
        );
        assert_eq!(find_user(&entries, "bob"), None);
        assert_eq!(find_user(&entries, "zoë@exämple.de"), Some(3));
        assert_eq!(find_user(&entries[1..], "ADA@example.COM"), Some(0));
    }

    #[test]
    fn an_ambiguous_case_insensitive_delete_removes_nothing() {
        let mut entries = vec![t("ada@example.com"), t("ADA@example.com")];
        assert!(!remove_entry(&mut entries, "Ada@Example.com"));
        assert_eq!(entries.len(), 2);
        assert!(remove_entry(&mut entries, "ADA@example.com"));
        assert_eq!(entries[0].user.as_deref(), Some("ada@example.com"));
    }

    #[test]
    fn a_refresh_save_never_undoes_a_consent_a_delete_or_a_later_refresh() {
        let rt1 = Secret::new("rt1");
        let stored = |access: &str, refresh: &str, expiry| {
            Tokens::new(
                Some("u".into()),
                Secret::new(access),
                Some(Secret::new(refresh)),
                expiry,
            )
        };
        let fresh = stored("a2", "rt1", 2_000);
        let decide = |s: Option<&Tokens>| RefreshSave::decide(s, &fresh, &rt1);
        assert_eq!(
            decide(Some(&stored("a1", "rt1", 1_000))),
            RefreshSave::Saved
        );
        assert_eq!(
            decide(Some(&stored("a2", "rt1", 2_000))),
            RefreshSave::Saved,
            "a retried save of the same tokens"
        );
        assert_eq!(
            decide(Some(&stored("b", "rt2", 1_000))),
            RefreshSave::Superseded,
            "a new consent"
        );
        assert_eq!(decide(None), RefreshSave::Superseded, "a delete");
        assert_eq!(
            decide(Some(&stored("a3", "rt1", 2_000))),
            RefreshSave::Newer
        );
        assert_eq!(
            decide(Some(&stored("a3", "rt1", 3_000))),
            RefreshSave::Newer
        );
    }

    #[test]
    fn replace_moves_to_end_and_remove_drops_one() {
        let mut entries = vec![t("a"), t("b"), t("c")];
        replace_entry(&mut entries, &t("a"));
        let users: Vec<_> = entries
            .iter()
            .map(|e| e.user_or_empty().to_string())
            .collect();
        assert_eq!(users, ["b", "c", "a"]);
        assert!(remove_entry(&mut entries, "c"));
        assert!(!remove_entry(&mut entries, "c"));
        assert_eq!(entries.len(), 2);
    }
}
