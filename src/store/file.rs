//! A token file shared safely by many processes.
//!
//! Every read-modify-write runs under an exclusive lock on `<file>.lock`, re-reads the file,
//! and replaces it by writing `<file>.tmp` (created 0600, never through a symlink), syncing
//! it, and renaming it over the file. Readers never see a half-written file, a killed writer
//! never leaves one, and concurrent writers never lose each other's updates. Refreshes of one
//! user are serialized across processes by a lock file per user in `<file>.locks/`.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind as IoKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use super::held_locks::LockFile;
use super::{
    Fingerprint, LockGuard, TokenStore, find_user, json_format, php_format, remove_entry,
    replace_entry,
};
use crate::config::StoreFormat;
use crate::error::{Error, ErrorKind, Result};
use crate::token::Tokens;

/// A token file in the SDK's format or our JSON format.
pub struct FileStore {
    path: PathBuf,
    format: StoreFormat,
    parsed: Mutex<Option<(Fingerprint, Arc<Vec<Tokens>>)>>,
}

impl FileStore {
    /// The store at `<dir>/zcrm_oauthtokens.txt` (SDK format) or `<dir>/zoho_oauth_tokens.json`.
    /// The directory must exist.
    pub fn in_directory(dir: impl AsRef<Path>, format: StoreFormat) -> Result<FileStore> {
        FileStore::new(dir.as_ref().join(format.file_name()), format)
    }

