//! Every error kind the accounts server and the network can produce, against the emulator.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::time::Duration;

use common::{ADA, CLIENT_SECRET, SCOPES, TestEnv, advance};
use zoho_accounts_emulator::{FaultKind, FaultSpec, GrantSpec};
use zoho_oauth::{Config, Error, ErrorKind, OAuthClient};

fn fault(env: &TestEnv, kind: FaultKind, count: u32) {
    env.emulator.inject_fault(FaultSpec {
        count,
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(kind)
    });
}

/// No error text may contain the secret or any token.
fn assert_clean(err: &Error, secrets: &[&str]) {
    let shown = format!("{err} {err:?}");
    for secret in secrets {
        assert!(!shown.contains(secret), "{shown}");
    }
}

#[test]
fn zoho_token_errors_have_kinds_codes_and_hints() {
    let env = TestEnv::start();
    let client = env.client();
    let code = env.grant(ADA, SCOPES);
    client.generate_access_token(&code).unwrap();
    let again = client.generate_access_token(&code).unwrap_err();
    assert_eq!(again.kind(), ErrorKind::InvalidCode);
    assert!(again.hint().unwrap().contains("already used"));
    assert_clean(&again, &[CLIENT_SECRET, &code]);

    let unknown = env.client_for(
        Config::new("1000.UNKNOWN", CLIENT_SECRET, common::REDIRECT_URI)
            .with_accounts_url(env.emulator.url())
            .with_token_persistence_path(env.dir.path()),
    );
    let err = unknown
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidClient);
    assert_eq!(err.http_status(), Some(200));

    let wrong_secret = env.config().with_client_secret("0000wrong");
    let err = env
        .client_for(wrong_secret)
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidClientSecret);
    assert_clean(&err, &["0000wrong", CLIENT_SECRET]);

    let wrong_redirect = env
        .config()
        .with_redirect_uri("https://elsewhere.example/cb");
    let err = env
        .client_for(wrong_redirect)
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidRedirectUri);
}

#[test]
fn expired_grant_code_is_invalid_code() {
    let env = TestEnv::start();
    let code = env.grant(ADA, SCOPES);
    env.emulator.advance_clock(121);
    let err = env.client().generate_access_token(&code).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidCode);
}

#[test]
fn zoho_rate_limit_is_rate_limited_with_200_and_400() {
    let env = TestEnv::start();
    env.set_settings(|s| s.refresh_limit = 2);
    let client = env.client();
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    client.refresh_user(ADA).unwrap();
    client.refresh_user(ADA).unwrap();
    let err = client.refresh_user(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.zoho_code(), Some("Access Denied"));
    assert_eq!(err.http_status(), Some(200));
    env.set_settings(|s| s.throttle_status = 400);
    let err = client.refresh_user(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(err.http_status(), Some(400));
    assert_eq!(env.counter("token.refresh_token"), 2);
}

#[test]
fn injected_faults_map_to_their_own_kinds_and_lose_nothing() {
    let env = TestEnv::start();
    let client = env.client();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let before = std::fs::read(env.token_file()).unwrap();
    let cases = [
        (FaultKind::Http500, ErrorKind::ServerError),
        (FaultKind::Html, ErrorKind::InvalidResponse),
        (FaultKind::Empty, ErrorKind::InvalidResponse),
        (FaultKind::Reset, ErrorKind::Connect),
        (FaultKind::Throttle, ErrorKind::RateLimited),
    ];
    for (kind, expected) in cases {
        fault(&env, kind, 1);
        let err = client.refresh_user(ADA).unwrap_err();
        assert_eq!(err.kind(), expected, "{kind:?}: {err}");
        assert_clean(
            &err,
            &[
                CLIENT_SECRET,
                tokens.refresh_token.as_ref().unwrap().expose(),
                tokens.access_token.expose(),
            ],
        );
        assert_eq!(
            std::fs::read(env.token_file()).unwrap(),
            before,
            "{kind:?} changed the store"
        );
    }
    assert_eq!(env.counter("faults_injected"), cases.len() as u64);
    // The next refresh works again.
    assert!(client.refresh_user(ADA).is_ok());
}

#[test]
fn a_reply_slower_than_the_timeout_is_a_timeout() {
    let env = TestEnv::start();
    let config = env
        .config()
        .with_timeouts(Duration::from_millis(500), Duration::from_millis(600));
    let client = env.client_for(config);
    client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        delay_ms: 1500,
        ..FaultSpec::new(FaultKind::Delay)
    });
    let started = std::time::Instant::now();
    let err = client.refresh_user(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(started.elapsed() < Duration::from_millis(1400));
}

