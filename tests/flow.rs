//! The seed's whole flow against the accounts emulator, through the Rust API.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, SCOPES, TestEnv, advance, http};
use zoho_oauth::store::php_format;
use zoho_oauth::{AuthorizationRequest, ErrorKind, MemoryStore, OAuthClient, TokenStore, Tokens};

#[test]
fn grant_exchange_persists_then_get_is_cached_then_expiry_refreshes_once() {
    let env = TestEnv::start();
    let client = env.client();
    let started = client.now_ms();

    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    assert_eq!(tokens.user.as_deref(), Some(ADA));
    let refresh = tokens
        .refresh_token
        .clone()
        .expect("offline grant gives a refresh token");
    let lifetime = tokens.expiry_time_ms - started;
    assert!((3_595_000..=3_601_000).contains(&lifetime), "{lifetime}");
    assert_eq!(
        tokens.api_domain.as_deref(),
        Some(env.emulator.url().as_str())
    );
    assert_eq!(env.counter("token.authorization_code"), 1);
    assert_eq!(env.counter("user_info"), 1);

    // Persisted in the SDK's format, owner-only.
    let bytes = std::fs::read(env.token_file()).unwrap();
    let stored = php_format::decode(&bytes).unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].access_token, tokens.access_token);
    assert_eq!(stored[0].refresh_token.as_ref(), Some(&refresh));
    let mode = std::fs::metadata(env.token_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);

    // Cached: no request at all, and the token really works at the API.
    let before = env.requests();
    for _ in 0..50 {
        assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    }
    assert_eq!(env.requests(), before);
    let api = tokens.api_domain.clone().unwrap();
    assert_eq!(env.resource_status(&api, tokens.access_token.expose()), 200);

    // An hour later the token is stale: exactly one refresh, old refresh token kept.
    advance(&env.clock, 3600);
    let fresh = client.get_access_token(ADA).unwrap();
    assert_ne!(fresh, tokens.access_token);
    assert_eq!(client.get_access_token(ADA).unwrap(), fresh);
    assert_eq!(env.counter("token.refresh_token"), 1);
    let stored = client.store().get(ADA).unwrap().unwrap();
    assert_eq!(stored.access_token, fresh);
    assert_eq!(stored.refresh_token.as_ref(), Some(&refresh));
    assert_eq!(env.resource_status(&api, fresh.expose()), 200);
}

#[test]
fn get_is_case_insensitive_for_emails_and_says_the_sdk_message_otherwise() {
    let env = TestEnv::start();
    let client = env.client();
    client
        .generate_access_token(&env.grant("Bob.Smith@Example.COM", SCOPES))
        .unwrap();
    assert!(client.get_access_token("bob.smith@example.com").is_ok());
    let err = client.get_access_token("carol@example.com").unwrap_err();
    assert_eq!(err.kind(), ErrorKind::NoTokens);
    assert_eq!(
        err.message(),
        "No Tokens exist for the given user-identifier,Please generate and try again."
    );
}

#[test]
fn refresh_token_route_saves_under_the_callers_identifier() {
    let env = TestEnv::start();
    let client = env.client();
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let refresh = first.refresh_token.clone().unwrap();

    let tokens = client
        .generate_access_token_from_refresh_token(refresh.expose(), "crm-bot")
        .unwrap();
    assert_eq!(tokens.user.as_deref(), Some("crm-bot"));
    assert_eq!(tokens.refresh_token.as_ref(), Some(&refresh));
    assert_ne!(tokens.access_token, first.access_token);
    assert_eq!(
        client.get_access_token("crm-bot").unwrap(),
        tokens.access_token
    );
    let users: Vec<String> = client
        .list_tokens()
        .unwrap()
        .iter()
        .map(|t| t.user_or_empty().to_string())
        .collect();
    assert_eq!(users, [ADA, "crm-bot"]);
}

#[test]
fn forced_refresh_revoke_and_delete() {
    let env = TestEnv::start();
    let client = env.client();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let refreshed = client.refresh_user(ADA).unwrap();
    assert_ne!(refreshed.access_token, tokens.access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);

    client.revoke(ADA).unwrap();
    assert_eq!(env.counter("revoke"), 1);
    assert!(client.store().get(ADA).unwrap().is_none());
    let api = tokens.api_domain.clone().unwrap();
    assert_eq!(
        env.resource_status(&api, refreshed.access_token.expose()),
        401
    );
    // The revoked refresh token now fails the way Zoho fails it.
    let refresh = tokens.refresh_token.unwrap();
    let err = client
        .refresh_access_token(refresh.expose(), ADA)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode);
    assert_eq!(err.zoho_code(), Some("invalid_code"));
    // Revoking again: nothing stored any more.
    assert_eq!(client.revoke(ADA).unwrap_err().kind(), ErrorKind::NoTokens);

    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    assert!(client.delete_tokens(ADA).unwrap());
    assert!(!client.delete_tokens(ADA).unwrap());
    assert_eq!(
        client.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::NoTokens
    );
}

