//! Shared set-up for the integration tests: an in-process accounts emulator, a registered
//! client, a temporary token directory, and helpers to read the emulator's counters.
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options, Settings};
use zoho_oauth::{Config, OAuthClient, OffsetClock};

pub const CLIENT_ID: &str = "1000.TESTCLIENT0000000000000000001";
/// Distinctive so that leak checks can search for it; contains characters the SDK mangles.
pub const CLIENT_SECRET: &str = "5ecret+&=%0f1e2d3c4b5a69788796a5b4c3d2e1f0";
pub const REDIRECT_URI: &str = "https://example.com/zoho/callback";
pub const SCOPES: &str = "ZohoCRM.modules.ALL,AaaServer.profile.READ";
pub const ADA: &str = "ada@example.com";

/// The PHP door's vocabulary (the SDK's method and class names, php.ini settings), which no
/// other door's messages or code may use (tests/remedy_words.rs, capi/src/tests.rs).
pub const PHP_WORDS: &[&str] = &[
    "generateAccessToken",
    "getAccessToken",
    "refreshAccessToken",
    "revokeRefreshToken",
    "getUserEmailId",
    "getClientInstance",
    "ZCRMRestClient",
    "ZohoOAuth::",
    "php.ini",
    "zoho_oauth.token_base_dir",
];

pub struct TestEnv {
    pub emulator: Emulator,
    pub dir: tempfile::TempDir,
    pub clock: Arc<OffsetClock>,
}

impl TestEnv {
    /// An emulator with our client registered in the US and EU data centres.
    pub fn start() -> TestEnv {
        TestEnv::start_with(Settings::default())
    }

    pub fn start_with(settings: Settings) -> TestEnv {
        let emulator = Emulator::start(Options {
            settings,
            ..Options::default()
        })
        .expect("emulator starts");
        emulator.register_client(ClientSpec {
            client_id: CLIENT_ID.into(),
            client_secret: CLIENT_SECRET.into(),
            redirect_uris: vec![REDIRECT_URI.into()],
            data_centres: vec!["us".into(), "eu".into()],
            scopes: vec![],
        });
        TestEnv {
            emulator,
            dir: tempfile::tempdir().expect("tempdir"),
            clock: Arc::new(OffsetClock::new()),
        }
    }

    /// Configuration pointing at the emulator's US data centre and the temp directory.
    pub fn config(&self) -> Config {
        Config::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
            .with_accounts_url(self.emulator.url())
            .with_token_persistence_path(self.dir.path())
            .with_timeouts(Duration::from_secs(2), Duration::from_secs(5))
    }

    pub fn client_for(&self, config: Config) -> OAuthClient {
        OAuthClient::from_config(config)
            .expect("client")
            .with_clock(self.clock.clone())
    }

    pub fn client(&self) -> OAuthClient {
        self.client_for(self.config())
    }

    pub fn token_file(&self) -> PathBuf {
        self.dir.path().join("zcrm_oauthtokens.txt")
    }

    /// A self-client grant token for `user` with `scope`, like the API console makes.
    pub fn grant(&self, user: &str, scope: &str) -> String {
        self.emulator
            .mint_grant(GrantSpec {
                client_id: CLIENT_ID.into(),
                user: user.into(),
                scope: scope.into(),
                ..GrantSpec::default()
            })
            .expect("grant code")
    }

    pub fn counter(&self, key: &str) -> u64 {
        self.emulator.counters().get(key).copied().unwrap_or(0)
    }

    pub fn requests(&self) -> usize {
        self.emulator.requests().len()
    }

    pub fn set_settings(&self, change: impl FnOnce(&mut Settings)) {
        let mut settings = self.emulator.settings();
        change(&mut settings);
        self.emulator.set_settings(settings);
    }

    /// Calls the emulator's protected resource with an access token; returns the status.
    pub fn resource_status(&self, api_domain: &str, access_token: &str) -> u16 {
        http()
            .get(format!("{api_domain}/crm/v2/users?type=CurrentUser"))
            .header("Authorization", format!("Zoho-oauthtoken {access_token}"))
            .send()
            .expect("resource reachable")
            .status()
            .as_u16()
    }
}

/// Moves the client's clock forward by `secs` seconds.
pub fn advance(clock: &OffsetClock, secs: i64) {
    clock.advance_ms(secs * 1000);
}

/// A plain HTTP client for talking to the emulator directly (no redirects followed).
pub fn http() -> reqwest::blocking::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("http client")
}

/// Asserts that no token of `tokens` (access or refresh), nor any 8-character fragment of
/// one, is in `text` (a token file, a dump of a table or of Redis, ...); `what` names it.
pub fn assert_no_token_fragment(text: &str, tokens: &[zoho_oauth::Tokens], what: &str) {
    for t in tokens {
        let refresh = t.refresh_token.as_ref().map(|r| r.expose());
        for value in std::iter::once(t.access_token.expose()).chain(refresh) {
            let chars: Vec<char> = value.chars().collect();
            for window in chars.windows(8) {
                let fragment: String = window.iter().collect();
                assert!(
                    !text.contains(&fragment),
                    "{what} holds the fragment {fragment:?} of a token"
                );
            }
        }
    }
}
