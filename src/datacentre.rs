//! Zoho's data centres: each has its own accounts server and API domain.

use crate::error::{Error, ErrorKind, Result};

/// A Zoho data centre. Tokens and grant codes only work at the one that issued them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DataCentre {
    /// United States (`accounts.zoho.com`).
    Us,
    /// Europe (`accounts.zoho.eu`).
    Eu,
    /// India (`accounts.zoho.in`).
    In,
    /// Australia (`accounts.zoho.com.au`).
    Au,
    /// Japan (`accounts.zoho.jp`).
    Jp,
    /// Canada (`accounts.zohocloud.ca`).
    Ca,
    /// Saudi Arabia (`accounts.zoho.sa`).
    Sa,
    /// United Kingdom (`accounts.zoho.uk`).
    Uk,
    /// China (`accounts.zoho.com.cn`).
    Cn,
}

/// Every data centre with its code, accounts server and API domain.
const TABLE: &[(DataCentre, &str, &str, &str)] = &[
    (
        DataCentre::Us,
        "us",
        "https://accounts.zoho.com",
        "https://www.zohoapis.com",
    ),
    (
        DataCentre::Eu,
        "eu",
        "https://accounts.zoho.eu",
        "https://www.zohoapis.eu",
    ),
    (
        DataCentre::In,
        "in",
        "https://accounts.zoho.in",
        "https://www.zohoapis.in",
    ),
    (
        DataCentre::Au,
        "au",
        "https://accounts.zoho.com.au",
        "https://www.zohoapis.com.au",
    ),
    (
        DataCentre::Jp,
        "jp",
        "https://accounts.zoho.jp",
        "https://www.zohoapis.jp",
    ),
    (
        DataCentre::Ca,
        "ca",
        "https://accounts.zohocloud.ca",
        "https://www.zohoapis.ca",
    ),
    (
        DataCentre::Sa,
        "sa",
        "https://accounts.zoho.sa",
        "https://www.zohoapis.sa",
    ),
    (
        DataCentre::Uk,
        "uk",
        "https://accounts.zoho.uk",
        "https://www.zohoapis.uk",
    ),
    (
        DataCentre::Cn,
        "cn",
        "https://accounts.zoho.com.cn",
        "https://www.zohoapis.com.cn",
    ),
];

impl DataCentre {
    /// All data centres.
    pub fn all() -> impl Iterator<Item = DataCentre> {
        TABLE.iter().map(|row| row.0)
    }

    fn row(self) -> &'static (DataCentre, &'static str, &'static str, &'static str) {
        // The table lists every variant, so the search always succeeds; fall back to US anyway.
        TABLE.iter().find(|row| row.0 == self).unwrap_or(&TABLE[0])
    }

    /// The location code Zoho uses (`us`, `eu`, ...).
    pub fn code(self) -> &'static str {
        self.row().1
    }

    /// The accounts server URL, without a trailing slash.
    pub fn accounts_url(self) -> &'static str {
        self.row().2
    }

    /// The production API domain.
    pub fn api_domain(self) -> &'static str {
        self.row().3
    }

    /// Parses a location code, case-insensitively (`EU`, `eu`).
    pub fn from_code(code: &str) -> Result<DataCentre> {
        let wanted = code.trim().to_ascii_lowercase();
        TABLE
            .iter()
            .find(|row| row.1 == wanted)
            .map(|row| row.0)
            .ok_or_else(|| {
                Error::new(
                    ErrorKind::ConfigInvalid,
                    format!("data_centre '{}' is not a Zoho data centre", code.trim()),
                )
                .with_hint("use one of us, eu, in, au, jp, ca, sa, uk, cn")
            })
    }

    /// The data centre whose accounts server has this URL (scheme and host compared).
    pub fn from_accounts_url(url: &str) -> Option<DataCentre> {
        let trimmed = url.trim_end_matches('/');
        TABLE.iter().find(|row| row.2 == trimmed).map(|row| row.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for dc in DataCentre::all() {
            assert_eq!(DataCentre::from_code(dc.code()).ok(), Some(dc));
            assert_eq!(DataCentre::from_accounts_url(dc.accounts_url()), Some(dc));
        }
        assert_eq!(DataCentre::all().count(), 9);
        assert_eq!(
            DataCentre::Ca.accounts_url(),
            "https://accounts.zohocloud.ca"
        );
        assert_eq!(DataCentre::from_code(" EU ").ok(), Some(DataCentre::Eu));
    }

    #[test]
    fn unknown_code_is_a_config_error() {
        let e = DataCentre::from_code("mars").err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::ConfigInvalid));
    }
}
