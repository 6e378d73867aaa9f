//! Zoho's PHP SDK token files: read and written byte for byte, and refreshed in place.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::PathBuf;
use std::process::Command;

use common::{CLIENT_ID, TestEnv, advance};
use zoho_accounts_emulator::TokenSpec;
use zoho_oauth::store::php_format;
use zoho_oauth::{FileStore, StoreFormat, TokenStore};

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/php-sdk")
        .join(name)
}

const THREE_USERS: &str = "three-users.zcrm_oauthtokens.txt";
const ONLINE: &str = "online-no-refresh.zcrm_oauthtokens.txt";

#[test]
fn both_fixtures_round_trip_byte_for_byte() {
    for name in [THREE_USERS, ONLINE] {
        let bytes = std::fs::read(fixture(name)).unwrap();
        let tokens = php_format::decode(&bytes).unwrap();
        assert_eq!(php_format::encode(&tokens), bytes, "{name}");
    }
}

#[test]
fn the_three_users_fixture_reads_in_the_sdks_order() {
    let bytes = std::fs::read(fixture(THREE_USERS)).unwrap();
    let tokens = php_format::decode(&bytes).unwrap();
    let users: Vec<&str> = tokens.iter().map(|t| t.user_or_empty()).collect();
    assert_eq!(
        users,
        ["Bob.Smith@Example.COM", "zoë@exämple.de", "ada@example.com"]
    );
    assert_eq!(tokens[2].expiry_time_ms, 1_795_317_372_818);
    let online = php_format::decode(&std::fs::read(fixture(ONLINE)).unwrap()).unwrap();
    assert!(online[0].refresh_token.is_none());
    assert_eq!(online[0].user.as_deref(), Some("online@example.com"));
}

#[test]
fn a_file_the_sdk_wrote_is_refreshed_in_place_keeping_everyone_else() {
    let env = TestEnv::start();
    std::fs::copy(fixture(THREE_USERS), env.token_file()).unwrap();
    let original = php_format::decode(&std::fs::read(env.token_file()).unwrap()).unwrap();
    for t in &original {
        env.emulator
            .import_refresh_token(TokenSpec {
                token: t.refresh_token.as_ref().unwrap().expose().to_string(),
                client_id: CLIENT_ID.into(),
                user: t.user_or_empty().to_string(),
                scope: common::SCOPES.into(),
                ..TokenSpec::default()
            })
            .unwrap();
    }
    let client = env.client();
    advance(&env.clock, 7200); // whatever the fixture's expiry, it is stale now
    let zoe = client.get_access_token("zoë@exämple.de").unwrap();
    assert_ne!(&zoe, &original[1].access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);

    let now = php_format::decode(&std::fs::read(env.token_file()).unwrap()).unwrap();
    // The SDK's update order: the refreshed user moves to the end; the others are untouched.
    assert_eq!(now.len(), 3);
    assert_eq!(now[0], original[0]);
    assert_eq!(now[1], original[2]);
    assert_eq!(now[2].user, original[1].user);
    assert_eq!(now[2].refresh_token, original[1].refresh_token);
    assert_eq!(now[2].access_token, zoe);
}

#[test]
fn json_and_sdk_stores_hold_the_same_tokens() {
    let dir = tempfile::tempdir().unwrap();
    let tokens = php_format::decode(&std::fs::read(fixture(THREE_USERS)).unwrap()).unwrap();
    let json = FileStore::in_directory(dir.path(), StoreFormat::Json).unwrap();
    json.replace_all(&tokens).unwrap();
    let sdk = FileStore::in_directory(dir.path(), StoreFormat::PhpSdk).unwrap();
    sdk.replace_all(&json.list().unwrap()).unwrap();
    assert_eq!(
        std::fs::read(sdk.path()).unwrap(),
        std::fs::read(fixture(THREE_USERS)).unwrap()
    );
}

/// PHP's own `unserialize` + `serialize` must reproduce our bytes exactly.
#[test]
fn php_itself_reads_and_rewrites_our_file_unchanged() {
    if Command::new("php").arg("-v").output().is_err() {
        assert!(
            std::env::var_os("ZOHO_REQUIRE_PHP").is_none(),
            "php is required but missing"
        );
        eprintln!("php is not installed; skipping the PHP cross-check");
        return;
    }
    let env = TestEnv::start();
    let client = env.client();
    client
        .generate_access_token(&env.grant("zoë@exämple.de", common::SCOPES))
        .unwrap();
    client
        .generate_access_token(&env.grant(common::ADA, common::SCOPES))
        .unwrap();
    let script = r#"namespace zcrmsdk\oauth\utility;
        class ZohoOAuthTokens { private $refreshToken; private $accessToken; private $expiryTime; private $userEmailId;
            function user() { return $this->userEmailId; } }
        $bytes = file_get_contents($argv[1]);
        $list = unserialize($bytes, ['allowed_classes' => [ZohoOAuthTokens::class]]);
        if (!is_array($list) || count($list) !== 2 || $list[0]->user() !== "zoë@exämple.de") { exit(2); }
        echo serialize($list) === $bytes ? "same" : "different";"#;
    let out = Command::new("php")
        .args(["-r", script])
        .arg(env.token_file())
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "same",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
