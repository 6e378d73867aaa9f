//! Policies a door may apply on top of the SDK-compatible client, as plain functions so
//! every door (CLI, PHP, C) can use the same ones:
//!
//! - [`exchange_keeping_tokens`]: a grant exchange whose tokens are never lost; when Zoho
//!   will not say who the user is, they are saved under [`unidentified_name`].
//! - [`issuer_route`] and [`with_issuer`]: send a user's refreshes to the accounts server
//!   that issued their tokens, when it is trusted.
//! - [`exchange_redirect`]: a consent finished from its redirect (checked, then exchanged at
//!   the user's data centre when that is a trusted server).
//! - [`is_fresh`]: whether stored tokens can be used as they are, without asking Zoho (and
//!   so without the client secret).

use std::sync::Arc;
use std::time::Duration;

use crate::client::OAuthClient;
use crate::config::{Config, trusted_accounts_url};
use crate::error::{Error, Result};
use crate::token::Tokens;

/// The prefix of [`unidentified_name`].
pub const UNIDENTIFIED_PREFIX: &str = "unidentified-";

/// The identifier for tokens whose user Zoho would not name: `unidentified-<epoch ms>`.
pub fn unidentified_name(now_ms: i64) -> String {
    format!("{UNIDENTIFIED_PREFIX}{now_ms}")
}

/// What [`exchange_keeping_tokens`] did with the tokens Zoho issued.
#[derive(Debug)]
pub enum Exchanged {
    /// Saved under the user's e-mail (or the configured fallback identifier).
    Saved(Tokens),
    /// Zoho would not say who the user is (e.g. no `AaaServer.profile.READ`) and there was
    /// no fallback: saved under `tokens.user`, an [`unidentified_name`]; `reason` is the
    /// failed lookup (without the tokens).
    SavedUnidentified {
        /// The tokens, as saved.
        tokens: Tokens,
        /// Why the user is unknown.
        reason: Error,
    },
}

/// Exchanges a grant code and saves the tokens, as
/// [`OAuthClient::generate_access_token`] (the store checked before the code is spent, the
/// save under the user's refresh lock), but never loses them: when the user cannot be
/// identified they are saved under an [`unidentified_name`]. An error either means nothing
/// was issued, or carries the issued tokens that no store took
/// ([`Error::take_unsaved_tokens`]; the grant code is spent, so hand them to the user).
pub fn exchange_keeping_tokens(client: &OAuthClient, code: &str) -> Result<Exchanged> {
    let mut error = match client.generate_access_token(code) {
        Ok(tokens) => return Ok(Exchanged::Saved(tokens)),
        Err(e) => e,
    };
    let Some(mut tokens) = error.take_unsaved_tokens() else {
        return Err(error);
    };
    if tokens.user.is_some() {
        return Err(error.with_unsaved_tokens(tokens)); // the store refused them
    }
    tokens.user = Some(unidentified_name(client.now_ms()));
    match client.save_granted(tokens) {
        Ok(tokens) => Ok(Exchanged::SavedUnidentified {
            tokens,
            reason: error,
        }),
        Err(mut store_error) => {
            if let Some(mut tokens) = store_error.take_unsaved_tokens() {
                tokens.user = None;
                store_error = store_error.with_unsaved_tokens(tokens);
            }
            Err(store_error)
        }
    }
}

/// Finishes a consent from its redirect: checks the callback (a whole callback URL or its
/// query string) against the `expected_state` sent with the authorization URL, then
/// exchanges and saves as [`exchange_checked_redirect`] does, with the configured
/// `currentUserEmail` as the fallback user. A refused redirect exchanges nothing.
pub fn exchange_redirect(
    client: &OAuthClient,
    callback: &str,
    expected_state: &str,
) -> Result<Tokens> {
    let params = crate::redirect::parse_query(crate::redirect::query_of(callback));
    let fallback = client.config().crm().current_user_email();
    exchange_checked_redirect(client, &params, expected_state, fallback)
}

