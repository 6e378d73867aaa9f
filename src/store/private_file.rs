//! Opening the small files a store keeps beside its data (lock files, the change counter).

use std::fs::{File, OpenOptions};
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

/// Opens `path` for reading and writing, creating it with mode 0600 when missing (the
/// process's umask can only narrow that), never through a symlink, and never inherited by a
/// program the process executes.
pub fn open_or_create(path: &Path) -> std::io::Result<File> {
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
}
