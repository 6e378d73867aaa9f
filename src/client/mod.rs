//! [`OAuthClient`]: what Zoho's `ZohoOAuthClient` does, done safely.
//!
//! `get_access_token` is the hot path of every API call. It answers from an in-process cache
//! while the token has more than the refresh margin left and the store has not changed;
//! otherwise it takes the store's per-user lock, re-reads, and only if the token is still
//! stale asks the accounts server. Processes that waited on the lock find the fresh token
//! and make no request.

#[cfg(test)]
mod bounded_tests;
mod counted;
mod history;
mod pauses;
mod refresh;
mod saving;
#[cfg(test)]
mod secretless_tests;
mod user_map;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::accounts::{AccountsClient, Credentials, TokenReply, UserInfo};
pub use crate::authorize::AuthorizationRequest;
use crate::clock::{Clock, SystemClock};
use crate::config::{Config, trusted_accounts_url};
use crate::error::{Error, ErrorKind, Remedy, Result};
use crate::log::{Level, SdkLog};
use crate::secret::Secret;
use crate::stats;
use crate::store::{Fingerprint, TokenStore};
use crate::token::Tokens;
use user_map::UserMap;

/// The SDK's message when a user has no stored tokens.
pub const NO_TOKENS_MESSAGE: &str =
    "No Tokens exist for the given user-identifier,Please generate and try again.";
/// The SDK's message for an empty grant token.
pub const NO_GRANT_TOKEN_MESSAGE: &str = "Grant Token is not provided.";
/// The SDK's message for an empty refresh token.
pub const NO_REFRESH_TOKEN_MESSAGE: &str = "Refresh token is not provided.";

/// The longest identifier or token accepted as an argument.
const MAX_ARGUMENT_BYTES: usize = 4096;

/// Tokens cached in this process: each is current while the store's fingerprint is
/// unchanged, and is served without asking the store at all for `store_recheck` after it
/// was read (or confirmed) from the store.
#[derive(Default)]
struct Cache {
    fingerprint: Option<Fingerprint>,
    tokens: UserMap<CachedTokens>,
}

/// One user's cached tokens, when the store last confirmed them, the store's
/// [`TokenStore::generation`] then, and the client's cache epoch when they were cached.
struct CachedTokens {
    tokens: Arc<Tokens>,
    checked_at: Instant,
    generation: Option<u64>,
    epoch: u64,
}

/// A Zoho OAuth client bound to one configuration and one token store.
///
/// `Send + Sync`: share one client across threads. Safe in a process that forks after
/// creating it (HTTP machinery is created per process on first use).
pub struct OAuthClient {
    config: Config,
    store: Arc<dyn TokenStore>,
    accounts: AccountsClient,
    clock: Arc<dyn Clock>,
    cache: Mutex<Cache>,
    /// Bumped to forget every cached entry without taking the cache's lock. The cache is
    /// only ever `try_lock`ed (a busy cache is a miss), so a child forked while another
    /// thread held it never waits on it, and forgetting never depends on getting it.
    cache_epoch: AtomicU64,
    /// How long a cached, valid token is served without asking the store.
    recheck: Duration,
    /// When a refresh of a user last failed transiently while the old token still worked
    /// (epoch ms, this process only): for a short while, the old token is used without
    /// asking the accounts server again.
    failed_refreshes: Mutex<HashMap<String, i64>>,
    /// When the store last failed, and whose refresh lock was found taken (see [`pauses`]).
    pauses: pauses::Pauses,
    /// Refreshed tokens the store could not take, by entry key (see [`saving`]).
    unsaved: Mutex<HashMap<String, Arc<Tokens>>>,
    log: SdkLog,
}

impl OAuthClient {
    /// A client using `store`. The configuration is validated.
    pub fn new(config: Config, store: Arc<dyn TokenStore>) -> Result<OAuthClient> {
        config.validate()?;
        crate::stats::reset_in_forked_children();
        Ok(OAuthClient {
            accounts: AccountsClient::new(
                config.policy().connect_timeout(),
                config.policy().request_timeout(),
            ),
            log: SdkLog::new(config.crm().log_file()),
            recheck: config
                .policy()
                .store_recheck()
                .unwrap_or_else(|| store.defaults().recheck),
            config,
            store,
            clock: Arc::new(SystemClock),
            cache: Mutex::new(Cache::default()),
            cache_epoch: AtomicU64::new(0),
            failed_refreshes: Mutex::new(HashMap::new()),
            pauses: pauses::Pauses::default(),
            unsaved: Mutex::new(HashMap::new()),
        })
    }

