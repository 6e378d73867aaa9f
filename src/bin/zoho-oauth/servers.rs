//! Which accounts servers the client secret and tokens may be sent to.
//!
//! The `accounts-server` of Zoho's redirect arrives through the browser's address bar, so it
//! can be forged. It is followed only when it is one of Zoho's own accounts servers, or has
//! the same scheme, loopback host and port as the configured one (a local emulator).

use zoho_oauth::DataCentre;

/// `candidate` without a trailing slash, if secrets may be sent there (the core's rule:
/// Zoho's own accounts servers, or the configured loopback emulator's origin).
pub fn trusted(candidate: &str, configured: &str) -> Option<String> {
    zoho_oauth::config::trusted_accounts_url(candidate, configured)
}

/// A short name for an accounts server: its data centre code, or the URL itself.
pub fn label(accounts_url: &str) -> String {
    DataCentre::from_accounts_url(accounts_url)
        .map_or_else(|| accounts_url.to_string(), |dc| dc.code().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoho_servers_and_the_configured_loopback_origin_only() {
        let us = "https://accounts.zoho.com";
        assert_eq!(
            trusted("https://accounts.zoho.eu/", us).as_deref(),
            Some("https://accounts.zoho.eu")
        );
        for forged in [
            "https://accounts.zoho.eu.evil.example",
            "https://evil.example",
            "http://accounts.zoho.eu",
            "https://accounts.zoho.com@evil.example",
            "http://127.0.0.1:9/eu",
        ] {
            assert_eq!(trusted(forged, us), None, "{forged}");
        }
        let emu = "http://127.0.0.1:4000";
        assert_eq!(
            trusted("http://127.0.0.1:4000/eu", emu).as_deref(),
            Some("http://127.0.0.1:4000/eu")
        );
        assert_eq!(trusted("http://127.0.0.1:4001/eu", emu), None);
        assert_eq!(trusted("http://localhost:4000/eu", emu), None);
        assert_eq!(trusted("http://127.0.0.1:4000/eu?x=1", emu), None);
        assert_eq!(label("https://accounts.zoho.in"), "in");
    }
}
