//! [`Sealed`]: the one wrapper that seals and opens token values for every built-in store.
//! The store underneath keeps and compares the sealed text as it keeps any token; this
//! wrapper opens what is read and seals what is written.

use std::time::Duration;

use super::keyring::{Field, Keyring, is_sealed};
use crate::config::EncryptionMode;
use crate::error::Result;
use crate::secret::Secret;
use crate::store::LockState;
use crate::store::{
    Fingerprint, ListedEntry, LockGuard, RefreshSave, StoreDefaults, TokenStore, UnreadableEntry,
};
use crate::token::Tokens;

/// How values are sealed and opened: the keys and the mode, without a store (a migration
/// seals entries for a file it writes whole).
#[derive(Clone, Debug)]
pub struct Sealer {
    keys: Keyring,
    mode: EncryptionMode,
}

impl Sealer {
    /// Values opened by `keys` and, in [`EncryptionMode::On`], sealed with its first key.
    /// In [`EncryptionMode::Off`], `keys` should be empty: a sealed value read is then an
    /// error naming its key id.
    pub fn new(keys: Keyring, mode: EncryptionMode) -> Sealer {
        Sealer { keys, mode }
    }

    /// The keys.
    pub fn keys(&self) -> &Keyring {
        &self.keys
    }

    /// The mode.
    pub fn mode(&self) -> EncryptionMode {
        self.mode
    }

    /// `stored` (as a store keeps it) with its values opened, under the user it is stored
    /// under (the associated data). Values in clear pass as they are.
    pub fn open_tokens(&self, stored: &Tokens) -> Result<Tokens> {
        let user = stored.user_or_empty();
        let mut opened = stored.clone();
        if is_sealed(stored.access_token.expose()) {
            let value = stored.access_token.expose();
            opened.access_token = self.keys.open(user, Field::Access, value)?.value;
        }
        if let Some(refresh) = stored
            .refresh_token
            .as_ref()
            .filter(|r| is_sealed(r.expose()))
        {
            let value = self
                .keys
                .open(user, Field::Refresh, refresh.expose())?
                .value;
            opened.refresh_token = Some(value);
        }
        Ok(opened)
    }

    /// `tokens` as a store keeps them: sealed with the first key in
    /// [`EncryptionMode::On`], in clear otherwise.
    pub fn seal_tokens(&self, tokens: &Tokens) -> Result<Tokens> {
        if self.mode != EncryptionMode::On {
            return Ok(tokens.clone());
        }
        let user = tokens.user_or_empty();
        let mut sealed = tokens.clone();
        sealed.access_token = self.keys.seal(user, Field::Access, &tokens.access_token)?;
        if let Some(refresh) = &tokens.refresh_token {
            sealed.refresh_token = Some(self.keys.seal(user, Field::Refresh, refresh)?);
        }
        Ok(sealed)
    }

    /// Every one of `entries` opened ([`Sealer::open_tokens`]).
    pub fn open_all(&self, entries: &[Tokens]) -> Result<Vec<Tokens>> {
        entries.iter().map(|t| self.open_tokens(t)).collect()
    }

    /// Every one of `entries` sealed ([`Sealer::seal_tokens`]).
    pub fn seal_all(&self, entries: &[Tokens]) -> Result<Vec<Tokens>> {
        entries.iter().map(|t| self.seal_tokens(t)).collect()
    }
}

/// A store whose token values are sealed at rest (see the module `crate::store::seal`).
pub struct Sealed<S> {
    inner: S,
    sealer: Sealer,
}

impl<S: TokenStore> Sealed<S> {
    /// `inner` with values opened and sealed by `sealer`.
    pub fn new(inner: S, sealer: Sealer) -> Sealed<S> {
        Sealed { inner, sealer }
    }

    /// The store underneath, which sees the sealed values.
    pub fn inner(&self) -> &S {
        &self.inner
    }

    /// How values are sealed and opened.
    pub fn sealer(&self) -> &Sealer {
        &self.sealer
    }

    /// The keys.
    pub fn keys(&self) -> &Keyring {
        self.sealer.keys()
    }

    /// The mode.
    pub fn mode(&self) -> EncryptionMode {
        self.sealer.mode()
    }

    /// See [`Sealer::open_tokens`].
    pub fn open_tokens(&self, stored: &Tokens) -> Result<Tokens> {
        self.sealer.open_tokens(stored)
    }

    /// See [`Sealer::seal_tokens`].
    pub fn seal_tokens(&self, tokens: &Tokens) -> Result<Tokens> {
        self.sealer.seal_tokens(tokens)
    }

    /// The entry stored under exactly `user` as the inner store keeps it (sealed), with
    /// its values opened.
    pub fn read_both(&self, user: &str) -> Result<Option<(Tokens, Tokens)>> {
        let Some(raw) = self.inner.get(user)? else {
            return Ok(None);
        };
        if raw
            .user
            .as_deref()
            .is_some_and(|named| !named.is_empty() && named != user)
        {
            return Ok(None);
        }
        let opened = self.open_tokens(&raw)?;
        Ok(Some((raw, opened)))
    }
}

