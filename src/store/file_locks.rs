//! The file store's lock files: `<file>.lock` for read-modify-writes, and a fixed set of
//! [`STRIPES`] lock files in `<file>.locks/` that serialize refreshes (a user's refresh
//! takes the stripe its identifier hashes to). Their number never grows with the number of
//! users, so nothing needs cleaning up.
//!
//! Every lock directory and lock file is created with an explicit mode (whatever the
//! umask), never through a symlink, and is checked like OpenSSH's `StrictModes` (see
//! [`strict`](super::strict)); when root creates one, it takes the token file's owner.
//! A stripe file also records, per user, when a refresh last failed transiently: one line
//! `<user hash> <epoch ms>` per user, written while the stripe is locked.

use std::fs::{self, TryLockError};
use std::io::{ErrorKind as IoKind, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::time::Duration;

use super::held_locks::LockFile;
use super::strict::{Trust, permission_error};
use super::wait::{retry_until, write_lock_timeout};
use crate::error::{Error, Result};

/// How many stripe files keep the users' failure times.
pub const STRIPES: u64 = 64;

/// Who new lock files and directories belong to: `Some((uid, gid))` when running as root
/// for a token file owned by someone else.
pub type Owner = Option<(u32, u32)>;

/// The file in `lock_dir` that holds every user's refresh lock, one byte each.
pub fn users_lock_path(lock_dir: &Path) -> PathBuf {
    lock_dir.join("users.lock")
}

/// Tries to take `user`'s refresh lock in `file` (the users' lock file) without waiting:
/// an open-file-description lock (`F_OFD_SETLK`) on one byte at an offset taken from a 64-bit
/// hash of the user, so users never wait for one another, one file serves them all, and
/// (unlike classic `fcntl` locks) two threads of one process exclude each other. `Ok(true)`
/// when taken; closing the file releases it. A forked child lets go of it as of every lock
/// file ([`LockFile`]).
pub fn try_lock_user(file: &LockFile, user: &str) -> std::io::Result<bool> {
    use std::os::fd::AsRawFd;
    // SAFETY: `flock` is plain data; zeroed is a valid value that the fields below complete.
    let mut range: libc::flock = unsafe { std::mem::zeroed() };
    range.l_type = libc::F_WRLCK as libc::c_short;
    range.l_whence = libc::SEEK_SET as libc::c_short;
    range.l_start = (fnv1a(user.as_bytes()) >> 2) as libc::off_t;
    range.l_len = 1;
    // SAFETY: a live descriptor and a valid, initialized `flock` for F_OFD_SETLK.
    let rc = unsafe { libc::fcntl(file.as_raw_fd(), libc::F_OFD_SETLK, &raw const range) };
    if rc == 0 {
        return Ok(true);
    }
    let err = std::io::Error::last_os_error();
    match err.raw_os_error() {
        Some(libc::EAGAIN | libc::EACCES) => Ok(false),
        _ => Err(err),
    }
}

/// The stripe file for `user` in `lock_dir`, which keeps the time of its last failed
/// refresh (lines per user; 64 stripes at most, whatever the number of users).
pub fn stripe_path(lock_dir: &Path, user: &str) -> PathBuf {
    lock_dir.join(format!(
        "stripe-{:02}.lock",
        fnv1a(user.as_bytes()) % STRIPES
    ))
}

/// Creates the lock directory (0700, owned by `owner`) if needed, and checks it.
pub fn ensure_lock_dir(dir: &Path, trust: &Trust, owner: Owner) -> Result<()> {
    match fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {
            // The umask may have taken bits away (umask 0277 gives 0500): set them.
            fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
                .map_err(|e| permission_error("set the mode of", dir, &e))?;
            if let Some((uid, gid)) = owner {
                std::os::unix::fs::lchown(dir, Some(uid), Some(gid))
                    .map_err(|e| permission_error("change the owner of", dir, &e))?;
            }
        }
        Err(e) if e.kind() == IoKind::AlreadyExists => {}
        Err(e) => return Err(permission_error("create the lock directory", dir, &e)),
    }
    let meta = fs::symlink_metadata(dir).map_err(|e| permission_error("inspect", dir, &e))?;
    trust.check_lock_dir(dir, &meta)
}

