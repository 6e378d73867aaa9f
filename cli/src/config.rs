//! What the settings build, once per command: the core's `Config` (from the settings' typed
//! values, asked key by key through the core's table of keys), the token store (opened once),
//! and a client. A missing client secret is asked for without echo, only by the commands that
//! talk to Zoho.

use std::cell::OnceCell;
use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::Arc;

use zoho_oauth::config::{ConfigPart, EncryptionSettings, StoreKind, find_key};
use zoho_oauth::seal::Sealed;
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::{Config, OAuthClient, Secret, StoreFormat, TokenStore};

use crate::exit::{Class, Failure};
use crate::prompt;
pub use crate::settings::Settings;
use crate::settings::{Accounts, DEFAULT_REDIRECT_URI};

/// The client ID a configuration gets when none is set, for work that sends nothing to Zoho.
const PLACEHOLDER_CLIENT_ID: &str = "unset";

/// What one command's settings built: the configuration (parsed once) and the token store
/// (opened once), each when first asked for. The settings do not change after
/// [`Settings::load`], so neither is built again.
#[derive(Default)]
pub struct Built {
    config: OnceCell<Config>,
    store: OnceCell<Arc<Sealed<Arc<dyn TokenStore>>>>,
}

impl std::fmt::Debug for Built {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Built")
            .field("config", &self.config.get())
            .field("store_open", &self.store.get().is_some())
            .finish()
    }
}

impl Settings {
    /// The token file's format.
    pub fn store_format(&self) -> Result<StoreFormat, Failure> {
        Ok(StoreFormat::parse(self.store_format_name().unwrap_or(""))?)
    }

