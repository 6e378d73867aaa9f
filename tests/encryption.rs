//! Issue 27: tokens encrypted at rest. With encryption on, no token (nor any 8-character
//! fragment of one) is in the token file (both formats) or the SDK's CSV; a tampered value,
//! two users' values swapped, or a missing key is a clear error naming the user and the key
//! id, with nothing refreshed and nothing overwritten; rotation and `rekey` leave every value
//! readable with the new key alone. (MySQL and Redis: `tests/encryption_servers.rs`.)
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::{Path, PathBuf};
use std::time::Duration;

use common::{ADA, SCOPES, TestEnv};
use zoho_oauth::config::{EncryptionMode, EncryptionSettings};
use zoho_oauth::seal::{Key, rekey};
use zoho_oauth::{Config, ErrorKind, StoreFormat, TokenStore, Tokens};

const BOB: &str = "bob@example.com";

/// The three token files, by the configuration that selects them.
fn file_configs(env: &TestEnv) -> Vec<(&'static str, Config)> {
    vec![
        ("php", env.config()),
        (
            "json",
            env.config().with_token_store_format(StoreFormat::Json),
        ),
        (
            "csv",
            env.config()
                .with_token_persistence_path(env.dir.path().join("sdk_tokens.txt")),
        ),
    ]
}

/// The file a configuration keeps its tokens in.
fn store_file(config: &Config) -> PathBuf {
    let csv = config.store().path().unwrap();
    if csv.ends_with("sdk_tokens.txt") {
        return csv.to_path_buf();
    }
    config.store().token_file().unwrap()
}

/// A new key file in `dir`; returns its path and id.
fn new_key(dir: &Path, name: &str) -> (PathBuf, String) {
    let path = dir.join(name);
    let id = zoho_oauth::seal::key::generate(&path).unwrap();
    (path, id.hex())
}

fn with_keys(config: Config, keys: &[&Path]) -> Config {
    let mut enc = EncryptionSettings::default();
    for key in keys {
        enc = enc.with_key_file(*key);
    }
    config.with_encryption(enc)
}

/// Consents ADA and BOB through a client of `config`; returns their tokens.
fn consent_both(env: &TestEnv, config: &Config) -> Vec<Tokens> {
    let client = env.client_for(config.clone());
    [ADA, BOB]
        .iter()
        .map(|u| client.generate_access_token(&env.grant(u, SCOPES)).unwrap())
        .collect()
}

/// The sealed refresh token of `user` as the file keeps it.
fn raw_refresh(config: &Config, user: &str) -> String {
    let raw = zoho_oauth::store::open_unsealed(config).unwrap();
    let t = raw.get(user).unwrap().unwrap();
    t.refresh_token.unwrap().expose().to_string()
}

#[test]
fn no_token_nor_fragment_is_in_any_token_file_and_refreshes_still_work() {
    let env = TestEnv::start();
    let (key, id) = new_key(env.dir.path(), "k1");
    for (name, config) in file_configs(&env) {
        let config = with_keys(config, &[&key]);
        let issued = consent_both(&env, &config);
        let text = std::fs::read_to_string(store_file(&config)).unwrap();
        common::assert_no_token_fragment(&text, &issued, name);
        assert!(text.contains(&format!("zoe1.{id}.")), "{name}: {text}");
        // A fresh client reads them back; an expired one is refreshed and saved sealed.
        let client = env.client_for(config.clone());
        assert_eq!(
            client.get_access_token(ADA).unwrap(),
            issued[0].access_token
        );
        let before = env.counter("token.refresh_token");
        common::advance(&env.clock, 3_700);
        let fresh = client.get_access_token(ADA).unwrap();
        assert_ne!(fresh, issued[0].access_token, "{name}");
        assert_eq!(env.counter("token.refresh_token"), before + 1, "{name}");
        let stored = client.store().get(ADA).unwrap().unwrap();
        assert_eq!(stored.access_token, fresh, "{name}: the refresh was saved");
        assert_eq!(stored.refresh_token, issued[0].refresh_token, "{name}");
        let mut all = issued.clone();
        all.push(stored);
        let text = std::fs::read_to_string(store_file(&config)).unwrap();
        common::assert_no_token_fragment(&text, &all, name);
    }
}

