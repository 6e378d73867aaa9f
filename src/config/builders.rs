//! The `with_*` builders of [`Config`]: each changes one part and keeps the parts
//! consistent (the accounts server and its data centre change together).

use std::path::PathBuf;
use std::time::Duration;

use super::{AccountsServer, Config, StoreFormat, StoreKind, StoreSettings};
use crate::datacentre::DataCentre;
use crate::secret::Secret;

impl Config {
    /// Sets the client secret.
    pub fn with_client_secret(mut self, secret: impl Into<Secret>) -> Config {
        self.client_secret = Some(secret.into());
        self
    }

    /// Drops the client secret (see [`Config::without_secret`]).
    pub fn without_client_secret(mut self) -> Config {
        self.client_secret = None;
        self
    }

    /// Sets the client ID.
    pub fn with_client_id(mut self, client_id: impl Into<String>) -> Config {
        self.identity = self.identity.with_client_id(client_id);
        self
    }

    /// Sets the redirect URI.
    pub fn with_redirect_uri(mut self, redirect_uri: impl Into<String>) -> Config {
        self.identity = self.identity.with_redirect_uri(redirect_uri);
        self
    }

    /// Sets `access_type` (`offline` or `online`, checked by [`Config::validate`]).
    pub fn with_access_type(mut self, access_type: &str) -> Config {
        self.identity = self.identity.with_access_type(access_type);
        self
    }

    /// Sets the accounts server URL, and with it the data centre: the one whose server it
    /// is, or none for any other server (so the two never disagree).
    pub fn with_accounts_url(self, url: impl Into<String>) -> Config {
        self.with_accounts_server(AccountsServer::from_url(url))
    }

    /// Picks the accounts server of a data centre.
    pub fn with_data_centre(self, dc: DataCentre) -> Config {
        self.with_accounts_server(AccountsServer::of(dc))
    }

    /// Sets the accounts server (URL and data centre together).
    pub fn with_accounts_server(mut self, server: AccountsServer) -> Config {
        self.identity = self.identity.with_server(server);
        self
    }

    /// Selects the store explicitly (`token_store`).
    pub fn with_store_kind(mut self, kind: StoreKind) -> Config {
        self.store.kind = Some(kind);
        self
    }

    /// This configuration, with `kind` as its store when it names none (neither
    /// `token_store` nor `token_persistence_path`): a door's own default (the PHP door's is
    /// MySQL, as Zoho's SDK). A configuration that names a store keeps it.
    pub fn or_store_kind(self, kind: StoreKind) -> Config {
        if self.store.kind().is_some() {
            return self;
        }
        self.with_store_kind(kind)
    }

    /// Sets the shared stores' settings.
    pub fn with_store_settings(mut self, settings: StoreSettings) -> Config {
        self.store.settings = settings;
        self
    }

    /// Sets the directory holding the token file.
    pub fn with_token_persistence_path(mut self, dir: impl Into<PathBuf>) -> Config {
        self.store.path = Some(dir.into());
        self
    }

    /// Sets the token file format.
    pub fn with_token_store_format(mut self, format: StoreFormat) -> Config {
        self.store.format = format;
        self
    }

    /// Sets `store_recheck_ms`.
    pub fn with_store_recheck(mut self, recheck: Duration) -> Config {
        self.policy.store_recheck = Some(recheck);
        self
    }

    /// Sets `store_timeout_secs`.
    pub fn with_store_timeout(mut self, bound: Duration) -> Config {
        self.policy.store_timeout = bound;
        self
    }

    /// Sets `lock_timeout_secs`.
    pub fn with_lock_timeout(mut self, wait: Duration) -> Config {
        self.policy.lock_timeout = Some(wait);
        self
    }

    /// Sets the connect and total request timeouts.
    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Config {
        self.policy.connect_timeout = connect;
        self.policy.request_timeout = request;
        self
    }

    /// Sets the refresh margin.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Config {
        self.policy.refresh_margin = margin;
        self
    }

    /// Sets `currentUserEmail`.
    pub fn with_current_user_email(mut self, email: impl Into<String>) -> Config {
        self.crm.current_user_email = Some(email.into());
        self
    }

    /// Clears `currentUserEmail`.
    pub fn without_current_user_email(mut self) -> Config {
        self.crm.current_user_email = None;
        self
    }

    /// Sets the directory of the SDK-format log.
    pub fn with_log_directory(mut self, dir: impl Into<PathBuf>) -> Config {
        self.crm.log_directory = Some(dir.into());
        self
    }
}
