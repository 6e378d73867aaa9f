//! Which accounts servers may be configured, and which may be trusted with the client
//! secret and tokens.

use crate::datacentre::DataCentre;
use crate::error::{Error, ErrorKind, Result};

/// Checks that an accounts URL is absolute `https`, or `http` to a loopback host only.
///
/// Error messages show the URL without its user information, query and fragment, which
/// could hold a password or a token; a value that is not a URL at all is not shown.
pub fn validate_accounts_url(url: &str) -> Result<()> {
    let parsed = url::Url::parse(url);
    let shown = parsed
        .as_ref()
        .map(|u| format!(" '{}'", without_credentials(u)))
        .unwrap_or_default();
    let invalid = |why: &str| {
        Error::new(ErrorKind::ConfigInvalid, format!("accounts_url{shown} {why}"))
            .with_hint("use https://accounts.zoho.com or your data centre's server, e.g. https://accounts.zoho.eu")
    };
    let parsed = parsed.map_err(|_| invalid("is not a URL"))?;
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(invalid(
            "must not have a query, fragment, user name or password",
        ));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(&parsed) => Ok(()),
        "http" => Err(invalid(
            "uses plain http to a host that is not loopback; tokens would travel unencrypted",
        )),
        _ => Err(invalid("must start with https://")),
    }
}

/// `scheme://host[:port]/path` of a URL: what can be shown of it in a message.
fn without_credentials(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path())
}

/// `candidate` (without a trailing slash) when the client secret and tokens may be sent
/// there: one of Zoho's own accounts servers, or the same scheme, loopback host and port as
/// the `configured` accounts server (a local emulator's other data centres). Anything else,
/// e.g. a forged `accounts-server` in a redirect, gives `None`.
pub fn trusted_accounts_url(candidate: &str, configured: &str) -> Option<String> {
    let candidate = candidate.trim().trim_end_matches('/');
    if DataCentre::from_accounts_url(candidate).is_some() {
        return Some(candidate.to_string());
    }
    let same_loopback_origin = validate_accounts_url(candidate).is_ok()
        && match (url::Url::parse(candidate), url::Url::parse(configured)) {
            (Ok(c), Ok(k)) => {
                c.scheme() == k.scheme()
                    && c.host() == k.host()
                    && c.port_or_known_default() == k.port_or_known_default()
                    && is_loopback_host(&k)
            }
            _ => false,
        };
    same_loopback_origin.then(|| candidate.to_string())
}

fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}
