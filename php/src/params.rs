//! `zcrmsdk\oauth\utility\ZohoOAuthParams`: the SDK's bag of client settings (client id,
//! secret, redirect URL, access type, scopes) that `ZohoOAuthClient::getInstance($params)`
//! takes and `getZohoOAuthParams()` returns. Each setter returns the value, as in the SDK.
//! The client secret stays in Rust: `var_dump`/`print_r` show `[redacted]`.

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase.
#![allow(non_snake_case)]

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};
use zoho_oauth::{Config, Secret};

use crate::panic::guard;

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\utility\\ZohoOAuthParams";

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
            client_id: Some(config.client_id().to_string()),
            client_secret: config.client_secret().cloned(),
            redirect_url: Some(config.redirect_uri().to_string()),
            access_type: Some(config.access_type().to_string()),
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

fn copy(value: &Option<Zval>) -> Zval {
    value.as_ref().map_or_else(Zval::new, Zval::shallow_clone)
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