#[test]
fn nobody_listening_is_a_connect_error() {
    let env = TestEnv::start();
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let config = env
        .config()
        .with_accounts_url(format!("http://127.0.0.1:{port}"));
    let err = env
        .client_for(config)
        .generate_access_token("1000.x.y")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect);
    assert!(err.kind().is_transient());
}

#[test]
fn a_transient_failure_while_the_old_token_is_valid_returns_the_old_token() {
    let env = TestEnv::start();
    let log_dir = tempfile::tempdir().unwrap();
    let client = env.client_for(env.config().with_log_directory(log_dir.path()));
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    advance(&env.clock, 3600 - 30); // 30 s left: inside the 60 s margin, still valid
    fault(&env, FaultKind::Http500, 1);
    assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    assert_eq!(env.counter("token.refresh_token"), 0);
    // Once it has really expired, the failure is reported.
    advance(&env.clock, 60);
    fault(&env, FaultKind::Http500, 1);
    assert_eq!(
        client.get_access_token(ADA).unwrap_err().kind(),
        ErrorKind::ServerError
    );
    let log = std::fs::read_to_string(log_dir.path().join("ZCRMClientLibrary.log")).unwrap();
    assert!(
        log.contains("INFO: Access Token has expired. Hence refreshing."),
        "{log}"
    );
    assert!(log.contains("WARNING: refresh failed"), "{log}");
    assert!(!log.contains(tokens.access_token.expose()) && !log.contains(CLIENT_SECRET));
}

#[test]
fn missing_profile_scope_never_loses_the_refresh_token() {
    let env = TestEnv::start();
    // Without currentUserEmail: an error that carries the tokens and names the scope.
    let client = env.client();
    let mut err = client
        .generate_access_token(&env.grant(ADA, "ZohoCRM.modules.ALL"))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ScopeMissing);
    assert!(err.to_string().contains("AaaServer.profile.READ"));
    assert!(err.message().contains("NOT saved"));
    let unsaved = err.take_unsaved_tokens().expect("tokens handed back");
    let refresh = unsaved.refresh_token.expect("refresh token kept");
    assert!(client.list_tokens().unwrap().is_empty());
    // ...and the refresh token it handed back works.
    client
        .generate_access_token_from_refresh_token(refresh.expose(), ADA)
        .unwrap();

    // With currentUserEmail: saved under it.
    let env = TestEnv::start();
    let client = env.client_for(env.config().with_current_user_email("crm@example.com"));
    let tokens = client
        .generate_access_token(&env.grant(ADA, "ZohoCRM.modules.ALL"))
        .unwrap();
    assert_eq!(tokens.user.as_deref(), Some("crm@example.com"));
    assert!(client.get_access_token("crm@example.com").is_ok());
}

#[test]
fn online_grants_have_no_refresh_token_and_say_so_when_stale() {
    let env = TestEnv::start();
    let client = env.client();
    let code = env
        .emulator
        .mint_grant(GrantSpec {
            client_id: common::CLIENT_ID.into(),
            user: ADA.into(),
            scope: SCOPES.into(),
            access_type: "online".into(),
            ..GrantSpec::default()
        })
        .unwrap();
    let tokens = client.generate_access_token(&code).unwrap();
    assert!(tokens.refresh_token.is_none());
    advance(&env.clock, 3600);
    let err = client.get_access_token(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::MissingToken);
    assert_eq!(err.message(), "Refresh token is not provided.");
}

#[test]
#[cfg(feature = "mysql")]
fn no_store_is_config_missing_and_an_unreachable_mysql_server_is_store_unavailable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let config = Config::from_pairs([
        ("client_id", "1000.A"),
        ("client_secret", "b"),
        ("redirect_uri", "https://c/d"),
        ("host_address", "127.0.0.1"),
        ("db_port", &port.to_string()),
    ])
    .unwrap();
    // The SDK's MySQL keys alone name no store: nothing is guessed, nothing connected to.
    let err = OAuthClient::from_config(config.clone()).err().unwrap();
    assert_eq!(err.kind(), ErrorKind::ConfigMissing);
    assert!(
        err.message().contains("no token store is configured"),
        "{err}"
    );
    let config = config.with_store_kind(zoho_oauth::config::StoreKind::named("mysql"));
    let client = OAuthClient::from_config(config).unwrap();
    let err = client.get_access_token(ADA).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::StoreUnavailable);
    assert!(err.message().contains("MySQL"), "{err}");
}