    /// A client using the store the configuration selects ([`crate::store::open`]): the
    /// token file that `token_persistence_path` names, or what `token_store` asks for. A
    /// configuration naming neither is an [`ErrorKind::ConfigMissing`] error.
    pub fn from_config(config: Config) -> Result<OAuthClient> {
        config.validate()?;
        let store = crate::store::open(&config)?;
        OAuthClient::new(config, store)
    }

    /// Replaces the clock (tests use this to make tokens expire).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> OAuthClient {
        self.clock = clock;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// How long a cached, valid token is served from memory without asking the store
    /// (`store_recheck_ms`, else the store's default).
    pub fn store_recheck(&self) -> Duration {
        self.recheck
    }

    /// The token store.
    pub fn store(&self) -> &Arc<dyn TokenStore> {
        &self.store
    }

    /// The client's current time in epoch milliseconds.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// The credentials for a token request; without a client secret, a
    /// [`ErrorKind::ConfigMissing`] error naming `client_secret`.
    fn credentials(&self) -> Result<Credentials<'_>> {
        Ok(Credentials {
            client_id: self.config.identity().client_id(),
            client_secret: self.config.require_client_secret()?,
            redirect_uri: self.config.identity().redirect_uri(),
        })
    }

    fn margin_ms(&self) -> i64 {
        i64::try_from(self.config.policy().refresh_margin().as_millis()).unwrap_or(i64::MAX)
    }

    fn log(&self, level: Level, message: &str) {
        self.log.write(level, message, self.now_ms());
    }

    /// Exchanges a grant token for tokens, finds the user through `/oauth/user/info`, saves
    /// the tokens under the user's e-mail and returns them.
    ///
    /// When the user lookup fails (no `AaaServer.profile.READ` scope), the refresh token is
    /// not lost: the tokens are saved under `currentUserEmail` if configured; otherwise the
    /// error carries them ([`Error::unsaved_tokens`]).
    ///
    /// Before the grant is spent, the store is asked whether a save can work
    /// ([`TokenStore::prepare`]); the tokens are saved under the user's refresh lock, so a
    /// refresh in progress never overwrites them.
    pub fn generate_access_token(&self, grant_token: &str) -> Result<Tokens> {
        self.generate_access_token_with_fallback(
            grant_token,
            self.config.crm().current_user_email(),
        )
    }

    /// [`OAuthClient::generate_access_token`] with the fallback identifier given per call
    /// instead of the configured `currentUserEmail` (`None`: no fallback), for callers
    /// whose current user changes per request (the PHP extension).
    pub fn generate_access_token_with_fallback(
        &self,
        grant_token: &str,
        fallback_user: Option<&str>,
    ) -> Result<Tokens> {
        stats::counted(self.generate_with_fallback(grant_token, fallback_user))
    }

    fn generate_with_fallback(
        &self,
        grant_token: &str,
        fallback_user: Option<&str>,
    ) -> Result<Tokens> {
        check_token(grant_token, NO_GRANT_TOKEN_MESSAGE)?;
        if let Some(user) = fallback_user {
            check_user(user)?;
        }
        let credentials = self.credentials()?;
        self.store.prepare()?;
        let url = &self.config.identity().server().url();
        let sent_at = self.now_ms();
        let reply = self
            .accounts
            .exchange_grant(url, credentials, &Secret::new(grant_token))?;
        let mut tokens = self.tokens_from_reply(None, reply, None, sent_at);
        tokens.user = Some(self.user_for_new_tokens(&tokens, fallback_user)?);
        self.save_granted(tokens)
    }

    /// The e-mail behind fresh tokens. When the lookup fails because the grant lacks the
    /// profile scope, `fallback` (if any) is used; every other failure (and a missing scope
    /// without fallback) is an error that carries the tokens, so they are never lost and
    /// never saved under someone else's identifier because of a passing network fault.
    fn user_for_new_tokens(&self, tokens: &Tokens, fallback: Option<&str>) -> Result<String> {
        let error = match self
            .accounts
            .user_info(self.config.identity().server().url(), &tokens.access_token)
        {
            Ok(info) => return Ok(info.email),
            Err(e) => e,
        };
        if let (ErrorKind::ScopeMissing, Some(fallback)) = (error.kind(), fallback) {
            self.log(
                Level::Warning,
                &format!(
                    "{} ({}); the tokens are saved under currentUserEmail {fallback}",
                    error.message(),
                    error.zoho_code().unwrap_or("")
                ),
            );
            return Ok(fallback.to_string());
        }
        self.log(Level::Severe, error.message());
        Err(unsaved_after_lookup(error, tokens.clone()))
    }

    /// Gets a new access token from `refresh_token`, saves the tokens under `user` and
    /// returns them (the SDK returns null here; returning the tokens breaks no caller).
    pub fn generate_access_token_from_refresh_token(
        &self,
        refresh_token: &str,
        user: &str,
    ) -> Result<Tokens> {
        self.refresh_access_token(refresh_token, user)
    }

    /// The SDK's `refreshAccessToken`: refresh with this token and save under `user`.
    pub fn refresh_access_token(&self, refresh_token: &str, user: &str) -> Result<Tokens> {
        stats::counted(self.refresh_with(refresh_token, user))
    }

    fn refresh_with(&self, refresh_token: &str, user: &str) -> Result<Tokens> {
        check_token(refresh_token, NO_REFRESH_TOKEN_MESSAGE)?;
        check_user(user)?;
        let _lock = self.lock_user(user)?;
        let refresh = Secret::new(refresh_token);
        let sent_at = self.now_ms();
        let reply = self.request_refresh(self.config.identity().server().url(), &refresh)?;
        let tokens = self.tokens_from_reply(Some(user.to_string()), reply, Some(refresh), sent_at);
        self.save_new(tokens)
    }

    /// Revokes `user`'s refresh token at Zoho (and with it every access token minted from
    /// it), then deletes the stored tokens. If Zoho refuses, nothing is deleted. Runs under
    /// the user's refresh lock, as [`OAuthClient::delete_tokens`] does.
    pub fn revoke(&self, user: &str) -> Result<()> {
        stats::counted(self.revoke_unlocked(user))
    }

    fn revoke_unlocked(&self, user: &str) -> Result<()> {
        check_user(user)?;
        let found = self.read_store(user)?.ok_or_else(no_tokens)?;
        let key = entry_key(&found, user).to_string();
        let _lock = self.lock_for_removal(&key)?;
        let stored = self.read_store(&key)?.ok_or_else(no_tokens)?;
        let refresh = stored
            .refresh_token
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::MissingToken, NO_REFRESH_TOKEN_MESSAGE))?;
        self.accounts
            .revoke(&self.accounts_url_for(&stored), refresh)?;
        self.store.delete(&key)?;
        self.forget_cache();
        Ok(())
    }

    /// Deletes `user`'s stored tokens (no call to Zoho); returns whether there were any.
    ///
    /// Runs under the user's refresh lock, waiting at most `lock_timeout_secs` for a refresh
    /// in progress; when the lock is still taken then, the tokens are deleted anyway (a
    /// warning is logged): the refresh's save finds the entry gone and saves nothing
    /// ([`TokenStore::save_refreshed`]), so a delete is never undone.
    pub fn delete_tokens(&self, user: &str) -> Result<bool> {
        stats::counted(check_user(user).and_then(|()| {
            let _lock = self.lock_for_removal(user)?;
            let deleted = self.store.delete(user)?;
            self.forget_cache();
            Ok(deleted)
        }))
    }

    /// Every stored entry.
    pub fn list_tokens(&self) -> Result<Vec<Tokens>> {
        self.store.list()
    }

    /// The user behind an access token (`/oauth/user/info`); the SDK's
    /// `getUserEmailIdFromIAM` returns its `email`.
    pub fn user_info(&self, access_token: &str) -> Result<UserInfo> {
        check_token(access_token, "Access token is not provided.")?;
        self.accounts.user_info(
            self.config.identity().server().url(),
            &Secret::new(access_token),
        )
    }

    /// The URL to send a person to for consent (`/oauth/v2/auth`); see
    /// [`crate::authorize::authorization_url`], which needs no client.
    pub fn authorization_url(&self, request: &AuthorizationRequest) -> Result<String> {
        crate::authorize::authorization_url(self.config.identity(), request)
    }

    /// The accounts server for stored tokens: the one that issued them when it is recorded
    /// (our JSON format keeps it) and trusted, otherwise the configured one. Tokens only
    /// work at the data centre that issued them.
    fn accounts_url_for(&self, tokens: &Tokens) -> String {
        let configured = &self.config.identity().server().url();
        tokens
            .accounts_url
            .as_deref()
            .and_then(|issuer| trusted_accounts_url(issuer, configured))
            .unwrap_or_else(|| configured.to_string())
    }

    /// The tokens of a reply to a request sent at `sent_at` (epoch ms): the expiry counts
    /// from then, never from after a stall of this process between the reply and this call,
    /// so a late reply never looks newer than it is.
    fn tokens_from_reply(
        &self,
        user: Option<String>,
        reply: TokenReply,
        refresh: Option<Secret>,
        sent_at: i64,
    ) -> Tokens {
        Tokens {
            user,
            access_token: reply.access_token,
            refresh_token: reply.refresh_token.or(refresh),
            expiry_time_ms: sent_at.saturating_add(reply.expires_in_ms),
            api_domain: reply.api_domain,
            scope: reply.scope,
            accounts_url: Some(self.config.identity().server().url().to_string()),
        }
    }

    /// `user`'s cached tokens when the store confirmed them less than `store_recheck` ago
    /// and no writer using this library changed the store since (`generation`).
    fn recently_checked(&self, user: &str, generation: Option<u64>) -> Option<Arc<Tokens>> {
        let recheck = self.recheck;
        if recheck.is_zero() {
            return None;
        }
        let cache = self.cache.try_lock().ok()?;
        let entry = self.current(&cache, user)?;
        (entry.generation == generation && entry.checked_at.elapsed() < recheck)
            .then(|| Arc::clone(&entry.tokens))
    }

    /// `user`'s cached tokens when the store's fingerprint is unchanged; confirms them as of
    /// `generation` (taken before the fingerprint).
    fn cached(
        &self,
        user: &str,
        fingerprint: Option<Fingerprint>,
        generation: Option<u64>,
    ) -> Option<Arc<Tokens>> {
        let mut cache = self.cache.try_lock().ok()?;
        if fingerprint.is_none() || cache.fingerprint != fingerprint {
            return None;
        }
        let epoch = self.cache_epoch.load(Ordering::Acquire);
        let entry = cache.tokens.get_mut(user).filter(|e| e.epoch == epoch)?;
        entry.checked_at = Instant::now();
        entry.generation = generation;
        stats::note_store_confirmed();
        Some(Arc::clone(&entry.tokens))
    }

    /// Reads `user` from the store and caches it under the fingerprint and generation taken
    /// before reading.
    fn load(
        &self,
        user: &str,
        fingerprint: Option<Fingerprint>,
        generation: Option<u64>,
    ) -> Result<Arc<Tokens>> {
        let epoch = self.cache_epoch.load(Ordering::Acquire);
        let stored = match self.read_store(user) {
            Ok(Some(tokens)) => {
                self.pauses.note_store_answered();
                stats::note_store_confirmed();
                let key = entry_key(&tokens, user).to_string();
                self.prefer_unsaved(&key, Arc::new(tokens))
            }
            Ok(None) => {
                self.pauses.note_store_answered();
                self.forget_cache();
                return Err(no_tokens());
            }
            Err(e) => {
                self.log(
                    Level::Severe,
                    &format!(
                        "Exception while retrieving tokens from persistence - {}",
                        e.message()
                    ),
                );
                return Err(e);
            }
        };
        // The epoch is read before the store was asked, so a forget during the read wins.
        self.cache_entry(user, &stored, fingerprint, generation, epoch);
        Ok(stored)
    }

    /// Caches `tokens` for `user` as confirmed now, under the store's `fingerprint` and
    /// `generation` and the cache `epoch` taken before the store was read.
    fn cache_entry(
        &self,
        user: &str,
        tokens: &Arc<Tokens>,
        fingerprint: Option<Fingerprint>,
        generation: Option<u64>,
        epoch: u64,
    ) {
        if let Ok(mut cache) = self.cache.try_lock() {
            if cache.fingerprint != fingerprint {
                cache.tokens.clear();
                cache.fingerprint = fingerprint;
            }
            let entry = CachedTokens {
                tokens: Arc::clone(tokens),
                checked_at: Instant::now(),
                generation,
                epoch,
            };
            cache.tokens.insert(user, entry);
        }
    }

    /// Caches tokens this process obtained itself (and the store does not hold) for `user`,
    /// as of the store's current fingerprint and generation.
    fn remember(&self, user: &str, tokens: &Arc<Tokens>) {
        let epoch = self.cache_epoch.load(Ordering::Acquire);
        let (fingerprint, generation) = (self.store.fingerprint(), self.store.generation());
        self.cache_entry(user, tokens, fingerprint, generation, epoch);
    }

    /// `user`'s cached tokens, however long ago the store confirmed them.
    fn cached_regardless(&self, user: &str) -> Option<Arc<Tokens>> {
        let cache = self.cache.try_lock().ok()?;
        self.current(&cache, user)
            .map(|entry| Arc::clone(&entry.tokens))
    }

    /// `user`'s entry in `cache` unless it was cached before the last forget.
    fn current<'c>(&self, cache: &'c Cache, user: &str) -> Option<&'c CachedTokens> {
        let epoch = self.cache_epoch.load(Ordering::Acquire);
        cache.tokens.get(user).filter(|entry| entry.epoch == epoch)
    }

    /// Forgets every cached entry (this process changed the store, or the store no longer
    /// has a user): no lock is needed, so this never waits and never fails.
    fn forget_cache(&self) {
        self.cache_epoch.fetch_add(1, Ordering::AcqRel);
    }
}

