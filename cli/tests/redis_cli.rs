//! The CLI on the Redis store: `token_store=redis` and `redis_url` in its config file, and
//! `migrate` to and from Redis.
//! Needs `eval "$(scripts/redis.sh start DIR)"`.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "support/sealed_migration.rs"]
mod sealed_migration;
#[path = "../../tests/redis/support.rs"]
mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use support::{store, tokens, unique_prefix};
use zoho_oauth::TokenStore;

fn cli(config: &Path, home: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zoho-oauth"))
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("ZOHO_OAUTH_CONFIG", config)
        .output()
        .unwrap()
}

fn write_config(dir: &Path, url: &str, prefix: &str) -> std::path::PathBuf {
    let path = dir.join("zoho-oauth.conf");
    std::fs::write(
        &path,
        format!(
            "client_id=1000.CLI\nclient_secret=cli-secret\naccounts_url=http://127.0.0.1:9\ntoken_store=redis\nredis_url={url}\nredis_key_prefix={prefix}\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    path
}

#[test]
fn the_cli_reads_tokens_from_redis_and_never_shows_the_password() {
    let Some(url) = support::url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let prefix = unique_prefix();
    let ada = tokens("ada@example.com", 1);
    store(&url, &prefix).save(&ada).unwrap();
    let config = write_config(dir.path(), &url, &prefix);
    let run = cli(&config, dir.path(), &["token", "--user", "ada@example.com"]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&run.stdout).trim(),
        ada.access_token.expose()
    );
    let users = cli(&config, dir.path(), &["users", "--json"]);
    assert!(
        users.status.success(),
        "{}",
        String::from_utf8_lossy(&users.stderr)
    );
    assert!(String::from_utf8_lossy(&users.stdout).contains("ada@example.com"));
    assert!(
        !dir.path().join(".zoho-oauth").exists()
            || std::fs::read_dir(dir.path().join(".zoho-oauth"))
                .unwrap()
                .next()
                .is_none(),
        "no token file was written"
    );

    let Some(bad) = support::env_url("ZOHO_TEST_REDIS_AUTH_BAD_URL") else {
        return;
    };
    let password = url::Url::parse(&bad)
        .unwrap()
        .password()
        .unwrap()
        .to_string();
    let config = write_config(dir.path(), &bad, &prefix);
    let run = cli(&config, dir.path(), &["token", "--user", "ada@example.com"]);
    let shown = format!(
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    assert!(!run.status.success());
    assert!(shown.contains("refused the credentials"), "{shown}");
    assert!(!shown.contains(&password), "{shown}");
}

/// `migrate` copies the SDK's token file to Redis and from Redis to a JSON file, losing
/// nothing, and refuses to overwrite a Redis prefix that already holds tokens.
#[test]
fn migrate_sdk_file_to_redis_and_back_to_json() {
    let Some(url) = support::url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/fixtures/php-sdk/three-users.zcrm_oauthtokens.txt");
    std::fs::copy(&fixture, dir.path().join("zcrm_oauthtokens.txt")).unwrap();
    let expected =
        zoho_oauth::store::php_format::decode(&std::fs::read(&fixture).unwrap()).unwrap();
    let prefix = unique_prefix();
    let url_set = format!("redis_url={url}");
    let prefix_set = format!("redis_key_prefix={prefix}");
    let migrate = |args: &[&str]| {
        let mut all = vec!["migrate"];
        all.extend_from_slice(args);
        Command::new(env!("CARGO_BIN_EXE_zoho-oauth"))
            .args(&all)
            .env_clear()
            .env("HOME", dir.path())
            .env("ZOHO_TOKEN_DIR", dir.path())
            .output()
            .unwrap()
    };
    let to_redis = [
        "--from",
        "php",
        "--to",
        "redis",
        "--to-set",
        &url_set,
        "--to-set",
        &prefix_set,
    ];
    let run = migrate(&to_redis);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let in_redis = store(&url, &prefix).list().unwrap();
    assert_eq!(in_redis.len(), 3);
    for t in &expected {
        assert!(in_redis.contains(t), "{:?} copied to Redis", t.user);
    }
    let again = migrate(&to_redis);
    assert!(
        !again.status.success(),
        "a prefix holding tokens is not overwritten"
    );
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds tokens"));

    let back = migrate(&[
        "--from",
        "redis",
        "--to",
        "json",
        "--from-set",
        &url_set,
        "--from-set",
        &prefix_set,
    ]);
    assert!(
        back.status.success(),
        "{}",
        String::from_utf8_lossy(&back.stderr)
    );
    let json = zoho_oauth::FileStore::in_directory(dir.path(), zoho_oauth::StoreFormat::Json)
        .unwrap()
        .list()
        .unwrap();
    assert_eq!(json.len(), 3);
    for t in &expected {
        assert!(json.contains(t), "{:?} copied back", t.user);
    }
}

/// `migrate --to redis --to-encryption on`: every value in Redis sealed, none readable without
/// the key, and back out in clear with it.
#[test]
fn migrate_to_redis_with_encryption_and_back_in_clear() {
    let Some(url) = support::url() else { return };
    let dir = tempfile::tempdir().unwrap();
    let prefix = unique_prefix();
    let sets = [
        format!("redis_url={url}"),
        format!("redis_key_prefix={prefix}"),
    ];
    sealed_migration::sealed_round_trip(dir.path(), "redis", &sets, || {
        store(&url, &prefix).list().unwrap()
    });
}
