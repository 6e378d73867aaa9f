//! File plumbing for the SDK's CSV: lock files and the atomic replace (write a 0600
//! temporary file, sync it, rename it over the file, sync the directory). The same
//! discipline as the token file store's, kept here so each store owns its files.

use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{ErrorKind as IoKind, Read, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::store::wait::retry_until;

/// `path` with `suffix` appended to its file name.
pub fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The directory holding `path` (`.` for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The file's bytes; `None` when it does not exist.
pub fn read(path: &Path) -> Result<Option<Vec<u8>>> {
    let mut bytes = Vec::new();
    match File::open(path) {
        Ok(mut f) => f
            .read_to_end(&mut bytes)
            .map_err(|e| Error::store_io("read", path, &e))?,
        Err(e) if e.kind() == IoKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::store_io("read", path, &e)),
    };
    Ok(Some(bytes))
}

/// Opens (creating 0600, never through a symlink) and exclusively locks `path`, waiting at
/// most `wait`; `Ok(None)` when the time ran out. Dropping the file releases the lock.
pub fn lock(path: &Path, wait: Duration) -> Result<Option<File>> {
    let file = open_lock_file(path)?;
    let taken = retry_until(wait, || match file.try_lock() {
        Ok(()) => Ok(Some(())),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::store_io("lock", path, &e)),
    })?;
    Ok(taken.map(|()| file))
}

/// Creates `dir` with mode 0700 when it is missing.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == IoKind::AlreadyExists => Ok(()),
        Err(e) => Err(Error::store_io("create the lock directory", dir, &e)),
    }
}

fn open_lock_file(path: &Path) -> Result<File> {
    crate::store::private_file::open_or_create(path)
        .map_err(|e| Error::store_io("open the lock file", path, &e))
}

/// Replaces `path` by `bytes` atomically: readers see the old file or the new one.
pub fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = sibling(path, ".tmp");
    match fs::remove_file(&tmp) {
        Ok(()) => {}
        Err(e) if e.kind() == IoKind::NotFound => {}
        Err(e) => return Err(Error::store_io("remove the stale temporary file", &tmp, &e)),
    }
    let written = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(&tmp)
        .and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(Error::store_io("write", path, &e));
    }
    if let Ok(dir) = File::open(parent_dir(path)) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// FNV-1a: a stable 64-bit hash for lock file names.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}
