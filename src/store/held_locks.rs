//! Lock files open in this process, let go of in a forked child.
//!
//! `flock` locks belong to an open file description, which `fork()` shares with the child.
//! A child would otherwise keep a lock its parent took (a refresh in another thread at the
//! moment of the fork) for as long as it lives: the parent's later refreshes wait on a
//! process that never calls the library, and a child that does call it waits on itself.
//!
//! Every lock file is registered here while it is open. A `pthread_atfork` child handler,
//! installed on first use, points each registered descriptor at `/dev/null` in the child
//! (`dup3`, async-signal-safe, no allocation, no lock), which drops the child's share of
//! the parent's lock without touching the parent's. The registry is a fixed array of
//! atomics, so the handler never waits on a mutex another thread held at the fork.

use std::fs::File;
use std::ops::{Deref, DerefMut};
use std::os::fd::AsRawFd;
use std::sync::Once;
use std::sync::atomic::{AtomicI32, Ordering};

/// How many lock files can be open at once and still be released in a child. More are
/// still used, but a child forked while they are held keeps them (a process holds one or
/// two per thread that is saving or refreshing).
const SLOTS: usize = 512;

static HELD: [AtomicI32; SLOTS] = [const { AtomicI32::new(-1) }; SLOTS];
static INSTALL: Once = Once::new();

/// An open lock file, registered so that a forked child lets go of it. Dropping it unlocks
/// the file (for every process sharing the description) and closes it.
pub struct LockFile {
    file: File,
    slot: Option<usize>,
}

impl LockFile {
    /// Registers `file`, which must be registered before it is locked.
    pub fn register(file: File) -> LockFile {
        INSTALL.call_once(install_fork_handler);
        let fd = file.as_raw_fd();
        let slot = HELD.iter().position(|cell| {
            cell.compare_exchange(-1, fd, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
        });
        LockFile { file, slot }
    }
}

impl Deref for LockFile {
    type Target = File;
    fn deref(&self) -> &File {
        &self.file
    }
}

impl DerefMut for LockFile {
    fn deref_mut(&mut self) -> &mut File {
        &mut self.file
    }
}

impl Drop for LockFile {
    fn drop(&mut self) {
        let fd = self.file.as_raw_fd();
        // Unlock before unregistering: a fork in between must not leave a child holding it.
        let _ = self.file.unlock();
        if let Some(slot) = self.slot {
            let _ = HELD[slot].compare_exchange(fd, -1, Ordering::AcqRel, Ordering::Acquire);
        }
    }
}

fn install_fork_handler() {
    // SAFETY: `release_in_child` is an `extern "C"` function with no arguments that only
    // makes async-signal-safe calls, as pthread_atfork requires of a child handler.
    unsafe {
        libc::pthread_atfork(None, None, Some(release_in_child));
    }
}

/// In a freshly forked child: every registered lock descriptor now refers to `/dev/null`,
/// so the child no longer shares the parent's lock; the descriptor numbers stay valid, so
/// a `LockFile` the forking thread itself owns still closes only its own descriptor.
extern "C" fn release_in_child() {
    // SAFETY: open, dup3 and close are async-signal-safe; the path is a NUL-terminated
    // static string.
    unsafe {
        let null = libc::open(c"/dev/null".as_ptr(), libc::O_RDWR | libc::O_CLOEXEC);
        for cell in &HELD {
            let fd = cell.load(Ordering::Acquire);
            if fd >= 0 && null >= 0 {
                libc::dup3(null, fd, libc::O_CLOEXEC);
            } else if fd >= 0 {
                libc::close(fd);
                cell.store(-1, Ordering::Release);
            }
        }
        if null >= 0 {
            libc::close(null);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_lock_file_frees_its_slot() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = File::create(dir.path().join("a.lock")).expect("file");
        let fd = file.as_raw_fd();
        let lock = LockFile::register(file);
        let slot = lock.slot.expect("a free slot");
        assert_eq!(HELD[slot].load(Ordering::Acquire), fd);
        drop(lock);
        assert_ne!(HELD[slot].load(Ordering::Acquire), fd);
    }
}
