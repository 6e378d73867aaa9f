//! Issue 13, the token directory as deployments have it: shared, foreign-owned, read-only
//! for the application, odd umasks, symlinks. Files "of another user" are made with chown
//! to uid 65534; where the test must *be* another user, a copy of this test binary runs one
//! `#[ignore]`d child test under `setpriv` (skipped when not root or without setpriv).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::Command;

use common::{ADA, SCOPES, TestEnv};
use zoho_oauth::{
    ErrorKind, FileStore, OAuthClient, Remedy, Secret, StoreFormat, TokenStore, Tokens,
};

const NOBODY: u32 = 65534;

fn is_root() -> bool {
    std::fs::metadata("/proc/self").is_ok_and(|m| m.uid() == 0)
}

fn chown(path: &Path, uid: u32) {
    std::os::unix::fs::lchown(path, Some(uid), Some(uid)).unwrap();
}

fn chmod(path: &Path, mode: u32) {
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn tokens(user: &str) -> Tokens {
    Tokens::new(
        Some(user.into()),
        Secret::new("1000.access"),
        Some(Secret::new("1000.refresh")),
        4_000_000_000_000,
    )
}

/// A private token directory (0700), as a careful deployment has.
fn private_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o700);
    dir
}

fn store(dir: &Path) -> FileStore {
    FileStore::in_directory(dir, StoreFormat::PhpSdk).unwrap()
}

fn lock_dir(dir: &Path) -> PathBuf {
    dir.join("zcrm_oauthtokens.txt.locks")
}

// ---- item 4: StrictModes -------------------------------------------------------------

#[test]
fn a_symlink_planted_as_the_lock_directory_is_refused_and_not_followed() {
    let dir = private_dir();
    let elsewhere = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(elsewhere.path(), lock_dir(dir.path())).unwrap();
    let store = store(dir.path());
    store.save(&tokens(ADA)).unwrap();
    let err = store
        .lock_user(ADA, std::time::Duration::from_secs(1))
        .err()
        .expect("refused");
    assert_eq!(err.kind(), ErrorKind::StoreIo);
    assert!(err.message().contains(".locks"), "{err}");
    assert!(err.message().contains("symlink"), "{err}");
    assert!(err.hint().is_some());
    assert_eq!(std::fs::read_dir(elsewhere.path()).unwrap().count(), 0);
}

#[test]
fn lock_files_and_directories_of_another_user_are_refused() {
    if !is_root() {
        return;
    }
    let dir = private_dir();
    let store = store(dir.path());
    store.save(&tokens(ADA)).unwrap();
    let _ = std::fs::create_dir(lock_dir(dir.path()));
    chown(&lock_dir(dir.path()), NOBODY);
    let wait = std::time::Duration::from_secs(1);
    let err = store.lock_user(ADA, wait).err().expect("refused");
    assert!(err.message().contains("belongs to nobody"), "{err}");
    assert!(err.message().contains(".locks"), "{err}");
    std::fs::remove_dir_all(lock_dir(dir.path())).unwrap();
    assert!(store.lock_user(ADA, wait).is_ok());
    // The write lock next to the file.
    let write_lock = dir.path().join("zcrm_oauthtokens.txt.lock");
    chown(&write_lock, NOBODY);
    let err = store.save(&tokens("bob@example.com")).unwrap_err();
    assert!(err.message().contains("lock file"), "{err}");
    assert!(err.message().contains("belongs to nobody"), "{err}");
    assert_eq!(store.list().unwrap().len(), 1, "nothing was written");
}

#[test]
fn a_token_file_planted_by_another_user_is_not_read() {
    if !is_root() {
        return;
    }
    let env = TestEnv::start();
    chmod(env.dir.path(), 0o700);
    let client = env.client();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    chown(&env.token_file(), NOBODY);
    let err = env.client().get_access_token(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreIo);
    assert!(err.message().contains("zcrm_oauthtokens.txt"), "{err}");
    assert!(err.message().contains("belongs to nobody"), "{err}");
}

