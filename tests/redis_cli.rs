//! The CLI on the Redis store: `token_store=redis` and `redis_url` in its config file.
//! Needs `eval "$(scripts/redis.sh start DIR)"`.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "redis/support.rs"]
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
