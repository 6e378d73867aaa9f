//! What the settings build: the core's `Config`, the token store, and a client. A missing
//! client secret is asked for without echo, only by the commands that talk to Zoho.

use std::os::unix::fs::DirBuilderExt;
use std::path::PathBuf;
use std::sync::Arc;

use zoho_oauth::config::{EncryptionSettings, StoreKind};
use zoho_oauth::seal::Sealed;
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::{Config, OAuthClient, StoreFormat, TokenStore};

use crate::exit::{Class, Failure};
use crate::prompt;
pub use crate::settings::Settings;

/// The keys of encryption at rest.
const ENCRYPTION_KEYS: [&str; 3] = [
    "token_encryption",
    "token_encryption_key_file",
    "token_encryption_key",
];

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
    pub fn store(&self) -> Result<Arc<dyn TokenStore>, Failure> {
        Ok(Arc::new(self.sealed_store()?))
    }

    /// [`Settings::store`] as its concrete type, the sealing layer of the core
    /// (`zoho_oauth::seal`, the `token_encryption*` keys) around the store (for `rekey`).
    pub fn sealed_store(&self) -> Result<Sealed<Arc<dyn TokenStore>>, Failure> {
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
        let mut pairs = vec![
            ("client_id", "unset"),
            ("redirect_uri", crate::settings::DEFAULT_REDIRECT_URI),
        ];
        for key in ENCRYPTION_KEYS {
            if let Some(value) = self.other.get(key) {
                pairs.push((key, value.expose()));
            }
        }
        Ok(Config::from_pairs_without_secret(&pairs)?
            .encryption()
            .clone())
    }

    /// Whether `token_persistence_path` names the current SDKs' `sdk_tokens.txt`.
    fn names_sdk_csv(&self) -> bool {
        self.token_dir_path()
            .is_some_and(|p| zoho_oauth::store::sdk_csv::names_csv(&p))
    }

    /// What `users` shows as the store's format: the label of the store the selection
    /// means ([`BuiltInStore::of`], [`BuiltInStore::label`]): the file format, `csv`, or
    /// `mysql` / `redis`.
    pub fn store_label(&self) -> Result<&'static str, Failure> {
        Ok(BuiltInStore::of(&self.store_selection()?)?.label())
    }

    /// A configuration of the store selection alone (`token_store`, the token directory and
    /// format): no other key is read, so a wrong accounts server does not stop `users`.
    fn store_selection(&self) -> Result<Config, Failure> {
        let kind = self.token_store().map(StoreKind::parse).transpose()?;
        let mut config = Config::without_secret("unset", crate::settings::DEFAULT_REDIRECT_URI)
            .with_token_store_format(self.store_format()?);
        if let Some(dir) = self.token_dir_path() {
            config = config.with_token_persistence_path(dir);
        }
        Ok(match kind {
            Some(kind) => config.with_store_kind(kind),
            None => config,
        })
    }

    /// A validated configuration for talking to Zoho. A missing client secret is asked
    /// for without echo when stdin is a terminal.
    pub fn client_config(&self) -> Result<Config, Failure> {
        let id = self.require_client_id()?;
        let asked;
        let secret = match &self.client_secret {
            Some(secret) if self.has_client_secret() => secret.expose(),
            _ => {
                asked = ask_client_secret()?;
                asked.as_str()
            }
        };
        self.config(id, secret)
    }

    /// A configuration for work that sends nothing to Zoho (URLs, validity checks, the
    /// store): no client secret unless one is configured (never asked for); a missing
    /// client ID is replaced by a placeholder.
    pub fn config_without_secret(&self) -> Result<Config, Failure> {
        let id = self.client_id().map_or("unset", |_| self.raw_client_id());
        let mut pairs = self.sdk_pairs();
        pairs.push(("client_id", id));
        if let Some(secret) = self
            .client_secret
            .as_ref()
            .filter(|_| self.has_client_secret())
        {
            pairs.push(("client_secret", secret.expose()));
        }
        Ok(Config::from_pairs_without_secret(&pairs)?)
    }

    /// The core's configuration from these settings and the client's credentials.
    fn config(&self, client_id: &str, client_secret: &str) -> Result<Config, Failure> {
        let mut pairs = self.sdk_pairs();
        pairs.push(("client_id", client_id));
        pairs.push(("client_secret", client_secret));
        Ok(Config::from_pairs(pairs)?)
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
