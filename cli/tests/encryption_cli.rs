//! Issue 27 through the CLI: `keygen` (0600, no clobber, no symlink), tokens sealed in the
//! token file with the key from `ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE`, a tampered value or a
//! missing key refused with the user and the key id named and the file untouched, `rekey`
//! onto a new key, and `migrate` between a sealed and a clear file both ways.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[allow(dead_code)]
mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use support::{ADA, Env, Run};
use zoho_oauth::config::EncryptionSettings;
use zoho_oauth::{Config, StoreFormat, TokenStore};

const ENV_KEY: &str = "ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE";

fn with_key(env: &Env, keys: &str, args: &[&str]) -> Run {
    let mut cmd = env.cmd(args);
    cmd.env(ENV_KEY, keys);
    support::run(cmd)
}

fn keygen(env: &Env, name: &str) -> (PathBuf, String) {
    let path = env.token_dir().join(name);
    let run = env
        .run(&["keygen", path.to_str().unwrap(), "--json"])
        .expect(0);
    (path, run.json()["key_id"].as_str().unwrap().to_string())
}

/// The tokens in `file` (format `format`) opened with `keys`.
fn opened(env: &Env, keys: &[&Path], format: StoreFormat) -> Vec<zoho_oauth::Tokens> {
    let mut enc = EncryptionSettings::default();
    for k in keys {
        enc = enc.with_key_file(*k);
    }
    let config = Config::without_secret("1000.X", "https://example.com/cb")
        .with_token_persistence_path(env.token_dir())
        .with_token_store_format(format)
        .with_encryption(enc);
    zoho_oauth::store::open(&config).unwrap().list().unwrap()
}

/// The user and both tokens of each entry (rekey moves an expiry one millisecond later).
fn values(tokens: &[zoho_oauth::Tokens]) -> Vec<(Option<String>, String, String)> {
    tokens
        .iter()
        .map(|t| {
            let refresh = t.refresh_token.as_ref().unwrap().expose().to_string();
            (t.user.clone(), t.access_token.expose().to_string(), refresh)
        })
        .collect()
}