/// Opens a lock file (creating it 0600, owned by `owner`), never through a symlink,
/// registered so that a forked child lets go of it, and checked to belong to a trusted user.
pub fn open_lock_file(path: &Path, trust: &Trust, owner: Owner) -> Result<LockFile> {
    let file = super::private_file::open_or_create(path)
        .map(LockFile::register)
        .map_err(|e| permission_error("open the lock file", path, &e))?;
    let meta = file
        .metadata()
        .map_err(|e| permission_error("inspect", path, &e))?;
    trust.check_owner(path, &meta, "lock file")?;
    if meta.uid() == trust_euid() && meta.mode() & 0o777 != 0o600 {
        // Created under a restrictive umask, or loosened since: exactly 0600.
        file.set_permissions(fs::Permissions::from_mode(0o600))
            .map_err(|e| permission_error("set the mode of", path, &e))?;
    }
    if let Some((uid, gid)) = owner
        && meta.uid() == 0
    {
        std::os::unix::fs::fchown(&*file, Some(uid), Some(gid))
            .map_err(|e| permission_error("change the owner of", path, &e))?;
    }
    Ok(file)
}

/// Opens and exclusively locks a lock file, waiting at most `wait` (then a
/// [`crate::ErrorKind::LockTimeout`] error); the lock is released when it is dropped.
pub fn lock_file(path: &Path, trust: &Trust, owner: Owner, wait: Duration) -> Result<LockFile> {
    let file = open_lock_file(path, trust, owner)?;
    let taken = retry_until(wait, || match file.try_lock() {
        Ok(()) => Ok(Some(())),
        Err(TryLockError::WouldBlock) => Ok(None),
        Err(TryLockError::Error(e)) => Err(Error::store_io("lock", path, &e)),
    })?;
    match taken {
        Some(()) => Ok(file),
        None => Err(write_lock_timeout(&path.display().to_string(), wait)),
    }
}

/// When a refresh of `user` last failed, as recorded in its stripe file.
pub fn read_failed_at(stripe: &Path, user: &str) -> Option<i64> {
    let text = fs::read_to_string(stripe).ok()?;
    let key = format!("{:016x}", fnv1a(user.as_bytes()));
    text.lines().find_map(|line| {
        let (hash, at) = line.split_once(' ')?;
        (hash == key).then(|| at.trim().parse().ok())?
    })
}

/// Records (`Some`) or clears (`None`) `user`'s failure time in its stripe file, keeping
/// the other users' lines. The caller holds the stripe file's lock (several users share a
/// stripe).
pub fn write_failed_at(
    file: &mut LockFile,
    stripe: &Path,
    user: &str,
    at: Option<i64>,
) -> Result<()> {
    let key = format!("{:016x}", fnv1a(user.as_bytes()));
    let mut text = String::new();
    let io = |e: std::io::Error| Error::store_io("write", stripe, &e);
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    // A stripe file written by an older version holds a bare number: it is dropped.
    let _ = file.read_to_string(&mut text);
    let mut lines: Vec<String> = text
        .lines()
        .filter(|line| line.contains(' ') && !line.starts_with(&key))
        .map(str::to_string)
        .collect();
    if let Some(at) = at {
        lines.push(format!("{key} {at}"));
    }
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    file.set_len(0).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    file.write_all(out.as_bytes()).map_err(io)
}

fn trust_euid() -> u32 {
    // SAFETY: geteuid cannot fail.
    unsafe { libc::geteuid() }
}

/// FNV-1a: a stable 64-bit hash for lock stripe choice.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &b| {
        (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_write_lock_wait_is_bounded() {
        let dir = tempfile::tempdir().expect("tempdir");
        let trust = Trust::new(0);
        let path = dir.path().join("file.lock");
        let held = lock_file(&path, &trust, None, Duration::from_secs(1)).expect("first");
        let started = std::time::Instant::now();
        let second = lock_file(&path, &trust, None, Duration::from_millis(150));
        let e = second.err().expect("held elsewhere");
        assert_eq!(e.kind(), crate::ErrorKind::LockTimeout);
        assert!(e.message().contains("the write lock"), "{e}");
        assert!(
            !e.message().contains("refresh"),
            "a write lock, not a refresh lock: {e}"
        );
        assert!(started.elapsed() < Duration::from_secs(5));
        drop(held);
        lock_file(&path, &trust, None, Duration::from_millis(150)).expect("released");
    }

    #[test]
    fn failure_times_are_kept_per_user_in_one_stripe() {
        let dir = tempfile::tempdir().expect("tempdir");
        let trust = Trust::new(0);
        let path = dir.path().join("stripe-00.lock");
        let mut file = open_lock_file(&path, &trust, None).expect("open");
        write_failed_at(&mut file, &path, "a", Some(5)).expect("a");
        write_failed_at(&mut file, &path, "b", Some(7)).expect("b");
        assert_eq!(read_failed_at(&path, "a"), Some(5));
        assert_eq!(read_failed_at(&path, "b"), Some(7));
        write_failed_at(&mut file, &path, "a", None).expect("clear");
        assert_eq!(read_failed_at(&path, "a"), None);
        assert_eq!(read_failed_at(&path, "b"), Some(7));
    }
}
