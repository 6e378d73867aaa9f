//! [`FileStore`]: a token file in Zoho's PHP SDK format or our JSON format, shared safely
//! by many processes. How the file is read, replaced and locked is [`TokenFile`]'s job.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::entry::{OpenFromConfig, StoreClass, StoreEntry};
use super::token_file::{self, TokenFile};
use super::{
    Fingerprint, RefreshSave, TokenStore, find_user, json_format, php_format, remove_entry,
    replace_entry,
};
use crate::config::{Config, StoreFormat};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::secret::Secret;
use crate::token::Tokens;

/// The token file in the old PHP SDK's format (`zcrm_oauthtokens.txt`): `token_store=file`
/// (or a `token_persistence_path` alone) with `token_store_format` `php`.
pub(crate) static PHP_ENTRY: StoreEntry =
    StoreEntry::new::<FileStore>("php", "file", StoreClass::TokenFile(StoreFormat::PhpSdk))
        .also_parsed_from(&["sdk"])
        .selected_when(|config| config.store().format() == StoreFormat::PhpSdk);

/// The token file in our JSON format (`zoho_oauth_tokens.json`): `token_store_format` `json`.
pub(crate) static JSON_ENTRY: StoreEntry =
    StoreEntry::new::<FileStore>("json", "file", StoreClass::TokenFile(StoreFormat::Json))
        .selected_when(|config| config.store().format() == StoreFormat::Json);

/// A token file in the SDK's format or our JSON format.
pub struct FileStore {
    file: TokenFile,
    format: StoreFormat,
    parsed: Mutex<Option<(Fingerprint, Arc<Vec<Tokens>>)>>,
}

impl FileStore {
    /// The store at `<dir>/zcrm_oauthtokens.txt` (SDK format) or `<dir>/zoho_oauth_tokens.json`.
    /// The directory must exist.
    pub fn in_directory(dir: impl AsRef<Path>, format: StoreFormat) -> Result<FileStore> {
        FileStore::new(dir.as_ref().join(format.file_name()), format)
    }

    /// The store at `path` (see `TokenFile::open`: the directory must exist and be
    /// trusted; a symlinked file is followed to its target).
    pub fn new(path: impl Into<PathBuf>, format: StoreFormat) -> Result<FileStore> {
        Ok(FileStore {
            file: TokenFile::open(path.into())?,
            format,
            parsed: Mutex::new(None),
        })
    }

    /// The token file's path.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// The token file's format.
    pub fn format(&self) -> StoreFormat {
        self.format
    }

    /// Replaces the whole contents (used by migrations), under the lock.
    pub fn replace_all(&self, tokens: &[Tokens]) -> Result<()> {
        tokens.iter().try_for_each(|t| self.check_storable(t))?;
        self.modify(|entries| {
            *entries = tokens.to_vec();
        })
    }

    /// [`FileStore::replace_all`], but only into a file that holds no tokens: the check and
    /// the write happen under one lock, so tokens another process (PHP, C) saves in between
    /// are never overwritten. If the file holds tokens, nothing is written and the error
    /// ([`ErrorKind::StoreIo`]) says how many.
    pub fn replace_all_if_empty(&self, tokens: &[Tokens]) -> Result<()> {
        tokens.iter().try_for_each(|t| self.check_storable(t))?;
        self.try_modify(|entries| {
            let held = entries.len();
            if held > 0 {
                let users = if held == 1 { "user" } else { "users" };
                return Err(Error::new(
                    ErrorKind::StoreIo,
                    format!(
                        "the token file {} already holds tokens of {held} {users}; nothing was written",
                        self.path().display()
                    ),
                )
                .with_remedy(Remedy::ReplaceDeliberately)
                .with_path(self.path()));
            }
            *entries = tokens.to_vec();
            Ok(())
        })
    }

    /// The parsed entries, re-read only when the file changed since the last read. The
    /// cache is only ever `try_lock`ed: a busy cache is skipped, so a child forked while
    /// another thread held it never waits on it.
    fn entries(&self) -> Result<Arc<Vec<Tokens>>> {
        let fingerprint = Fingerprint::of_file(self.path())?;
        if let Ok(cache) = self.parsed.try_lock()
            && let Some((cached, entries)) = cache.as_ref()
            && *cached == fingerprint
        {
            return Ok(Arc::clone(entries));
        }
        let entries = Arc::new(self.decode(self.file.read()?)?.0);
        if let Ok(mut cache) = self.parsed.try_lock() {
            *cache = Some((fingerprint, Arc::clone(&entries)));
        }
        Ok(entries)
    }

    /// The file's tokens, and (SDK format) entries with non-UTF-8 text kept verbatim.
    fn decode(&self, bytes: Option<Vec<u8>>) -> Result<(Vec<Tokens>, Vec<Vec<u8>>)> {
        let Some(bytes) = bytes else {
            return Ok((Vec::new(), Vec::new()));
        };
        let decoded = match self.format {
            StoreFormat::PhpSdk => php_format::decode_keeping(&bytes).map(|d| (d.tokens, d.kept)),
            StoreFormat::Json => json_format::decode(&bytes).map(|t| (t, Vec::new())),
        };
        decoded.map_err(|why| {
            Error::new(
                ErrorKind::StoreCorrupt,
                format!(
                    "the token file {} cannot be parsed ({why}); it was left untouched",
                    self.path().display()
                ),
            )
            .with_hint("restore it from a backup or move it aside; zoho-oauth never overwrites a file it cannot read")
            .with_path(self.path())
        })
    }

