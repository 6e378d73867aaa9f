//! Issue 21, item 8: a grant is never spent on a token directory that cannot take its tokens
//! (the store is checked first; a corrupt file still costs the grant, and the tokens are
//! handed over in the error, see `cli/tests/cli.rs`), and a refresh whose save fails still serves the new access
//! token, kept in memory, rather than failing (a forced refresh still reports the failed
//! save, with the tokens attached).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use common::{ADA, SCOPES, TestEnv};
use zoho_oauth::store::LockGuard;
use zoho_oauth::{Error, ErrorKind, MemoryStore, OAuthClient, Result, TokenStore, Tokens};

/// A memory store whose saves fail while `fail_saves` is set (a full disk, a read-only
/// replica).
#[derive(Default)]
struct FailingSaves {
    inner: MemoryStore,
    fail_saves: AtomicBool,
}

impl TokenStore for FailingSaves {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        self.inner.get(user)
    }
    fn save(&self, tokens: &Tokens) -> Result<()> {
        if self.fail_saves.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorKind::StoreIo, "the disk is full"));
        }
        self.inner.save(tokens)
    }
    fn delete(&self, user: &str) -> Result<bool> {
        self.inner.delete(user)
    }
    fn list(&self) -> Result<Vec<Tokens>> {
        self.inner.list()
    }
    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        self.inner.lock_user(user, wait)
    }
    fn describe(&self) -> String {
        "failing saves".to_string()
    }
}

#[test]
fn a_refresh_whose_save_fails_serves_the_new_token_and_keeps_it_in_memory() {
    let env = TestEnv::start();
    let store = Arc::new(FailingSaves::default());
    let client = OAuthClient::new(env.config(), store.clone())
        .unwrap()
        .with_clock(env.clock.clone());
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    store.fail_saves.store(true, Ordering::SeqCst);
    common::advance(&env.clock, 3_700); // expired
    let fresh = client.get_access_token(ADA).expect("served unsaved");
    assert_ne!(fresh, first.access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);
    // A custom store is read on every call; the expired token it holds does not win over the
    // newer refresh of the same refresh token this process keeps.
    for _ in 0..5 {
        assert_eq!(client.get_access_token(ADA).unwrap(), fresh);
    }
    assert_eq!(env.counter("token.refresh_token"), 1, "no refresh per call");
    // A forced refresh reports the failed save, with Zoho's tokens attached.
    let e = client.refresh_user(ADA).expect_err("the save fails");
    assert_eq!(e.kind(), ErrorKind::StoreIo);
    let attached = e.unsaved_tokens().expect("tokens attached");
    assert_eq!(attached.refresh_token, first.refresh_token);
    // The store works again: the next refresh is saved, and what the store holds wins.
    store.fail_saves.store(false, Ordering::SeqCst);
    let saved = client.refresh_user(ADA).unwrap();
    assert_eq!(
        store.get(ADA).unwrap().unwrap().access_token,
        saved.access_token
    );
    assert_eq!(client.get_access_token(ADA).unwrap(), saved.access_token);
}

#[test]
fn a_grant_is_not_spent_when_the_token_directory_is_gone() {
    let env = TestEnv::start();
    let parent = tempfile::tempdir().unwrap();
    let dir = parent.path().join("tokens");
    std::fs::create_dir(&dir).unwrap();
    let client = env.client_for(env.config().with_token_persistence_path(&dir));
    std::fs::remove_dir(&dir).unwrap();
    let grant = env.grant(ADA, SCOPES);
    let e = client
        .generate_access_token(&grant)
        .expect_err("no directory");
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert_eq!(env.counter("token.authorization_code"), 0, "not spent");
    // The same grant works once the directory is back.
    std::fs::create_dir(&dir).unwrap();
    client.generate_access_token(&grant).unwrap();
}

/// Root ignores permissions, so as root a read-only directory only shows as another user
/// (see `deploy_files.rs`); here the check that needs no user switch.
#[test]
fn a_grant_is_not_spent_on_a_directory_others_may_write() {
    let env = TestEnv::start();
    let dir = tempfile::tempdir().unwrap();
    let client = env.client_for(env.config().with_token_persistence_path(dir.path()));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o777)).unwrap();
    let e = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .expect_err("refused");
    assert_eq!(e.kind(), ErrorKind::StoreIo, "{e}");
    assert_eq!(env.counter("token.authorization_code"), 0, "not spent");
}
