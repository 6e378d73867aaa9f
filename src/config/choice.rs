//! Which token store the configuration selects: its kind, the file's path and format, and
//! the shared stores' settings.

use std::path::{Path, PathBuf};

use super::store::{StoreKind, StoreSettings};
use crate::error::{Error, ErrorKind, Result};

/// The token file name Zoho's PHP SDK uses inside `token_persistence_path`.
pub const SDK_TOKEN_FILE_NAME: &str = "zcrm_oauthtokens.txt";
/// The token file name of our JSON format inside `token_persistence_path`.
pub const JSON_TOKEN_FILE_NAME: &str = "zoho_oauth_tokens.json";

/// The on-disk format of a file token store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreFormat {
    /// Zoho's PHP SDK format: PHP `serialize` of `ZohoOAuthTokens` objects.
    PhpSdk,
    /// Our JSON format, which also keeps `api_domain`, `scope` and the accounts server.
    Json,
}

impl StoreFormat {
    /// Parses `php` / `sdk` or `json`.
    pub fn parse(value: &str) -> Result<StoreFormat> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "php" | "sdk" => Ok(StoreFormat::PhpSdk),
            "json" => Ok(StoreFormat::Json),
            other => Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("token_store_format '{other}' is not php or json"),
            )),
        }
    }

    /// `php` or `json`, as [`StoreFormat::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            StoreFormat::PhpSdk => "php",
            StoreFormat::Json => "json",
        }
    }

    /// The file name this format uses inside `token_persistence_path`.
    pub fn file_name(self) -> &'static str {
        match self {
            StoreFormat::PhpSdk => SDK_TOKEN_FILE_NAME,
            StoreFormat::Json => JSON_TOKEN_FILE_NAME,
        }
    }
}

/// The store selection: `token_store`, `token_persistence_path`, `token_store_format` and
/// the shared stores' settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoreChoice {
    pub(super) kind: Option<StoreKind>,
    pub(super) path: Option<PathBuf>,
    pub(super) format: StoreFormat,
    pub(super) settings: StoreSettings,
}

impl Default for StoreChoice {
    /// No store named, no path, the SDK's file format, no settings.
    fn default() -> StoreChoice {
        StoreChoice {
            kind: None,
            path: None,
            format: StoreFormat::PhpSdk,
            settings: StoreSettings::new(),
        }
    }
}

impl StoreChoice {
    /// The store asked for with `token_store`; `None` chooses as the SDK does (see
    /// [`StoreChoice::kind`]).
    pub fn requested_kind(&self) -> Option<StoreKind> {
        self.kind.clone()
    }

    /// The token store in use: `token_store` when given; otherwise the token file when
    /// `token_persistence_path` is set; `None` when neither is (no store is guessed: Zoho's
    /// PHP SDK would use MySQL there, and the PHP door asks for it explicitly).
    pub fn kind(&self) -> Option<StoreKind> {
        match (&self.kind, &self.path) {
            (Some(kind), _) => Some(kind.clone()),
            (None, Some(_)) => Some(StoreKind::FILE),
            (None, None) => None,
        }
    }

    /// The directory holding the token file (`token_persistence_path`).
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// The token file's format.
    pub fn format(&self) -> StoreFormat {
        self.format
    }

    /// The shared stores' settings (the SDK's MySQL keys, `mysql_*`, `redis_*`).
    pub fn settings(&self) -> &StoreSettings {
        &self.settings
    }

    /// The path of the token file, when a persistence path is set: the format's file name
    /// inside `token_persistence_path`. A path that already ends in that file name (as in
    /// `'token_persistence_path' => 'zcrm_oauthtokens.txt'`, which the SDK silently failed
    /// to write) and is not a directory names the file itself.
    pub fn token_file(&self) -> Option<PathBuf> {
        let path = self.path.as_ref()?;
        let file_name = self.format.file_name();
        let names_the_file = path.file_name().is_some_and(|name| name == file_name);
        if names_the_file && !path.is_dir() {
            return Some(path.clone());
        }
        Some(path.join(file_name))
    }
}
