//! The OAuth redirect back from Zoho's consent page: the checks on its query (`state`,
//! `error`, `code`, `accounts-server`, `location`) and the accounts server the code must be
//! exchanged at.
//!
//! The query arrives through a browser's address bar, so it is any text an attacker could
//! craft. A redirect is accepted only with the `state` the caller sent and a non-empty
//! `code`; the code (and with it the client secret) goes only to one of Zoho's accounts
//! servers or to the configured loopback origin (see
//! [`crate::config::trusted_accounts_url`]), never to a server named
//! by the attacker.
//!
//! ```
//! use zoho_oauth::redirect;
//!
//! let query = "state=s1&code=1000.abc&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu";
//! let checked = redirect::check_query(query, "s1", "https://accounts.zoho.com")?;
//! assert_eq!(checked.accounts_url, "https://accounts.zoho.eu");
//! assert_eq!(checked.code.expose(), "1000.abc");
//! # Ok::<(), redirect::RedirectError>(())
//! ```

use std::fmt;
use subtle::ConstantTimeEq;

use crate::config::trusted_accounts_url;
use crate::datacentre::DataCentre;
use crate::error::{Error, ErrorKind};
use crate::secret::Secret;

/// A redirect that passed every check.
#[derive(Debug, Clone)]
pub struct Redirect {
    /// The grant code, to exchange once (`Debug` shows it redacted).
    pub code: Secret,
    /// The accounts server to exchange the code at, without a trailing slash.
    pub accounts_url: String,
    /// Zoho's `location` parameter (the user's data centre code), when present.
    pub location: Option<String>,
}

/// Why a redirect was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RedirectError {
    /// The `state` is missing or not the one sent: a forged or stale link.
    StateMismatch,
    /// Zoho sent `error` (e.g. `access_denied`): consent was refused or the request rejected.
    Denied {
        /// Zoho's error code, as sent.
        error: String,
    },
    /// No `code` (or an empty one).
    NoCode,
    /// `accounts-server` names a server that is not Zoho's: the code is not sent there.
    UntrustedServer {
        /// The server the redirect named.
        server: String,
    },
}

impl fmt::Display for RedirectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RedirectError::StateMismatch => f.write_str(
                "the redirect's state does not match the authorization request: a forged or stale link; nothing was exchanged",
            ),
            RedirectError::Denied { error } => write!(
                f,
                "Zoho did not grant access ({error}): consent was refused or the request was rejected"
            ),
            RedirectError::NoCode => f.write_str("Zoho's redirect carried no code"),
            RedirectError::UntrustedServer { server } => write!(
                f,
                "the redirect names accounts server '{server}', which is not one of Zoho's; the client secret is not sent there"
            ),
        }
    }
}

impl std::error::Error for RedirectError {}

/// As a library error: `access_denied` (with Zoho's code) for a refusal, else an invalid
/// argument (the redirect itself is wrong).
impl From<RedirectError> for Error {
    fn from(e: RedirectError) -> Error {
        match &e {
            RedirectError::Denied { error } => {
                Error::new(ErrorKind::AccessDenied, e.to_string()).with_zoho_code(error.clone())
            }
            _ => Error::new(ErrorKind::InvalidArgument, e.to_string()),
        }
    }
}

/// The query of a callback: the text after the first `?` of a whole callback URL (without a
/// `#fragment`), or the text itself when it has no `?` (a query string).
pub fn query_of(callback: &str) -> &str {
    let query = callback
        .split_once('?')
        .map_or(callback, |(_, query)| query);
    query.split_once('#').map_or(query, |(query, _)| query)
}

/// The decoded parameters of a query string (without the `?`), in order.
pub fn parse_query(query: &str) -> Vec<(String, String)> {
    form_urlencoded::parse(query.strip_prefix('?').unwrap_or(query).as_bytes())
        .into_owned()
        .collect()
}

/// The first value of parameter `name` in decoded `params`.
pub fn param<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// [`check`] on a raw query string.
pub fn check_query(
    query: &str,
    expected_state: &str,
    configured_accounts_url: &str,
) -> Result<Redirect, RedirectError> {
    check(&parse_query(query), expected_state, configured_accounts_url)
}

/// Checks a redirect's decoded parameters: our `state` (compared in constant time), no
/// `error`, a non-empty `code`, and a trusted accounts server (see [`accounts_server`]).
pub fn check(
    params: &[(String, String)],
    expected_state: &str,
    configured_accounts_url: &str,
) -> Result<Redirect, RedirectError> {
    let state_ok = param(params, "state").is_some_and(|s| same(s, expected_state));
    if !state_ok || expected_state.is_empty() {
        return Err(RedirectError::StateMismatch);
    }
    if let Some(error) = param(params, "error") {
        return Err(RedirectError::Denied {
            error: error.to_string(),
        });
    }
    let code = param(params, "code")
        .filter(|c| !c.is_empty())
        .ok_or(RedirectError::NoCode)?;
    Ok(Redirect {
        code: Secret::new(code),
        accounts_url: accounts_server(params, configured_accounts_url)?,
        location: param(params, "location").map(str::to_string),
    })
}

