//! A token file shared safely by many processes.
//!
//! Every read-modify-write runs under an exclusive lock on `<file>.lock`, re-reads the file,
//! and replaces it by writing `<file>.tmp` (created 0600, never through a symlink), syncing
//! it, and renaming it over the file. Readers never see a half-written file, a killed writer
//! never leaves one, and concurrent writers never lose each other's updates. Refreshes of one
//! user are serialized across processes by a lock stripe in `<file>.locks/` (see
//! [`file_locks`](super::file_locks)).
//!
//! Deployments as they are: the directory and files are checked like OpenSSH's
//! `StrictModes` ([`strict`](super::strict)); a replaced file keeps its owner, group and
//! mode (never loosened); a token file that is a symlink is written through to its target,
//! atomically in the target's directory; and a refresh lock is refused up front when the
//! directory is not writable, so no refresh is spent that could not be saved.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind as IoKind, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::file_locks::{self, Owner};
use super::generation::CounterSlot;
use super::strict::{Trust, permission_error};
use super::wait::{lock_timeout, retry_until};
use super::{
    Fingerprint, LockGuard, TokenStore, find_user, json_format, php_format, remove_entry,
    replace_entry,
};
use crate::config::{DEFAULT_STORE_RECHECK, StoreFormat};
use crate::error::{Error, ErrorKind, Result};
use crate::token::Tokens;

/// The longest a change waits for the file's write lock, which each writer holds only to
/// read, change and replace the file (about 250 ms for 100,000 users): a stuck holder
/// cannot block a save for longer.
const WRITE_LOCK_WAIT: Duration = Duration::from_secs(60);

/// A token file in the SDK's format or our JSON format.
pub struct FileStore {
    path: PathBuf,
    format: StoreFormat,
    trust: Trust,
    parsed: Mutex<Option<(Fingerprint, Arc<Vec<Tokens>>)>>,
    /// The change counter shared with every process using this file (`<file>.locks/generation`).
    generation: CounterSlot,
}

impl FileStore {
    /// The store at `<dir>/zcrm_oauthtokens.txt` (SDK format) or `<dir>/zoho_oauth_tokens.json`.
    /// The directory must exist.
    pub fn in_directory(dir: impl AsRef<Path>, format: StoreFormat) -> Result<FileStore> {
        FileStore::new(dir.as_ref().join(format.file_name()), format)
    }