#[test]
fn user_info_returns_the_profile() {
    let env = TestEnv::start();
    let client = env.client();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let info = client.user_info(tokens.access_token.expose()).unwrap();
    assert_eq!(info.email, ADA);
    assert!(info.zuid > 0);
    let err = client
        .user_info("1000.00000000000000000000000000000000.00000000000000000000000000000000")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidToken);
}

#[test]
fn authorization_url_drives_the_consent_redirect_and_the_code_exchanges() {
    let env = TestEnv::start();
    let client = env.client();
    let url = client
        .authorization_url(&AuthorizationRequest {
            scopes: vec![
                "ZohoCRM.modules.ALL".into(),
                "AaaServer.profile.READ".into(),
            ],
            access_type: Some("offline".into()),
            prompt_consent: true,
            state: Some("st-123".into()),
        })
        .unwrap();
    let reply = http().get(&url).send().unwrap();
    assert_eq!(reply.status().as_u16(), 302);
    let location = reply.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(REDIRECT_URI), "{location}");
    let query: std::collections::HashMap<String, String> = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect();
    assert_eq!(query["state"], "st-123");
    assert_eq!(query["location"], "us");
    assert_eq!(query["accounts-server"], env.emulator.url());
    let tokens = client.generate_access_token(&query["code"]).unwrap();
    assert!(tokens.refresh_token.is_some());
    assert!(url.contains(&format!("client_id={CLIENT_ID}")));
    assert!(!url.contains("5ecret") && !location.contains("5ecret"));
}

#[test]
fn legacy_replies_give_the_same_expiry() {
    let env = TestEnv::start();
    env.set_settings(|s| s.legacy_expiry = true);
    let client = env.client();
    let started = client.now_ms();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let lifetime = tokens.expiry_time_ms - started;
    assert!(
        (3_595_000..=3_601_000).contains(&lifetime),
        "legacy expires_in is ms: {lifetime}"
    );
    advance(&env.clock, 3600);
    let refreshed = client.refresh_user(ADA).unwrap();
    assert!(refreshed.expiry_time_ms - client.now_ms() > 3_590_000);
}

#[test]
fn data_centres_are_kept_apart() {
    let env = TestEnv::start();
    let eu_config = env.config().with_accounts_url(env.emulator.dc_url("eu"));
    let eu = env.client_for(eu_config);
    let code = env
        .emulator
        .mint_grant(zoho_accounts_emulator::GrantSpec {
            client_id: CLIENT_ID.into(),
            user: "eve@example.eu".into(),
            scope: SCOPES.into(),
            data_centre: Some("eu".into()),
            ..Default::default()
        })
        .unwrap();
    // An EU grant at the US server is an unknown code there.
    let us = env.client();
    assert_eq!(
        us.generate_access_token(&code).unwrap_err().kind(),
        ErrorKind::InvalidCode
    );
    let tokens = eu.generate_access_token(&code).unwrap();
    assert_eq!(tokens.user.as_deref(), Some("eve@example.eu"));
    // The EU refresh token does not work in the US.
    let refresh = tokens.refresh_token.unwrap();
    let err = us
        .refresh_access_token(refresh.expose(), "eve")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode);
    // The client is not enabled in India at all.
    let india = env.client_for(env.config().with_accounts_url(env.emulator.dc_url("in")));
    let err = india
        .refresh_access_token(refresh.expose(), "eve")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidClient);
    assert!(err.hint().unwrap().contains("data centre"));
}

#[test]
fn refresh_and_revoke_go_to_the_data_centre_that_issued_the_tokens() {
    let env = TestEnv::start();
    let json = env
        .config()
        .with_token_store_format(zoho_oauth::StoreFormat::Json);
    let eu = env.client_for(json.clone().with_accounts_url(env.emulator.dc_url("eu")));
    let code = env
        .emulator
        .mint_grant(zoho_accounts_emulator::GrantSpec {
            client_id: CLIENT_ID.into(),
            user: "eve@example.eu".into(),
            scope: SCOPES.into(),
            data_centre: Some("eu".into()),
            ..Default::default()
        })
        .unwrap();
    let issued = eu.generate_access_token(&code).unwrap();
    assert_eq!(issued.accounts_url, Some(env.emulator.dc_url("eu")));

    // A client configured for the US shares the JSON store, which records the issuer.
    let us = env.client();
    let us =
        env.client_for(json.with_accounts_url(us.config().identity().server().url().to_string()));
    advance(&env.clock, 3600);
    let fresh = us.get_access_token("eve@example.eu").unwrap();
    assert_ne!(fresh, issued.access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);
    us.revoke("eve@example.eu").unwrap();
    assert_eq!(env.counter("revoke"), 1);
}

