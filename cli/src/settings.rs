//! The settings as one typed value: the configuration file, then the `ZOHO_*` environment
//! variables, then the flags, merged once (later sources win), each SDK key the tool uses in
//! its own field. The core's `Config` is built from it (`config.rs`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zoho_oauth::Secret;
use zoho_oauth::config::KEYS;
use zoho_oauth::store::BuiltInStore;

use crate::cli::{Global, split_scopes};
use crate::environment::env_vars;
use crate::exit::Failure;
use crate::{config_file, dirs};

/// The redirect URI used when none is configured.
pub const DEFAULT_REDIRECT_URI: &str = "http://localhost:8910/callback";

/// The accounts server, named by a data centre code or a URL: whichever source came last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounts {
    /// `data_centre` (or `data_center`), e.g. `eu`.
    DataCentre(String),
    /// `accounts_url`.
    Url(String),
}

/// The merged settings. Values are kept as given (blank ones read as unset); keys the tool
/// does not use itself (store keys, timeouts, ...) are passed on to the core as they are.
#[derive(Debug, Default)]
pub struct Settings {
    /// `client_id`.
    pub(crate) client_id: Option<String>,
    /// `client_secret`.
    pub(crate) client_secret: Option<Secret>,
    /// `redirect_uri` ([`DEFAULT_REDIRECT_URI`] when no source names one).
    pub(crate) redirect_uri: Option<String>,
    /// `data_centre` or `accounts_url`.
    pub(crate) accounts: Option<Accounts>,
    /// `token_persistence_path`, made absolute (`None`: a shared store, no directory).
    pub(crate) token_dir: Option<String>,
    /// Whether the token directory is the default one (created when missing).
    pub(crate) default_token_dir: bool,
    /// `token_store_format`.
    pub(crate) store_format: Option<String>,
    /// `token_store`.
    pub(crate) token_store: Option<String>,
    /// `currentUserEmail`.
    pub(crate) current_user: Option<String>,
    /// `scope` (the CLI's own key).
    pub(crate) scope: Option<String>,
    /// Every other key, for the core.
    pub(crate) other: BTreeMap<String, Secret>,
    /// What the settings built, once per command (see `config.rs`).
    pub(crate) built: crate::config::Built,
}

