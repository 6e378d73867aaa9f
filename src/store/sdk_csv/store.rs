//! [`SdkCsvStore`]: the SDK's `sdk_tokens.txt` as a [`TokenStore`], shared safely by every
//! process using this library (C, CLI, the PHP extension and its bridge for the SDK).

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::format::{self, SdkRow};
use super::rows;
use crate::config::Config;
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::secret::Secret;
use crate::store::token_file::{self, TokenFile};
use crate::store::{Fingerprint, RefreshSave, TokenStore};
use crate::token::Tokens;

/// The file name Zoho's current SDKs use in the working directory.
pub const FILE_NAME: &str = "sdk_tokens.txt";

/// The SDK's CSV token file. It is read, replaced and locked as every token file is
/// (`TokenFile`): every change runs under an exclusive lock on `<file>.lock`, re-reads the
/// file and replaces it atomically (keeping its owner and mode); refreshes of one user are
/// serialized across processes by a lock stripe in `<file>.locks/`; the directory and files
/// are checked like OpenSSH's `StrictModes`. Rows keep the SDK's columns this
/// library has no use for (id, client, grant token, redirect URL); new rows get the next id
/// and the configured client's id, secret and redirect URL, so SDK processes can use them.
///
/// Zoho's own `FileStore` takes no lock and truncates the file while writing: sharing the
/// file with SDK processes that write is only as safe as the SDK is (readers here may then
/// see a torn file, reported as [`ErrorKind::StoreCorrupt`] and never overwritten).
pub struct SdkCsvStore {
    /// The file itself: read, replaced and locked as every token file is (the StrictModes
    /// checks, owners kept, bounded locks, the shared change counter).
    file: TokenFile,
    new_row: SdkRow,
    parsed: Mutex<Option<(Fingerprint, Arc<Vec<SdkRow>>)>>,
}

impl SdkCsvStore {
    /// The store at `path` (its directory must exist and be trusted; the file need not
    /// exist; see `TokenFile::open`).
    pub fn new(path: impl Into<PathBuf>) -> Result<SdkCsvStore> {
        Ok(SdkCsvStore {
            file: TokenFile::open(path.into())?,
            new_row: SdkRow::default(),
            parsed: Mutex::new(None),
        })
    }

    /// The store for a configuration whose `token_persistence_path` names `path`; new rows
    /// carry the configuration's client id, secret and redirect URI.
    pub fn open(config: &Config, path: &Path) -> Result<SdkCsvStore> {
        Ok(SdkCsvStore::new(path)?.with_client(
            config.identity().client_id(),
            &config.client_secret().cloned().unwrap_or_default(),
            config.identity().redirect_uri(),
        ))
    }

    /// Sets the client columns of rows this store creates.
    pub fn with_client(
        mut self,
        client_id: &str,
        client_secret: &Secret,
        redirect_url: &str,
    ) -> SdkCsvStore {
        let clean = |v: &str| {
            if format::check_value("client", v).is_ok() {
                v.to_string()
            } else {
                String::new()
            }
        };
        self.new_row.client_id = clean(client_id);
        self.new_row.client_secret = Secret::new(clean(client_secret.expose()));
        self.new_row.redirect_url = clean(redirect_url);
        self
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        self.file.path()
    }

    /// Every row, in file order (re-read only when the file changed).
    pub fn rows(&self) -> Result<Arc<Vec<SdkRow>>> {
        let fingerprint = self.stat()?;
        if let Ok(cache) = self.parsed.lock()
            && let Some((seen, rows)) = cache.as_ref()
            && *seen == fingerprint
        {
            return Ok(Arc::clone(rows));
        }
        let rows = Arc::new(self.read()?.rows);
        if let Ok(mut cache) = self.parsed.lock() {
            *cache = Some((fingerprint, Arc::clone(&rows)));
        }
        Ok(rows)
    }

    /// Whether the file is in the 9-column format of php-sdk 2.x (converted at the next
    /// change, as the SDK's `FileStore` converts it).
    pub fn is_legacy(&self) -> Result<bool> {
        Ok(self.read()?.legacy)
    }

    /// Runs `change` on the rows under the write lock and replaces the file with the result
    /// (also when nothing changed, which converts a 9-column file). On `Err` nothing is
    /// written.
    pub fn modify<R>(&self, change: impl FnOnce(&mut Vec<SdkRow>) -> Result<R>) -> Result<R> {
        self.modify_if(|rows| change(rows).map(|result| (true, result)))
    }