impl<S: TokenStore> TokenStore for Sealed<S> {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        self.inner
            .get(user)?
            .map(|t| self.open_tokens(&t))
            .transpose()
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        self.inner.save(&self.seal_tokens(tokens)?)
    }

    /// Decides on the opened values, then has the inner store write only if the entry
    /// still holds the very sealed refresh token read (its own check, one step against
    /// other writers): a value that does not open is never overwritten.
    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        if self.mode() == EncryptionMode::Off {
            return self.inner.save_refreshed(fresh, used_refresh);
        }
        let Some(user) = fresh.user.as_deref() else {
            return self
                .inner
                .save_refreshed(&self.seal_tokens(fresh)?, used_refresh);
        };
        let read = self.read_both(user)?;
        let outcome = RefreshSave::decide(read.as_ref().map(|(_, o)| o), fresh, used_refresh);
        match read {
            Some((raw, _)) if outcome == RefreshSave::Saved => {
                let stored_refresh = raw.refresh_token.unwrap_or_default();
                let sealed = self.seal_tokens(fresh)?;
                self.inner.save_refreshed(&sealed, &stored_refresh)
            }
            _ => Ok(outcome),
        }
    }

    fn delete(&self, user: &str) -> Result<bool> {
        self.inner.delete(user)
    }

    fn prepare(&self) -> Result<()> {
        self.inner.prepare()
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        self.inner
            .list()?
            .iter()
            .map(|t| self.open_tokens(t))
            .collect()
    }

    fn list_each(&self) -> Result<Vec<ListedEntry>> {
        Ok(self
            .inner
            .list()?
            .iter()
            .map(|raw| {
                self.open_tokens(raw).map_err(|error| UnreadableEntry {
                    user: raw.user_or_empty().to_string(),
                    error: Box::new(error),
                })
            })
            .collect())
    }

    fn fingerprint(&self) -> Option<Fingerprint> {
        self.inner.fingerprint()
    }

    fn generation(&self) -> Option<u64> {
        self.inner.generation()
    }

    fn defaults(&self) -> StoreDefaults {
        self.inner.defaults()
    }

    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        self.inner.lock_user(user, wait)
    }

    fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        self.inner.refresh_failed_at(user)
    }

    fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        self.inner.set_refresh_failed_at(user, at_ms)
    }

    // The history beside the tokens holds no token (times, hosts, error kinds): kept as is.
    fn read_history(&self, user: &str) -> Result<Option<String>> {
        self.inner.read_history(user)
    }

    fn write_history(&self, user: &str, encoded: &str) -> Result<()> {
        self.inner.write_history(user, encoded)
    }

    fn probe_lock(&self, user: &str) -> Result<LockState> {
        self.inner.probe_lock(user)
    }

    fn describe(&self) -> String {
        self.inner.describe()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::MemoryStore;
    use crate::store::seal::Key;

    /// Every method of the store trait that a wrapper can forget reaches the inner store: the
    /// refresh history beside the tokens and the lock probe (a forgotten one would fall back
    /// to the trait's default, which keeps nothing).
    #[test]
    fn the_history_and_the_lock_probe_reach_the_inner_store() {
        let keys = Keyring::new(vec![Key::from_bytes(&[7; 32])]).expect("ring");
        let sealed = Sealed::new(MemoryStore::new(), Sealer::new(keys, EncryptionMode::On));
        sealed
            .write_history("ada@example.com", "{\"refreshes\":1}")
            .expect("written");
        assert_eq!(
            sealed.read_history("ada@example.com").expect("read"),
            Some("{\"refreshes\":1}".to_string())
        );
        assert_eq!(
            sealed
                .inner()
                .read_history("ada@example.com")
                .expect("read"),
            Some("{\"refreshes\":1}".to_string()),
            "kept in the inner store, as is"
        );
        assert_eq!(
            sealed.probe_lock("ada@example.com").expect("probed"),
            sealed
                .inner()
                .probe_lock("ada@example.com")
                .expect("probed")
        );
    }

    /// One value sealed with a key that is not configured: `list` fails for the whole store,
    /// `list_each` gives the other users and names the one it cannot open.
    #[test]
    fn list_each_reads_every_user_it_can_and_names_the_one_it_cannot() {
        let key = |byte| Keyring::new(vec![Key::from_bytes(&[byte; 32])]).expect("ring");
        let memory = std::sync::Arc::new(MemoryStore::new());
        let old = Sealed::new(memory.clone(), Sealer::new(key(1), EncryptionMode::On));
        let new = Sealed::new(memory, Sealer::new(key(2), EncryptionMode::On));
        let tokens = |user: &str| {
            Tokens::new(
                Some(user.into()),
                Secret::new(format!("1000.access.{user}")),
                Some(Secret::new(format!("1000.refresh.{user}"))),
                4_000_000_000_000,
            )
        };
        old.save(&tokens("bob@example.com")).expect("saved");
        new.save(&tokens("ada@example.com")).expect("saved");
        let e = new.list().expect_err("one value does not open");
        assert_eq!(e.kind(), crate::ErrorKind::ConfigMissing, "{e}");
        let each = new.list_each().expect("the store answers");
        assert_eq!(each.len(), 2);
        let (read, unread): (Vec<_>, Vec<_>) = each.into_iter().partition(|entry| entry.is_ok());
        let read: Vec<Tokens> = read.into_iter().flatten().collect();
        assert_eq!(read, vec![tokens("ada@example.com")]);
        let bad = unread
            .into_iter()
            .find_map(|entry| entry.err())
            .expect("bob");
        assert_eq!(bad.user, "bob@example.com");
        assert_eq!(bad.error.kind(), crate::ErrorKind::ConfigMissing);
        assert!(
            bad.error.message().contains("bob@example.com"),
            "{}",
            bad.error
        );
        assert!(
            !bad.error.message().contains("1000.refresh"),
            "{}",
            bad.error
        );
    }
}
