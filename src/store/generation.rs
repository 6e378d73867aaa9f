//! A change counter shared by every process that uses one token file, read without a
//! system call.
//!
//! Writers (this library, in any process) add one to it under the file's write lock after
//! each change. A reader keeps the value it saw with its cached tokens; while the counter
//! is unchanged, no process using this library has changed the file, so the cache is
//! current without a `stat()`. Writers that are not this library (Zoho's SDK, an editor)
//! do not count; the client notices them at its `store_recheck_ms` bound instead.
//!
//! The counter is the first 8 bytes of a 0600 file, mapped shared into each process. The
//! mapping survives `fork()` (the child shares it, which is right: it is the same file).
//! Truncating the file while processes map it would make their next read fault: it lives in
//! the private lock directory, which only the token file's owner can write.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::Path;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

/// The size the counter file is given (one page; only the first 8 bytes are used).
const FILE_SIZE: u64 = 4096;

/// The mapped counter of one token file.
pub struct Generation {
    counter: NonNull<AtomicU64>,
    /// Kept open so the file's identity is pinned while mapped.
    _file: File,
}

// SAFETY: the mapping is only accessed through `AtomicU64`, which is safe to share and send
// between threads; the pointer stays valid until `Drop` unmaps it.
unsafe impl Send for Generation {}
// SAFETY: as above; every access is an atomic operation.
unsafe impl Sync for Generation {}

impl Generation {
    /// Maps the counter at `path`, creating the file (0600, never through a symlink) when it
    /// does not exist. `None` when it cannot be opened or mapped (a read-only directory, a
    /// file of someone else's): callers then fall back to checking the token file itself.
    pub fn open(path: &Path) -> Option<Generation> {
        let file = super::private_file::open_or_create(path).ok()?;
        let meta = file.metadata().ok()?;
        if !meta.is_file() || !owned_by_us(&meta) {
            return None;
        }
        if meta.len() < FILE_SIZE {
            file.set_len(FILE_SIZE).ok()?;
        }
        // SAFETY: a fresh shared, read-write mapping of the first page of a regular file of
        // at least that size; the kernel picks the address. Checked for MAP_FAILED below.
        let address = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                FILE_SIZE as usize,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                file.as_raw_fd(),
                0,
            )
        };
        if address == libc::MAP_FAILED {
            return None;
        }
        let counter = NonNull::new(address.cast::<AtomicU64>())?;
        Some(Generation {
            counter,
            _file: file,
        })
    }

    /// Whether the counter file was removed (or replaced) since it was mapped: writers then
    /// bump another file, so this mapping must be dropped and the path mapped again.
    pub fn is_stale(&self, path: &Path) -> bool {
        use std::os::unix::fs::MetadataExt;
        let Ok(mapped) = self._file.metadata() else {
            return true;
        };
        match std::fs::symlink_metadata(path) {
            Ok(now) => {
                mapped.nlink() == 0 || now.ino() != mapped.ino() || now.dev() != mapped.dev()
            }
            Err(_) => true,
        }
    }

    /// The current value.
    pub fn get(&self) -> u64 {
        self.atomic().load(Ordering::Acquire)
    }

    /// Adds one, after a change was written (called under the file's write lock).
    pub fn bump(&self) {
        self.atomic().fetch_add(1, Ordering::AcqRel);
    }

    fn atomic(&self) -> &AtomicU64 {
        // SAFETY: the page is mapped, page-aligned (so aligned for u64) and lives as long as
        // `self`; all processes access it only atomically.
        unsafe { self.counter.as_ref() }
    }
}

impl Drop for Generation {
    fn drop(&mut self) {
        // SAFETY: unmaps exactly the mapping made in `open`; no reference outlives `self`.
        unsafe {
            libc::munmap(self.counter.as_ptr().cast(), FILE_SIZE as usize);
        }
    }
}

/// A store's change counter at `path`: mapped on first use, forgotten (to be mapped again)
/// when its file was removed or replaced, or could not be mapped. Only ever `try_lock`ed: a
/// child forked while another thread held it gets `None` (callers then check the file
/// itself) instead of waiting forever.
pub struct CounterSlot {
    path: std::path::PathBuf,
    /// `None`: not tried yet; `Some(None)`: could not be mapped (tried again after
    /// [`CounterSlot::recheck`]).
    slot: Mutex<Option<Option<Arc<Generation>>>>,
}

impl CounterSlot {
    /// The slot of the counter file at `path`; nothing is opened yet.
    pub fn new(path: std::path::PathBuf) -> CounterSlot {
        CounterSlot {
            path,
            slot: Mutex::new(None),
        }
    }

    /// The counter file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The mapped counter; on first use `prepare` runs first (it creates the directory and
    /// the file as the store wants them) and must succeed for the file to be mapped.
    pub fn counter(&self, prepare: impl FnOnce() -> bool) -> Option<Arc<Generation>> {
        let mut slot = self.slot.try_lock().ok()?;
        slot.get_or_insert_with(|| {
            if !prepare() {
                return None;
            }
            Generation::open(&self.path).map(Arc::new)
        })
        .clone()
    }

    /// Forgets the counter when its file was removed or replaced (or it could not be
    /// mapped), so that the next use maps the one writers bump now.
    pub fn recheck(&self) {
        if let Ok(mut slot) = self.slot.try_lock()
            && let Some(mapped) = slot.as_ref()
            && mapped
                .as_ref()
                .is_none_or(|counter| counter.is_stale(&self.path))
        {
            *slot = None;
        }
    }
}

fn owned_by_us(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    // SAFETY: geteuid has no preconditions and cannot fail.
    meta.uid() == unsafe { libc::geteuid() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_mappings_of_one_file_see_each_others_bumps() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("generation");
        let a = Generation::open(&path).expect("map a");
        let b = Generation::open(&path).expect("map b");
        let before = b.get();
        a.bump();
        a.bump();
        assert_eq!(b.get(), before + 2);
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }

    #[test]
    fn a_symlink_or_a_directory_is_not_mapped() {
        let dir = tempfile::tempdir().expect("dir");
        let target = dir.path().join("elsewhere");
        std::fs::write(&target, b"").expect("target");
        let link = dir.path().join("generation");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        assert!(Generation::open(&link).is_none());
        assert!(Generation::open(dir.path()).is_none());
    }
}
