//! Bad input of every kind gives a clear error and loses nothing.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::{ADA, SCOPES, TestEnv};
use zoho_oauth::{Config, ErrorKind, FileStore, OAuthClient, StoreFormat, TokenStore};

#[test]
fn empty_nul_and_huge_arguments_are_rejected() {
    let env = TestEnv::start();
    let client = env.client();
    let huge = "x".repeat(1 << 20);
    let kind = |e: zoho_oauth::Error| e.kind();
    assert_eq!(
        kind(client.generate_access_token("").unwrap_err()),
        ErrorKind::MissingToken
    );
    assert_eq!(
        kind(client.generate_access_token("   ").unwrap_err()),
        ErrorKind::MissingToken
    );
    assert_eq!(
        kind(client.generate_access_token("1000.\0").unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.generate_access_token(&huge).unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.get_access_token("a\0b").unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.get_access_token(&huge).unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.refresh_access_token("1000.r", &huge).unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.delete_tokens("").unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.revoke("\0").unwrap_err()),
        ErrorKind::InvalidArgument
    );
    assert_eq!(
        kind(client.user_info("").unwrap_err()),
        ErrorKind::MissingToken
    );
    assert_eq!(env.requests(), 0, "no bad argument reached the server");
    let nul_config = Config::from_pairs([
        ("client_id", "1000.a\0"),
        ("client_secret", "s"),
        ("redirect_uri", "https://x/cb"),
    ]);
    assert_eq!(nul_config.unwrap_err().kind(), ErrorKind::ConfigInvalid);
    let huge_config = Config::from_pairs([
        ("client_id", huge.as_str()),
        ("client_secret", "s"),
        ("redirect_uri", "https://x/cb"),
    ]);
    assert_eq!(huge_config.unwrap_err().kind(), ErrorKind::ConfigInvalid);
}

fn assert_corrupt_file_is_reported_and_kept(format: StoreFormat, garbage: &[u8]) {
    let env = TestEnv::start();
    let config = env.config().with_token_store_format(format);
    let path = config.store().token_file().unwrap();
    std::fs::write(&path, garbage).unwrap();
    let client = env.client_for(config);

    let err = client.get_access_token(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreCorrupt);
    assert_eq!(err.path(), Some(path.as_path()));
    assert!(err.message().contains(&path.display().to_string()));
    assert!(err.message().contains("left untouched"));

    // A grant exchange cannot save, but the tokens come back with the error.
    let mut err = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreCorrupt);
    assert!(
        err.take_unsaved_tokens()
            .and_then(|t| t.refresh_token)
            .is_some()
    );
    assert!(client.delete_tokens(ADA).is_err());
    assert_eq!(
        std::fs::read(&path).unwrap(),
        garbage,
        "the corrupt file was changed"
    );
}

#[test]
fn corrupt_sdk_file_is_an_error_naming_the_path_and_is_never_overwritten() {
    assert_corrupt_file_is_reported_and_kept(StoreFormat::PhpSdk, b"b:0;");
    assert_corrupt_file_is_reported_and_kept(
        StoreFormat::PhpSdk,
        b"a:5:{i:0;O:37:\"zcrmsdk\\oauth",
    );
}

#[test]
fn corrupt_json_file_is_an_error_and_is_never_overwritten() {
    assert_corrupt_file_is_reported_and_kept(StoreFormat::Json, b"{\"tokens\": [");
}

#[test]
fn a_store_path_that_is_a_file_or_missing_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-dir");
    std::fs::write(&file, b"x").unwrap();
    let config = Config::new("1000.A", "s", "https://x/cb").with_token_persistence_path(&file);
    let err = OAuthClient::from_config(config).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::StoreIo);
    assert!(err.message().contains("is not a directory"), "{err}");

    let missing = dir.path().join("missing");
    let config = Config::new("1000.A", "s", "https://x/cb").with_token_persistence_path(&missing);
    let err = OAuthClient::from_config(config).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::StoreIo);
    assert!(err.message().contains(&missing.display().to_string()));

    std::fs::create_dir(dir.path().join("zcrm_oauthtokens.txt")).unwrap();
    let err = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk)
        .err()
        .unwrap();
    assert!(err.message().contains("is a directory"), "{err}");
}

#[test]
#[ignore = "child process of a_read_only_directory_is_a_clear_error_and_keeps_the_file"]
fn child_read_only_directory() {
    let dir = std::env::var("CHILD_DIR").expect("run by the parent test");
    let store = FileStore::in_directory(&dir, StoreFormat::PhpSdk).unwrap();
    assert_eq!(store.list().unwrap().len(), 1, "reading still works");
    let mut tokens = store.list().unwrap().remove(0);
    tokens.user = Some("new@example.com".into());
    let err = store.save(&tokens).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreIo);
    assert!(err.message().contains("Permission denied"), "{err}");
    assert!(err.message().contains(&dir), "{err}");
}

/// Root ignores permissions, so as root the check runs in a child as `nobody`.
#[test]
fn a_read_only_directory_is_a_clear_error_and_keeps_the_file() {
    let parent = tempfile::tempdir().unwrap();
    std::fs::set_permissions(parent.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let dir = parent.path().join("tokens");
    std::fs::create_dir(&dir).unwrap();
    let store = FileStore::in_directory(&dir, StoreFormat::PhpSdk).unwrap();
    let tokens = zoho_oauth::Tokens::new(Some("a@example.com".into()), "1000.a".into(), None, 1);
    store.save(&tokens).unwrap();
    let before = std::fs::read(store.path()).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(store.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m) == 0)
        .unwrap_or(false);
    // A copy of this test binary that `nobody` can run wherever the checkout lives.
    let exe = parent.path().join("bad_input_test");
    std::fs::copy(std::env::current_exe().unwrap(), &exe).unwrap();
    std::fs::set_permissions(&exe, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut command = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(&exe);
        c
    } else {
        Command::new(&exe)
    };
    let status = command
        .args([
            "--ignored",
            "--exact",
            "child_read_only_directory",
            "--quiet",
        ])
        .env("CHILD_DIR", &dir)
        .status()
        .unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700)).unwrap();
    assert!(status.success(), "the child's checks failed");
    assert_eq!(std::fs::read(store.path()).unwrap(), before);
    assert!(!Path::new(&format!("{}.tmp", store.path().display())).exists());
}