/// A value, if it is not blank.
fn nonblank(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Settings {
    /// Reads the file, the environment and the flags, in that order.
    pub fn load(args: &Global) -> Result<Settings, Failure> {
        let mut settings = Settings::default();
        if let Some((path, required)) = config_file::path(args.config.as_deref()) {
            for (key, value) in config_file::read(&path, required)? {
                settings.set(&key, value);
            }
        }
        for (var, key) in env_vars() {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                settings.set(key, value);
            }
        }
        for (key, value) in flags(args) {
            settings.set(key, value.to_string());
        }
        settings.settle_token_dir()?;
        Ok(settings)
    }

    /// Sets one SDK key. `data_centre` and `accounts_url` replace each other.
    pub fn set(&mut self, key: &str, value: String) {
        match key {
            "client_id" => self.client_id = Some(value),
            "client_secret" => self.client_secret = Some(Secret::new(value)),
            "redirect_uri" => self.redirect_uri = Some(value),
            "data_centre" | "data_center" => self.accounts = Some(Accounts::DataCentre(value)),
            "accounts_url" => self.accounts = Some(Accounts::Url(value)),
            "token_persistence_path" => self.token_dir = Some(value),
            "token_store_format" => self.store_format = Some(value),
            "token_store" => self.token_store = Some(value),
            "currentUserEmail" => self.current_user = Some(value),
            "scope" => self.scope = Some(value),
            _ => {
                self.other.insert(key.to_string(), Secret::new(value));
            }
        }
    }

    /// The default token directory when none is set (unless the store is shared), and a
    /// relative one made absolute.
    fn settle_token_dir(&mut self) -> Result<(), Failure> {
        let Some(dir) = &self.token_dir else {
            if self.names_shared_store() {
                return Ok(());
            }
            let dir = dirs::default_token_dir().ok_or_else(|| {
                Failure::usage("no token directory: HOME is not set")
                    .with_hint("set token_persistence_path, ZOHO_TOKEN_DIR or --token-dir")
            })?;
            self.token_dir = Some(dir.display().to_string());
            self.default_token_dir = true;
            return Ok(());
        };
        let dir = dir.trim();
        if !dir.is_empty() && !Path::new(dir).is_absolute() {
            let base = self.other_value("token_base_dir");
            let resolved = dirs::resolve_token_dir(dir, base)?;
            self.token_dir = Some(resolved.display().to_string());
        }
        Ok(())
    }

    /// The client ID, if set.
    pub fn client_id(&self) -> Option<&str> {
        nonblank(&self.client_id)
    }

    /// Whether a client secret is set.
    pub fn has_client_secret(&self) -> bool {
        self.client_secret
            .as_ref()
            .is_some_and(|s| !s.expose().trim().is_empty())
    }

    /// The redirect URI, if not blank.
    pub fn redirect_uri(&self) -> Option<&str> {
        match &self.redirect_uri {
            None => Some(DEFAULT_REDIRECT_URI),
            given => nonblank(given),
        }
    }

    /// `currentUserEmail`, if set.
    pub fn current_user(&self) -> Option<&str> {
        nonblank(&self.current_user)
    }

    /// The scopes from the configuration (`scope` key), if any.
    pub fn scopes(&self) -> Vec<String> {
        nonblank(&self.scope)
            .map(|s| split_scopes(s).collect())
            .unwrap_or_default()
    }

    /// The token directory as configured (absolute), if any.
    pub fn token_dir_path(&self) -> Option<PathBuf> {
        nonblank(&self.token_dir).map(PathBuf::from)
    }

    /// `token_store_format`, if set.
    pub fn store_format_name(&self) -> Option<&str> {
        nonblank(&self.store_format)
    }

    /// `token_store`, if set.
    pub fn token_store(&self) -> Option<&str> {
        nonblank(&self.token_store)
    }

    /// Whether `token_store` selects a shared store (MySQL or Redis), which needs no token
    /// directory.
    pub fn names_shared_store(&self) -> bool {
        self.token_store().is_some_and(BuiltInStore::shared_kind)
    }

    /// Another key's value, if not blank.
    fn other_value(&self, key: &str) -> Option<&str> {
        self.other
            .get(key)
            .map(|v| v.expose().trim())
            .filter(|v| !v.is_empty())
    }
}

/// The options that set a configuration key, each with its value.
fn flag_values(args: &Global) -> [(&'static str, &Option<String>); 6] {
    [
        ("--client-id", &args.client_id),
        ("--redirect-uri", &args.redirect_uri),
        ("--dc", &args.dc),
        ("--accounts-url", &args.accounts_url),
        ("--token-dir", &args.token_dir),
        ("--store-format", &args.store_format),
    ]
}

/// The key the core's table of keys gives `flag` ([`zoho_oauth::config::Key::flag`]).
fn key_of_flag(flag: &str) -> Option<&'static str> {
    KEYS.iter().find(|k| k.flag == Some(flag)).map(|k| k.name)
}

