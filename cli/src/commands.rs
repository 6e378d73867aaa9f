//! `exchange`, `token`, `refresh`, `revoke` and `authorize-url`.

use serde_json::json;
use zoho_oauth::policy;
use zoho_oauth::{AuthorizationRequest, Clock, Config, SystemClock};

use crate::cli::{AuthorizeUrlArgs, ExchangeArgs, RevokeArgs, UserArgs};
use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Output;
use crate::prompt;
use crate::session::{self, client_for_user, no_tokens, resolve_user};
use crate::time::{relative, utc};

/// The scope asked for when none is configured.
pub const DEFAULT_SCOPE: &str = "ZohoCRM.modules.ALL";

/// `exchange`: a self-client grant token for tokens, saved under the user's e-mail; or, with
/// `--refresh-token -`, a refresh token (e.g. one printed as NOT saved) refreshed and saved.
pub fn exchange(args: &ExchangeArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    if args.refresh_token.is_some() {
        return crate::save_refresh::save_from_refresh_token(args, settings, out);
    }
    let mut config = settings.client_config()?;
    if let Some(user) = &args.user {
        config = config.with_current_user_email(user.clone());
    }
    let code = grant_token(args)?;
    let client = settings.client(config)?;
    let tokens = session::exchange_and_save(&client, &code)?;
    session::report_saved(out, &client, &tokens, None);
    Ok(())
}

/// The grant token from `--grant-token`, stdin (`-`), or a no-echo prompt.
fn grant_token(args: &ExchangeArgs) -> Result<String, Failure> {
    let missing = || {
        Failure::usage("no grant token given").with_hint(
            "pass --grant-token CODE (API console > Self Client > Generate Code), or --grant-token - to read it from stdin",
        )
    };
    match args.grant_token.as_deref() {
        Some("-") => prompt::line_from_stdin()
            .map_err(|e| Failure::usage(format!("cannot read the grant token from stdin: {e}"))),
        Some(code) => Ok(code.trim().to_string()),
        None => match prompt::secret("Grant token: ") {
            Some(Ok(code)) if !code.trim().is_empty() => Ok(code.trim().to_string()),
            Some(Err(e)) => Err(Failure::usage(format!("cannot read the grant token: {e}"))),
            _ => Err(missing()),
        },
    }
}

/// `token`: prints a valid access token and nothing else. While the stored token is valid
/// no request is made and no client secret is needed.
pub fn token(args: &UserArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.store()?;
    let user = resolve_user(args.user.as_deref(), settings, &store)?;
    let stored = store.get(&user)?;
    let Some(stored) = stored else {
        return Err(no_tokens(&store, Some(&user)));
    };
    let margin = settings.config_without_secret()?.policy().refresh_margin();
    let tokens = if policy::is_fresh(&stored, margin, SystemClock.now_ms()) {
        stored
    } else {
        client_for_user(settings, &user)?
            .get_tokens(&user)?
            .as_ref()
            .clone()
    };
    out.result(
        tokens.access_token.expose(),
        json!({
            "user": tokens.user_or_empty(),
            "access_token": tokens.access_token.expose(),
            "api_domain": tokens.api_domain,
            "expiry_time_ms": tokens.expiry_time_ms,
            "expires_at": utc(tokens.expiry_time_ms),
        }),
    );
    Ok(())
}

/// `refresh`: a new access token now.
pub fn refresh(args: &UserArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let user = resolve_user(args.user.as_deref(), settings, &settings.store()?)?;
    let client = client_for_user(settings, &user)?;
    let tokens = client.refresh_user(&user)?;
    let remaining = tokens.remaining_ms(client.now_ms());
    out.result(
        &format!(
            "Refreshed {}: the new access token ({}) is valid until {} ({}).",
            tokens.user_or_empty(),
            tokens.access_token.redacted_preview(),
            utc(tokens.expiry_time_ms),
            relative(remaining)
        ),
        json!({
            "user": tokens.user_or_empty(),
            "expiry_time_ms": tokens.expiry_time_ms,
            "expires_at": utc(tokens.expiry_time_ms),
            "api_domain": tokens.api_domain,
        }),
    );
    Ok(())
}

/// `revoke`: revokes at Zoho, then deletes; `--local` only deletes.
pub fn revoke(args: &RevokeArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.store()?;
    let user = resolve_user(args.who.user.as_deref(), settings, &store)?;
    if args.local {
        if !store.delete(&user)? {
            return Err(no_tokens(&store, Some(&user)));
        }
        out.result(
            &format!(
                "Deleted {user}'s tokens from {} (not revoked at Zoho).",
                store.describe()
            ),
            json!({ "user": user, "revoked": false, "deleted": true }),
        );
        return Ok(());
    }
    client_for_user(settings, &user)?.revoke(&user)?;
    out.result(
        &format!(
            "Revoked {user}'s refresh token at Zoho and deleted the tokens from {}.",
            store.describe()
        ),
        json!({ "user": user, "revoked": true, "deleted": true }),
    );
    Ok(())
}

/// `authorize-url`: the consent URL for a manual flow. Needs no client secret.
pub fn authorize_url(
    args: &AuthorizeUrlArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    settings.require_client_id()?;
    let config = settings.config_without_secret()?;
    let state = match &args.state {
        Some(state) => state.clone(),
        None => random_state()?,
    };
    let request = AuthorizationRequest {
        scopes: scopes(&args.scope.scopes(), settings, false),
        access_type: args.access_type.clone(),
        prompt_consent: !args.no_consent,
        state: Some(state.clone()),
    };
    let url = authorization_url(&config, &request)?;
    out.result(
        &url,
        json!({ "authorize_url": url, "state": state, "redirect_uri": settings.redirect_uri() }),
    );
    Ok(())
}

/// The consent URL for `config`'s client, from its identity alone (no client, no store,
/// no secret).
pub fn authorization_url(
    config: &Config,
    request: &AuthorizationRequest,
) -> Result<String, Failure> {
    Ok(zoho_oauth::authorize::authorization_url(
        config.identity(),
        request,
    )?)
}

/// `--scope`, else the `scope` setting, else the default; `login` adds the profile scope
/// it needs to learn who signed in.
pub fn scopes(given: &[String], settings: &Settings, with_profile: bool) -> Vec<String> {
    let mut scopes = if !given.is_empty() {
        given.to_vec()
    } else {
        settings.scopes()
    };
    if scopes.is_empty() {
        scopes.push(DEFAULT_SCOPE.to_string());
    }
    let has_profile = scopes.iter().any(|s| {
        s.eq_ignore_ascii_case("AaaServer.profile.READ")
            || s.eq_ignore_ascii_case("AaaServer.profile.ALL")
    });
    if with_profile && !has_profile {
        scopes.push("AaaServer.profile.READ".to_string());
    }
    scopes
}

/// 128 random bits as hex, for `state`.
pub fn random_state() -> Result<String, Failure> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        Failure::new(
            crate::exit::Class::Internal,
            format!("no randomness for the state parameter: {e}"),
        )
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