#[test]
fn keygen_writes_a_private_new_file_and_never_clobbers_or_follows_a_symlink() {
    let env = Env::start();
    let (path, id) = keygen(&env, "k1");
    assert_eq!(id.len(), 8);
    assert_eq!(
        fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let before = fs::read(&path).unwrap();
    let run = env.run(&["keygen", path.to_str().unwrap()]);
    assert_ne!(run.code, 0, "{run:?}");
    assert!(run.stderr.contains("never overwritten"), "{run:?}");
    assert_eq!(fs::read(&path).unwrap(), before);
    let link = env.token_dir().join("link");
    std::os::unix::fs::symlink(env.token_dir().join("elsewhere"), &link).unwrap();
    assert_ne!(env.run(&["keygen", link.to_str().unwrap()]).code, 0);
    assert!(!env.token_dir().join("elsewhere").exists());
}

#[test]
fn sealed_tokens_a_tampered_value_and_a_missing_key_through_the_cli() {
    let env = Env::start();
    let (key, id) = keygen(&env, "k1");
    let keys = key.to_str().unwrap();
    let code = env.grant(ADA, support::SCOPES);
    with_key(&env, keys, &["exchange", "--grant-token", &code]).expect(0);
    let tokens = opened(&env, &[&key], StoreFormat::PhpSdk);
    let text = fs::read_to_string(env.token_file()).unwrap();
    common::assert_no_token_fragment(&text, &tokens, "the token file");
    let run = with_key(&env, keys, &["token", "--user", ADA]).expect(0);
    assert_eq!(run.stdout.trim(), tokens[0].access_token.expose());
    // No key: the error names the user and the key id, and the file is untouched.
    let run = env.run(&["token", "--user", ADA]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains(ADA) && run.stderr.contains(&id),
        "{run:?}"
    );
    assert_eq!(fs::read_to_string(env.token_file()).unwrap(), text);
    // One byte changed: the same, and nothing refreshed or written.
    let marker = format!("zoe1.{id}.");
    let at = text.rfind(&marker).unwrap() + marker.len() + 20;
    let mut bytes = text.clone().into_bytes();
    bytes[at] = if bytes[at] == b'A' { b'B' } else { b'A' };
    fs::write(env.token_file(), &bytes).unwrap();
    for args in [["token", "--user", ADA], ["refresh", "--user", ADA]] {
        let run = with_key(&env, keys, &args);
        assert_ne!(run.code, 0, "{run:?}");
        assert!(
            run.stderr.contains(ADA) && run.stderr.contains(&id),
            "{run:?}"
        );
        assert!(
            !run.stderr
                .contains(&tokens[0].refresh_token.as_ref().unwrap().expose()[5..20])
        );
        assert_eq!(fs::read(env.token_file()).unwrap(), bytes);
    }
    assert_eq!(env.counter("token.refresh_token"), 0);
}

/// One user sealed with a key this configuration does not have: `users`, `status`, `check`
/// and `metrics` still show every other user, name the one they cannot read, and say
/// nothing secret; `users` then fails with that user's error.
#[test]
fn one_value_that_does_not_open_hides_no_other_user() {
    const BOB: &str = "bob@example.com";
    let env = Env::start();
    let (k1, id1) = keygen(&env, "k1");
    let (k2, id2) = keygen(&env, "k2");
    let (k1, k2) = (k1.to_str().unwrap(), k2.to_str().unwrap());
    let ada_code = env.grant(ADA, support::SCOPES);
    with_key(&env, k1, &["exchange", "--grant-token", &ada_code]).expect(0);
    let bob_code = env.grant(BOB, support::SCOPES);
    with_key(&env, k2, &["exchange", "--grant-token", &bob_code]).expect(0);
    let both = format!("{k1},{k2}");
    let tokens = opened(&env, &[Path::new(k1), Path::new(k2)], StoreFormat::PhpSdk);
    assert_eq!(tokens.len(), 2);
    let file_before = fs::read(env.token_file()).unwrap();
    with_key(&env, &both, &["users"]).expect(0);

    let users = with_key(&env, k1, &["users"]);
    assert_ne!(users.code, 0, "{users:?}");
    assert!(users.stdout.contains(ADA), "{users:?}");
    assert!(
        users.stdout.contains(BOB) && users.stdout.contains("CANNOT BE READ (config_missing)"),
        "{users:?}"
    );
    assert!(
        users.stderr.contains(BOB) && users.stderr.contains(&id2),
        "{users:?}"
    );
    let listed = with_key(&env, k1, &["users", "--json"]);
    assert_ne!(listed.code, 0);
    let listed: serde_json::Value =
        serde_json::from_str(listed.stdout.lines().next().unwrap()).unwrap();
    let readable: Vec<_> = listed["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["user"].as_str().unwrap().to_string(),
                u["readable"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        readable,
        [(ADA.to_string(), true), (BOB.to_string(), false)]
    );

    let status = with_key(&env, k1, &["status", "--json"]).expect(0);
    let lines: Vec<serde_json::Value> = status
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["store"]["reachable"], true, "{status:?}");
    assert_eq!(lines[1]["user"], ADA);
    assert_eq!(lines[1]["tokens_readable"], true);
    assert!(lines[1]["access_token_remaining_s"].as_i64().unwrap() > 0);
    assert_eq!(lines[2]["user"], BOB);
    assert_eq!(lines[2]["tokens_readable"], false);
    assert_eq!(lines[2]["tokens_error_kind"], "config_missing");
    assert!(
        lines[2].get("access_token_remaining_s").is_none(),
        "{status:?}"
    );

    let check = with_key(&env, k1, &["check"]).expect(2);
    assert!(
        check.stdout.contains(&format!(
            "{BOB}'s stored tokens cannot be read (config_missing)"
        )),
        "{check:?}"
    );
    let metrics = with_key(&env, k1, &["metrics"]).expect(0);
    assert!(
        metrics
            .stdout
            .contains(&format!("zoho_oauth_tokens_readable{{user=\"{BOB}\"}} 0")),
        "{metrics:?}"
    );
    assert!(
        metrics
            .stdout
            .contains(&format!("zoho_oauth_tokens_readable{{user=\"{ADA}\"}} 1")),
        "{metrics:?}"
    );
    // (`users` shows its redacted previews, the first 9 characters, by design.)
    for run in [&check, &metrics, &status] {
        let text = format!("{}{}", run.stdout, run.stderr);
        common::assert_no_token_fragment(&text, &tokens, "the commands' output");
    }
    for t in &tokens {
        let refresh = t.refresh_token.as_ref().unwrap().expose();
        assert!(!users.stdout.contains(refresh) && !users.stderr.contains(refresh));
        assert!(!users.stdout.contains(&refresh[5..20]), "{users:?}");
    }
    assert!(
        check.stdout.contains(&id2) && check.stdout.contains(&id1),
        "the value's key and the configured one: {check:?}"
    );
    assert_eq!(
        fs::read(env.token_file()).unwrap(),
        file_before,
        "nothing was written"
    );
}

#[test]
fn rekey_moves_every_user_to_the_new_key_and_migrate_crosses_both_ways() {
    let env = Env::start();
    let (old, _) = keygen(&env, "old");
    let (new, new_id) = keygen(&env, "new");
    env.exchange(ADA, &[]); // in clear, as before encryption
    let clear = opened(&env, &[], StoreFormat::PhpSdk);
    let both = format!("{},{}", new.display(), old.display());
    let run = with_key(&env, old.to_str().unwrap(), &["rekey", "--json"]).expect(0);
    assert_eq!(run.json()["rewritten"][0], ADA);
    let run = with_key(&env, &both, &["rekey", "--json"]).expect(0);
    assert_eq!(run.json()["rewritten"][0], ADA, "resealed from the old key");
    assert_eq!(run.json()["key_id"], new_id.as_str());
    let run = with_key(&env, &both, &["rekey", "--json"]).expect(0);
    assert_eq!(run.json()["already"], 1);
    assert_eq!(
        values(&opened(&env, &[&new], StoreFormat::PhpSdk)),
        values(&clear),
        "the new key alone opens"
    );
    // Sealed php file -> clear JSON file, then clear JSON -> sealed php file again.
    let keys = new.to_str().unwrap();
    with_key(
        &env,
        keys,
        &["migrate", "--to", "json", "--to-encryption", "off"],
    )
    .expect(0);
    assert_eq!(
        opened(&env, &[], StoreFormat::Json)[0].refresh_token,
        clear[0].refresh_token
    );
    fs::remove_file(env.token_file()).unwrap();
    with_key(&env, keys, &["migrate", "--from", "json", "--to", "php"]).expect(0);
    let text = fs::read_to_string(env.token_file()).unwrap();
    common::assert_no_token_fragment(&text, &clear, "the token file");
    assert_eq!(
        values(&opened(&env, &[&new], StoreFormat::PhpSdk)),
        values(&clear)
    );
    let sealed_csv = with_key(&env, keys, &["migrate", "--from", "php", "--to", "csv"]);
    sealed_csv.expect(0);
    let csv = fs::read_to_string(env.token_dir().join("sdk_tokens.txt")).unwrap();
    common::assert_no_token_fragment(&csv, &clear, "the token file");
    assert!(csv.contains(&format!("zoe1.{new_id}.")));
}