    /// Refuses tokens this file's format cannot hold, before anything is written.
    fn check_storable(&self, tokens: &Tokens) -> Result<()> {
        match self.format {
            StoreFormat::PhpSdk => php_format::check_storable(tokens).map_err(|why| {
                Error::invalid_argument(format!("{why}; the SDK token file cannot hold them"))
            }),
            StoreFormat::Json => Ok(()),
        }
    }

    fn encode(&self, entries: &[Tokens], kept: &[Vec<u8>]) -> Vec<u8> {
        match self.format {
            StoreFormat::PhpSdk => php_format::encode_keeping(entries, kept),
            StoreFormat::Json => json_format::encode(entries),
        }
    }

    /// Runs `change` on the current entries under the write lock and writes the result.
    fn modify<R>(&self, change: impl FnOnce(&mut Vec<Tokens>) -> R) -> Result<R> {
        self.try_modify(|entries| Ok(change(entries)))
    }

    /// [`FileStore::modify`] for a change that may refuse: on `Err` nothing is written.
    fn try_modify<R>(&self, change: impl FnOnce(&mut Vec<Tokens>) -> Result<R>) -> Result<R> {
        self.modify_if(|entries| change(entries).map(|result| (true, result)))
    }

    /// Runs `change` on the current entries under the write lock; writes the result only
    /// when `change` says so (`true`), and nothing on `Err`.
    fn modify_if<R>(
        &self,
        change: impl FnOnce(&mut Vec<Tokens>) -> Result<(bool, R)>,
    ) -> Result<R> {
        let (result, entries) = self.file.replace(|bytes| {
            let (mut entries, kept) = self.decode(bytes)?;
            let (write, result) = change(&mut entries)?;
            let bytes = write.then(|| self.encode(&entries, &kept));
            Ok((bytes, (result, write.then_some(entries))))
        })?;
        if let (Some(entries), Ok(fingerprint), Ok(mut cache)) = (
            entries,
            Fingerprint::of_file(self.path()),
            self.parsed.try_lock(),
        ) {
            *cache = Some((fingerprint, Arc::new(entries)));
        }
        Ok(result)
    }
}

impl OpenFromConfig for FileStore {
    /// The token file in `token_persistence_path`, in `token_store_format`; a configuration
    /// without a path is an [`ErrorKind::ConfigMissing`] error.
    fn open_from(config: &Config) -> Result<FileStore> {
        let file = config.store().token_file().ok_or_else(|| {
            Error::new(
                ErrorKind::ConfigMissing,
                "token_store=file needs token_persistence_path",
            )
        })?;
        FileStore::new(file, config.store().format())
    }
}

impl TokenStore for FileStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let entries = self.entries()?;
        Ok(find_user(&entries, user).map(|i| entries[i].clone()))
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        self.check_storable(tokens)?;
        self.modify(|entries| replace_entry(entries, tokens))
    }

    /// The check and the write in one step under the file's write lock.
    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        self.check_storable(fresh)?;
        self.modify_if(|entries| {
            let stored = entries.iter().find(|t| t.user == fresh.user);
            let outcome = RefreshSave::decide(stored, fresh, used_refresh);
            let write = outcome == RefreshSave::Saved;
            if write {
                replace_entry(entries, fresh);
            }
            Ok((write, outcome))
        })
    }

    /// Deletes the entry and, when it went, its refresh history.
    fn delete(&self, user: &str) -> Result<bool> {
        let entries = self.entries()?;
        let Some(i) = find_user(&entries, user) else {
            return Ok(false);
        };
        let stored = entries[i].user_or_empty().to_string();
        let deleted = self.modify(|entries| remove_entry(entries, user))?;
        if deleted {
            self.file.forget_history(&stored);
        }
        Ok(deleted)
    }

    /// The directory exists, is trusted and can be written.
    fn prepare(&self) -> Result<()> {
        self.file.prepare()
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        Ok(self.entries()?.as_ref().clone())
    }

    token_file::token_file_store_methods!();
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    /// Regression (fuzz target `token_roundtrip`): saving tokens with neither an access nor
    /// a refresh token made the SDK-format file unreadable for every user. Now the save is
    /// refused and the file is untouched.
    #[test]
    fn a_save_never_leaves_a_file_the_next_read_refuses() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).expect("store");
        let ada = Tokens::new(Some("ada".into()), Secret::new("a"), None, i64::MAX);
        store.save(&ada).expect("saved");
        let empty = Tokens::new(Some("bob".into()), Secret::new(""), None, 0);
        let e = store.save(&empty).expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::InvalidArgument);
        assert!(store.replace_all(&[ada.clone(), empty]).is_err());
        let reread = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).expect("store");
        assert_eq!(reread.list().expect("readable"), vec![ada]);
    }
}