#[test]
fn a_directory_others_can_write_is_refused_unless_sticky() {
    let dir = tempfile::tempdir().unwrap();
    chmod(dir.path(), 0o777);
    let err = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk)
        .err()
        .expect("refused");
    assert!(
        err.message().contains("can be written by other users"),
        "{err}"
    );
    assert!(err.hint().is_some_and(|h| h.contains("chmod")));
    chmod(dir.path(), 0o770);
    if is_root() {
        chown(dir.path(), 0);
        std::os::unix::fs::lchown(dir.path(), None, Some(NOBODY)).unwrap();
        assert!(FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).is_err());
    }
    chmod(dir.path(), 0o1777);
    let store = store(dir.path());
    store.save(&tokens(ADA)).unwrap();
    assert_eq!(store.get(ADA).unwrap().unwrap().user.as_deref(), Some(ADA));
}

// ---- item 6: one run as another user ------------------------------------------------

#[test]
fn root_replacing_the_app_users_file_keeps_owner_group_and_mode() {
    if !is_root() {
        return;
    }
    let dir = private_dir();
    chown(dir.path(), NOBODY);
    let store = store(dir.path());
    store.save(&tokens(ADA)).unwrap();
    let file = store.path().to_path_buf();
    // The file as the app left it: its own, group-readable.
    chown(&file, NOBODY);
    chmod(&file, 0o640);
    let _ = std::fs::remove_dir_all(lock_dir(dir.path()));
    let _ = std::fs::remove_file(dir.path().join("zcrm_oauthtokens.txt.lock"));
    // Root (a `zoho-oauth refresh` run with sudo) saves and takes a refresh lock.
    let root_store = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    root_store.save(&tokens("bob@example.com")).unwrap();
    drop(
        root_store
            .lock_user(ADA, std::time::Duration::from_secs(1))
            .unwrap(),
    );
    let meta = std::fs::metadata(&file).unwrap();
    assert_eq!((meta.uid(), meta.gid()), (NOBODY, NOBODY));
    assert_eq!(meta.mode() & 0o777, 0o640);
    for created in [
        lock_dir(dir.path()),
        dir.path().join("zcrm_oauthtokens.txt.lock"),
    ] {
        assert_eq!(
            std::fs::metadata(&created).unwrap().uid(),
            NOBODY,
            "{created:?}"
        );
    }
    for stripe in std::fs::read_dir(lock_dir(dir.path())).unwrap() {
        assert_eq!(stripe.unwrap().metadata().unwrap().uid(), NOBODY);
    }
    // A loose mode is never kept looser than 0660.
    chmod(&file, 0o666);
    root_store.save(&tokens(ADA)).unwrap();
    assert_eq!(std::fs::metadata(&file).unwrap().mode() & 0o777, 0o660);
}

// ---- item 7: stripes ----------------------------------------------------------------

/// Refresh locks are per user (a byte each in one file): a refresh of one user never waits
/// for another user's, which stripes shared by users made happen under load (a PHP soak
/// timed out waiting behind other users' slow refreshes); one user's lock excludes another
/// holder, in this process or another store object, until it is released.
#[test]
fn refresh_locks_are_per_user_in_one_file() {
    use std::time::{Duration, Instant};
    let dir = private_dir();
    let a = store(dir.path());
    let b = store(dir.path());
    let held: Vec<_> = (0..200)
        .map(|i| {
            a.lock_user(&format!("user{i}@example.com"), Duration::from_millis(200))
                .unwrap()
        })
        .collect();
    let started = Instant::now();
    let other = b
        .lock_user("someone-else@example.com", Duration::from_millis(200))
        .unwrap();
    assert!(
        started.elapsed() < Duration::from_millis(150),
        "no wait for other users"
    );
    let same = std::thread::scope(|s| {
        s.spawn(|| {
            b.lock_user("user7@example.com", Duration::from_millis(200))
                .err()
        })
        .join()
        .unwrap()
    });
    assert_eq!(
        same.map(|e| e.kind()),
        Some(zoho_oauth::ErrorKind::LockTimeout),
        "a held user's lock excludes another holder"
    );
    drop(held);
    drop(other);
    drop(
        b.lock_user("user7@example.com", Duration::from_millis(200))
            .unwrap(),
    );
}

