//! The OAuth redirect's query, checked by the core's `zoho_oauth::redirect` (which the CLI's
//! `login`, and any other door, calls): the request line the browser sends to the loopback
//! redirect URI arrives through the address bar, so it is any text.
//!
//! Properties: no panic; a redirect is accepted only with our `state` and a non-empty
//! `code`; the server the code (and the client secret) go to is one of Zoho's accounts
//! servers or the configured loopback origin, never anything the attacker chose.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use url::Url;
use zoho_oauth::DataCentre;
use zoho_oauth::redirect;

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

/// The query of a request target to the redirect path, as the CLI's listener splits it.
fn query(target: &str) -> Option<&str> {
    let target = target.split(' ').next()?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    (path == "/callback").then_some(query)
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
    let Some(query) = query(input.target) else {
        return;
    };
    let params = redirect::parse_query(query);
    let Ok(checked) = redirect::check(&params, STATE, configured) else {
        return;
    };
    assert_eq!(redirect::param(&params, "state"), Some(STATE));
    assert!(!checked.code.expose().is_empty());
    let server = checked.accounts_url.as_str();
    assert!(
        server == configured
            || DataCentre::from_accounts_url(server).is_some()
            || same_loopback_origin(server, configured),
        "the code would go to {server:?}"
    );
});
