//! `login`: consent in a browser, Zoho's redirect caught on the loopback redirect URI, the
//! code exchanged at the user's data centre, the tokens saved.

use std::time::Duration;

use serde_json::json;
use zoho_oauth::{AuthorizationRequest, Config, DataCentre};

use crate::args::Args;
use crate::browser;
use crate::commands::{authorization_url, random_state, scopes};
use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::loopback::{Callback, Loopback, param};
use crate::output::Output;
use crate::servers;
use crate::session;

/// How long to wait for the redirect by default.
const DEFAULT_TIMEOUT_SECS: u64 = 300;

/// What a genuine redirect carried.
struct Redirect {
    code: String,
    accounts_url: String,
    location: Option<String>,
}

/// Runs the whole login.
pub fn login(args: &Args, settings: &Settings, out: Output) -> Result<(), Failure> {
    let mut config = settings.client_config()?;
    if let Some(user) = &args.user {
        config.current_user_email = Some(user.clone());
    }
    let loopback = Loopback::bind(&config.redirect_uri)?;
    let state = random_state()?;
    let request = AuthorizationRequest {
        scopes: scopes(args, settings, true),
        access_type: Some("offline".into()),
        prompt_consent: true,
        state: Some(state.clone()),
    };
    let url = authorization_url(config.clone(), &request)?;
    let timeout = Duration::from_secs(args.timeout_secs.unwrap_or(DEFAULT_TIMEOUT_SECS));
    announce(args, out, &url, &config.redirect_uri, timeout);
    let callback = loopback.wait(timeout)?;
    let redirect = match check(&callback, &state, &config.accounts_url) {
        Ok(redirect) => redirect,
        Err(failure) => {
            callback.finish(false, &failure.message);
            return Err(failure);
        }
    };
    finish(settings, config, redirect, callback, out)
}

/// Prints the URL (first, as JSON, with `--json`) and opens a browser unless told not to.
fn announce(args: &Args, out: Output, url: &str, redirect_uri: &str, timeout: Duration) {
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

/// Checks the redirect: our `state`, no `error`, a `code`, a trusted accounts server.
fn check(callback: &Callback, state: &str, configured: &str) -> Result<Redirect, Failure> {
    if callback.get("state") != Some(state) {
        return Err(Failure::new(
            Class::Login,
            "the redirect's state does not match this login: it was not started by this command (a forged or stale link); nothing was exchanged",
        )
        .with_hint("run zoho-oauth login again and use the URL it prints"));
    }
    if let Some(error) = callback.get("error") {
        let mut failure = Failure::new(
            Class::Login,
            format!("Zoho did not grant access ({error}): consent was refused or the request was rejected"),
        )
        .with_hint("run login again and press Accept; access_denied can also mean too many grant requests in a short time");
        failure.zoho_code = Some(error.to_string());
        return Err(failure);
    }
    let code = callback
        .get("code")
        .filter(|c| !c.is_empty())
        .ok_or_else(|| Failure::new(Class::Login, "Zoho's redirect carried no code"))?;
    Ok(Redirect {
        code: code.to_string(),
        accounts_url: accounts_server(&callback.params, configured)?,
        location: callback.get("location").map(str::to_string),
    })
}

/// The accounts server to exchange the code at: the redirect's `accounts-server` when it is
/// trusted, else the `location`'s server when we talk to Zoho, else the configured one.
fn accounts_server(params: &[(String, String)], configured: &str) -> Result<String, Failure> {
    if let Some(server) = param(params, "accounts-server").filter(|s| !s.is_empty()) {
        return servers::trusted(server, configured).ok_or_else(|| {
            Failure::new(
                Class::Login,
                format!("the redirect names accounts server '{server}', which is not one of Zoho's; the client secret is not sent there"),
            )
            .with_hint("the sign-in link was tampered with; run zoho-oauth login again")
        });
    }
    let by_location = param(params, "location")
        .and_then(|l| DataCentre::from_code(l).ok())
        .filter(|_| DataCentre::from_accounts_url(configured).is_some())
        .map(|dc| dc.accounts_url().to_string());
    Ok(by_location.unwrap_or_else(|| configured.to_string()))
}

/// Exchanges the code at the user's accounts server, answers the browser, reports.
fn finish(
    settings: &Settings,
    config: Config,
    redirect: Redirect,
    callback: Callback,
    out: Output,
) -> Result<(), Failure> {
    let configured = config.accounts_url.clone();
    let exchanged = settings
        .client(session::with_accounts_url(config, &redirect.accounts_url))
        .and_then(|client| {
            let tokens = session::exchange_and_save(&client, &redirect.code)?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_code_goes_to_the_users_data_centre() {
        let zoho = "https://accounts.zoho.com";
        let server = |pairs: &[(&str, &str)], configured: &str| {
            accounts_server(&params(pairs), configured).map_err(|f| f.class)
        };
        // accounts-server wins when it is one of Zoho's.
        assert_eq!(
            server(
                &[
                    ("location", "in"),
                    ("accounts-server", "https://accounts.zoho.eu")
                ],
                zoho
            ),
            Ok("https://accounts.zoho.eu".to_string())
        );
        // Without it, the location picks the data centre's server...
        assert_eq!(
            server(&[("location", "eu")], zoho),
            Ok("https://accounts.zoho.eu".to_string())
        );
        assert_eq!(
            server(&[("location", "ca")], zoho),
            Ok("https://accounts.zohocloud.ca".to_string())
        );
        // ...but only when we talk to Zoho; an unknown location keeps the configured one.
        assert_eq!(
            server(&[("location", "eu")], "http://127.0.0.1:9"),
            Ok("http://127.0.0.1:9".to_string())
        );
        assert_eq!(server(&[("location", "mars")], zoho), Ok(zoho.to_string()));
        // A forged accounts server is refused: the secret never goes there.
        assert_eq!(
            server(&[("accounts-server", "https://evil.example")], zoho),
            Err(Class::Login)
        );
    }
}
