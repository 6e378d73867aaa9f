//! `zcrmsdk\oauth\utility\ZohoOAuthParams`: the SDK's bag of client settings (client id,
//! secret, redirect URL, access type, scopes) that `ZohoOAuthClient::getInstance($params)`
//! takes and `getZohoOAuthParams()` returns. Each setter returns the value, as in the SDK.
//! The client secret stays in Rust: `var_dump`/`print_r` show `[redacted]`. Like the SDK's
//! plain PHP class it can be extended (`new MyParams` is a `MyParams`), cloned, and
//! `serialize()`d in the SDK's format (its five private properties, names mangled with the
//! class name), which `unserialize()` reads back, whichever wrote it.

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use zoho_oauth::{Config, ErrorKind, Secret};

use crate::exception;
use crate::panic::guard;

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\utility\\ZohoOAuthParams";

/// The SDK's private properties, in its declaration (and serialization) order.
const FIELDS: [&str; 5] = [
    "clientId",
    "clientSecret",
    "redirectUrl",
    "accessType",
    "scopes",
];

/// The SDK's `ZohoOAuthParams`.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\utility\\ZohoOAuthParams")]
#[derive(Default)]
pub struct ZohoOAuthParams {
    client_id: Option<String>,
    client_secret: Option<Secret>,
    redirect_url: Option<String>,
    access_type: Option<String>,
    scopes: Option<Zval>,
}

impl ZohoOAuthParams {
    /// The parameters of a configuration (no scopes, as the SDK's `ZohoOAuth::initialize`
    /// builds them).
    pub fn from_config(config: &Config) -> Self {
        ZohoOAuthParams {
            client_id: Some(config.identity().client_id().to_string()),
            client_secret: config.client_secret().cloned(),
            redirect_url: Some(config.identity().redirect_uri().to_string()),
            access_type: Some(config.identity().access_type().to_string()),
            scopes: None,
        }
    }

    /// The configuration keys these parameters set, skipping the ones never set (null).
    pub fn config_pairs(&self) -> Vec<(&'static str, String)> {
        let mut pairs = Vec::new();
        let mut add = |key: &'static str, value: Option<&str>| {
            if let Some(value) = value {
                pairs.push((key, value.to_string()));
            }
        };
        add("client_id", self.client_id.as_deref());
        add(
            "client_secret",
            self.client_secret.as_ref().map(Secret::expose),
        );
        add("redirect_uri", self.redirect_url.as_deref());
        add(
            "access_type",
            self.access_type.as_deref().filter(|a| !a.is_empty()),
        );
        pairs
    }
}

/// A clone (`clone $params`) shares the scopes value, as PHP's copy of a property does.
impl Clone for ZohoOAuthParams {
    fn clone(&self) -> Self {
        ZohoOAuthParams {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_url: self.redirect_url.clone(),
            access_type: self.access_type.clone(),
            scopes: self.scopes.as_ref().map(Zval::shallow_clone),
        }
    }
}

fn copy(value: &Option<Zval>) -> Zval {
    value.as_ref().map_or_else(Zval::new, Zval::shallow_clone)
}

/// The mangled name PHP gives a private property of this class in `serialize()` output.
fn mangled(field: &str) -> String {
    format!("\0{CLASS_NAME}\0{field}")
}

/// A serialized text field: null, a scalar as its string, or an error naming the field (a
/// string that is not UTF-8, an array, an object) instead of a silent null.
fn text_field(value: Option<&Zval>, field: &str) -> PhpResult<Option<String>> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    if let Some(text) = value.str() {
        return Ok(Some(text.to_string()));
    }
    if !value.is_string() && !value.is_array() && !value.is_object() {
        return Ok(value.coerce_to_string());
    }
    Err(exception::with_kind(
        format!(
            "unserialize(): the {CLASS_NAME} field {field} is not UTF-8 text; nothing was read"
        ),
        ErrorKind::StoreCorrupt,
    ))
}

#[php_impl]
impl ZohoOAuthParams {
    /// Empty parameters, as `new ZohoOAuthParams()` gives in the SDK.
    pub fn __construct() -> Self {
        ZohoOAuthParams::default()
    }

