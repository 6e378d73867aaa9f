//! `login`: consent in a browser, Zoho's redirect caught on the loopback redirect URI, the
//! code exchanged at the user's data centre, the tokens saved.

use std::time::Duration;

use serde_json::json;
use zoho_oauth::policy;
use zoho_oauth::redirect::{self, Redirect, RedirectError};
use zoho_oauth::{AuthorizationRequest, Config};

use crate::browser;
use crate::cli::LoginArgs;
use crate::commands::{authorization_url, random_state, scopes};
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::loopback::{Callback, Loopback};
use crate::output::Output;
use crate::session;

/// How long to wait for the redirect by default.
const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// Runs the whole login.
pub fn login(args: &LoginArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let mut config = settings.client_config()?;
    if let Some(user) = &args.user {
        config = config.with_current_user_email(user.clone());
    }
    let loopback = Loopback::bind(config.identity().redirect_uri())?;
    let state = random_state()?;
    let request = AuthorizationRequest {
        scopes: scopes(&args.scope.scopes(), settings, true),
        access_type: Some("offline".into()),
        prompt_consent: true,
        state: Some(state.clone()),
    };
    let url = authorization_url(&config, &request)?;
    let timeout = Duration::from_secs(args.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS));
    announce(args, out, &url, config.identity().redirect_uri(), timeout);
    let callback = loopback.wait(timeout)?;
    let redirect = match check(&callback, &state, config.identity().server().url()) {
        Ok(redirect) => redirect,
        Err(failure) => {
            callback.finish(false, &failure.message);
            return Err(failure);
        }
    };
    finish(settings, config, redirect, callback, out)
}

/// Prints the URL (first, as JSON, with `--json`) and opens a browser unless told not to.
fn announce(args: &LoginArgs, out: Output, url: &str, redirect_uri: &str, timeout: Duration) {
    if out.json {
        out.json_line(&json!({
            "authorize_url": url,
            "redirect_uri": redirect_uri,
            "timeout_secs": timeout.as_secs(),
        }));
    }
    let opened = !args.no_browser && browser::open(url);
    let how = if opened {
        "A browser was opened; if it did not show Zoho's sign-in, open this URL:"
    } else {
        "Open this URL in a browser to sign in to Zoho:"
    };
    out.progress(&format!(
        "{how}\n\n  {url}\n\nWaiting up to {} s for Zoho's redirect to {redirect_uri} ...",
        timeout.as_secs()
    ));
}

/// Checks the redirect in the core (our `state`, no `error`, a `code`, a trusted accounts
/// server) and words a refusal for the command line.
fn check(callback: &Callback, state: &str, configured: &str) -> Result<Redirect, Failure> {
    redirect::check(&callback.params, state, configured).map_err(refused)
}

/// A refused redirect, in the CLI's words.
fn refused(e: RedirectError) -> Failure {
    let failure = Failure::new(Class::Login, e.to_string());
    match e {
        RedirectError::StateMismatch => Failure::new(
            Class::Login,
            "the redirect's state does not match this login: it was not started by this command (a forged or stale link); nothing was exchanged",
        )
        .with_hint("run zoho-oauth login again and use the URL it prints"),
        RedirectError::Denied { error } => {
            let mut failure = failure.with_hint("run login again and press Accept; access_denied can also mean too many grant requests in a short time");
            failure.zoho_code = Some(error);
            failure
        }
        RedirectError::UntrustedServer { .. } => failure
            .with_hint("the sign-in link was tampered with; run zoho-oauth login again"),
        RedirectError::NoCode => failure,
    }
}

/// Exchanges the code at the user's accounts server, answers the browser, reports.
fn finish(
    settings: &Settings,
    config: Config,
    redirect: Redirect,
    callback: Callback,
    out: Output,
) -> Result<(), Failure> {
    let configured = config.identity().server().url().to_string();
    let exchanged = settings
        .client(policy::with_issuer(config, &redirect.accounts_url))
        .and_then(|client| {
            let tokens = session::exchange_and_save(&client, redirect.code.expose())?;
            Ok((client, tokens))
        });
    match exchanged {
        Ok((client, tokens)) => {
            callback.finish(
                true,
                &format!(
                    "Signed in as {}. The tokens are saved.",
                    tokens.user_or_empty()
                ),
            );
            session::report_saved(out, &client, &tokens, redirect.location.as_deref());
            session::warn_if_other_dc(settings, &configured, &tokens);
            Ok(())
        }
        Err(failure) => {
            callback.finish(false, &failure.message);
            Err(failure)
        }
    }
}