    /// The token directory, created (0700) when it is the default one. A blank one names no
    /// store: refused (the working directory is never used in its place).
    pub fn token_dir(&self) -> Result<PathBuf, Failure> {
        let dir = self.token_dir_path().ok_or_else(|| {
            Failure::usage(
                "no token store is configured: the token directory (token_persistence_path) is blank",
            )
            .with_hint("set token_persistence_path, ZOHO_TOKEN_DIR or --token-dir to a directory, or leave them all unset for the data directory (~/.local/share/zoho-oauth)")
        })?;
        if self.default_token_dir && !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| {
                    Failure::new(
                        Class::Store,
                        format!("cannot create the token directory {}: {e}", dir.display()),
                    )
                })?;
        }
        Ok(dir)
    }

    /// The configured token store: the token file in the token directory (by default the
    /// CLI's data directory, created when missing), or the SDK's CSV, MySQL or Redis when
    /// `token_persistence_path` or `token_store` says so (opened through the library, as
    /// every door does). The token file needs no other key (an accounts server that is
    /// wrong does not stop `users`); it gets the built-in stores' defaults.
    /// Opened once per command: every later call returns the same store.
    pub fn store(&self) -> Result<Arc<dyn TokenStore>, Failure> {
        Ok(self.sealed_store()?)
    }

    /// [`Settings::store`] as its concrete type, the sealing layer of the core
    /// (`zoho_oauth::seal`, the `token_encryption*` keys) around the store (for `rekey`).
    /// Opened once per command: every later call returns the same store.
    pub fn sealed_store(&self) -> Result<Arc<Sealed<Arc<dyn TokenStore>>>, Failure> {
        if let Some(store) = self.built.store.get() {
            return Ok(Arc::clone(store));
        }
        let store = Arc::new(self.open_store()?);
        Ok(Arc::clone(self.built.store.get_or_init(|| store)))
    }

    fn open_store(&self) -> Result<Sealed<Arc<dyn TokenStore>>, Failure> {
        if self.names_shared_store() || self.names_sdk_csv() {
            return Ok(zoho_oauth::store::open_sealed(
                &self.config_without_secret()?,
            )?);
        }
        let file = zoho_oauth::FileStore::in_directory(self.token_dir()?, self.store_format()?)?;
        let file: Arc<dyn TokenStore> = Arc::new(zoho_oauth::store::BuiltIn(file));
        let config = self.store_selection()?.with_encryption(self.encryption()?);
        Ok(zoho_oauth::seal::seal_store(&config, file)?)
    }

    /// The `token_encryption*` keys alone (so a wrong accounts server does not stop `users`).
    pub fn encryption(&self) -> Result<EncryptionSettings, Failure> {
        let encryption_key =
            |key: &str| find_key(key).is_some_and(|k| k.part == ConfigPart::Encryption);
        let value = |key: &str| match key {
            "client_id" => Some(PLACEHOLDER_CLIENT_ID),
            "redirect_uri" => Some(DEFAULT_REDIRECT_URI),
            key if encryption_key(key) => self.other.get(key).map(|v| v.expose()),
            _ => None,
        };
        Ok(Config::from_key_values(value, false)?.encryption().clone())
    }

    /// Whether `token_persistence_path` names the current SDKs' `sdk_tokens.txt`.
    fn names_sdk_csv(&self) -> bool {
        self.token_dir_path()
            .is_some_and(|p| zoho_oauth::store::sdk_csv::names_csv(&p))
    }

    /// What `users` shows as the store's format: the label of the store the command's
    /// configuration means ([`BuiltInStore::of`], [`BuiltInStore::label`]): the file format,
    /// `csv`, or `mysql` / `redis`. When another key of the configuration is wrong (an
    /// accounts server), the store selection alone is enough for the label.
    pub fn store_label(&self) -> Result<&'static str, Failure> {
        let store = match self.config_without_secret() {
            Ok(config) => BuiltInStore::of(&config)?,
            Err(_) => BuiltInStore::of(&self.store_selection()?)?,
        };
        Ok(store.label())
    }

    /// A configuration of the store selection alone (`token_store`, the token directory and
    /// format): no other key is read, so a wrong accounts server does not stop `users`.
    fn store_selection(&self) -> Result<Config, Failure> {
        let kind = self.token_store().map(StoreKind::parse).transpose()?;
        let mut config = Config::without_secret(PLACEHOLDER_CLIENT_ID, DEFAULT_REDIRECT_URI)
            .with_token_store_format(self.store_format()?);
        if let Some(dir) = self.token_dir_path() {
            config = config.with_token_persistence_path(dir);
        }
        Ok(match kind {
            Some(kind) => config.with_store_kind(kind),
            None => config,
        })
    }

    /// A validated configuration for talking to Zoho: the command's configuration with its
    /// client secret. A missing client secret is asked for without echo when stdin is a
    /// terminal.
    pub fn client_config(&self) -> Result<Config, Failure> {
        self.require_client_id()?;
        let config = self.config_without_secret()?;
        if config.client_secret().is_some() {
            return Ok(config);
        }
        let config = config.with_client_secret(Secret::new(ask_client_secret()?));
        config.validate()?;
        Ok(config)
    }

    /// The command's configuration, for work that sends nothing to Zoho (URLs, validity
    /// checks, the store): no client secret unless one is configured (never asked for); a
    /// missing client ID is replaced by a placeholder. Built once per command, from the
    /// settings' values key by key ([`Config::from_key_values`]).
    pub fn config_without_secret(&self) -> Result<Config, Failure> {
        if let Some(config) = self.built.config.get() {
            return Ok(config.clone());
        }
        let config = Config::from_key_values(|key| self.key_value(key), false)?;
        BuiltInStore::check_requested(&config)?;
        Ok(self.built.config.get_or_init(|| config).clone())
    }

    /// The value of a key of the core's table, as given: the typed settings, else the
    /// other keys. A blank client ID reads as the placeholder, an unset redirect URI as the
    /// default.
    fn key_value(&self, key: &str) -> Option<&str> {
        match key {
            "client_id" => Some(match self.client_id() {
                Some(_) => self.raw_client_id(),
                None => PLACEHOLDER_CLIENT_ID,
            }),
            "client_secret" => self
                .client_secret
                .as_ref()
                .filter(|_| self.has_client_secret())
                .map(Secret::expose),
            "redirect_uri" => Some(self.redirect_uri.as_deref().unwrap_or(DEFAULT_REDIRECT_URI)),
            "data_centre" => match &self.accounts {
                Some(Accounts::DataCentre(code)) => Some(code),
                _ => None,
            },
            "accounts_url" => match &self.accounts {
                Some(Accounts::Url(url)) => Some(url),
                _ => None,
            },
            "token_persistence_path" => self.token_dir.as_deref(),
            "token_store_format" => self.store_format.as_deref(),
            "token_store" => self.token_store.as_deref(),
            "currentUserEmail" => self.current_user.as_deref(),
            other => self.other.get(other).map(Secret::expose),
        }
    }

    /// The client ID as given (the core trims it).
    fn raw_client_id(&self) -> &str {
        self.client_id.as_deref().unwrap_or_default()
    }

    /// The client ID; fails when none is configured.
    pub fn require_client_id(&self) -> Result<&str, Failure> {
        match self.client_id() {
            Some(_) => Ok(self.raw_client_id()),
            None => Err(Failure::usage("client_id is not set").with_hint(
                "put client_id=1000.XXXX in the config file, or set ZOHO_CLIENT_ID or --client-id",
            )),
        }
    }

    /// A client on the configured store, talking to `config`'s accounts server.
    pub fn client(&self, config: Config) -> Result<OAuthClient, Failure> {
        Ok(OAuthClient::new(config, self.store()?)?)
    }
}

fn ask_client_secret() -> Result<String, Failure> {
    let missing = || {
        Failure::usage("client_secret is not set").with_hint(
            "put client_secret=... in the config file (mode 0600) or set ZOHO_CLIENT_SECRET; it is never read from the command line",
        )
    };
    match prompt::secret("Client secret: ") {
        Some(Ok(value)) if !value.trim().is_empty() => Ok(value.trim().to_string()),
        Some(Err(e)) => Err(Failure::usage(format!(
            "cannot read the client secret: {e}"
        ))),
        _ => Err(missing()),
    }
}