    /// [`SdkCsvStore::modify`] for a change that may leave the file as it is: the file is
    /// replaced only when `change` says so (`true`).
    fn modify_if<R>(
        &self,
        change: impl FnOnce(&mut Vec<SdkRow>) -> Result<(bool, R)>,
    ) -> Result<R> {
        let (result, rows) = self.file.replace(|bytes| {
            let mut rows = self.decode(bytes)?.rows;
            let (write, result) = change(&mut rows)?;
            let bytes = write.then(|| format::encode(&rows));
            Ok((bytes, (result, write.then_some(rows))))
        })?;
        if let (Some(rows), Ok(fingerprint), Ok(mut cache)) =
            (rows, self.stat(), self.parsed.try_lock())
        {
            *cache = Some((fingerprint, Arc::new(rows)));
        }
        Ok(result)
    }

    /// Replaces every row by `tokens` (migrations), under the lock; with `only_if_empty`,
    /// refuses (nothing written) when the file holds rows.
    pub fn replace_all(&self, tokens: &[Tokens], only_if_empty: bool) -> Result<()> {
        tokens.iter().try_for_each(rows::check_storable)?;
        self.modify(|current| {
            if only_if_empty && !current.is_empty() {
                return Err(Error::new(
                    ErrorKind::StoreIo,
                    format!(
                        "{} already holds {} tokens; nothing was written",
                        self.path().display(),
                        current.len()
                    ),
                )
                .with_remedy(Remedy::ReplaceDeliberately)
                .with_path(self.path()));
            }
            current.clear();
            for t in tokens {
                rows::upsert(current, t, || self.new_row.clone());
            }
            Ok(())
        })
    }

    fn read(&self) -> Result<format::Decoded> {
        self.decode(self.file.read()?)
    }

    fn decode(&self, bytes: Option<Vec<u8>>) -> Result<format::Decoded> {
        let Some(bytes) = bytes else {
            return Ok(format::Decoded::default());
        };
        format::decode(&bytes).map_err(|why| {
            Error::new(
                ErrorKind::StoreCorrupt,
                format!(
                    "the token file {} cannot be parsed ({why}); it was left untouched",
                    self.path().display()
                ),
            )
            .with_hint("a Zoho SDK process may be rewriting it (its FileStore takes no lock): try again; otherwise restore it from a backup")
            .with_path(self.path())
        })
    }

    fn stat(&self) -> Result<Fingerprint> {
        Fingerprint::of_file(self.path())
    }
}

impl TokenStore for SdkCsvStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let rows = self.rows()?;
        Ok(rows::find(&rows, user).map(|i| rows::to_tokens(&rows[i])))
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        rows::check_storable(tokens)?;
        self.modify(|rows| {
            rows::upsert(rows, tokens, || self.new_row.clone());
            Ok(())
        })
    }

    /// The check and the write in one step under the file's write lock.
    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        rows::check_storable(fresh)?;
        let user = fresh.user.as_deref().unwrap_or_default();
        self.modify_if(|rows| {
            let stored = rows
                .iter()
                .find(|row| rows::key(row) == user)
                .map(rows::to_tokens);
            let outcome = RefreshSave::decide(stored.as_ref(), fresh, used_refresh);
            let write = outcome == RefreshSave::Saved;
            if write {
                rows::upsert(rows, fresh, || self.new_row.clone());
            }
            Ok((write, outcome))
        })
    }

    /// The directory exists, is trusted and can be written.
    fn prepare(&self) -> Result<()> {
        self.file.prepare()
    }

    /// Deletes the row and, when it went, its user's refresh history.
    fn delete(&self, user: &str) -> Result<bool> {
        if rows::find(&self.rows()?, user).is_none() {
            return Ok(false);
        }
        let removed = self.modify(|rows| Ok(rows::find(rows, user).map(|i| rows.remove(i))))?;
        if let Some(row) = &removed {
            self.file.forget_history(rows::key(row));
        }
        Ok(removed.is_some())
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        Ok(self.rows()?.iter().map(rows::to_tokens).collect())
    }

    token_file::token_file_store_methods!();
}