/// The accounts server to exchange the code at (issuer routing): the redirect's
/// `accounts-server` when it is trusted (refused otherwise), else the server of the
/// `location`'s data centre when the configured server is one of Zoho's, else the
/// configured one.
pub fn accounts_server(
    params: &[(String, String)],
    configured_accounts_url: &str,
) -> Result<String, RedirectError> {
    if let Some(server) = param(params, "accounts-server").filter(|s| !s.is_empty()) {
        return trusted_accounts_url(server, configured_accounts_url).ok_or_else(|| {
            RedirectError::UntrustedServer {
                server: server.to_string(),
            }
        });
    }
    let by_location = param(params, "location")
        .and_then(|l| DataCentre::from_code(l).ok())
        .filter(|_| DataCentre::from_accounts_url(configured_accounts_url).is_some())
        .map(|dc| dc.accounts_url().to_string());
    Ok(by_location.unwrap_or_else(|| configured_accounts_url.to_string()))
}

/// Equal strings, in a time that does not depend on where they differ.
fn same(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_of_a_callback_url_or_the_text_itself() {
        assert_eq!(
            query_of("https://app.example/cb?code=c&state=s#top"),
            "code=c&state=s"
        );
        assert_eq!(query_of("?code=c&state=s"), "code=c&state=s");
        assert_eq!(query_of("code=c&state=s"), "code=c&state=s");
        assert_eq!(query_of("code=a?b&state=s"), "b&state=s");
        assert_eq!(query_of(""), "");
    }

    #[test]
    fn same_is_equality_of_length_and_every_byte() {
        assert!(same("", ""));
        assert!(same("s-1", "s-1"));
        assert!(!same("s-1", "s-2"));
        assert!(!same("s-1", "s-10"), "a prefix is not the same");
        assert!(!same("s-10", "s-1"));
        assert!(!same("", "s"));
        assert!(
            !same("é", "e\u{301}"),
            "bytes, not characters, are compared"
        );
    }

    const ZOHO: &str = "https://accounts.zoho.com";

    fn server(query: &str, configured: &str) -> Result<String, RedirectError> {
        accounts_server(&parse_query(query), configured)
    }

    #[test]
    fn a_good_redirect_gives_the_code_and_the_users_server() {
        let r = check_query(
            "?code=1000.c%2Bd&state=xyz&location=eu&accounts-server=https%3A%2F%2Faccounts.zoho.eu%2F",
            "xyz",
            ZOHO,
        )
        .expect("accepted");
        assert_eq!(r.code.expose(), "1000.c+d");
        assert_eq!(r.accounts_url, "https://accounts.zoho.eu");
        assert_eq!(r.location.as_deref(), Some("eu"));
        assert!(
            !format!("{r:?}").contains("1000.c+d"),
            "Debug shows the code"
        );
    }

    #[test]
    fn state_error_and_code_are_checked_in_that_order() {
        for (query, want) in [
            ("code=c", RedirectError::StateMismatch),
            ("code=c&state=XYZ", RedirectError::StateMismatch),
            ("code=c&state=xy", RedirectError::StateMismatch),
            (
                "state=xyz&error=access_denied&code=c",
                RedirectError::Denied {
                    error: "access_denied".into(),
                },
            ),
            ("state=xyz", RedirectError::NoCode),
            ("state=xyz&code=", RedirectError::NoCode),
        ] {
            assert_eq!(check_query(query, "xyz", ZOHO).err(), Some(want), "{query}");
        }
        // An empty expected state never matches, not even an empty one.
        assert_eq!(
            check_query("state=&code=c", "", ZOHO).err(),
            Some(RedirectError::StateMismatch)
        );
    }

    #[test]
    fn the_code_goes_to_the_users_data_centre() {
        assert_eq!(
            server("location=in&accounts-server=https://accounts.zoho.eu", ZOHO),
            Ok("https://accounts.zoho.eu".to_string())
        );
        assert_eq!(
            server("location=eu", ZOHO),
            Ok("https://accounts.zoho.eu".to_string())
        );
        assert_eq!(
            server("location=ca", ZOHO),
            Ok("https://accounts.zohocloud.ca".to_string())
        );
        // The location is followed only when we talk to Zoho; an unknown one is ignored.
        assert_eq!(
            server("location=eu", "http://127.0.0.1:9"),
            Ok("http://127.0.0.1:9".to_string())
        );
        assert_eq!(server("location=mars", ZOHO), Ok(ZOHO.to_string()));
        // The configured emulator's other data centres are followed.
        assert_eq!(
            server(
                "accounts-server=http://127.0.0.1:9/eu",
                "http://127.0.0.1:9"
            ),
            Ok("http://127.0.0.1:9/eu".to_string())
        );
    }

    #[test]
    fn a_forged_accounts_server_is_refused() {
        for forged in [
            "https://evil.example",
            "https://accounts.zoho.eu.evil.example",
            "https://accounts.zoho.com@evil.example",
            "http://127.0.0.1:10/eu",
        ] {
            let query = format!("accounts-server={forged}");
            assert_eq!(
                server(&query, ZOHO),
                Err(RedirectError::UntrustedServer {
                    server: forged.to_string()
                }),
                "{forged}"
            );
        }
    }

    #[test]
    fn refusals_become_library_errors() {
        let denied = Error::from(RedirectError::Denied {
            error: "access_denied".into(),
        });
        assert_eq!(denied.kind(), ErrorKind::AccessDenied);
        assert_eq!(denied.zoho_code(), Some("access_denied"));
        assert_eq!(
            Error::from(RedirectError::StateMismatch).kind(),
            ErrorKind::InvalidArgument
        );
    }
}
