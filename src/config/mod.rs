//! Configuration: built in Rust, or from the configuration keys of Zoho's PHP SDK.
//!
//! A [`Config`] is held in parts that cannot contradict each other: the client's identity
//! ([`ClientIdentity`]: client ID, redirect URI, access type and the accounts server with
//! its data centre as one [`AccountsServer`]), the client secret (optional: building an
//! authorization URL or asking for user info needs none), the [`Policy`] (timeouts, margins),
//! the [`StoreChoice`] and the [`CrmDefaults`]. Fields are private; the `with_*` builders
//! keep the parts consistent.

mod accounts_url;
mod builders;
mod choice;
mod crm;
mod encryption;
mod identity;
mod key_table;
mod keys;
mod pairs;
mod parsers;
mod policy;
mod store;
mod token_path;
mod validate;

use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

pub use accounts_url::{trusted_accounts_url, validate_accounts_url};
pub use choice::{JSON_TOKEN_FILE_NAME, SDK_TOKEN_FILE_NAME, StoreChoice, StoreFormat};
pub use crm::{CrmDefaults, SDK_LOG_FILE_NAME};
pub use encryption::{EncryptionMode, EncryptionSettings, KEY_FILE_ENV, split_list};
pub use identity::{AccountsServer, ClientIdentity};
pub use keys::{
    ConfigPart, Given, KEYS, Key, Need, Parser, all_keys, find_key, is_known_key, is_secret_key,
    is_store_key, store_keys,
};
pub use policy::Policy;
pub use store::{
    DEFAULT_STORE_RECHECK, DEFAULT_STORE_TIMEOUT, LOCK_TIMEOUT_SLACK, MAX_STORE_RECHECK, StoreKind,
    StoreSettings,
};

/// The largest refresh margin: half of the hour an access token lives.
pub const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(1800);

/// The message of the error an operation that needs the client secret gives without one.
pub const NO_CLIENT_SECRET_MESSAGE: &str =
    "client_secret is mandatory to exchange a grant token or refresh an access token";

/// Everything the client needs to know. Build it with [`Config::new`] (or
/// [`Config::without_secret`]) and the `with_*` methods, or from the SDK's keys with
/// [`Config::from_pairs`]; [`Config::validate`] runs when a client is created.
#[derive(Clone, Debug)]
pub struct Config {
    identity: ClientIdentity,
    client_secret: Option<Secret>,
    policy: Policy,
    store: StoreChoice,
    crm: CrmDefaults,
    encryption: EncryptionSettings,
}

impl Config {
    /// A configuration with the defaults: US accounts server, offline access, no store
    /// path, 10 s connect timeout, 30 s request timeout, 60 s refresh margin.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
    ) -> Config {
        Config::without_secret(client_id, redirect_uri).with_client_secret(client_secret)
    }

    /// A configuration without a client secret, for what needs none (an authorization URL,
    /// user info, the token store); exchanging or refreshing tokens with it fails with
    /// [`ErrorKind::ConfigMissing`] naming `client_secret`.
    pub fn without_secret(client_id: impl Into<String>, redirect_uri: impl Into<String>) -> Config {
        Config::from_identity(ClientIdentity::new(client_id, redirect_uri))
    }

    /// A configuration for `identity`, without a secret, with the defaults otherwise.
    pub fn from_identity(identity: ClientIdentity) -> Config {
        Config {
            identity,
            client_secret: None,
            policy: Policy::default(),
            store: StoreChoice::default(),
            crm: CrmDefaults::default(),
            encryption: EncryptionSettings::default(),
        }
    }

    /// The client's identity and accounts server.
    pub fn identity(&self) -> &ClientIdentity {
        &self.identity
    }

    /// The timing policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The store selection.
    pub fn store(&self) -> &StoreChoice {
        &self.store
    }

    /// The CRM defaults.
    pub fn crm(&self) -> &CrmDefaults {
        &self.crm
    }

    /// The encryption at rest of stored tokens (`token_encryption*`; see `crate::store::seal`).
    pub fn encryption(&self) -> &EncryptionSettings {
        &self.encryption
    }

    /// Sets the encryption at rest of stored tokens.
    pub fn with_encryption(mut self, encryption: EncryptionSettings) -> Config {
        self.encryption = encryption;
        self
    }

    /// The client secret, when one is configured. Never shown.
    pub fn client_secret(&self) -> Option<&Secret> {
        self.client_secret.as_ref()
    }

    /// The client secret, or an [`ErrorKind::ConfigMissing`] error naming `client_secret`
    /// for an operation that cannot run without it.
    pub fn require_client_secret(&self) -> Result<&Secret> {
        self.client_secret
            .as_ref()
            .ok_or_else(|| Error::new(ErrorKind::ConfigMissing, NO_CLIENT_SECRET_MESSAGE))
    }

    /// The CRM API base URL with scheme, honouring `sandbox` as the SDK does
    /// (`www` becomes `sandbox`).
    pub fn crm_api_url(&self) -> String {
        self.crm.crm_api_url(self.identity.server().data_centre())
    }
}

#[cfg(test)]
mod tests;