    /// The store at `path`. Its directory must exist; the file need not (a missing file is an
    /// empty store) but must not be a directory.
    pub fn new(path: impl Into<PathBuf>, format: StoreFormat) -> Result<FileStore> {
        let path = path.into();
        let dir = parent_dir(&path);
        match fs::metadata(&dir) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => {
                return Err(Error::new(
                    ErrorKind::StoreIo,
                    format!(
                        "token_persistence_path {} is not a directory",
                        dir.display()
                    ),
                )
                .with_path(&dir));
            }
            Err(e) => {
                return Err(Error::store_io("use the token directory", &dir, &e).with_hint(
                    "token_persistence_path must name an existing directory; the token file is created inside it",
                ));
            }
        }
        if path.is_dir() {
            return Err(Error::new(
                ErrorKind::StoreIo,
                format!("the token file {} is a directory", path.display()),
            )
            .with_path(&path));
        }
        Ok(FileStore {
            path,
            format,
            parsed: Mutex::new(None),
        })
    }

    /// The token file's path.
    pub fn path(&self) -> &Path {
        &self.path
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
                        self.path.display()
                    ),
                )
                .with_hint("another process may have saved them meanwhile; replace them only deliberately (zoho-oauth migrate --force)")
                .with_path(&self.path));
            }
            *entries = tokens.to_vec();
            Ok(())
        })
    }

    fn stat_fingerprint(&self) -> Result<Fingerprint> {
        match fs::metadata(&self.path) {
            Ok(m) => Ok(Fingerprint([
                m.ino() ^ m.dev().rotate_left(32),
                m.size(),
                (m.mtime() as u64)
                    .wrapping_mul(1_000_000_000)
                    .wrapping_add(m.mtime_nsec() as u64),
                (m.ctime() as u64)
                    .wrapping_mul(1_000_000_000)
                    .wrapping_add(m.ctime_nsec() as u64),
            ])),
            Err(e) if e.kind() == IoKind::NotFound => Ok(Fingerprint([u64::MAX, 0, 0, 0])),
            Err(e) => Err(Error::store_io("read", &self.path, &e)),
        }
    }

    /// The parsed entries, re-read only when the file changed since the last read. The
    /// cache is only ever `try_lock`ed: a busy cache is skipped, so a child forked while
    /// another thread held it never waits on it.
    fn entries(&self) -> Result<Arc<Vec<Tokens>>> {
        let fingerprint = self.stat_fingerprint()?;
        if let Ok(cache) = self.parsed.try_lock()
            && let Some((cached, entries)) = cache.as_ref()
            && *cached == fingerprint
        {
            return Ok(Arc::clone(entries));
        }
        let entries = Arc::new(self.read_file()?);
        if let Ok(mut cache) = self.parsed.try_lock() {
            *cache = Some((fingerprint, Arc::clone(&entries)));
        }
        Ok(entries)
    }

    fn read_file(&self) -> Result<Vec<Tokens>> {
        let mut bytes = Vec::new();
        match File::open(&self.path) {
            Ok(mut f) => f
                .read_to_end(&mut bytes)
                .map_err(|e| Error::store_io("read", &self.path, &e))?,
            Err(e) if e.kind() == IoKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(Error::store_io("read", &self.path, &e)),
        };
        let decoded = match self.format {
            StoreFormat::PhpSdk => php_format::decode(&bytes),
            StoreFormat::Json => json_format::decode(&bytes),
        };
        decoded.map_err(|why| {
            Error::new(
                ErrorKind::StoreCorrupt,
                format!(
                    "the token file {} cannot be parsed ({why}); it was left untouched",
                    self.path.display()
                ),
            )
            .with_hint("restore it from a backup or move it aside; zoho-oauth never overwrites a file it cannot read")
            .with_path(&self.path)
        })
    }

    /// The lock file that serializes refreshes of `user`, in `<file>.locks/` (created 0700).
    fn user_lock_path(&self, user: &str) -> Result<PathBuf> {
        let dir = sibling(&self.path, ".locks");
        match fs::DirBuilder::new().mode(0o700).create(&dir) {
            Ok(()) => {}
            Err(e) if e.kind() == IoKind::AlreadyExists => {}
            Err(e) => return Err(Error::store_io("create the lock directory", &dir, &e)),
        }
        Ok(dir.join(format!("{:016x}.lock", fnv1a(user.as_bytes()))))
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

    fn encode(&self, entries: &[Tokens]) -> Vec<u8> {
        match self.format {
            StoreFormat::PhpSdk => php_format::encode(entries),
            StoreFormat::Json => json_format::encode(entries),
        }
    }

    /// Runs `change` on the current entries under the write lock and writes the result.
    fn modify<R>(&self, change: impl FnOnce(&mut Vec<Tokens>) -> R) -> Result<R> {
        self.try_modify(|entries| Ok(change(entries)))
    }

    /// [`FileStore::modify`] for a change that may refuse: on `Err` nothing is written.
    fn try_modify<R>(&self, change: impl FnOnce(&mut Vec<Tokens>) -> Result<R>) -> Result<R> {
        let _lock = lock_file(&sibling(&self.path, ".lock"))?;
        let mut entries = self.read_file()?;
        let result = change(&mut entries)?;
        self.write_atomically(&self.encode(&entries))?;
        if let (Ok(fingerprint), Ok(mut cache)) = (self.stat_fingerprint(), self.parsed.try_lock())
        {
            *cache = Some((fingerprint, Arc::new(entries)));
        }
        Ok(result)
    }

    fn write_atomically(&self, bytes: &[u8]) -> Result<()> {
        let tmp = sibling(&self.path, ".tmp");
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == IoKind::NotFound => {}
            Err(e) => return Err(Error::store_io("remove the stale temporary file", &tmp, &e)),
        }
        let written = create_private(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| fs::rename(&tmp, &self.path)) {
            let _ = fs::remove_file(&tmp);
            return Err(Error::store_io("write", &self.path, &e));
        }
        // Make the rename itself durable; a failure here loses nothing already visible.
        if let Ok(dir) = File::open(parent_dir(&self.path)) {
            let _ = dir.sync_all();
        }
        Ok(())
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

    fn delete(&self, user: &str) -> Result<bool> {
        if find_user(&self.entries()?, user).is_none() {
            return Ok(false);
        }
        self.modify(|entries| remove_entry(entries, user))
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        Ok(self.entries()?.as_ref().clone())
    }

    fn fingerprint(&self) -> Option<Fingerprint> {
        self.stat_fingerprint().ok()
    }

    fn lock_user(&self, user: &str) -> Result<LockGuard> {
        let file = lock_file(&self.user_lock_path(user)?)?;
        let guard: LockGuard = Box::new(file);
        Ok(guard)
    }

    /// The time is kept as decimal text in the user's lock file, so every process sees it.
    fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        let path = self.user_lock_path(user).ok()?;
        fs::read_to_string(path).ok()?.trim().parse().ok()
    }

    fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        let path = self.user_lock_path(user)?;
        let mut file = open_lock_file(&path)?;
        let text = at_ms.map(|at| at.to_string()).unwrap_or_default();
        file.set_len(0)
            .and_then(|()| file.write_all(text.as_bytes()))
            .map_err(|e| Error::store_io("write", &path, &e))
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

/// Opens (creating 0600, never through a symlink) and exclusively locks a lock file.
/// The lock is released when the returned file is dropped, and a forked child never
/// shares it (see [`held_locks`](super::held_locks)).
fn lock_file(path: &Path) -> Result<LockFile> {
    let file = open_lock_file(path)?;
    file.lock().map_err(|e| Error::store_io("lock", path, &e))?;
    Ok(file)
}

/// Opens a lock file, creating it 0600 and never through a symlink, registered so that a
/// forked child lets go of it.
fn open_lock_file(path: &Path) -> Result<LockFile> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map(LockFile::register)
        .map_err(|e| Error::store_io("open the lock file", path, &e))
}

/// Creates a new file readable by its owner only; fails if anything (a symlink included)
/// already exists at the path.
fn create_private(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// FNV-1a: a stable 64-bit hash for lock file names.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
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