/// Checks a redirect's decoded parameters (see [`crate::redirect::check`]), then exchanges
/// the code at the accounts server the redirect names when it is a trusted one (the user's
/// data centre), with the client's store, and saves the tokens as
/// [`OAuthClient::generate_access_token_with_fallback`] does (`fallback_user` names them when
/// Zoho will not say who the user is). A refused redirect exchanges nothing.
pub fn exchange_checked_redirect(
    client: &OAuthClient,
    params: &[(String, String)],
    expected_state: &str,
    fallback_user: Option<&str>,
) -> Result<Tokens> {
    let checked = crate::redirect::check(
        params,
        expected_state,
        client.config().identity().server().url(),
    )?;
    let code = checked.code.expose();
    if checked.accounts_url == client.config().identity().server().url() {
        return client.generate_access_token_with_fallback(code, fallback_user);
    }
    let config = with_issuer(client.config().clone(), &checked.accounts_url);
    let at_issuer = OAuthClient::new(config, Arc::clone(client.store()))?;
    at_issuer.generate_access_token_with_fallback(code, fallback_user)
}

/// Where requests for tokens issued by some accounts server must go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// The configured accounts server (no issuer known, or it is the configured one).
    Configured,
    /// This trusted accounts server (without a trailing slash), not the configured one.
    Issuer(String),
    /// The issuer is not one of Zoho's servers nor the configured loopback origin: the
    /// client secret must not go there; the configured server is used instead.
    Untrusted(String),
}

/// The route for tokens issued by `issuer` (stored with the tokens, or named by a redirect
/// or by saved lines), given the `configured` accounts server.
pub fn issuer_route(issuer: Option<&str>, configured: &str) -> Route {
    let Some(issuer) = issuer.map(str::trim).filter(|i| !i.is_empty()) else {
        return Route::Configured;
    };
    match trusted_accounts_url(issuer, configured) {
        Some(url) if url == configured.trim_end_matches('/') => Route::Configured,
        Some(url) => Route::Issuer(url),
        None => Route::Untrusted(issuer.to_string()),
    }
}

/// `config` pointed at another accounts server, its data centre kept in step (the data
/// centre of that server, or none for a server that is not one of Zoho's).
pub fn with_issuer(config: Config, accounts_url: &str) -> Config {
    config.with_accounts_url(accounts_url)
}

/// Whether stored `tokens` can be used as they are at `now_ms`: more than `margin` (the
/// configuration's `refresh_margin`) left before the access token expires. The client
/// refreshes tokens that are not fresh; a door that only reads the store can answer fresh
/// tokens without a client secret.
pub fn is_fresh(tokens: &Tokens, margin: Duration, now_ms: i64) -> bool {
    let margin_ms = i64::try_from(margin.as_millis()).unwrap_or(i64::MAX);
    tokens.is_valid_for(now_ms, margin_ms)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::datacentre::DataCentre;
    use crate::secret::Secret;

    const US: &str = "https://accounts.zoho.com";

    #[test]
    fn routes_follow_trusted_issuers_only() {
        assert_eq!(issuer_route(None, US), Route::Configured);
        assert_eq!(issuer_route(Some(" "), US), Route::Configured);
        assert_eq!(
            issuer_route(Some("https://accounts.zoho.com/"), US),
            Route::Configured
        );
        assert_eq!(
            issuer_route(Some("https://accounts.zoho.eu"), US),
            Route::Issuer("https://accounts.zoho.eu".into())
        );
        assert_eq!(
            issuer_route(Some("https://evil.example"), US),
            Route::Untrusted("https://evil.example".into())
        );
        let emulator = "http://127.0.0.1:4000";
        assert_eq!(
            issuer_route(Some("http://127.0.0.1:4000/eu"), emulator),
            Route::Issuer("http://127.0.0.1:4000/eu".into())
        );
        assert!(matches!(
            issuer_route(Some("http://127.0.0.1:4001/eu"), emulator),
            Route::Untrusted(_)
        ));
    }

    #[test]
    fn with_issuer_keeps_the_data_centre_in_step() {
        let config = Config::new("1000.ID", "secret", "https://example.com/cb");
        let eu = with_issuer(config, "https://accounts.zoho.eu");
        assert_eq!(eu.identity().server().url(), "https://accounts.zoho.eu");
        assert_eq!(eu.identity().server().data_centre(), Some(DataCentre::Eu));
        let local = with_issuer(eu, "http://127.0.0.1:9");
        assert_eq!(local.identity().server().data_centre(), None);
    }

    #[test]
    fn freshness_is_more_than_the_margin_left() {
        let tokens = Tokens::new(None, Secret::new("1000.a"), None, 100_000);
        let margin = Duration::from_secs(60);
        assert!(is_fresh(&tokens, margin, 39_999));
        assert!(!is_fresh(&tokens, margin, 40_000));
        assert!(!is_fresh(&tokens, Duration::MAX, 0));
        assert_eq!(unidentified_name(42), "unidentified-42");
    }
}
