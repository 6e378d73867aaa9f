//! What OpenSSH's `StrictModes` does, for the token file's directory and the files in it.
//!
//! A token file, lock file or lock directory must belong to a trusted user; a symlink is
//! never accepted where a directory is expected; and a directory that another user can
//! write is refused unless it is sticky (`/tmp`-style), where other users cannot replace
//! our files. Trusted users: root and the process's effective user; when running as root,
//! also the owner of the token directory (root acts for the application that owns it, as
//! `zoho-oauth refresh` run with sudo does).

use std::ffi::CStr;
use std::fs::Metadata;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::error::{Error, ErrorKind, Remedy};

/// The users whose files and directories are trusted, seen from this process.
#[derive(Clone, Copy, Debug)]
pub struct Trust {
    euid: u32,
    egid: u32,
    /// The token directory's owner, trusted when running as root.
    dir_owner: u32,
}

impl Trust {
    /// The trust of this process for a token directory owned by `dir_owner`.
    pub fn new(dir_owner: u32) -> Trust {
        // SAFETY: geteuid and getegid cannot fail and touch no memory.
        let (euid, egid) = unsafe { (libc::geteuid(), libc::getegid()) };
        Trust {
            euid,
            egid,
            dir_owner,
        }
    }

    /// True when running as root.
    pub fn is_root(&self) -> bool {
        self.euid == 0
    }

    /// Whether files of `uid` are trusted.
    pub fn trusts(&self, uid: u32) -> bool {
        uid == 0 || uid == self.euid || (self.euid == 0 && uid == self.dir_owner)
    }

    /// Whether a user other than a trusted one can create, rename or delete entries in a
    /// directory with this metadata (ignoring the sticky bit).
    fn others_can_write(&self, meta: &Metadata) -> bool {
        let mode = meta.mode();
        let owner_writes = mode & 0o200 != 0 && !self.trusts(meta.uid());
        let group_writes =
            mode & 0o020 != 0 && !(meta.gid() == self.egid && self.trusts(meta.uid()));
        owner_writes || group_writes || mode & 0o002 != 0
    }

    /// Checks the token directory: a directory others cannot write, or a sticky one.
    pub fn check_token_dir(&self, dir: &Path, meta: &Metadata) -> Result<(), Error> {
        if self.others_can_write(meta) && meta.mode() & 0o1000 == 0 {
            return Err(refusal(
                dir,
                format!(
                    "the token directory {} can be written by other users (owner {}, mode {:04o}), who could replace the token file",
                    dir.display(),
                    user_name(meta.uid()),
                    meta.mode() & 0o7777
                ),
                "make it writable by the application's user only (e.g. chown www-data DIR; chmod 0700 DIR), or set the sticky bit (chmod +t DIR)",
            ));
        }
        Ok(())
    }

    /// Checks the lock directory, seen without following symlinks.
    pub fn check_lock_dir(&self, dir: &Path, meta: &Metadata) -> Result<(), Error> {
        if meta.file_type().is_symlink() || !meta.is_dir() {
            return Err(refusal(
                dir,
                format!(
                    "the lock directory {} is a symlink or not a directory",
                    dir.display()
                ),
                "remove it (rm -r DIR.locks); it is created again, 0700",
            ));
        }
        self.check_owner(dir, meta, "lock directory")?;
        if self.others_can_write(meta) {
            return Err(refusal(
                dir,
                format!(
                    "the lock directory {} can be written by other users (mode {:04o})",
                    dir.display(),
                    meta.mode() & 0o7777
                ),
                "chmod 0700 it, or remove it: it is created again",
            ));
        }
        Ok(())
    }

    /// Checks that a token or lock file (`what`) belongs to a trusted user.
    pub fn check_owner(&self, path: &Path, meta: &Metadata, what: &str) -> Result<(), Error> {
        if self.trusts(meta.uid()) {
            return Ok(());
        }
        Err(refusal(
            path,
            format!(
                "the {what} {} belongs to {}, not to this process's user ({}) or root; it is not trusted",
                path.display(),
                user_name(meta.uid()),
                user_name(self.euid)
            ),
            &format!(
                "if it is legitimate, run as its owner (sudo -u {} ...) or chown it to {}; otherwise remove it",
                user_name(meta.uid()),
                user_name(self.euid)
            ),
        ))
    }
}

