//! Where tokens live: the [`TokenStore`] trait, a file store in the SDK's or our JSON format,
//! and an in-memory store.

mod file;
pub mod json_format;
mod memory;
pub mod php_format;

use std::sync::Arc;

pub use file::FileStore;
pub use memory::MemoryStore;

use crate::error::Result;
use crate::token::Tokens;

/// A cheap value that changes whenever a store's contents may have changed. Equal
/// fingerprints mean "nothing was written in between", so cached tokens are still current.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Fingerprint(pub [u64; 4]);

/// A held lock; dropping it releases the lock.
pub type LockGuard = Box<dyn Send>;

/// Storage for users' tokens. Implementations must be safe to share between threads.
///
/// A store finds a user by exact identifier first and, when there is none, by a
/// case-insensitive match for identifiers that contain `@` (see [`find_user`]).
pub trait TokenStore: Send + Sync {
    /// The tokens stored for `user`, or `None`.
    fn get(&self, user: &str) -> Result<Option<Tokens>>;

    /// Saves tokens under `tokens.user`, replacing that user's entry (exact identifier).
    fn save(&self, tokens: &Tokens) -> Result<()>;

    /// Deletes `user`'s entry; returns whether there was one.
    fn delete(&self, user: &str) -> Result<bool>;

    /// Every stored entry, in store order.
    fn list(&self) -> Result<Vec<Tokens>>;

    /// A cheap change indicator, or `None` when the store cannot tell (callers then do not
    /// cache across calls).
    fn fingerprint(&self) -> Option<Fingerprint> {
        None
    }

    /// Takes a lock that serializes refreshes of one user's tokens, across processes where
    /// the store can (the file store does). The default serializes within this process.
    fn lock_user(&self, user: &str) -> Result<LockGuard> {
        memory::lock_in_process(user)
    }

    /// A description for messages, e.g. the file path.
    fn describe(&self) -> String;
}

impl<S: TokenStore + ?Sized> TokenStore for Arc<S> {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        (**self).get(user)
    }
    fn save(&self, tokens: &Tokens) -> Result<()> {
        (**self).save(tokens)
    }
    fn delete(&self, user: &str) -> Result<bool> {
        (**self).delete(user)
    }
    fn list(&self) -> Result<Vec<Tokens>> {
        (**self).list()
    }
    fn fingerprint(&self) -> Option<Fingerprint> {
        (**self).fingerprint()
    }
    fn lock_user(&self, user: &str) -> Result<LockGuard> {
        (**self).lock_user(user)
    }
    fn describe(&self) -> String {
        (**self).describe()
    }
}

/// The index of `user` in `entries`: the first exact match, else (for identifiers with `@`)
/// the first case-insensitive match. This spares users the SDK's "No Tokens exist" trap
/// when `currentUserEmail` differs from Zoho's `Email` only in case.
pub fn find_user(entries: &[Tokens], user: &str) -> Option<usize> {
    if let Some(i) = entries.iter().position(|t| t.user.as_deref() == Some(user)) {
        return Some(i);
    }
    if !user.contains('@') {
        return None;
    }
    let wanted = user.to_lowercase();
    entries.iter().position(|t| {
        t.user
            .as_deref()
            .is_some_and(|u| u.to_lowercase() == wanted)
    })
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

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
        assert_eq!(find_user(&entries, "ADA@example.COM"), Some(0));
        assert_eq!(find_user(&entries, "bob"), None);
        assert_eq!(find_user(&entries, "zoë@exämple.de"), Some(3));
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