    /// The client id, or null.
    pub fn get_client_id(&self) -> Option<String> {
        self.client_id.clone()
    }

    /// Sets the client id and returns it.
    pub fn set_client_id(&mut self, clientId: Option<String>) -> Option<String> {
        self.client_id = clientId;
        self.client_id.clone()
    }

    /// The client secret (asked for explicitly, so it is returned), or null.
    pub fn get_client_secret(&self) -> Option<String> {
        self.client_secret.as_ref().map(|s| s.expose().to_string())
    }

    /// Sets the client secret and returns it.
    pub fn set_client_secret(&mut self, clientSecret: Option<String>) -> Option<String> {
        self.client_secret = clientSecret.map(Secret::new);
        self.get_client_secret()
    }

    /// The redirect URL, or null.
    pub fn get_redirect_url(&self) -> Option<String> {
        self.redirect_url.clone()
    }

    /// Sets the redirect URL and returns it.
    pub fn set_redirect_url(&mut self, redirectUrl: Option<String>) -> Option<String> {
        self.redirect_url = redirectUrl;
        self.redirect_url.clone()
    }

    /// The access type (`offline` or `online`), or null.
    pub fn get_access_type(&self) -> Option<String> {
        self.access_type.clone()
    }

    /// Sets the access type and returns it.
    pub fn set_access_type(&mut self, accessType: Option<String>) -> Option<String> {
        self.access_type = accessType;
        self.access_type.clone()
    }

    /// The scopes, as set (the SDK stores them and never sends them), or null.
    pub fn get_scopes(&self) -> Zval {
        copy(&self.scopes)
    }

    /// Sets the scopes (any value) and returns them.
    pub fn set_scopes(&mut self, scopes: &Zval) -> Zval {
        self.scopes = (!scopes.is_null()).then(|| scopes.shallow_clone());
        copy(&self.scopes)
    }

    /// The SDK's serialized form: its five private properties, as PHP writes them for the
    /// SDK's plain class (the secret too: serializing is asking for it).
    #[php(name = "__serialize")]
    pub fn serialize(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut data = ZendHashTable::new();
            data.insert(mangled(FIELDS[0]).as_str(), self.client_id.clone())?;
            data.insert(mangled(FIELDS[1]).as_str(), self.get_client_secret())?;
            data.insert(mangled(FIELDS[2]).as_str(), self.redirect_url.clone())?;
            data.insert(mangled(FIELDS[3]).as_str(), self.access_type.clone())?;
            data.insert(mangled(FIELDS[4]).as_str(), copy(&self.scopes))?;
            Ok(data)
        })
    }

    /// Restores from the SDK's serialized form (mangled or plain property names); a field
    /// that is not text fails, naming it, and changes nothing.
    #[php(name = "__unserialize")]
    pub fn unserialize(&mut self, data: &ZendHashTable) -> PhpResult<()> {
        guard(|| {
            let field = |name: &str| data.get(mangled(name).as_str()).or_else(|| data.get(name));
            let client_id = text_field(field(FIELDS[0]), FIELDS[0])?;
            let secret = text_field(field(FIELDS[1]), FIELDS[1])?;
            let redirect_url = text_field(field(FIELDS[2]), FIELDS[2])?;
            let access_type = text_field(field(FIELDS[3]), FIELDS[3])?;
            *self = ZohoOAuthParams {
                client_id,
                client_secret: secret.map(Secret::new),
                redirect_url,
                access_type,
                scopes: field(FIELDS[4])
                    .filter(|v| !v.is_null())
                    .map(Zval::shallow_clone),
            };
            Ok(())
        })
    }

    /// What `var_dump` and `print_r` show: the secret as `[redacted]`.
    #[php(name = "__debugInfo")]
    pub fn debug_info(&self) -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut view = ZendHashTable::new();
            view.insert("clientId", self.client_id.clone())?;
            view.insert(
                "clientSecret",
                self.client_secret.as_ref().map(|_| "[redacted]"),
            )?;
            view.insert("redirectUrl", self.redirect_url.clone())?;
            view.insert("accessType", self.access_type.clone())?;
            view.insert("scopes", copy(&self.scopes))?;
            Ok(view)
        })
    }
}
