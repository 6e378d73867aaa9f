//! `migrate` into a shared store with encryption at rest, and back out in clear: the same
//! steps for MySQL and Redis (`mysql_cli.rs`, `redis_cli.rs`).

use std::path::Path;
use std::process::{Command, Output};

use zoho_oauth::store::php_format;
use zoho_oauth::{FileStore, StoreFormat, TokenStore, Tokens};

const BIN: &str = env!("CARGO_BIN_EXE_zoho-oauth");

/// Runs `zoho-oauth` with `dir` as HOME and token directory, and `key` (if any) as the key file.
fn run(dir: &Path, key: Option<&Path>, args: &[String]) -> Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args)
        .env_clear()
        .env("HOME", dir)
        .env("ZOHO_TOKEN_DIR", dir);
    if let Some(key) = key {
        cmd.env("ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE", key);
    }
    cmd.output().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// `args` with `flag VALUE` for each of `sets`.
fn with_sets(args: &[&str], flag: &str, sets: &[String]) -> Vec<String> {
    let mut all: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    for set in sets {
        all.extend([flag.to_string(), set.clone()]);
    }
    all
}

/// Copies the SDK fixture (three users) into `side` (`mysql`, `redis`, with `sets` as its
/// `--to-set`/`--from-set` values) with `--to-encryption on`: what the store then holds
/// (`stored_raw`, read without the key) is sealed with the new key and holds no 8-character
/// fragment of any token. Without the key, copying back out fails naming the key and writes
/// nothing; with it, `--to-encryption off` gives the fixture's tokens in clear.
pub fn sealed_round_trip(
    dir: &Path,
    side: &str,
    sets: &[String],
    stored_raw: impl Fn() -> Vec<Tokens>,
) {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/php-sdk/three-users.zcrm_oauthtokens.txt");
    std::fs::copy(&fixture, dir.join("zcrm_oauthtokens.txt")).unwrap();
    let expected = php_format::decode(&std::fs::read(&fixture).unwrap()).unwrap();
    let key = dir.join("token.key");
    let keygen = ["keygen", key.to_str().unwrap(), "--json"].map(String::from);
    let made = run(dir, None, &keygen);
    assert!(made.status.success(), "{}", text(&made));
    let made: serde_json::Value =
        serde_json::from_slice(made.stdout.split(|b| *b == b'\n').next().unwrap()).unwrap();
    let id = made["key_id"].as_str().unwrap().to_string();

    let to = with_sets(
        &[
            "migrate",
            "--from",
            "php",
            "--to",
            side,
            "--to-encryption",
            "on",
        ],
        "--to-set",
        sets,
    );
    let copied = run(dir, Some(&key), &to);
    assert!(copied.status.success(), "{}", text(&copied));
    let stored = stored_raw();
    assert_eq!(stored.len(), expected.len(), "{side}");
    let prefix = format!("zoe1.{id}.");
    let mut raw_text = String::new();
    for t in &stored {
        let refresh = t.refresh_token.as_ref().expect("a refresh token");
        for value in [t.access_token.expose(), refresh.expose()] {
            assert!(
                value.starts_with(&prefix),
                "{side}: {value:.12}... is not sealed with {id}"
            );
            raw_text.push_str(value);
        }
    }
    for t in &expected {
        let refresh = t.refresh_token.as_ref().map(|r| r.expose());
        for value in std::iter::once(t.access_token.expose()).chain(refresh) {
            for window in value.as_bytes().windows(8) {
                let fragment = String::from_utf8_lossy(window);
                assert!(
                    !raw_text.contains(&*fragment),
                    "{side} holds {fragment:?} of a token"
                );
            }
        }
    }

    let back = with_sets(
        &[
            "migrate",
            "--from",
            side,
            "--to",
            "json",
            "--to-encryption",
            "off",
        ],
        "--from-set",
        sets,
    );
    let refused = run(dir, None, &back);
    assert!(!refused.status.success(), "no key: {}", text(&refused));
    assert!(
        text(&refused).contains(&id),
        "the key is named: {}",
        text(&refused)
    );
    let json_file = dir.join("zoho_oauth_tokens.json");
    assert!(!json_file.exists(), "nothing was written without the key");
    let opened = run(dir, Some(&key), &back);
    assert!(opened.status.success(), "{}", text(&opened));
    let json = FileStore::in_directory(dir, StoreFormat::Json)
        .unwrap()
        .list()
        .unwrap();
    assert_eq!(json.len(), expected.len());
    for t in &expected {
        assert!(
            json.contains(t),
            "{:?} came back in clear from {side}",
            t.user
        );
    }
    let file = std::fs::read_to_string(json_file).unwrap();
    assert!(!file.contains("zoe1."), "written in clear");
}
