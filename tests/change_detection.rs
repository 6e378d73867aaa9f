//! How soon a cached token notices a change to the token file (`store_recheck_ms`): at once
//! when the writer is this library (the shared change counter, no system call per call),
//! within the bound when it is not (Zoho's SDK, an editor), and on every call with `0`.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::thread;
use std::time::Duration;

use zoho_oauth::config::SDK_TOKEN_FILE_NAME;
use zoho_oauth::store::php_format;
use zoho_oauth::{
    Config, ErrorKind, FileStore, OAuthClient, Secret, StoreFormat, TokenStore, Tokens,
};

const ADA: &str = "ada@example.com";

fn tokens(access: &str) -> Tokens {
    Tokens::new(
        Some(ADA.into()),
        Secret::new(access),
        Some(Secret::new("1000.refresh")),
        zoho_oauth::clock::system_now_ms() + 3_600_000,
    )
}

/// A client on the token file in `dir`; its accounts server is a closed loopback port, so
/// any refresh attempt would fail: every token here is valid for an hour.
fn client(dir: &Path, recheck_ms: Option<u64>) -> OAuthClient {
    let mut config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_token_persistence_path(dir);
    if let Some(ms) = recheck_ms {
        config = config.with_store_recheck(Duration::from_millis(ms));
    }
    OAuthClient::from_config(config).unwrap()
}

/// Another writer using this library: its own store object, as another process has.
fn other_process_store(dir: &Path) -> FileStore {
    FileStore::new(dir.join(SDK_TOKEN_FILE_NAME), StoreFormat::PhpSdk).unwrap()
}

/// A writer that is not this library: the file rewritten directly, as Zoho's SDK does.
fn foreign_write(dir: &Path, access: &str) {
    std::fs::write(
        dir.join(SDK_TOKEN_FILE_NAME),
        php_format::encode(&[tokens(access)]),
    )
    .unwrap();
}

fn token(c: &OAuthClient) -> String {
    c.get_access_token(ADA).unwrap().expose().to_string()
}

#[test]
fn a_change_through_this_library_is_seen_at_once_even_inside_the_bound() {
    let dir = tempfile::tempdir().unwrap();
    let other = other_process_store(dir.path());
    other.save(&tokens("1000.first")).unwrap();
    let c = client(dir.path(), Some(60_000));
    assert_eq!(token(&c), "1000.first");
    other.save(&tokens("1000.second")).unwrap();
    assert_eq!(token(&c), "1000.second");
    other.delete(ADA).unwrap();
    assert_eq!(
        c.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}

#[test]
fn a_foreign_write_is_served_from_memory_inside_the_bound_and_seen_after_it() {
    let dir = tempfile::tempdir().unwrap();
    other_process_store(dir.path())
        .save(&tokens("1000.first"))
        .unwrap();
    let c = client(dir.path(), Some(400));
    assert_eq!(token(&c), "1000.first");
    foreign_write(dir.path(), "1000.sdk");
    assert_eq!(
        token(&c),
        "1000.first",
        "inside the bound: from memory, no stat"
    );
    thread::sleep(Duration::from_millis(450));
    assert_eq!(token(&c), "1000.sdk", "after the bound the file is checked");
}

#[test]
fn the_default_bound_is_one_second() {
    let dir = tempfile::tempdir().unwrap();
    other_process_store(dir.path())
        .save(&tokens("1000.first"))
        .unwrap();
    let c = client(dir.path(), None);
    assert_eq!(c.store_recheck(), Duration::from_millis(1000));
    assert_eq!(token(&c), "1000.first");
    foreign_write(dir.path(), "1000.sdk");
    thread::sleep(Duration::from_millis(300));
    assert_eq!(token(&c), "1000.first");
    thread::sleep(Duration::from_millis(800));
    assert_eq!(token(&c), "1000.sdk");
}

#[test]
fn recheck_zero_sees_a_foreign_write_on_the_next_call() {
    let dir = tempfile::tempdir().unwrap();
    other_process_store(dir.path())
        .save(&tokens("1000.first"))
        .unwrap();
    let c = client(dir.path(), Some(0));
    assert_eq!(token(&c), "1000.first");
    // Make sure the rewrite changes the file's size or times even on a coarse clock.
    thread::sleep(Duration::from_millis(20));
    foreign_write(dir.path(), "1000.sdk-rewritten");
    assert_eq!(token(&c), "1000.sdk-rewritten");
}

#[test]
fn the_change_counter_is_private_and_survives_a_missing_lock_directory() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    other_process_store(dir.path())
        .save(&tokens("1000.first"))
        .unwrap();
    let counter = dir
        .path()
        .join(format!("{SDK_TOKEN_FILE_NAME}.locks/generation"));
    let mode = std::fs::metadata(&counter).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    // The lock directory removed under a running client: it keeps working; a later change
    // through the library bumps a new counter, which the client maps again at its bound.
    let c = client(dir.path(), Some(300));
    assert_eq!(token(&c), "1000.first");
    std::fs::remove_dir_all(dir.path().join(format!("{SDK_TOKEN_FILE_NAME}.locks"))).unwrap();
    let other = other_process_store(dir.path());
    other.save(&tokens("1000.second")).unwrap();
    thread::sleep(Duration::from_millis(350));
    assert_eq!(token(&c), "1000.second");
    // From then on, changes are seen at once again.
    other.save(&tokens("1000.third")).unwrap();
    assert_eq!(token(&c), "1000.third");
}

#[test]
fn the_sdk_csv_store_sees_a_change_through_this_library_at_once_too() {
    use zoho_oauth::store::sdk_csv::SdkCsvStore;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sdk_tokens.txt");
    let other = SdkCsvStore::new(&file).unwrap();
    other.save(&tokens("1000.first")).unwrap();
    let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:9")
        .with_token_persistence_path(&file)
        .with_store_recheck(Duration::from_secs(60));
    let c = OAuthClient::from_config(config).unwrap();
    assert_eq!(token(&c), "1000.first");
    other.save(&tokens("1000.second")).unwrap();
    assert_eq!(token(&c), "1000.second", "inside the bound, seen at once");
    other.delete(ADA).unwrap();
    assert_eq!(
        c.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}
