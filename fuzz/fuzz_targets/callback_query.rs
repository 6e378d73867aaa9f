//! The CLI's `login` callback: the request line the browser sends to the loopback redirect
//! URI, its query string, and the checks on `state`, `error`, `code`, `location` and
//! `accounts-server`. The request arrives through the browser's address bar, so any text.
//!
//! The CLI keeps this logic in its binary (`src/bin/zoho-oauth/{loopback,login}.rs`); this
//! target runs the same steps on the CLI's own `servers::trusted` (compiled in from its
//! file). Properties: no panic; a redirect is accepted only with our `state` and a non-empty
//! `code`; the server the code (and the client secret) go to is one of Zoho's accounts
//! servers or the configured loopback origin, never anything the attacker chose.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use url::Url;
use zoho_oauth::DataCentre;

#[allow(dead_code, missing_docs)]
#[path = "../../src/bin/zoho-oauth/servers.rs"]
mod servers;

const STATE: &str = "k3yState0123456789abcdef";
const CONFIGURED: &[&str] = &[
    "https://accounts.zoho.com",
    "https://accounts.zoho.eu",
    "http://127.0.0.1:4000",
    "http://localhost:8088/eu",
];

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    configured: u8,
    /// What follows `GET ` in the request head.
    target: &'a str,
}

/// The checked redirect: the code and the server to exchange it at.
struct Redirect {
    code: String,
    accounts_url: String,
}

/// `loopback::serve`: the path and the decoded query parameters of a request target.
fn params(target: &str) -> Option<Vec<(String, String)>> {
    let target = target.split(' ').next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/callback" {
        return None;
    }
    Some(
        form_urlencoded::parse(query.as_bytes())
            .into_owned()
            .collect(),
    )
}

fn get<'a>(params: &'a [(String, String)], name: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// `login::check` and `login::accounts_server`.
fn check(params: &[(String, String)], configured: &str) -> Option<Redirect> {
    if get(params, "state") != Some(STATE) || get(params, "error").is_some() {
        return None;
    }
    let code = get(params, "code").filter(|c| !c.is_empty())?;
    let accounts_url = match get(params, "accounts-server").filter(|s| !s.is_empty()) {
        Some(server) => servers::trusted(server, configured)?,
        None => get(params, "location")
            .and_then(|l| DataCentre::from_code(l).ok())
            .filter(|_| DataCentre::from_accounts_url(configured).is_some())
            .map_or_else(
                || configured.to_string(),
                |dc| dc.accounts_url().to_string(),
            ),
    };
    Some(Redirect {
        code: code.to_string(),
        accounts_url,
    })
}

fn same_loopback_origin(candidate: &str, configured: &str) -> bool {
    let (Ok(c), Ok(k)) = (Url::parse(candidate), Url::parse(configured)) else {
        return false;
    };
    let loopback = match k.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    };
    loopback
        && c.scheme() == k.scheme()
        && c.host() == k.host()
        && c.port_or_known_default() == k.port_or_known_default()
        && c.username().is_empty()
        && c.query().is_none()
        && c.fragment().is_none()
}

fuzz_target!(|input: Input<'_>| {
    let configured = CONFIGURED[usize::from(input.configured) % CONFIGURED.len()];
    let Some(params) = params(input.target) else {
        return;
    };
    let Some(redirect) = check(&params, configured) else {
        return;
    };
    assert_eq!(get(&params, "state"), Some(STATE));
    assert!(!redirect.code.is_empty());
    let server = redirect.accounts_url.as_str();
    assert!(
        server == configured
            || DataCentre::from_accounts_url(server).is_some()
            || same_loopback_origin(server, configured),
        "the code would go to {server:?}"
    );
});
