//! A token file on disk, whatever its format: how it is read, replaced and locked, shared
//! safely by many processes (the SDK's `zcrm_oauthtokens.txt` and our JSON file through
//! [`FileStore`](super::FileStore), today's SDK's `sdk_tokens.txt` through
//! [`SdkCsvStore`](super::sdk_csv::SdkCsvStore)).
//!
//! Every read-modify-write runs under an exclusive lock on `<file>.lock`, re-reads the file,
//! and replaces it by writing `<file>.tmp` (created 0600, never through a symlink), syncing
//! it, and renaming it over the file. Readers never see a half-written file, a killed writer
//! never leaves one, and concurrent writers never lose each other's updates. Refreshes of one
//! user are serialized across processes by a lock stripe in `<file>.locks/` (see
//! [`file_locks`](super::file_locks)). Every change bumps the shared change counter
//! (`<file>.locks/generation`).
//!
//! Deployments as they are: the directory and files are checked like OpenSSH's
//! `StrictModes` ([`strict`](super::strict)); a replaced file keeps its owner, group and
//! mode (never loosened); a token file that is a symlink is written through to its target,
//! atomically in the target's directory; and a refresh lock is refused up front when the
//! directory is not writable, so no refresh is spent that could not be saved.

use std::fs::{self, File, OpenOptions};
use std::io::{ErrorKind as IoKind, Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use super::file_locks::{self, Owner};
use super::generation::CounterSlot;
use super::strict::{Trust, permission_error};
use super::wait::{lock_timeout, retry_until};
use super::{Fingerprint, LockGuard};
use crate::error::{Error, ErrorKind, Result};

/// The [`TokenStore`](crate::store::TokenStore) methods of a store kept in a [`TokenFile`]
/// (its field `file`, and a `path()` method): the file's fingerprint and change counter, the
/// per-user refresh locks, the refresh failure times (kept as text in
/// the user's lock stripe, so every process sees them), and its path as its description.
macro_rules! token_file_store_methods {
    () => {
        fn fingerprint(&self) -> Option<$crate::store::Fingerprint> {
            self.file.fingerprint().ok()
        }

        fn generation(&self) -> Option<u64> {
            self.file.generation()
        }

        fn lock_user(
            &self,
            user: &str,
            wait: std::time::Duration,
        ) -> $crate::error::Result<$crate::store::LockGuard> {
            self.file.lock_user(user, wait)
        }

        fn refresh_failed_at(&self, user: &str) -> Option<i64> {
            self.file.refresh_failed_at(user)
        }

        fn set_refresh_failed_at(
            &self,
            user: &str,
            at_ms: Option<i64>,
        ) -> $crate::error::Result<()> {
            self.file.set_refresh_failed_at(user, at_ms)
        }

        fn read_history(&self, user: &str) -> $crate::error::Result<Option<String>> {
            self.file.read_history(user)
        }

        fn write_history(&self, user: &str, encoded: &str) -> $crate::error::Result<()> {
            self.file.write_history(user, encoded)
        }

        fn probe_lock(&self, user: &str) -> $crate::error::Result<$crate::store::LockState> {
            self.file.probe_lock(user)
        }

        fn describe(&self) -> String {
            self.path().display().to_string()
        }
    };
}
pub(crate) use token_file_store_methods;

/// The longest a change waits for the file's write lock, which each writer holds only to
/// read, change and replace the file (about 250 ms for 100,000 users): a stuck holder
/// cannot block a save for longer.
const WRITE_LOCK_WAIT: Duration = Duration::from_secs(60);

/// The longest a failure time's write waits for its stripe file (held for a rewrite of a
/// few lines only).
const STRIPE_LOCK_WAIT: Duration = Duration::from_secs(5);

/// One token file: its path (a symlink already followed), the trust its directory gives,
/// and its shared change counter.
pub struct TokenFile {
    path: PathBuf,
    trust: Trust,
    /// The change counter shared with every process using this file (`<file>.locks/generation`).
    generation: CounterSlot,
}

impl TokenFile {
    /// The token file at `path`. Its directory must exist; the file need not (a missing file
    /// is an empty store) but must not be a directory.
    ///
    /// The directory is refused when other users can write it (unless it is sticky), and a
    /// token file that is a symlink is followed to its target once, here: the store then
    /// works on the target, in the target's directory. A token file this process can write
    /// in a directory it cannot is refused (see `refuse_in_place_deployment`).
    pub fn open(path: PathBuf) -> Result<TokenFile> {
        let path = resolve_symlink(path)?;
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
            Err(e) => return Err(super::strict::token_dir_error(&dir, &e)),
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
        refuse_in_place_deployment(&path, &dir)?;
        Ok(TokenFile {
            generation: CounterSlot::new(sibling(&path, ".locks").join("generation")),
            path,
            trust,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's fingerprint (see [`Fingerprint::of_file`]); first forgets the change
    /// counter's mapping when its file was replaced, so it is mapped again.
    pub fn fingerprint(&self) -> Result<Fingerprint> {
        self.generation.recheck();
        Fingerprint::of_file(&self.path)
    }

    /// The shared change counter's value, when it can be mapped.
    pub fn generation(&self) -> Option<u64> {
        self.generation_counter().map(|counter| counter.get())
    }

    /// The file's bytes (`None` when it does not exist), refused when another user owns it.
    pub fn read(&self) -> Result<Option<Vec<u8>>> {
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
                    .map_err(|e| permission_error("read", &self.path, &e))?;
                Ok(Some(bytes))
            }
            Err(e) if e.kind() == IoKind::NotFound => Ok(None),
            Err(e) => Err(permission_error("read", &self.path, &e)),
        }
    }

    /// Under the write lock: reads the file, lets `change` make the new bytes, replaces the
    /// file and bumps the change counter. When `change` refuses (`Err`) or gives no bytes,
    /// nothing is written (a check and its decision still ran under the write lock, against
    /// every other writer).
    pub fn replace<R>(
        &self,
        change: impl FnOnce(Option<Vec<u8>>) -> Result<(Option<Vec<u8>>, R)>,
    ) -> Result<R> {
        let _lock = file_locks::lock_file(
            &sibling(&self.path, ".lock"),
            &self.trust,
            self.new_file_owner(),
            WRITE_LOCK_WAIT,
        )?;
        let (bytes, result) = change(self.read()?)?;
        if let Some(bytes) = bytes {
            self.write_atomically(&bytes)?;
            if let Some(generation) = self.generation_counter() {
                generation.bump();
            }
        }
        Ok(result)
    }

    /// Checks, before a grant is spent, that a save can work: the directory still exists,
    /// is trusted and can be written by this process (the file is replaced by a rename),
    /// and the lock directory can be used.
    pub fn prepare(&self) -> Result<()> {
        self.check_writable("new tokens could not be saved; the grant token was not used")?;
        self.locks_dir().map(|_| ())
    }

    /// The lock directory, for a refresh of a user: refused up front when the token file
    /// could not be replaced, so a refresh is never spent on tokens that cannot be saved.
    fn locks_dir_for_refresh(&self) -> Result<PathBuf> {
        self.check_writable("a refreshed token could not be saved and no refresh is made")?;
        self.locks_dir()
    }

    /// `<file>.locks/`, created 0700 (owned like the token file) when missing, and checked.
    fn locks_dir(&self) -> Result<PathBuf> {
        let dir = sibling(&self.path, ".locks");
        file_locks::ensure_lock_dir(&dir, &self.trust, self.new_file_owner())?;
        Ok(dir)
    }

    /// Whether this process can replace the token file: the directory must be writable
    /// (the file is replaced by a rename) and trusted. `consequence` says what the error
    /// means for the caller.
    fn check_writable(&self, consequence: &str) -> Result<()> {
        let dir = parent_dir(&self.path);
        let meta = fs::metadata(&dir).map_err(|e| permission_error("use", &dir, &e))?;
        self.trust.check_token_dir(&dir, &meta)?;
        let err = match access(&dir, libc::W_OK | libc::X_OK) {
            Ok(()) => return Ok(()),
            Err(err) => err,
        };
        let base = permission_error("write in the token directory", &dir, &err);
        Err(Error::new(
            ErrorKind::StoreIo,
            format!(
                "{}; the token file is replaced by a rename, so {consequence}",
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

    /// Takes `user`'s refresh lock (its byte in `<file>.locks/users.lock`), waiting at most
    /// `wait`.
    pub fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        let path = file_locks::users_lock_path(&self.locks_dir_for_refresh()?);
        let file = file_locks::open_lock_file(&path, &self.trust, self.new_file_owner())?;
        let taken = retry_until(wait, || match file_locks::try_lock_user(&file, user) {
            Ok(true) => Ok(Some(())),
            Ok(false) => Ok(None),
            Err(e) => Err(Error::store_io("lock", &path, &e)),
        })?;
        if taken.is_none() {
            return Err(lock_timeout(&self.path.display().to_string(), user, wait));
        }
        let guard: LockGuard = Box::new(file);
        Ok(guard)
    }

    /// The time is kept as text in the user's lock stripe, so every process sees it.
    pub fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        let dir = sibling(&self.path, ".locks");
        file_locks::read_failed_at(&file_locks::stripe_path(&dir, user), user)
    }

    /// Records (or clears) when a refresh of `user` last failed, in its stripe file, under
    /// that file's own lock (held for the rewrite only).
    pub fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        let path = file_locks::stripe_path(&self.locks_dir_for_refresh()?, user);
        let mut file =
            file_locks::lock_file(&path, &self.trust, self.new_file_owner(), STRIPE_LOCK_WAIT)?;
        file_locks::write_failed_at(&mut file, &path, user, at_ms)
    }
}

/// Refresh histories, kept in `<file>.history` (see [`history_file`](super::history_file)).
impl TokenFile {
    /// `user`'s encoded refresh history.
    pub fn read_history(&self, user: &str) -> Result<Option<String>> {
        let path = sibling(&self.path, ".history");
        super::history_file::read(&path, &self.trust, self.new_file_owner(), user)
    }

    /// Replaces `user`'s refresh history; the side file is created 0600, owned like the
    /// token file.
    pub fn write_history(&self, user: &str, encoded: &str) -> Result<()> {
        let path = sibling(&self.path, ".history");
        super::history_file::write(&path, &self.trust, self.new_file_owner(), user, encoded)
    }

    /// Forgets `user`'s refresh history, after its tokens were deleted. Best effort: a line
    /// left behind (the side file locked past its bound) is harmless, the tokens are gone.
    pub fn forget_history(&self, user: &str) {
        let path = sibling(&self.path, ".history");
        let _ = super::history_file::remove(&path, &self.trust, self.new_file_owner(), user);
    }

    /// Whether another holder has `user`'s refresh lock now: one try, released at once. A
    /// store that never made a lock file has no holder.
    pub fn probe_lock(&self, user: &str) -> Result<crate::store::LockState> {
        let path = file_locks::users_lock_path(&sibling(&self.path, ".locks"));
        if !path.exists() {
            return Ok(crate::store::LockState::Free);
        }
        let file = file_locks::open_lock_file(&path, &self.trust, None)?;
        match file_locks::try_lock_user(&file, user) {
            Ok(true) => Ok(crate::store::LockState::Free),
            Ok(false) => Ok(crate::store::LockState::Held {
                held_for: None,
                expires_in: None,
            }),
            Err(e) => Err(Error::store_io("lock", &path, &e)),
        }
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

/// Refuses a token file this process can write in a directory it cannot: how Zoho's SDK
/// (which rewrites the file in place) is often deployed. This library replaces the file by
/// a rename, so that a crash never leaves half a file and a reader never sees one; there no
/// refreshed token could ever be saved, and the deployment would fail an hour after the
/// switch, when the first token expires. Refused when opened (at `initialize`), with the fix.
fn refuse_in_place_deployment(path: &Path, dir: &Path) -> Result<()> {
    let writable_file = path.is_file() && access(path, libc::W_OK).is_ok();
    if !writable_file || access(dir, libc::W_OK | libc::X_OK).is_ok() {
        return Ok(());
    }
    Err(Error::new(
        ErrorKind::StoreIo,
        format!(
            "the token file {} can be written by this process but its directory {} cannot: the file is replaced by a rename (never rewritten in place, so a crash cannot leave half a file), so no refreshed token could be saved there",
            path.display(),
            dir.display()
        ),
    )
    .with_hint("give the directory to the application's user as the file is (chown www-data DIR), or move the token file into a directory that user owns")
    .with_path(dir))
}

/// `faccessat(path, mode)` with the effective ids (as the kernel checks an open or a
/// rename; root passes).
fn access(path: &Path, mode: libc::c_int) -> std::io::Result<()> {
    let c_path = std::ffi::CString::new(path.as_os_str().as_encoded_bytes())
        .map_err(|_| std::io::Error::new(IoKind::InvalidInput, "the path contains a NUL byte"))?;
    // SAFETY: c_path is a valid NUL-terminated path; faccessat only reads it.
    let rc = unsafe { libc::faccessat(libc::AT_FDCWD, c_path.as_ptr(), mode, libc::AT_EACCESS) };
    if rc == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
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
