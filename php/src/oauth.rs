//! `zcrmsdk\oauth\ZohoOAuth`: the SDK's static entry point (configuration, URLs, client).

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendHashTable, Zval};

use crate::client::{self, ClientObject};
use crate::config_state;
use crate::panic::guard;
use crate::sdk_client;

/// The SDK's `ZohoOAuth`: all static.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\ZohoOAuth")]
pub struct ZohoOAuth;

/// A configuration value of the request, or "" before `initialize()` (as the SDK answers).
fn value(key: &str) -> String {
    config_state::current_opt()
        .map(|init| init.config_value(key))
        .unwrap_or_default()
}

#[php_impl]
impl ZohoOAuth {
    /// Stores the OAuth configuration for this request (`ZCRMRestClient::initialize` calls
    /// it; Zoho's full SDK calls it too). Throws the SDK's `<key> is mandatory` /
    /// `<key> value is missing` messages and ours for invalid values.
    pub fn initialize(configuration: &ZendHashTable) -> PhpResult<()> {
        crate::sdk_client::reset();
        guard(|| config_state::initialize(configuration).map(|_| ()))
    }

    /// The OAuth client. Throws `ZCRMRestClient::initialize($configMap) must be called
    /// before this.` when this request has not initialized.
    pub fn get_client_instance() -> PhpResult<ClientObject> {
        guard(|| sdk_client::current().and_then(client::client_object))
    }

    /// A new store object for this request's configuration, chosen as the SDK chooses:
    /// `ZohoOAuthPersistenceByFile` with `token_persistence_path`, else the class named by
    /// `persistence_handler_class_name` (its file `require_once`d), else
    /// `ZohoOAuthPersistenceHandler` (the database store).
    pub fn get_persistence_handler_instance() -> PhpResult<Zval> {
        guard(crate::sdk_persistence::handler_instance)
    }

    /// A configuration value, or "" when it is not set.
    pub fn get_config_value(key: String) -> String {
        value(&key)
    }

    /// Every OAuth configuration value, in the SDK's order; secrets show as `[redacted]`
    /// (ask `getConfigValue()` for one explicitly).
    pub fn get_all_configs() -> PhpResult<ZBox<ZendHashTable>> {
        guard(|| {
            let mut all = ZendHashTable::new();
            if let Some(init) = config_state::current_opt() {
                for (key, value) in init.all_configs_redacted() {
                    all.insert(key.as_str(), value)?;
                }
            }
            Ok(all)
        })
    }

    /// The accounts server (`accounts_url`).
    #[php(name = "getIAMUrl")]
    pub fn get_iam_url() -> String {
        value("accounts_url")
    }

    /// `<accounts_url>/oauth/v2/auth`.
    #[php(name = "getGrantURL")]
    pub fn get_grant_url() -> String {
        value("accounts_url") + "/oauth/v2/auth"
    }

    /// `<accounts_url>/oauth/v2/token`.
    #[php(name = "getTokenURL")]
    pub fn get_token_url() -> String {
        value("accounts_url") + "/oauth/v2/token"
    }

    /// `<accounts_url>/oauth/v2/token` (the SDK's name for the refresh endpoint).
    #[php(name = "getRefreshTokenURL")]
    pub fn get_refresh_token_url() -> String {
        value("accounts_url") + "/oauth/v2/token"
    }

    /// `<accounts_url>/oauth/v2/token/revoke`.
    #[php(name = "getRevokeTokenURL")]
    pub fn get_revoke_token_url() -> String {
        value("accounts_url") + "/oauth/v2/token/revoke"
    }

    /// `<accounts_url>/oauth/user/info`.
    #[php(name = "getUserInfoURL")]
    pub fn get_user_info_url() -> String {
        value("accounts_url") + "/oauth/user/info"
    }

    /// `client_id`.
    #[php(name = "getClientID")]
    pub fn get_client_id() -> String {
        value("client_id")
    }

    /// `client_secret` (asked for explicitly, so it is returned).
    pub fn get_client_secret() -> String {
        value("client_secret")
    }

    /// `redirect_uri`.
    #[php(name = "getRedirectURL")]
    pub fn get_redirect_url() -> String {
        value("redirect_uri")
    }

    /// `access_type` (`offline` by default).
    pub fn get_access_type() -> String {
        value("access_type")
    }
}