/// A store that calls the client back from inside `save`, as a PHP persistence handler might.
struct CallbackStore {
    inner: zoho_oauth::MemoryStore,
    client: std::sync::OnceLock<std::sync::Weak<OAuthClient>>,
    seen: std::sync::Mutex<Vec<ErrorKind>>,
}

impl zoho_oauth::TokenStore for CallbackStore {
    fn get(&self, user: &str) -> zoho_oauth::Result<Option<zoho_oauth::Tokens>> {
        self.inner.get(user)
    }
    fn save(&self, tokens: &zoho_oauth::Tokens) -> zoho_oauth::Result<()> {
        if let Some(client) = self.client.get().and_then(std::sync::Weak::upgrade) {
            let refresh = tokens.refresh_token.clone().unwrap();
            let nested = client.refresh_access_token(refresh.expose(), tokens.user_or_empty());
            self.seen
                .lock()
                .unwrap()
                .push(nested.map_or_else(|e| e.kind(), |_| ErrorKind::Internal));
        }
        self.inner.save(tokens)
    }
    fn delete(&self, user: &str) -> zoho_oauth::Result<bool> {
        self.inner.delete(user)
    }
    fn list(&self) -> zoho_oauth::Result<Vec<zoho_oauth::Tokens>> {
        self.inner.list()
    }
    fn describe(&self) -> String {
        "callback".into()
    }
}

#[test]
fn a_store_calling_the_client_back_gets_an_error_not_a_deadlock() {
    let env = TestEnv::start();
    let store = std::sync::Arc::new(CallbackStore {
        inner: zoho_oauth::MemoryStore::new(),
        client: std::sync::OnceLock::new(),
        seen: std::sync::Mutex::new(Vec::new()),
    });
    let client = std::sync::Arc::new(OAuthClient::new(env.config(), store.clone()).unwrap());
    store
        .client
        .set(std::sync::Arc::downgrade(&client))
        .unwrap();
    let first = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    let (done, finished) = std::sync::mpsc::channel();
    let worker = std::thread::spawn({
        let client = client.clone();
        let refresh = first.refresh_token.clone().unwrap();
        move || {
            done.send(
                client
                    .refresh_access_token(refresh.expose(), ADA)
                    .map(|_| ()),
            )
            .unwrap()
        }
    });
    let outcome = finished
        .recv_timeout(Duration::from_secs(20))
        .expect("no deadlock");
    assert!(outcome.is_ok());
    worker.join().unwrap();
    // The nested calls from inside save (under the refresh lock) were refused.
    assert!(
        store
            .seen
            .lock()
            .unwrap()
            .contains(&ErrorKind::InvalidArgument)
    );
}

#[test]
fn after_a_transient_failure_no_process_retries_for_a_while() {
    let env = TestEnv::start();
    let client = env.client();
    let tokens = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap();
    advance(&env.clock, 3600 - 50); // inside the 60 s margin, still valid
    fault(&env, FaultKind::Http500, 1);
    assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    assert_eq!(env.counter("faults_injected"), 1);
    // Within the retry interval neither this client nor another process's (a second
    // client on the same token file) asks the accounts server again.
    let other_process = env.client();
    advance(&env.clock, 9);
    for client in [&client, &other_process] {
        assert_eq!(client.get_access_token(ADA).unwrap(), tokens.access_token);
    }
    let token_requests = || {
        env.emulator
            .requests()
            .iter()
            .filter(|r| r.path.starts_with("/oauth/v2/token"))
            .count()
    };
    assert_eq!(
        token_requests(),
        2,
        "the grant exchange and the failed refresh"
    );
    // After it, the next call refreshes, and a later stale token is refreshed at once.
    advance(&env.clock, 2);
    let fresh = other_process.get_access_token(ADA).unwrap();
    assert_ne!(fresh, tokens.access_token);
    assert_eq!(env.counter("token.refresh_token"), 1);
    advance(&env.clock, 3600 - 50);
    assert_ne!(client.get_access_token(ADA).unwrap(), fresh);
    assert_eq!(env.counter("token.refresh_token"), 2);
}

