//! One `initialize()` call's result: the validated configuration, the store choice, the
//! SDK's view of the keys, and the process-wide client found for it. Shared by the request's
//! configuration ([`crate::config_state`]), its memo ([`crate::config_memo`]) and the
//! process-wide clients ([`crate::clients`]), none of which needs the others to know it.

use std::sync::{Arc, OnceLock};

use zoho_oauth::{Config, OAuthClient};

/// Keys whose values `getAllConfigs()` shows as `[redacted]`.
const SECRET_KEYS: [&str; 3] = ["client_secret", "db_password", "token_encryption_key"];

/// Where tokens are kept, chosen as the SDK chooses (a path wins over a custom class).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreChoice {
    /// `token_persistence_path`: the shared token file.
    File,
    /// `persistence_handler_class` (a PHP file, may be empty) + `persistence_handler_class_name`.
    Custom {
        /// The PHP file that defines the class.
        file: String,
        /// The class to instantiate.
        class: String,
    },
    /// Neither: the SDK would use MySQL, which is not supported yet.
    MySql,
}

/// One `initialize()` call's result.
pub struct Initialized {
    /// The validated configuration, `currentUserEmail` included.
    pub config: Config,
    /// Where tokens are kept.
    pub store: StoreChoice,
    /// What `ZohoOAuth::getConfigValue()` answers, in the SDK's order.
    pub sdk_view: Vec<(String, String)>,
    /// Identifies the configuration of the process-wide client (all keys but the user).
    pub client_key: Vec<(String, String)>,
    /// The process-wide client for this configuration, once looked up (a later request with
    /// the same configuration gets this `Initialized` again, and with it the client).
    pub shared_client: SharedClient,
}

/// Shows the configuration (whose secrets `Config` redacts) and only the key names of the
/// raw pairs, which hold the client secret and the database password in plain text.
impl std::fmt::Debug for Initialized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let keys: Vec<&str> = self.client_key.iter().map(|(k, _)| k.as_str()).collect();
        f.debug_struct("Initialized")
            .field("config", &self.config)
            .field("store", &self.store)
            .field("keys", &keys)
            .field("shared_client", &self.shared_client)
            .finish_non_exhaustive()
    }
}

/// The process-wide core client of one configuration, looked up on first use.
#[derive(Default)]
pub struct SharedClient(OnceLock<Arc<OAuthClient>>);

impl SharedClient {
    /// The client, looking it up with `find` the first time.
    pub fn get_or_find(
        &self,
        find: impl FnOnce() -> zoho_oauth::Result<Arc<OAuthClient>>,
    ) -> zoho_oauth::Result<Arc<OAuthClient>> {
        if let Some(client) = self.0.get() {
            return Ok(Arc::clone(client));
        }
        let client = find()?;
        Ok(Arc::clone(self.0.get_or_init(|| client)))
    }
}

impl SharedClient {
    /// Whether the client was looked up already.
    pub fn is_found(&self) -> bool {
        self.0.get().is_some()
    }
}

impl std::fmt::Debug for SharedClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.get().is_some() {
            "SharedClient(found)"
        } else {
            "SharedClient(not yet)"
        })
    }
}

impl Initialized {
    /// `ZohoOAuth::getConfigValue($key)`: the value, or "" as the SDK answers.
    pub fn config_value(&self, key: &str) -> String {
        self.sdk_view
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    /// `ZohoOAuth::getAllConfigs()`, with secrets shown as `[redacted]`.
    pub fn all_configs_redacted(&self) -> Vec<(String, String)> {
        self.sdk_view
            .iter()
            .map(|(k, v)| {
                if SECRET_KEYS.contains(&k.as_str()) && !v.is_empty() {
                    (k.clone(), "[redacted]".to_string())
                } else {
                    (k.clone(), v.clone())
                }
            })
            .collect()
    }
}