fn refusal(path: &Path, message: String, hint: &str) -> Error {
    Error::new(ErrorKind::StoreIo, message)
        .with_hint(hint)
        .with_path(path)
}

/// A user's name, or `uid N` when it has none.
pub fn user_name(uid: u32) -> String {
    let mut buf = vec![0 as libc::c_char; 1024];
    // SAFETY: a zeroed passwd is a valid out-parameter; getpwuid_r writes at most
    // `buf.len()` bytes into `buf` and points `result` at `pwd` or sets it to NULL.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(uid, &mut pwd, buf.as_mut_ptr(), buf.len(), &mut result);
        if rc == 0
            && !result.is_null()
            && !pwd.pw_name.is_null()
            && let Ok(name) = CStr::from_ptr(pwd.pw_name).to_str()
        {
            return name.to_string();
        }
    }
    format!("uid {uid}")
}

/// A "Permission denied" error on `path` that says whose file it is and what to run.
pub fn permission_error(action: &str, path: &Path, err: &std::io::Error) -> Error {
    let base = Error::store_io(action, path, err);
    if err.kind() != std::io::ErrorKind::PermissionDenied {
        return base;
    }
    let owned = |p: &Path| {
        std::fs::metadata(p)
            .ok()
            .map(|m| (m.uid(), m.mode() & 0o7777))
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let (subject, (uid, mode)) = match owned(path) {
        Some(found) => (path.to_path_buf(), found),
        None => match owned(&dir) {
            Some(found) => (dir, found),
            None => return base,
        },
    };
    let owner = user_name(uid);
    // SAFETY: geteuid cannot fail.
    let me = user_name(unsafe { libc::geteuid() });
    let message = format!(
        "{} ({} belongs to {owner}, mode {mode:04o}; this process runs as {me})",
        base.message(),
        subject.display()
    );
    Error::new(ErrorKind::StoreIo, message)
        .with_remedy(Remedy::RunAsOwner)
        .with_hint(format!(
            "run as the owner (e.g. with sudo -u {owner}), or chown -R {me} {} so the web server's user owns the token files",
            subject.display()
        ))
        .with_path(path)
}

/// The error for a token directory this process cannot use: missing, or behind a directory it
/// may not enter (a 0700 home directory on the way, the usual case when PHP-FPM's `www-data`
/// is given the CLI's default `~/.local/share/zoho-oauth`). It says who cannot reach what,
/// and what to run.
pub fn token_dir_error(dir: &Path, err: &std::io::Error) -> Error {
    let base = Error::store_io("use the token directory", dir, err);
    // SAFETY: geteuid cannot fail.
    let me = user_name(unsafe { libc::geteuid() });
    let create = format!("sudo install -d -o {me} -g {me} -m 0700");
    if err.kind() != std::io::ErrorKind::PermissionDenied {
        return base.with_hint(format!(
            "token_persistence_path must name an existing directory, which the token file is created inside; create it for the user this process runs as ({me}): {create} {}",
            dir.display()
        ));
    }
    // The deepest directory this process can look at is the one it may not enter.
    let blocker = dir
        .ancestors()
        .skip(1)
        .find_map(|a| std::fs::metadata(a).ok().map(|m| (a.to_path_buf(), m)));
    let Some((blocker, meta)) = blocker else {
        return base;
    };
    let message = format!(
        "token_persistence_path {} cannot be reached by {me}, the user this process runs as: {} (owner {}, mode {:04o}) does not let {me} in",
        dir.display(),
        blocker.display(),
        user_name(meta.uid()),
        meta.mode() & 0o7777
    );
    Error::new(ErrorKind::StoreIo, message)
        .with_path(dir)
        .with_hint(format!(
            "give {me} a token directory of its own, outside any home directory: {create} /var/lib/zoho-oauth; set token_persistence_path to it and save the tokens there as {me}: sudo -u {me} zoho-oauth exchange --token-dir /var/lib/zoho-oauth"
        ))
}