/// The user behind an access token (`/oauth/user/info`) at `config`'s accounts server,
/// without a client: no token store and no client secret are needed.
pub fn user_info(config: &Config, access_token: &str) -> Result<UserInfo> {
    check_token(access_token, "Access token is not provided.")?;
    AccountsClient::new(
        config.policy().connect_timeout(),
        config.policy().request_timeout(),
    )
    .user_info(config.identity().server().url(), &Secret::new(access_token))
}

fn no_tokens() -> Error {
    Error::new(ErrorKind::NoTokens, NO_TOKENS_MESSAGE).with_remedy(Remedy::ObtainTokens)
}

/// The identifier a stored entry lives under: its own, or the one it was asked for when
/// it has none (a custom store may return tokens without `userEmailId`; the SDK keeps
/// using the identifier it was given).
fn entry_key<'a>(tokens: &'a Tokens, requested: &'a str) -> &'a str {
    match tokens.user.as_deref() {
        Some(user) if !user.is_empty() => user,
        _ => requested,
    }
}

/// The error for tokens that could not be saved because the user lookup failed.
fn unsaved_after_lookup(lookup: Error, tokens: Tokens) -> Error {
    let remedy = if lookup.kind() == ErrorKind::ScopeMissing {
        Remedy::AddProfileScopeOrUser
    } else {
        Remedy::SaveAttachedTokens
    };
    let message = format!(
        "{} The tokens Zoho issued were NOT saved; they are attached to this error.",
        lookup.message()
    );
    let mut error = Error::new(lookup.kind(), message)
        .with_remedy(remedy)
        .with_unsaved_tokens(tokens);
    if let Some(code) = lookup.zoho_code() {
        error = error.with_zoho_code(code);
    }
    error
}