#[test]
fn a_failed_user_lookup_other_than_the_scope_never_saves_under_current_user_email() {
    let env = TestEnv::start();
    let client = env.client_for(env.config().with_current_user_email("crm@example.com"));
    let crm = client
        .generate_access_token(&env.grant("crm@example.com", SCOPES))
        .unwrap();
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/user/info".into()),
        ..FaultSpec::new(FaultKind::Http500)
    });
    let mut err = client
        .generate_access_token(&env.grant(ADA, SCOPES))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ServerError);
    assert!(err.message().contains("NOT saved"), "{err}");
    // The remedy is typed; each door words it (PHP names generateAccessTokenFromRefreshToken).
    assert_eq!(err.remedy(), Some(zoho_oauth::Remedy::SaveAttachedTokens));
    assert!(err.to_string().contains("still works"), "{err}");
    let unsaved = err.take_unsaved_tokens().expect("tokens handed back");
    assert_clean(&err, &[CLIENT_SECRET, unsaved.access_token.expose()]);
    // crm@example.com's entry is untouched, and nothing else was saved.
    let stored = client.list_tokens().unwrap();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].refresh_token, crm.refresh_token);
    // The handed-back refresh token works.
    let refresh = unsaved.refresh_token.expect("refresh token");
    client
        .generate_access_token_from_refresh_token(refresh.expose(), ADA)
        .unwrap();
}

#[test]
fn every_zoho_error_code_gets_its_kind_and_keeps_the_code() {
    let env = TestEnv::start();
    let client = env.client();
    let cases = [
        (
            200,
            r#"{"error":"access_denied"}"#,
            ErrorKind::AccessDenied,
            "access_denied",
        ),
        (
            200,
            r#"{"error":"a_code_zoho_adds_later"}"#,
            ErrorKind::OAuthError,
            "a_code_zoho_adds_later",
        ),
        (
            500,
            r#"{"error":"general_error"}"#,
            ErrorKind::ServerError,
            "general_error",
        ),
    ];
    for (status, body, kind, code) in cases {
        env.emulator.inject_fault(FaultSpec {
            path: Some("/oauth/v2/token".into()),
            ..FaultSpec::reply(status, body)
        });
        let grant = env.grant(ADA, SCOPES);
        let err = client.generate_access_token(&grant).unwrap_err();
        assert_eq!(err.kind(), kind, "{body}");
        assert_eq!(err.zoho_code(), Some(code));
        assert!(err.hint().is_some());
        assert_clean(&err, &[CLIENT_SECRET, &grant]);
        assert!(client.list_tokens().unwrap().is_empty());
    }
}

#[test]
fn a_server_that_never_completes_the_handshake_is_a_connect_timeout() {
    use socket2::{Domain, Socket, Type};
    // A listener that never accepts, with a full accept queue: Linux drops further
    // connection attempts on the floor, so connecting hangs until the connect timeout.
    let listener = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let local: std::net::SocketAddr = "127.0.0.1:0".parse().unwrap();
    listener.bind(&local.into()).unwrap();
    listener.listen(0).unwrap();
    let addr = listener.local_addr().unwrap().as_socket().unwrap();
    let _fillers: Vec<std::net::TcpStream> = (0..4)
        .filter_map(|_| {
            std::net::TcpStream::connect_timeout(&addr, Duration::from_millis(200)).ok()
        })
        .collect();
    let config = Config::new(common::CLIENT_ID, CLIENT_SECRET, common::REDIRECT_URI)
        .with_accounts_url(format!("http://{addr}"))
        .with_timeouts(Duration::from_millis(300), Duration::from_secs(30));
    let client =
        OAuthClient::new(config, std::sync::Arc::new(zoho_oauth::MemoryStore::new())).unwrap();
    let started = std::time::Instant::now();
    let err = client
        .generate_access_token("1000.grant.token")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "the 300 ms connect timeout fired, not the 30 s total one: {:?}",
        started.elapsed()
    );
    assert_clean(&err, &[CLIENT_SECRET]);
}
