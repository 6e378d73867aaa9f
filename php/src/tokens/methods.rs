//! The PHP methods of `ZohoOAuthTokens` (the SDK's getters and setters, the redacted dumps,
//! and `serialize()` in the SDK's format). A child module, so that the tokens value itself
//! ([`super`]) depends on neither the exception nor the panic guard, which both use it.

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase: `$accessToken`, `$userEmailId`.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::{PhpException, PhpResult};
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::ce;
use zoho_oauth::{ErrorKind, Secret};

use super::{CLASS_NAME, EXPIRED_MESSAGE, ZohoOAuthTokens, now_ms};
use crate::exception;
use crate::panic::guard;

/// The SDK's private properties, in its serialization order.
const FIELDS: [&str; 4] = ["refreshToken", "accessToken", "expiryTime", "userEmailId"];

/// The mangled name PHP gives a private property of this class in `serialize()` output.
fn mangled(field: &str) -> String {
    format!("\0{CLASS_NAME}\0{field}")
}

/// Reads an expiry as the SDK stores it: a float, an integer or a numeric string (MySQL).
fn expiry_from(value: &Zval) -> PhpResult<Option<f64>> {
    if value.is_null() {
        return Ok(None);
    }
    if let Some(ms) = value.double() {
        return Ok(Some(ms));
    }
    if let Some(ms) = value.long() {
        return Ok(Some(ms as f64));
    }
    if let Some(ms) = value.str().and_then(|s| s.trim().parse::<f64>().ok()) {
        return Ok(Some(ms));
    }
    Err(PhpException::new(
        "ZohoOAuthTokens::setExpiryTime(): the expiry time must be a number of milliseconds"
            .to_string(),
        0,
        ce::type_error(),
    ))
}

/// A serialized text field: null stays null, a scalar becomes its string; a string that is
/// not UTF-8 (the SDK serialized bytes in another encoding) or an array or object is an error
/// naming the field, never a silent null.
fn text_from(value: Option<&Zval>, field: &str) -> PhpResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    if let Some(text) = value.str() {
        return Ok(Some(text.to_string()));
    }
    let what = if value.is_string() {
        "a string that is not UTF-8"
    } else if value.is_array() || value.is_object() {
        "not text"
    } else {
        return Ok(value.coerce_to_string());
    };
    Err(exception::with_kind(
        format!(
            "unserialize(): the {CLASS_NAME} field {field} is {what}; the tokens were not read"
        ),
        ErrorKind::StoreCorrupt,
    ))
}

#[php_impl]
impl ZohoOAuthTokens {
    /// An empty tokens object, as `new ZohoOAuthTokens()` gives in the SDK.
    pub fn __construct() -> Self {
        ZohoOAuthTokens::default()
    }

    /// The refresh token, or null (online access).
    pub fn get_refresh_token(&self) -> Option<String> {
        self.refresh_token.as_ref().map(|t| t.expose().to_string())
    }

    /// Sets the refresh token.
    pub fn set_refresh_token(&mut self, refreshToken: Option<String>) {
        self.refresh_token = refreshToken.map(Secret::new);
    }

    /// The access token while more than one second of it is left; otherwise throws
    /// `ZohoOAuthException("Access token got expired!")`, as the SDK does.
    pub fn get_access_token(&self) -> PhpResult<Option<String>> {
        guard(|| {
            if self.is_valid() {
                Ok(self.access_token.as_ref().map(|t| t.expose().to_string()))
            } else {
                Err(exception::with_kind(
                    EXPIRED_MESSAGE,
                    ErrorKind::TokenExpired,
                ))
            }
        })
    }

    /// Sets the access token.
    pub fn set_access_token(&mut self, accessToken: Option<String>) {
        self.access_token = accessToken.map(Secret::new);
    }

    /// When the access token expires, in milliseconds since the Unix epoch (a float).
    pub fn get_expiry_time(&self) -> Option<f64> {
        self.expiry_time
    }

    /// Sets the expiry (milliseconds; a float, integer or numeric string) and returns it.
    pub fn set_expiry_time(&mut self, expiryTime: &Zval) -> PhpResult<Option<f64>> {
        self.expiry_time = expiry_from(expiryTime)?;
        Ok(self.expiry_time)
    }

    /// True while more than one second of the access token is left (the SDK's test).
    pub fn is_valid_access_token(&self) -> bool {
        self.is_valid()
    }

    /// Now in epoch milliseconds, a float (`round(microtime(true) * 1000)`).
    pub fn get_current_time_in_millis(&self) -> f64 {
        now_ms()
    }

    /// The user identifier the tokens are stored under (the user's e-mail).
    pub fn get_user_email_id(&self) -> Option<String> {
        self.user_email_id.clone()
    }

    /// Sets the user identifier.
    pub fn set_user_email_id(&mut self, userEmailId: Option<String>) {
        self.user_email_id = userEmailId;
    }

    /// The API domain Zoho returned with the tokens (e.g. `https://www.zohoapis.eu`), if known.
    pub fn get_api_domain(&self) -> Option<String> {
        self.api_domain.clone()
    }

    /// The scopes Zoho granted (space-separated), if known.
    pub fn get_scope(&self) -> Option<String> {
        self.scope.clone()
    }

    /// What `var_dump` and `print_r` show: no token, only `[redacted]`.
    #[php(name = "__debugInfo")]
    pub fn debug_info(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| self.redacted_view())
    }

    /// What `json_encode` shows: the same redacted view.
    #[php(name = "jsonSerialize")]
    pub fn json_serialize(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| self.redacted_view())
    }

    /// The redacted view as JSON, so string contexts (`echo`, `json_decode($tokens)` as in
    /// Zoho's examples) work and show no token.
    #[php(name = "__toString")]
    pub fn as_string(&self) -> String {
        self.redacted_json()
    }

    /// The SDK's serialized form (its four private properties, byte for byte).
    #[php(name = "__serialize")]
    pub fn serialize(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut data = ZendHashTable::new();
            let exposed = |s: &Option<Secret>| s.as_ref().map(|t| t.expose().to_string());
            data.insert(mangled(FIELDS[0]).as_str(), exposed(&self.refresh_token))?;
            data.insert(mangled(FIELDS[1]).as_str(), exposed(&self.access_token))?;
            data.insert(mangled(FIELDS[2]).as_str(), self.expiry_time)?;
            data.insert(mangled(FIELDS[3]).as_str(), self.user_email_id.clone())?;
            Ok(data)
        })
    }

    /// Restores from the SDK's serialized form (mangled or plain property names).
    #[php(name = "__unserialize")]
    pub fn unserialize(&mut self, data: &ZendHashTable) -> PhpResult<()> {
        guard(|| {
            let field = |name: &str| data.get(mangled(name).as_str()).or_else(|| data.get(name));
            let refresh = text_from(field(FIELDS[0]), FIELDS[0])?;
            let access = text_from(field(FIELDS[1]), FIELDS[1])?;
            let expiry = match field(FIELDS[2]) {
                Some(value) => expiry_from(value)?,
                None => None,
            };
            self.user_email_id = text_from(field(FIELDS[3]), FIELDS[3])?;
            self.refresh_token = refresh.map(Secret::new);
            self.access_token = access.map(Secret::new);
            self.expiry_time = expiry;
            Ok(())
        })
    }
}