/// Each way a value can fail to open: the error names the user and the key id, nothing is
/// refreshed, and the file is left byte for byte as it was.
#[test]
fn tampering_swapping_and_a_missing_key_are_loud_and_overwrite_nothing() {
    let env = TestEnv::start();
    let (key, id) = new_key(env.dir.path(), "k1");
    for (name, config) in file_configs(&env) {
        let config = with_keys(config, &[&key]);
        consent_both(&env, &config);
        common::advance(&env.clock, 3_700); // every access token expired: a read refreshes
        let file = store_file(&config);
        let clean = std::fs::read_to_string(&file).unwrap();
        let ada = raw_refresh(&config, ADA);
        let bob = raw_refresh(&config, BOB);
        assert_eq!(ada.len(), bob.len());
        let mut tampered = ada.clone().into_bytes();
        let i = tampered.len() - 10;
        tampered[i] = if tampered[i] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        let cases = [
            (
                "tampered",
                clean.replace(&ada, &tampered),
                config.clone(),
                ErrorKind::StoreCorrupt,
            ),
            (
                "swapped",
                clean
                    .replace(&ada, "@@")
                    .replace(&bob, &ada)
                    .replace("@@", &bob),
                config.clone(),
                ErrorKind::StoreCorrupt,
            ),
            (
                "no key",
                clean.clone(),
                with_keys(config.clone(), &[]),
                ErrorKind::ConfigMissing,
            ),
        ];
        for (case, text, config, kind) in cases {
            std::fs::write(&file, &text).unwrap();
            let refreshes = env.counter("token.refresh_token");
            let client = env.client_for(config);
            let e = client.get_access_token(ADA).expect_err(case);
            assert_eq!(e.kind(), kind, "{name} {case}: {e}");
            assert!(e.message().contains(ADA), "{name} {case}: {e}");
            assert!(e.message().contains(&id), "{name} {case}: {e}");
            assert!(!e.message().contains(&ada[5 + 9..]), "{name} {case}: {e}");
            client.refresh_user(ADA).expect_err(case);
            assert_eq!(
                env.counter("token.refresh_token"),
                refreshes,
                "{name} {case}"
            );
            assert_eq!(
                std::fs::read_to_string(&file).unwrap(),
                text,
                "{name} {case}"
            );
        }
        std::fs::remove_file(&file).unwrap();
    }
}

#[test]
fn rotation_then_rekey_leaves_every_value_readable_with_the_new_key_alone() {
    let env = TestEnv::start();
    let (old, _) = new_key(env.dir.path(), "old");
    let (new, new_id) = new_key(env.dir.path(), "new");
    for (name, config) in file_configs(&env) {
        let issued = consent_both(&env, &with_keys(config.clone(), &[&old]));
        let both = with_keys(config.clone(), &[&new, &old]);
        let store = zoho_oauth::store::open_sealed(&both).unwrap();
        let done = rekey::rekey(&store, Duration::from_secs(5)).unwrap();
        assert_eq!(done.rewritten.len(), 2, "{name}: {done:?}");
        let again = rekey::rekey(&store, Duration::from_secs(5)).unwrap();
        assert_eq!((again.rewritten.len(), again.already), (0, 2), "{name}");
        let alone = zoho_oauth::store::open(&with_keys(config.clone(), &[&new])).unwrap();
        for t in &issued {
            let read = alone.get(t.user.as_deref().unwrap()).unwrap().unwrap();
            assert_eq!(read.refresh_token, t.refresh_token, "{name}");
            assert_eq!(read.access_token, t.access_token, "{name}");
        }
        assert!(raw_refresh(&config, ADA).starts_with(&format!("zoe1.{new_id}.")));
        std::fs::remove_file(store_file(&config)).unwrap();
    }
}

/// Turning encryption on and off: a store in clear is read with `token_encryption=read`
/// and `on`; `rekey` seals it; with `read`, `rekey` opens it all again, and a configuration
/// without keys reads it.
#[test]
fn turning_encryption_on_and_off_keeps_every_token_readable() {
    let env = TestEnv::start();
    let (key, _) = new_key(env.dir.path(), "k1");
    let config = env.config().with_token_store_format(StoreFormat::Json);
    let mode = |m| {
        EncryptionSettings::default()
            .with_key_file(&key)
            .with_mode(m)
    };
    let issued = consent_both(&env, &config);
    for m in [EncryptionMode::Read, EncryptionMode::On] {
        let store = zoho_oauth::store::open(&config.clone().with_encryption(mode(m))).unwrap();
        assert_eq!(
            store.get(ADA).unwrap().unwrap().refresh_token,
            issued[0].refresh_token
        );
    }
    let on =
        zoho_oauth::store::open_sealed(&config.clone().with_encryption(mode(EncryptionMode::On)))
            .unwrap();
    assert_eq!(
        rekey::rekey(&on, Duration::from_secs(5))
            .unwrap()
            .rewritten
            .len(),
        2
    );
    let text = std::fs::read_to_string(config.store().token_file().unwrap()).unwrap();
    common::assert_no_token_fragment(&text, &issued, "sealed by rekey");
    let read =
        zoho_oauth::store::open_sealed(&config.clone().with_encryption(mode(EncryptionMode::Read)))
            .unwrap();
    assert_eq!(
        rekey::rekey(&read, Duration::from_secs(5))
            .unwrap()
            .rewritten
            .len(),
        2
    );
    let clear = zoho_oauth::store::open(&config).unwrap();
    for t in &issued {
        let got = clear.get(t.user.as_deref().unwrap()).unwrap().unwrap();
        assert_eq!(got.refresh_token, t.refresh_token);
    }
    let e = zoho_oauth::store::open(
        &config
            .clone()
            .with_encryption(EncryptionSettings::default().with_mode(EncryptionMode::On)),
    )
    .err()
    .expect("on without a key");
    assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
}

