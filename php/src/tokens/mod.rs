//! `zcrmsdk\oauth\utility\ZohoOAuthTokens`: the SDK's tokens object.
//!
//! The values live in the Rust struct, not in PHP properties, so `var_dump`, `print_r`,
//! `var_export`, `json_encode` and debuggers never see a token: `__debugInfo` and
//! `jsonSerialize` show the user, the expiry and `[redacted]`. `serialize()` is the storage
//! format and does carry the tokens: it writes exactly the bytes Zoho's SDK writes (private
//! property names mangled with the class name), so a custom store that serializes these
//! objects, or a token file written by the SDK, reads back into this class. PHP classes may
//! extend it ([`crate::engine::subclass`]). This module holds the value; [`methods`] its PHP
//! methods.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use zoho_oauth::{Secret, Tokens};

use crate::engine;

pub mod methods;

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\utility\\ZohoOAuthTokens";

/// The SDK's message when an expired access token is read.
pub const EXPIRED_MESSAGE: &str = "Access token got expired!";

/// What the dumps show instead of a token.
const REDACTED: &str = "[redacted]";

/// Access and refresh tokens of one user, with the access token's expiry in milliseconds.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\utility\\ZohoOAuthTokens")]
#[php(implements(ce = engine::class::json_serializable, stub = "\\JsonSerializable"))]
#[derive(Clone, Default)]
pub struct ZohoOAuthTokens {
    refresh_token: Option<Secret>,
    access_token: Option<Secret>,
    expiry_time: Option<f64>,
    user_email_id: Option<String>,
    api_domain: Option<String>,
    scope: Option<String>,
}

/// Now in epoch milliseconds, as the SDK computes it: `round(microtime(true) * 1000)`.
pub fn now_ms() -> f64 {
    zoho_oauth::clock::system_now_ms() as f64
}

impl ZohoOAuthTokens {
    /// The PHP object for tokens of the core.
    pub fn from_core(tokens: &Tokens) -> Self {
        ZohoOAuthTokens {
            refresh_token: tokens.refresh_token.clone(),
            access_token: Some(tokens.access_token.clone()),
            expiry_time: Some(tokens.expiry_time_ms as f64),
            user_email_id: tokens.user.clone(),
            api_domain: tokens.api_domain.clone(),
            scope: tokens.scope.clone(),
        }
    }

    /// The core's tokens for this object (`None` when it holds no access token at all, as the
    /// empty object the SDK's MySQL store returns for an unknown user).
    pub fn to_core(&self) -> Option<Tokens> {
        let access = self.access_token.clone().filter(|t| !t.is_empty());
        let refresh = self.refresh_token.clone().filter(|t| !t.is_empty());
        if access.is_none() && refresh.is_none() {
            return None;
        }
        let mut tokens = Tokens::new(
            self.user_email_id.clone(),
            access.unwrap_or_else(|| Secret::new("")),
            refresh,
            self.expiry_time.map_or(0, |ms| ms.round() as i64),
        );
        tokens.api_domain = self.api_domain.clone();
        tokens.scope = self.scope.clone();
        Some(tokens)
    }

    fn is_valid(&self) -> bool {
        self.expiry_time.is_some_and(|expiry| {
            expiry - now_ms() > zoho_oauth::token::SDK_VALIDITY_MARGIN_MS as f64
        })
    }

    /// The redacted view shared by `__debugInfo` and `jsonSerialize`.
    fn redacted_view(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut view = ZendHashTable::new();
        let shown = |secret: &Option<Secret>| secret.as_ref().map(|_| REDACTED);
        view.insert("userEmailId", self.user_email_id.clone())?;
        view.insert("expiryTime", self.expiry_time)?;
        view.insert("accessToken", shown(&self.access_token))?;
        view.insert("refreshToken", shown(&self.refresh_token))?;
        view.insert("apiDomain", self.api_domain.clone())?;
        view.insert("isValidAccessToken", self.is_valid())?;
        Ok(view)
    }
}

impl ZohoOAuthTokens {
    /// The redacted view as a JSON object.
    fn redacted_json(&self) -> String {
        let shown = |secret: &Option<Secret>| secret.as_ref().map(|_| REDACTED);
        serde_json::json!({
            "userEmailId": self.user_email_id,
            "expiryTime": self.expiry_time,
            "accessToken": shown(&self.access_token),
            "refreshToken": shown(&self.refresh_token),
            "apiDomain": self.api_domain,
            "isValidAccessToken": self.is_valid(),
        })
        .to_string()
    }
}