/// The configuration keys the flags given set, with their values.
fn flags(args: &Global) -> impl Iterator<Item = (&'static str, &str)> {
    flag_values(args)
        .into_iter()
        .filter_map(|(flag, value)| Some((key_of_flag(flag)?, value.as_deref()?)))
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn data_centre_and_accounts_url_replace_each_other() {
        let mut s = Settings::default();
        s.set("accounts_url", "https://accounts.zoho.in".into());
        s.set("data_center", "eu".into());
        assert_eq!(s.accounts, Some(Accounts::DataCentre("eu".into())));
        s.set("accounts_url", "http://127.0.0.1:1".into());
        assert_eq!(s.accounts, Some(Accounts::Url("http://127.0.0.1:1".into())));
        let config = s.config_without_secret().expect("valid");
        assert_eq!(config.identity().server().url(), "http://127.0.0.1:1");
        assert_eq!(
            config.identity().server().data_centre(),
            None,
            "the data centre is not passed on"
        );
    }

    #[test]
    fn every_key_reaches_the_core_and_blank_values_read_as_unset() {
        let mut s = Settings::default();
        for (key, value) in [
            ("client_id", " "),
            ("token_persistence_path", "/srv/tokens"),
            ("token_store_format", "json"),
            ("currentUserEmail", "ada@example.com"),
            ("mysql_table", "oauthtokens"),
            ("refresh_margin_secs", "90"),
            ("scope", "A.b, C.d"),
        ] {
            s.set(key, value.to_string());
        }
        assert_eq!(s.client_id(), None);
        assert_eq!(s.current_user(), Some("ada@example.com"));
        assert_eq!(s.scopes(), ["A.b", "C.d"]);
        assert_eq!(s.redirect_uri(), Some(DEFAULT_REDIRECT_URI));
        let config = s.config_without_secret().expect("valid");
        assert_eq!(config.store().path(), Some(Path::new("/srv/tokens")));
        assert_eq!(config.store().format(), zoho_oauth::StoreFormat::Json);
        assert_eq!(config.crm().current_user_email(), Some("ada@example.com"));
        assert_eq!(
            config.store().settings().get("mysql_table"),
            Some("oauthtokens")
        );
        assert_eq!(
            config.policy().refresh_margin(),
            std::time::Duration::from_secs(90)
        );
        assert_eq!(config.identity().redirect_uri(), DEFAULT_REDIRECT_URI);
        assert_eq!(
            config.identity().client_id(),
            "unset",
            "a blank client ID: the placeholder"
        );
        assert!(config.client_secret().is_none());
    }

    #[test]
    fn the_flags_are_the_core_tables_and_clap_defines_each() {
        use clap::Parser;
        let mut words = vec!["zoho-oauth".to_string()];
        for key in KEYS.iter().filter(|k| k.flag.is_some()) {
            let value = match key.name {
                "data_centre" => "eu".to_string(),
                "token_store_format" => "json".to_string(),
                "accounts_url" => continue,
                name => format!("/v/{name}"),
            };
            words.extend([key.flag.unwrap_or_default().to_string(), value]);
        }
        let cli = crate::cli::Cli::try_parse_from(&words).expect("every flag of the table");
        let set: Vec<_> = flags(&cli.global).collect();
        assert_eq!(set.len(), words.len() / 2, "{set:?}");
        assert!(
            set.contains(&("data_centre", "eu")) && set.contains(&("client_id", "/v/client_id"))
        );
        let cli =
            crate::cli::Cli::try_parse_from(["zoho-oauth", "--accounts-url", "http://127.0.0.1:9"])
                .expect("--accounts-url");
        assert_eq!(
            flags(&cli.global).collect::<Vec<_>>(),
            [("accounts_url", "http://127.0.0.1:9")]
        );
        let listed: Vec<_> = flag_values(&cli.global).iter().map(|f| f.0).collect();
        let in_table: Vec<_> = KEYS.iter().filter_map(|k| k.flag).collect();
        assert_eq!(
            listed, in_table,
            "each flag of the table is read, in its order"
        );
    }

    #[test]
    fn one_configuration_and_one_store_per_command() {
        let dir = tempfile::tempdir().expect("dir");
        let mut s = Settings::default();
        s.set("client_id", "1000.ID".into());
        s.set("client_secret", "s3cr3t-value".into());
        s.set("token_persistence_path", dir.path().display().to_string());
        s.set("token_store_format", "json".into());
        let first = s.store().expect("store");
        let again = s.store().expect("store");
        assert!(Arc::ptr_eq(&first, &again), "opened once");
        let config = s.client_config().expect("config");
        assert_eq!(
            config.client_secret().map(Secret::expose),
            Some("s3cr3t-value")
        );
        assert_eq!(config.identity().client_id(), "1000.ID");
        assert_eq!(s.store_label().expect("label"), "json");
        s.set("accounts_url", "ftp://nowhere".into());
        assert!(
            s.config_without_secret().is_ok(),
            "built once: a later change is not read again"
        );
    }

    #[test]
    fn debug_shows_no_secret_or_password() {
        let mut s = Settings::default();
        s.set("client_secret", "s3cr3t-value".into());
        s.set("db_password", "pa55-value".into());
        let shown = format!("{s:?}");
        assert!(
            !shown.contains("s3cr3t") && !shown.contains("pa55"),
            "{shown}"
        );
    }
}