/// Checks a token argument: `empty_message` (the SDK's text) when empty.
fn check_token(token: &str, empty_message: &str) -> Result<()> {
    if token.trim().is_empty() {
        return Err(Error::new(ErrorKind::MissingToken, empty_message));
    }
    check_text("token", token)
}

/// Checks a user identifier.
fn check_user(user: &str) -> Result<()> {
    if user.is_empty() {
        return Err(Error::invalid_argument("the user identifier is empty"));
    }
    check_text("user identifier", user)
}

fn check_text(what: &str, value: &str) -> Result<()> {
    if value.contains('\0') {
        return Err(Error::invalid_argument(format!(
            "the {what} contains a NUL byte"
        )));
    }
    if value.len() > MAX_ARGUMENT_BYTES {
        return Err(Error::invalid_argument(format!(
            "the {what} is longer than {MAX_ARGUMENT_BYTES} bytes"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::MemoryStore;

    fn client() -> OAuthClient {
        let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb");
        OAuthClient::new(config, Arc::new(MemoryStore::new())).expect("client")
    }

    #[test]
    fn client_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<OAuthClient>();
    }

    #[test]
    fn bad_arguments_are_rejected_before_any_request() {
        let c = client();
        let kind = |r: Result<Tokens>| r.err().map(|e| e.kind());
        assert_eq!(
            c.generate_access_token("")
                .err()
                .map(|e| e.message().to_string())
                .as_deref(),
            Some(NO_GRANT_TOKEN_MESSAGE)
        );
        assert_eq!(
            kind(c.generate_access_token("a\0b")),
            Some(ErrorKind::InvalidArgument)
        );
        assert_eq!(
            kind(c.generate_access_token(&"x".repeat(5000))),
            Some(ErrorKind::InvalidArgument)
        );
        assert_eq!(
            c.refresh_access_token("", "u")
                .err()
                .map(|e| e.message().to_string())
                .as_deref(),
            Some(NO_REFRESH_TOKEN_MESSAGE)
        );
        assert_eq!(
            kind(c.refresh_access_token("r", "")),
            Some(ErrorKind::InvalidArgument)
        );
        assert_eq!(
            c.get_access_token("").err().map(|e| e.kind()),
            Some(ErrorKind::InvalidArgument)
        );
        let e = c
            .get_access_token("nobody@example.com")
            .expect_err("no tokens");
        assert_eq!(e.message(), NO_TOKENS_MESSAGE);
        assert_eq!(e.kind(), ErrorKind::NoTokens);
    }

    #[test]
    fn authorization_url_has_every_parameter_encoded() {
        let c = client();
        let url = c
            .authorization_url(&AuthorizationRequest {
                scopes: vec![
                    "ZohoCRM.modules.ALL".into(),
                    "AaaServer.profile.READ".into(),
                ],
                access_type: None,
                prompt_consent: true,
                state: Some("a b&c".into()),
            })
            .expect("url");
        assert_eq!(
            url,
            "https://accounts.zoho.com/oauth/v2/auth?scope=ZohoCRM.modules.ALL%2CAaaServer.profile.READ&client_id=1000.ID&response_type=code&access_type=offline&redirect_uri=https%3A%2F%2Fexample.com%2Fcb&prompt=consent&state=a+b%26c"
        );
        assert!(!url.contains("s3cr3t"));
        assert!(
            c.authorization_url(&AuthorizationRequest::default())
                .is_err()
        );
    }

    #[test]
    fn from_config_without_any_store_is_config_missing_and_connects_nowhere() {
        let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb");
        let e = OAuthClient::from_config(config.clone())
            .err()
            .expect("no store named");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing);
        assert!(e.message().contains("token_persistence_path"), "{e}");
        assert!(e.message().contains("token_store"), "{e}");
        assert!(
            e.hint().is_some_and(|h| h.contains("token_store=mysql")),
            "{e}"
        );
        // A door that wants the SDK's default asks for it.
        #[cfg(feature = "mysql")]
        {
            let mysql = config.or_store_kind(crate::config::StoreKind::named("mysql"));
            let client = OAuthClient::from_config(mysql).expect("opened lazily");
            assert_eq!(
                client.store().describe(),
                "mysql://root@localhost:3306/zohooauth.oauthtokens"
            );
        }
    }
}
