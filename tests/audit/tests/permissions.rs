//! Token files, their temporary files and lock files are 0600 from the moment they exist,
//! whatever the umask; symlinks planted at the temporary, lock or log path are never
//! followed. These run the core's `FileStore` and SDK log directly.
#![allow(clippy::unwrap_used, missing_docs)]

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard};

use zoho_oauth::log::{Level, SdkLog};
use zoho_oauth::{FileStore, Secret, StoreFormat, TokenStore, Tokens};

/// umask is per process: tests that change it run one at a time.
static UMASK: Mutex<()> = Mutex::new(());

fn umask_zero() -> (MutexGuard<'static, ()>, libc::mode_t) {
    let guard = UMASK.lock().unwrap_or_else(|e| e.into_inner());
    // SAFETY: umask only swaps the process's file creation mask.
    let old = unsafe { libc::umask(0) };
    (guard, old)
}

fn restore_umask(old: libc::mode_t) {
    // SAFETY: as above.
    unsafe { libc::umask(old) };
}

fn tokens(user: &str, n: u64) -> Tokens {
    Tokens::new(
        Some(user.to_string()),
        Secret::new(format!("1000.access.{n}")),
        Some(Secret::new("1000.refresh")),
        4_000_000_000_000,
    )
}

fn mode(path: &Path) -> u32 {
    std::fs::symlink_metadata(path).unwrap().mode() & 0o7777
}

#[test]
fn token_file_temporary_and_lock_files_are_0600_from_creation_under_umask_000() {
    let (_guard, old) = umask_zero();
    let dir = tempfile::tempdir().unwrap();
    // Under umask 000 the directory itself is 0777, which the store refuses (others could
    // replace the token file): the files' modes are what this test is about.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    for format in [StoreFormat::PhpSdk, StoreFormat::Json] {
        let store = FileStore::in_directory(dir.path(), format).unwrap();
        let file = store.path().to_path_buf();
        let tmp = Path::new(&format!("{}.tmp", file.display())).to_path_buf();
        let stop = Arc::new(AtomicBool::new(false));
        let seen = Arc::new(AtomicU64::new(0));
        let tmp_seen = Arc::new(AtomicU64::new(0));
        let bad = Arc::new(AtomicU64::new(0));
        let watcher = {
            let (stop, seen, bad, tmp, file) = (
                stop.clone(),
                seen.clone(),
                bad.clone(),
                tmp.clone(),
                file.clone(),
            );
            let tmp_seen = tmp_seen.clone();
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    for path in [&tmp, &file] {
                        if let Ok(meta) = std::fs::symlink_metadata(path) {
                            seen.fetch_add(1, Ordering::Relaxed);
                            if path == &tmp {
                                tmp_seen.fetch_add(1, Ordering::Relaxed);
                            }
                            if meta.mode() & 0o777 != 0o600 {
                                bad.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                    }
                }
            })
        };
        for n in 0..400 {
            store.save(&tokens(&format!("u{}", n % 20), n)).unwrap();
        }
        stop.store(true, Ordering::Relaxed);
        watcher.join().unwrap();
        assert!(
            seen.load(Ordering::Relaxed) > 0,
            "the watcher saw the files"
        );
        assert!(
            tmp_seen.load(Ordering::Relaxed) > 0,
            "the watcher caught temporary files"
        );
        assert_eq!(
            bad.load(Ordering::Relaxed),
            0,
            "a token or temporary file was not 0600"
        );
        assert_eq!(mode(&file), 0o600);
        assert_eq!(mode(Path::new(&format!("{}.lock", file.display()))), 0o600);
        drop(
            store
                .lock_user("u1", std::time::Duration::from_secs(5))
                .unwrap(),
        );
        let locks = format!("{}.locks", file.display());
        assert_eq!(mode(Path::new(&locks)), 0o700);
        for entry in std::fs::read_dir(&locks).unwrap() {
            assert_eq!(mode(&entry.unwrap().path()), 0o600);
        }
        // The refresh histories' side file (issue 26).
        store.write_history("u1", "{}").unwrap();
        assert_eq!(
            mode(Path::new(&format!("{}.history", file.display()))),
            0o600
        );
    }
    let log = dir.path().join("ZCRMClientLibrary.log");
    SdkLog::new(Some(log.clone())).write(Level::Info, "line", 0);
    assert_eq!(mode(&log), 0o600);
    restore_umask(old);
}

#[test]
fn a_symlink_planted_at_the_temporary_path_is_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    let tmp = dir.path().join("zcrm_oauthtokens.txt.tmp");
    std::os::unix::fs::symlink(&victim, &tmp).unwrap();
    store.save(&tokens("ada@example.com", 1)).unwrap();
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"precious",
        "the victim is untouched"
    );
    assert!(
        std::fs::symlink_metadata(store.path())
            .unwrap()
            .file_type()
            .is_file()
    );
    assert_eq!(
        store.get("ada@example.com").unwrap(),
        Some(tokens("ada@example.com", 1))
    );
}

#[test]
fn a_symlink_raced_in_between_unlink_and_create_is_never_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    let tmp = dir.path().join("zcrm_oauthtokens.txt.tmp");
    let stop = Arc::new(AtomicBool::new(false));
    let attacker = {
        let (stop, victim, tmp) = (stop.clone(), victim.clone(), tmp.clone());
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                let _ = std::os::unix::fs::symlink(&victim, &tmp);
            }
        })
    };
    let (mut ok, mut refused) = (0, 0);
    for n in 0..300 {
        match store.save(&tokens("ada@example.com", n)) {
            Ok(()) => ok += 1,
            Err(e) => {
                assert_eq!(e.kind(), zoho_oauth::ErrorKind::StoreIo, "{e}");
                refused += 1;
            }
        }
    }
    stop.store(true, Ordering::Relaxed);
    attacker.join().unwrap();
    assert_eq!(
        std::fs::read(&victim).unwrap(),
        b"precious",
        "never written through"
    );
    assert!(
        ok + refused == 300 && ok > 0,
        "{ok} saved, {refused} refused"
    );
    assert!(store.list().is_ok(), "the token file still parses");
}

#[test]
fn symlinks_at_the_lock_and_log_paths_are_not_followed() {
    let dir = tempfile::tempdir().unwrap();
    let victim = dir.path().join("victim.txt");
    std::fs::write(&victim, b"precious").unwrap();
    std::fs::set_permissions(&victim, std::fs::Permissions::from_mode(0o644)).unwrap();
    let store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    std::os::unix::fs::symlink(&victim, dir.path().join("zcrm_oauthtokens.txt.lock")).unwrap();
    let e = store.save(&tokens("ada@example.com", 1)).unwrap_err();
    assert_eq!(e.kind(), zoho_oauth::ErrorKind::StoreIo);
    std::os::unix::fs::symlink(&victim, dir.path().join("zcrm_oauthtokens.txt.history")).unwrap();
    assert!(store.write_history("ada@example.com", "{}").is_err());
    assert_eq!(store.read_history("ada@example.com").ok().flatten(), None);
    let log = dir.path().join("ZCRMClientLibrary.log");
    std::os::unix::fs::symlink(&victim, &log).unwrap();
    SdkLog::new(Some(log)).write(Level::Severe, "must not land in the victim", 0);
    assert_eq!(std::fs::read(&victim).unwrap(), b"precious");
    assert_eq!(mode(&victim), 0o644, "permissions of the victim unchanged");
}