#[test]
fn lock_files_stay_bounded_whatever_the_number_of_users() {
    let dir = private_dir();
    let store = store(dir.path());
    for i in 0..300 {
        let user = format!("user{i}@example.com");
        store.save(&tokens(&user)).unwrap();
        drop(
            store
                .lock_user(&user, std::time::Duration::from_secs(1))
                .unwrap(),
        );
        store.set_refresh_failed_at(&user, Some(i)).unwrap();
        store.delete(&user).unwrap();
    }
    let names: Vec<String> = std::fs::read_dir(lock_dir(dir.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    let stripes = names.iter().filter(|n| n.starts_with("stripe-")).count();
    assert!(stripes <= 64, "{stripes} lock stripes");
    // The stripes, the users' lock file and the change counter.
    assert!(names.len() <= 66, "{names:?}");
    // Failure times stay per user even when users share a stripe.
    assert_eq!(store.refresh_failed_at("user7@example.com"), Some(7));
    assert_eq!(store.refresh_failed_at("user8@example.com"), Some(8));
    store
        .set_refresh_failed_at("user7@example.com", None)
        .unwrap();
    assert_eq!(store.refresh_failed_at("user7@example.com"), None);
    assert_eq!(store.refresh_failed_at("user8@example.com"), Some(8));
}

#[test]
#[ignore = "child process of a_restrictive_umask_does_not_break_later_runs"]
fn child_umask_0277() {
    // SAFETY: umask only swaps this (single-test) process's file creation mask.
    unsafe { libc::umask(0o277) };
    let dir = PathBuf::from(std::env::var("CHILD_DIR").unwrap());
    let store = store(&dir);
    store.save(&tokens(ADA)).unwrap();
    drop(
        store
            .lock_user(ADA, std::time::Duration::from_secs(1))
            .unwrap(),
    );
    store.set_refresh_failed_at(ADA, Some(1)).unwrap();
}

#[test]
fn a_restrictive_umask_does_not_break_later_runs() {
    let dir = private_dir();
    for _ in 0..2 {
        let status = Command::new(std::env::current_exe().unwrap())
            .args(["--ignored", "--exact", "child_umask_0277", "--quiet"])
            .env("CHILD_DIR", dir.path())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let mode = |p: PathBuf| std::fs::metadata(p).unwrap().mode() & 0o777;
    assert_eq!(mode(lock_dir(dir.path())), 0o700);
    assert_eq!(mode(dir.path().join("zcrm_oauthtokens.txt.lock")), 0o600);
    for stripe in std::fs::read_dir(lock_dir(dir.path())).unwrap() {
        assert_eq!(stripe.unwrap().metadata().unwrap().mode() & 0o777, 0o600);
    }
    assert_eq!(store(dir.path()).refresh_failed_at(ADA), Some(1));
}

// ---- item 8: a symlinked token file ------------------------------------------------

#[test]
fn a_symlinked_token_file_is_written_through_to_its_target() {
    let link_dir = private_dir();
    let target_dir = private_dir();
    let target = target_dir.path().join("tokens.txt");
    std::fs::write(&target, "").unwrap();
    let link = link_dir.path().join("zcrm_oauthtokens.txt");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let store = FileStore::new(&link, StoreFormat::PhpSdk).unwrap();
    store.save(&tokens(ADA)).unwrap();
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let reread = FileStore::new(&target, StoreFormat::PhpSdk).unwrap();
    assert_eq!(reread.get(ADA).unwrap().unwrap().user.as_deref(), Some(ADA));
    assert!(!link_dir.path().join("zcrm_oauthtokens.txt.tmp").exists());
    assert!(!link_dir.path().join("zcrm_oauthtokens.txt.lock").exists());
    // A dangling link is refused, with the fix.
    std::fs::remove_file(&target).unwrap();
    let err = FileStore::new(&link, StoreFormat::PhpSdk)
        .err()
        .expect("refused");
    assert!(err.hint().is_some_and(|h| h.contains("symlink")), "{err}");
    if is_root() {
        std::fs::write(&target, "").unwrap();
        chown(&link, NOBODY);
        let err = FileStore::new(&link, StoreFormat::PhpSdk)
            .err()
            .expect("refused");
        assert!(err.message().contains("belongs to nobody"), "{err}");
    }
}

// ---- items 5 and 6 as the application's user -------------------------------------------

/// Runs the `#[ignore]`d test `name` of a copy of this binary as `nobody`; `None` when that
/// is not possible here (not root, or no setpriv).
fn run_as_nobody(name: &str, envs: &[(&str, String)]) -> Option<bool> {
    if !is_root() || Command::new("setpriv").arg("--version").output().is_err() {
        return None;
    }
    let bin = tempfile::tempdir().unwrap();
    chmod(bin.path(), 0o755);
    let exe = bin.path().join("deploy_files_test");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    chmod(&exe, 0o755);
    let mut command = Command::new("setpriv");
    command
        .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
        .arg(&exe)
        .args(["--ignored", "--exact", name, "--quiet", "--nocapture"]);
    for (key, value) in envs {
        command.env(key, value);
    }
    Some(command.status().unwrap().success())
}

fn app_config(dir: &str) -> zoho_oauth::Config {
    zoho_oauth::Config::new(
        common::CLIENT_ID,
        common::CLIENT_SECRET,
        common::REDIRECT_URI,
    )
    .with_accounts_url(std::env::var("CHILD_EMULATOR").unwrap())
    .with_token_persistence_path(dir)
}

#[test]
#[ignore = "child process of a_directory_the_app_cannot_write_costs_no_refresh"]
fn child_app_user_in_a_read_only_directory() {
    // Issue 21: the app (nobody) may write the token file but not its directory, as Zoho's
    // SDK (which rewrites the file in place) is often deployed. No refreshed token could
    // ever be saved there: refused when the client is made, with the fix, not an hour later.
    let err = OAuthClient::from_config(app_config(&std::env::var("CHILD_DIR").unwrap()))
        .err()
        .expect("refused at client creation");
    assert_eq!(err.kind(), ErrorKind::StoreIo, "{err}");
    assert!(
        err.message()
            .contains("can be written by this process but its directory"),
        "{err}"
    );
    assert!(err.message().contains("replaced by a rename"), "{err}");
    assert!(err.hint().is_some_and(|h| h.contains("chown")), "{err}");
    // A token file the app may only read (another user refreshes it) is used while its
    // token is valid (30 s left, inside the refresh margin: served, since a new one could
    // not be saved), and a forced refresh fails before asking Zoho, saying what to change.
    let client =
        OAuthClient::from_config(app_config(&std::env::var("CHILD_READ_ONLY_DIR").unwrap()))
            .unwrap();
    let stale = std::env::var("CHILD_TOKEN").unwrap();
    assert_eq!(client.get_access_token(ADA).unwrap().expose(), stale);
    let err = client.refresh_user(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreIo, "{err}");
    assert!(err.message().contains("no refresh is made"), "{err}");
    assert!(err.message().contains("belongs to root"), "{err}");
    assert!(err.to_string().contains("sudo -u root"), "{err}");
    // Root's 0600 file, as a `zoho-oauth refresh` run as root used to leave it: the error
    // says whose it is and what to run.
    let locked = PathBuf::from(std::env::var("CHILD_ROOT_FILE").unwrap());
    let err = FileStore::new(&locked, StoreFormat::PhpSdk)
        .and_then(|s| s.list())
        .unwrap_err();
    assert!(err.message().contains("Permission denied"), "{err}");
    assert!(err.message().contains("belongs to root"), "{err}");
    assert!(err.to_string().contains("sudo -u root"), "{err}");
    assert_eq!(err.remedy(), Some(Remedy::RunAsOwner), "{err}");
}

/// A directory `parent/name` (0755, root's) holding ADA's tokens 30 s from expiry, with
/// the lock files made; returns it and the tokens.
fn token_dir_with_a_stale_token(env: &TestEnv, parent: &Path, name: &str) -> (PathBuf, Tokens) {
    let dir = parent.join(name);
    std::fs::create_dir(&dir).unwrap();
    chmod(&dir, 0o755);
    let client = OAuthClient::from_config(env.config().with_token_persistence_path(&dir)).unwrap();
    let stale = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    drop(
        client
            .store()
            .lock_user(ADA, std::time::Duration::from_secs(1))
            .unwrap(),
    );
    (dir, stale)
}

#[test]
fn a_directory_the_app_cannot_write_costs_no_refresh() {
    let env = TestEnv::start();
    env.set_settings(|s| s.access_token_ttl_secs = 30);
    let parent = tempfile::tempdir().unwrap();
    chmod(parent.path(), 0o755);
    // How Zoho's SDK is often deployed: the app (nobody) may write the file, not the
    // directory; the lock files already exist and are the app's.
    let (dir, _) = token_dir_with_a_stale_token(&env, parent.path(), "tokens");
    for entry in [
        "zcrm_oauthtokens.txt",
        "zcrm_oauthtokens.txt.lock",
        "zcrm_oauthtokens.txt.locks",
    ] {
        chown(&dir.join(entry), NOBODY);
    }
    for stripe in std::fs::read_dir(dir.join("zcrm_oauthtokens.txt.locks")).unwrap() {
        chown(&stripe.unwrap().path(), NOBODY);
    }
    // A file the app may read only: root's, 0644.
    let (read_only, stale) = token_dir_with_a_stale_token(&env, parent.path(), "read-only");
    chmod(&read_only.join("zcrm_oauthtokens.txt"), 0o644);
    let root_dir = parent.path().join("root");
    std::fs::create_dir(&root_dir).unwrap();
    chmod(&root_dir, 0o755);
    let root_file = root_dir.join("zcrm_oauthtokens.txt");
    std::fs::write(&root_file, "").unwrap();
    chmod(&root_file, 0o600);
    let before = env.counter("token.refresh_token");
    let Some(ok) = run_as_nobody(
        "child_app_user_in_a_read_only_directory",
        &[
            ("CHILD_DIR", dir.display().to_string()),
            ("CHILD_READ_ONLY_DIR", read_only.display().to_string()),
            ("CHILD_EMULATOR", env.emulator.url()),
            ("CHILD_TOKEN", stale.access_token.expose().to_string()),
            ("CHILD_ROOT_FILE", root_file.display().to_string()),
        ],
    ) else {
        return;
    };
    assert!(ok, "the child's checks failed");
    assert_eq!(
        env.counter("token.refresh_token"),
        before,
        "no refresh was spent"
    );
}

// ---- item 11: one non-UTF-8 byte in a file Zoho's SDK wrote -----------------------------

/// The SDK's serialization of one entry, with `user` as raw bytes (Latin-1 here).
fn sdk_entry(index: usize, user: &[u8], access: &str) -> Vec<u8> {
    let class = "zcrmsdk\\oauth\\utility\\ZohoOAuthTokens";
    let prop = |name: &str| {
        let mangled = format!("\0{class}\0{name}");
        format!("s:{}:\"{mangled}\";", mangled.len()).into_bytes()
    };
    let mut out = format!("i:{index};O:{}:\"{class}\":4:{{", class.len()).into_bytes();
    out.extend(prop("refreshToken"));
    out.extend(b"s:12:\"1000.refresh\";");
    out.extend(prop("accessToken"));
    out.extend(format!("s:{}:\"{access}\";", access.len()).into_bytes());
    out.extend(prop("expiryTime"));
    out.extend(b"d:4000000000000;");
    out.extend(prop("userEmailId"));
    out.extend(format!("s:{}:\"", user.len()).into_bytes());
    out.extend(user);
    out.extend(b"\";}");
    out
}

#[test]
fn an_entry_with_non_utf8_text_is_kept_verbatim_and_every_other_user_works() {
    let dir = private_dir();
    let file = dir.path().join("zcrm_oauthtokens.txt");
    let latin1 = b"j\xfcrgen@example.com";
    let foreign = sdk_entry(0, latin1, "1000.latin");
    let mut bytes = b"a:2:{".to_vec();
    bytes.extend(&foreign);
    bytes.extend(sdk_entry(1, ADA.as_bytes(), "1000.ada"));
    bytes.push(b'}');
    std::fs::write(&file, &bytes).unwrap();
    let store = store(dir.path());
    assert_eq!(
        store.get(ADA).unwrap().unwrap().access_token.expose(),
        "1000.ada"
    );
    store.save(&tokens("bob@example.com")).unwrap();
    assert!(store.delete(ADA).unwrap());
    let users: Vec<_> = store.list().unwrap().into_iter().map(|t| t.user).collect();
    assert_eq!(users, [Some("bob@example.com".to_string())]);
    // The foreign entry survived both rewrites byte for byte (only its index moved).
    let written = std::fs::read(&file).unwrap();
    let object = &foreign[foreign.iter().position(|&b| b == b'O').unwrap()..];
    assert!(
        written.windows(object.len()).any(|w| w == object),
        "kept verbatim"
    );
    assert!(written.starts_with(b"a:2:{"));
}

// ---- issue 28: a token directory the web server's user cannot reach --------------------

#[test]
#[ignore = "child process of a_token_directory_behind_a_private_home_says_who_and_what_to_run"]
fn child_app_user_behind_a_private_home() {
    let dir = std::env::var("CHILD_DIR").unwrap();
    let home = std::env::var("CHILD_HOME").unwrap();
    let err = FileStore::in_directory(Path::new(&dir), StoreFormat::PhpSdk)
        .err()
        .expect("refused");
    assert_eq!(err.kind(), ErrorKind::StoreIo, "{err}");
    let message = err.message();
    assert!(
        message.contains(&format!("{dir} cannot be reached by nobody")),
        "{err}"
    );
    assert!(
        message.contains(&format!(
            "{home} (owner root, mode 0700) does not let nobody in"
        )),
        "{err}"
    );
    let hint = err.hint().unwrap_or_default();
    assert!(
        hint.contains("sudo install -d -o nobody -g nobody -m 0700 /var/lib/zoho-oauth"),
        "{err}"
    );
    assert!(
        hint.contains("sudo -u nobody zoho-oauth exchange --token-dir /var/lib/zoho-oauth"),
        "{err}"
    );
    assert!(
        !message.contains("must name an existing directory"),
        "{err}"
    );
}

#[test]
fn a_token_directory_behind_a_private_home_says_who_and_what_to_run() {
    // The CLI's default, ~/.local/share/zoho-oauth under a 0700 home, given to PHP-FPM's user.
    let parent = tempfile::tempdir().unwrap();
    chmod(parent.path(), 0o755);
    let home = parent.path().join("home");
    let dir = home.join(".local/share/zoho-oauth");
    std::fs::create_dir_all(&dir).unwrap();
    chmod(&home, 0o700);
    let Some(ok) = run_as_nobody(
        "child_app_user_behind_a_private_home",
        &[
            ("CHILD_DIR", dir.display().to_string()),
            ("CHILD_HOME", home.display().to_string()),
        ],
    ) else {
        return;
    };
    assert!(ok, "the child's checks failed");
}

#[test]
fn a_missing_token_directory_says_what_to_run() {
    let parent = private_dir();
    let missing = parent.path().join("zoho");
    let err = FileStore::in_directory(&missing, StoreFormat::PhpSdk)
        .err()
        .expect("refused");
    assert_eq!(err.kind(), ErrorKind::StoreIo, "{err}");
    let hint = err.hint().unwrap_or_default();
    assert!(hint.contains("must name an existing directory"), "{err}");
    assert!(
        hint.contains(&format!("-m 0700 {}", missing.display())),
        "{err}"
    );
    assert!(hint.contains("sudo install -d -o "), "{err}");
}