#[test]
fn key_files_others_can_read_are_refused_when_the_store_is_opened() {
    use std::os::unix::fs::PermissionsExt;
    let env = TestEnv::start();
    let (key, _) = new_key(env.dir.path(), "k1");
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = zoho_oauth::store::open(&with_keys(env.config(), &[&key]))
        .err()
        .expect("refused");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("0644"), "{e}");
    let key_text = std::fs::read_to_string(&key).unwrap();
    let config = Config::from_pairs([
        ("client_id", "1000.X"),
        ("client_secret", "s"),
        ("redirect_uri", "https://example.com/cb"),
        ("token_persistence_path", env.dir.path().to_str().unwrap()),
        ("token_encryption_key", key_text.trim()),
    ])
    .unwrap();
    let shown = format!("{config:?}");
    assert!(!shown.contains(key_text.trim()), "{shown}");
    assert!(Key::from_value(&config.encryption().key_values()[0]).is_ok());
    zoho_oauth::store::open(&config).unwrap();
}

/// A `rekey` that stops part way (here on a value that does not open) leaves every user
/// readable: those before it under the new key, the rest under the old one, the bad one as it
/// was; nothing is lost.
#[test]
fn a_rekey_that_stops_part_way_loses_nothing() {
    let env = TestEnv::start();
    let (old, _) = new_key(env.dir.path(), "old");
    let (new, _) = new_key(env.dir.path(), "new");
    let config = env.config().with_token_store_format(StoreFormat::Json);
    let client = env.client_for(with_keys(config.clone(), &[&old]));
    let users = ["a@example.com", "b@example.com", "c@example.com"];
    let issued: Vec<Tokens> = users
        .iter()
        .map(|u| client.generate_access_token(&env.grant(u, SCOPES)).unwrap())
        .collect();
    // b's sealed refresh token is pasted into c's entry: c no longer opens.
    let raw = zoho_oauth::store::open_unsealed(&config).unwrap();
    let mut c = raw.get(users[2]).unwrap().unwrap();
    let bad = raw.get(users[1]).unwrap().unwrap().refresh_token;
    c.refresh_token = bad;
    raw.save(&c).unwrap();
    let both = with_keys(config.clone(), &[&new, &old]);
    let store = zoho_oauth::store::open_sealed(&both).unwrap();
    let e = rekey::rekey(&store, Duration::from_secs(5)).expect_err("c does not open");
    assert!(e.message().contains(users[2]), "{e}");
    assert_eq!(
        raw.get(users[2]).unwrap().unwrap(),
        c,
        "the bad value is kept"
    );
    let reader = zoho_oauth::store::open(&both).unwrap();
    for (user, t) in users.iter().zip(&issued).take(2) {
        let read = reader.get(user).unwrap().unwrap();
        assert_eq!(read.refresh_token, t.refresh_token, "{user}");
    }
}

/// A key file that belongs to another user is refused, as a token file would be.
#[test]
fn a_key_file_of_another_user_is_refused() {
    use std::os::unix::fs::MetadataExt;
    let env = TestEnv::start();
    let (key, _) = new_key(env.dir.path(), "k1");
    let me = std::fs::metadata(&key).unwrap().uid();
    if me != 0 {
        eprintln!("skipped: chown needs root");
        return;
    }
    std::os::unix::fs::chown(&key, Some(65534), None).unwrap();
    let e = zoho_oauth::store::open(&with_keys(env.config(), &[&key]))
        .err()
        .expect("refused");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("not to this process's user"), "{e}");
}
