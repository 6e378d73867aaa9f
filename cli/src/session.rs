//! What several commands share: picking the user, a client that talks to the user's data
//! centre, saving freshly exchanged tokens, and reporting them.

use std::sync::Arc;

use serde_json::json;
use zoho_oauth::policy::{self, Exchanged, Route};
use zoho_oauth::{Clock, Config, Error, OAuthClient, StoreFormat, SystemClock, TokenStore, Tokens};

use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::{Output, warn};
use crate::servers;
use crate::time::{relative, utc};
use crate::unsaved;

/// The user a command is about: `given` (`--user`), else `currentUserEmail`, else the only one stored.
pub fn resolve_user(
    given: Option<&str>,
    settings: &Settings,
    store: &Arc<dyn TokenStore>,
) -> Result<String, Failure> {
    if let Some(user) = given.or(settings.current_user()) {
        return Ok(user.to_string());
    }
    let entries = store.list()?;
    match entries.as_slice() {
        [] => Err(no_tokens(store, None)),
        [only] => Ok(only.user_or_empty().to_string()),
        many => {
            let names: Vec<&str> = many.iter().map(Tokens::user_or_empty).collect();
            Err(Failure::usage(format!(
                "--user is needed: {} holds {} users ({})",
                store.describe(),
                many.len(),
                names.join(", ")
            )))
        }
    }
}

/// The failure for a user (or a store) without tokens.
pub fn no_tokens(store: &Arc<dyn TokenStore>, user: Option<&str>) -> Failure {
    let whom = user.map_or_else(String::new, |u| format!(" for {u}"));
    Failure::new(
        Class::NoTokens,
        format!("no tokens are stored{whom} in {}", store.describe()),
    )
    .with_hint("run `zoho-oauth login` or `zoho-oauth exchange` first; `zoho-oauth users` lists who is stored; check --token-dir and --store-format")
}

/// A client on the configured store whose accounts server is the one that issued `user`'s
/// tokens, when the store recorded it (JSON format) and it is trusted (the core's route).
pub fn client_for_user(settings: &Settings, user: &str) -> Result<OAuthClient, Failure> {
    let config = settings.client_config()?;
    let store = settings.store()?;
    let issuer = store.get(user)?.and_then(|t| t.accounts_url);
    let config = routed(config, issuer.as_deref(), &format!("{user}'s tokens name"));
    Ok(OAuthClient::new(config, store)?)
}

/// `config` pointed at the trusted `issuer`; an untrusted one is named in a warning that
/// starts with `whose` ("the input names", ...) and the configured server is kept.
pub fn routed(config: Config, issuer: Option<&str>, whose: &str) -> Config {
    match policy::issuer_route(issuer, config.identity().server().url()) {
        Route::Configured => config,
        Route::Issuer(url) => policy::with_issuer(config, &url),
        Route::Untrusted(issuer) => {
            warn(&format!(
                "{whose} accounts server {issuer}, which is not Zoho's; using {} instead",
                config.identity().server().url()
            ));
            config
        }
    }
}

/// Exchanges a grant code and saves the tokens (the core's policy: never lost; saved under
/// `unidentified-<time>` when Zoho will not say who the user is, which the failure then
/// says). When they cannot be saved at all (corrupt or unwritable token file), the failure
/// carries them, to be printed on stdout: the grant code is spent.
pub fn exchange_and_save(client: &OAuthClient, code: &str) -> Result<Tokens, Failure> {
    match policy::exchange_keeping_tokens(client, code) {
        Ok(Exchanged::Saved(tokens)) => Ok(tokens),
        Ok(Exchanged::SavedUnidentified { tokens, reason }) => {
            Err(kept_under(&reason, tokens.user_or_empty()))
        }
        Err(mut error) => match error.take_unsaved_tokens() {
            Some(tokens) => Err(unsaved::not_saved(error, tokens)),
            None => Err(error.into()),
        },
    }
}

fn kept_under(error: &Error, name: &str) -> Failure {
    let mut failure = Failure::from(error.clone());
    failure.message = format!(
        "{} The tokens were saved under the identifier '{name}' so the refresh token is not lost.",
        first_sentence(error.message())
    );
    failure.hint = Some(format!(
        "next time add the scope AaaServer.profile.READ or pass --user EMAIL; `zoho-oauth token --user {name}` works now"
    ));
    failure
}

fn first_sentence(message: &str) -> &str {
    message.split(" The tokens").next().unwrap_or(message)
}

/// Prints where freshly saved tokens went.
pub fn report_saved(out: Output, client: &OAuthClient, tokens: &Tokens, dc: Option<&str>) {
    let store = client.store().describe();
    let format = client.config().store().format().name();
    let user = tokens.user_or_empty();
    let issuer = tokens.accounts_url.as_deref().unwrap_or("");
    let dc = dc.map_or_else(|| servers::label(issuer), str::to_string);
    let remaining = tokens.remaining_ms(SystemClock.now_ms());
    let human = format!(
        "Saved tokens for {user} in {store} ({format} format).\n\
         Data centre: {dc}. Access token valid until {} ({}).\n\
         Use it: zoho-oauth token --user {user}",
        utc(tokens.expiry_time_ms),
        relative(remaining),
    );
    out.result(
        &human,
        json!({
            "user": user,
            "token_file": store,
            "store_format": format,
            "data_centre": dc,
            "accounts_url": tokens.accounts_url,
            "api_domain": tokens.api_domain,
            "scope": tokens.scope,
            "has_refresh_token": tokens.refresh_token.is_some(),
            "expiry_time_ms": tokens.expiry_time_ms,
            "expires_at": utc(tokens.expiry_time_ms),
        }),
    );
}

/// Warns when tokens came from another data centre than the configured one and the SDK
/// format, which does not record it, will send later refreshes to the configured one.
pub fn warn_if_other_dc(settings: &Settings, configured: &str, tokens: &Tokens) {
    let Some(issuer) = tokens.accounts_url.as_deref() else {
        return;
    };
    if issuer == configured || !matches!(settings.store_format(), Ok(StoreFormat::PhpSdk)) {
        return;
    }
    warn(&format!(
        "your account lives at {issuer}, but the configuration says {configured}; the SDK token file does not record the data centre, so set accounts_url={issuer} (or data_centre) in your configuration, and in the PHP/C configuration, or refreshes will fail"
    ));
}
