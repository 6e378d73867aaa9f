//! The tokens of one user, as Zoho issues them and as the stores keep them.

use crate::secret::Secret;

/// The SDK's validity test keeps a token while more than this many milliseconds remain
/// (`ZohoOAuthTokens::isValidAccessToken`: `expiryTime - now > 1000`).
pub const SDK_VALIDITY_MARGIN_MS: i64 = 1000;

/// Access and refresh tokens of one user, with the absolute expiry of the access token.
///
/// `Debug` never shows a token: both are [`Secret`]s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tokens {
    /// The identifier the tokens are stored under: the user's e-mail as Zoho returned it, or
    /// whatever the caller chose when starting from a refresh token. The SDK allows none.
    pub user: Option<String>,
    /// The access token (`1000.<hex>.<hex>`).
    pub access_token: Secret,
    /// The refresh token; absent for `access_type=online` grants.
    pub refresh_token: Option<Secret>,
    /// When the access token expires, in milliseconds since the Unix epoch.
    pub expiry_time_ms: i64,
    /// The API domain Zoho returned (`https://www.zohoapis.eu`, ...), when known.
    pub api_domain: Option<String>,
    /// The scopes Zoho granted, space-separated as Zoho returns them, when known.
    pub scope: Option<String>,
    /// The accounts server that issued the tokens, when known (refresh must go there).
    pub accounts_url: Option<String>,
}

impl Tokens {
    /// Tokens with only the fields Zoho's PHP SDK keeps.
    pub fn new(
        user: Option<String>,
        access_token: Secret,
        refresh_token: Option<Secret>,
        expiry_time_ms: i64,
    ) -> Self {
        Tokens {
            user,
            access_token,
            refresh_token,
            expiry_time_ms,
            api_domain: None,
            scope: None,
            accounts_url: None,
        }
    }

    /// Milliseconds the access token has left at `now_ms` (negative once expired).
    pub fn remaining_ms(&self, now_ms: i64) -> i64 {
        self.expiry_time_ms.saturating_sub(now_ms)
    }

    /// True while more than `margin_ms` remain before the access token expires.
    pub fn is_valid_for(&self, now_ms: i64, margin_ms: i64) -> bool {
        self.remaining_ms(now_ms) > margin_ms
    }

    /// The SDK's `isValidAccessToken()`: more than one second left.
    pub fn is_valid_access_token(&self, now_ms: i64) -> bool {
        self.is_valid_for(now_ms, SDK_VALIDITY_MARGIN_MS)
    }

    /// The user identifier, or `""` when there is none.
    pub fn user_or_empty(&self) -> &str {
        self.user.as_deref().unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_uses_a_strict_margin() {
        let t = Tokens::new(None, Secret::new("a"), None, 10_000);
        assert!(t.is_valid_access_token(8_999));
        assert!(!t.is_valid_access_token(9_000));
        assert!(t.is_valid_for(0, 9_999));
        assert!(!t.is_valid_for(0, 10_000));
        assert_eq!(t.remaining_ms(12_000), -2_000);
    }

    #[test]
    fn debug_hides_tokens() {
        let t = Tokens::new(
            Some("ada@example.com".into()),
            Secret::new("1000.access"),
            Some(Secret::new("1000.refresh")),
            1,
        );
        let shown = format!("{t:?}");
        assert!(shown.contains("ada@example.com"));
        assert!(!shown.contains("1000.access"));
        assert!(!shown.contains("1000.refresh"));
    }
}