/// A store that returns tokens without their user, as a PHP persistence handler may that
/// never calls `setUserEmailId`.
struct AnonymousStore(MemoryStore);

impl TokenStore for AnonymousStore {
    fn get(&self, user: &str) -> zoho_oauth::Result<Option<Tokens>> {
        Ok(self.0.get(user)?.map(|mut t| {
            t.user = None;
            t
        }))
    }
    fn save(&self, tokens: &Tokens) -> zoho_oauth::Result<()> {
        self.0.save(tokens)
    }
    fn delete(&self, user: &str) -> zoho_oauth::Result<bool> {
        self.0.delete(user)
    }
    fn list(&self) -> zoho_oauth::Result<Vec<Tokens>> {
        self.0.list()
    }
    fn describe(&self) -> String {
        "anonymous".into()
    }
}

#[test]
fn tokens_read_without_a_user_are_refreshed_and_revoked_under_the_asked_identifier() {
    let env = TestEnv::start();
    let store = Arc::new(AnonymousStore(MemoryStore::new()));
    let client = OAuthClient::new(env.config(), store.clone())
        .unwrap()
        .with_clock(env.clock.clone());
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    advance(&env.clock, 3600);
    let fresh = client.get_access_token(ADA).unwrap();
    assert_ne!(fresh, first.access_token);
    let saved = store.0.list().unwrap();
    assert_eq!(saved.len(), 1, "saved over the same entry: {saved:?}");
    assert_eq!(saved[0].user.as_deref(), Some(ADA));
    assert_eq!(saved[0].access_token, fresh);
    client.revoke(ADA).unwrap();
    assert!(store.0.list().unwrap().is_empty());
}

#[test]
fn client_secrets_and_tokens_never_travel_in_a_url() {
    let env = TestEnv::start();
    let client = env.client();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    client.refresh_user(ADA).unwrap();
    client.revoke(ADA).unwrap();
    let requests = env.emulator.requests();
    assert!(requests.len() >= 4, "{requests:?}");
    let refresh = tokens.refresh_token.unwrap();
    for request in &requests {
        for secret in [
            CLIENT_SECRET,
            refresh.expose(),
            tokens.access_token.expose(),
        ] {
            assert!(!request.path.contains(secret), "{}", request.path);
        }
        assert!(!request.path.contains("client_secret"), "{}", request.path);
    }
    let bodies: String = requests.iter().map(|r| r.body.as_str()).collect();
    assert!(
        bodies.contains("client_secret=5ecret%2B%26%3D%250f1e"),
        "{bodies}"
    );
}

#[test]
fn a_still_valid_cached_token_is_dropped_when_another_process_rewrites_the_file() {
    let env = TestEnv::start();
    let here = env.client();
    here.generate_access_token(&env.grant(ADA, SCOPES)).unwrap();
    let cached = here.get_access_token(ADA).unwrap();
    // Another process (its own client on the same file) refreshes.
    let elsewhere = env.client();
    let theirs = elsewhere.refresh_user(ADA).unwrap().access_token.clone();
    assert_ne!(theirs, cached);
    assert_eq!(here.get_access_token(ADA).unwrap(), theirs);
    assert_eq!(env.counter("token.refresh_token"), 1);
}

#[test]
fn a_revoke_zoho_refuses_deletes_nothing() {
    let env = TestEnv::start();
    let client = env.client();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    // The refresh token dies at Zoho behind our back: Zoho answers the revoke with 400.
    let stored = client.list_tokens().unwrap();
    let refresh = stored[0].refresh_token.clone().unwrap();
    http()
        .post(format!(
            "{}/oauth/v2/token/revoke?token={}",
            env.emulator.url(),
            refresh.expose()
        ))
        .send()
        .unwrap();
    let err = client.revoke(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidToken, "{err}");
    assert_eq!(client.list_tokens().unwrap(), stored, "nothing deleted");
}

#[test]
fn one_client_reuses_one_connection() {
    let env = TestEnv::start();
    let client = env.client();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let before = env.counter("connections");
    for _ in 0..5 {
        client.refresh_user(ADA).unwrap();
    }
    assert_eq!(env.counter("token.refresh_token"), 5);
    assert_eq!(
        env.counter("connections"),
        before,
        "the refreshes reused the grant exchange's connection"
    );
}