    /// The store at `path`. Its directory must exist; the file need not (a missing file is an
    /// empty store) but must not be a directory.
    ///
    /// The directory is refused when other users can write it (unless it is sticky), and a
    /// token file that is a symlink is followed to its target once, here: the store then
    /// works on the target, in the target's directory.
    pub fn new(path: impl Into<PathBuf>, format: StoreFormat) -> Result<FileStore> {
        let path = resolve_symlink(path.into())?;
        let dir = parent_dir(&path);
        let dir_meta = match fs::metadata(&dir) {
            Ok(meta) if meta.is_dir() => meta,
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
        };
        let trust = Trust::new(dir_meta.uid());
        trust.check_token_dir(&dir, &dir_meta)?;
        if path.is_dir() {
            return Err(Error::new(
                ErrorKind::StoreIo,
                format!("the token file {} is a directory", path.display()),
            )
            .with_path(&path));
        }
        Ok(FileStore {
            generation: CounterSlot::new(sibling(&path, ".locks").join("generation")),
            path,
            format,
            trust,
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
        Fingerprint::of_file(&self.path)
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
        let entries = Arc::new(self.read_file()?.0);
        if let Ok(mut cache) = self.parsed.try_lock() {
            *cache = Some((fingerprint, Arc::clone(&entries)));
        }
        Ok(entries)
    }

    /// The file's tokens, and (SDK format) entries with non-UTF-8 text kept verbatim.
    fn read_file(&self) -> Result<(Vec<Tokens>, Vec<Vec<u8>>)> {
        let mut bytes = Vec::new();
        let opened = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_CLOEXEC)
            .open(&self.path);
        match opened {
            Ok(mut f) => {
                let meta = f
                    .metadata()
                    .map_err(|e| permission_error("read", &self.path, &e))?;
                self.trust.check_owner(&self.path, &meta, "token file")?;
                f.read_to_end(&mut bytes)
                    .map_err(|e| permission_error("read", &self.path, &e))?
            }
            Err(e) if e.kind() == IoKind::NotFound => return Ok((Vec::new(), Vec::new())),
            Err(e) => return Err(permission_error("read", &self.path, &e)),
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
                    self.path.display()
                ),
            )
            .with_hint("restore it from a backup or move it aside; zoho-oauth never overwrites a file it cannot read")
            .with_path(&self.path)
        })
    }

    /// The stripe lock file that serializes refreshes of `user`, in `<file>.locks/`
    /// (created 0700). Refused up front when the token file could not be replaced, so a
    /// refresh is never spent on tokens that cannot be saved.
    fn user_lock_path(&self, user: &str) -> Result<PathBuf> {
        self.check_writable()?;
        Ok(file_locks::stripe_path(&self.locks_dir()?, user))
    }

    /// `<file>.locks/`, created 0700 (owned like the token file) when missing, and checked.
    fn locks_dir(&self) -> Result<PathBuf> {
        let dir = sibling(&self.path, ".locks");
        file_locks::ensure_lock_dir(&dir, &self.trust, self.new_file_owner())?;
        Ok(dir)
    }

    /// Whether this process can replace the token file: the directory must be writable
    /// (the file is replaced by a rename) and trusted.
    fn check_writable(&self) -> Result<()> {
        let dir = parent_dir(&self.path);
        let meta = fs::metadata(&dir).map_err(|e| permission_error("use", &dir, &e))?;
        self.trust.check_token_dir(&dir, &meta)?;
        let c_dir = std::ffi::CString::new(dir.as_os_str().as_encoded_bytes()).map_err(|_| {
            Error::invalid_argument("the token directory's path contains a NUL byte")
        })?;
        // SAFETY: c_dir is a valid NUL-terminated path; faccessat only reads it.
        let rc = unsafe {
            libc::faccessat(
                libc::AT_FDCWD,
                c_dir.as_ptr(),
                libc::W_OK | libc::X_OK,
                libc::AT_EACCESS,
            )
        };
        if rc == 0 {
            return Ok(());
        }
        let err = std::io::Error::last_os_error();
        let base = permission_error("write in the token directory", &dir, &err);
        Err(Error::new(
            ErrorKind::StoreIo,
            format!(
                "{}; the token file is replaced by a rename, so a refreshed token could not be saved and no refresh is made",
                base.message()
            ),
        )
        .with_hint(base.hint().unwrap_or(
            "make the directory writable by the application's user (chown www-data DIR), or move the token file to a directory it owns",
        ).to_string())
        .with_path(&dir))
    }

    /// Who new files (replaced token file, lock files) belong to: when running as root,
    /// the token file's owner, else the directory's; `None` for root's own files or when
    /// not running as root (files are then created as this process's user).
    fn new_file_owner(&self) -> Owner {
        if !self.trust.is_root() {
            return None;
        }
        let meta = fs::symlink_metadata(&self.path)
            .ok()
            .filter(|m| m.is_file())
            .or_else(|| fs::metadata(parent_dir(&self.path)).ok())?;
        (meta.uid() != 0).then(|| (meta.uid(), meta.gid()))
    }

    /// The shared change counter, mapped on first use; `None` when it cannot be (e.g. a
    /// read-only directory).
    fn generation_counter(&self) -> Option<Arc<super::generation::Generation>> {
        self.generation.counter(|| {
            // Created like a lock file first: 0600 whatever the umask, checked to be ours,
            // and (created by root for another user's file) owned like the token file.
            self.locks_dir().is_ok()
                && file_locks::open_lock_file(
                    self.generation.path(),
                    &self.trust,
                    self.new_file_owner(),
                )
                .is_ok()
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
        let _lock = file_locks::lock_file(
            &sibling(&self.path, ".lock"),
            &self.trust,
            self.new_file_owner(),
            WRITE_LOCK_WAIT,
        )?;
        let (mut entries, kept) = self.read_file()?;
        let result = change(&mut entries)?;
        self.write_atomically(&self.encode(&entries, &kept))?;
        if let Some(generation) = self.generation_counter() {
            generation.bump();
        }
        if let (Ok(fingerprint), Ok(mut cache)) = (self.stat_fingerprint(), self.parsed.try_lock())
        {
            *cache = Some((fingerprint, Arc::new(entries)));
        }
        Ok(result)
    }

    /// Replaces the token file with `bytes`. The new file keeps the old one's owner, group
    /// and mode (never looser than 0660), or is created 0600 (as root: owned like the
    /// directory).
    fn write_atomically(&self, bytes: &[u8]) -> Result<()> {
        let tmp = sibling(&self.path, ".tmp");
        let (mode, owner) = self.replacement_attributes()?;
        match fs::remove_file(&tmp) {
            Ok(()) => {}
            Err(e) if e.kind() == IoKind::NotFound => {}
            Err(e) => {
                return Err(permission_error(
                    "remove the stale temporary file",
                    &tmp,
                    &e,
                ));
            }
        }
        let written = create_private(&tmp).and_then(|mut f| {
            f.set_permissions(fs::Permissions::from_mode(mode))?;
            if let Some((uid, gid)) = owner {
                // Keeping the group is best effort for a user who is not in it.
                let changed = std::os::unix::fs::fchown(&f, Some(uid), Some(gid));
                if self.trust.is_root() {
                    changed?;
                }
            }
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written.and_then(|()| fs::rename(&tmp, &self.path)) {
            let _ = fs::remove_file(&tmp);
            return Err(permission_error("write", &self.path, &e));
        }
        // Make the rename itself durable; a failure here loses nothing already visible.
        if let Ok(dir) = File::open(parent_dir(&self.path)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// The mode and (when it must change) owner of a replacement for the token file.
    fn replacement_attributes(&self) -> Result<(u32, Owner)> {
        match fs::symlink_metadata(&self.path) {
            Ok(meta) if meta.file_type().is_symlink() => Err(Error::new(
                ErrorKind::StoreIo,
                format!(
                    "the token file {} became a symlink after it was opened; nothing was written",
                    self.path.display()
                ),
            )
            .with_hint("remove the symlink, or point token_persistence_path at the link's target")
            .with_path(&self.path)),
            Ok(meta) => {
                self.trust.check_owner(&self.path, &meta, "token file")?;
                let keep = (meta.uid(), meta.gid());
                // Root keeps the owner and group; another user can keep the group only.
                let owner = if self.trust.is_root() {
                    (keep != (0, 0)).then_some(keep)
                } else {
                    (keep.0 == current_euid() && keep.1 != current_egid()).then_some(keep)
                };
                Ok((meta.mode() & 0o660, owner))
            }
            Err(e) if e.kind() == IoKind::NotFound => Ok((0o600, self.new_file_owner())),
            Err(e) => Err(permission_error("inspect", &self.path, &e)),
        }
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
        self.generation.recheck();
        self.stat_fingerprint().ok()
    }

    fn generation(&self) -> Option<u64> {
        self.generation_counter().map(|counter| counter.get())
    }

    fn default_recheck(&self) -> Duration {
        DEFAULT_STORE_RECHECK
    }

    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        let path = self.user_lock_path(user)?;
        let file = file_locks::open_lock_file(&path, &self.trust, self.new_file_owner())?;
        let taken = retry_until(wait, || match file.try_lock() {
            Ok(()) => Ok(Some(())),
            Err(TryLockError::WouldBlock) => Ok(None),
            Err(TryLockError::Error(e)) => Err(Error::store_io("lock", &path, &e)),
        })?;
        if taken.is_none() {
            return Err(lock_timeout(&self.describe(), user, wait));
        }
        let guard: LockGuard = Box::new(file);
        Ok(guard)
    }

    /// The time is kept as text in the user's lock stripe, so every process sees it.
    fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        let dir = sibling(&self.path, ".locks");
        file_locks::read_failed_at(&file_locks::stripe_path(&dir, user), user)
    }

    fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        let path = self.user_lock_path(user)?;
        let mut file = file_locks::open_lock_file(&path, &self.trust, self.new_file_owner())?;
        file_locks::write_failed_at(&mut file, &path, user, at_ms)
    }

    fn describe(&self) -> String {
        self.path.display().to_string()
    }
}

/// A token file that is a symlink is followed to its target, which then is the store's
/// file. The link must belong to a trusted user (checked with the target's directory in
/// [`FileStore::new`]) and point at an existing regular file.
fn resolve_symlink(path: PathBuf) -> Result<PathBuf> {
    match fs::symlink_metadata(&path) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let dir_owner = fs::metadata(parent_dir(&path))
                .map(|m| m.uid())
                .unwrap_or(0);
            Trust::new(dir_owner).check_owner(&path, &meta, "token file symlink")?;
            let target = fs::canonicalize(&path).map_err(|e| {
                Error::store_io("follow the symlink", &path, &e).with_hint(
                    "the token file is a symlink to a missing file: point it at an existing file, or replace it with a regular file",
                )
            })?;
            if !fs::metadata(&target).is_ok_and(|m| m.is_file()) {
                return Err(Error::new(
                    ErrorKind::StoreIo,
                    format!(
                        "the token file {} is a symlink to {}, which is not a regular file",
                        path.display(),
                        target.display()
                    ),
                )
                .with_path(&path));
            }
            Ok(target)
        }
        _ => Ok(path),
    }
}

fn current_euid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

fn current_egid() -> u32 {
    // SAFETY: getegid cannot fail.
    unsafe { libc::getegid() }
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
