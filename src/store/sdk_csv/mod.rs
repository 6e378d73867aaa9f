//! The token file of Zoho's current SDKs, `sdk_tokens.txt` (CSV, 10 columns; the 9-column
//! file of php-sdk 2.x is read and converted): `format` reads and writes it, `rows` maps
//! rows to the core's tokens, [`SdkCsvStore`] shares it safely between processes.

pub mod format;
pub(crate) mod rows;
mod store;

use std::path::{Path, PathBuf};

pub use format::SdkRow;
pub use store::{FILE_NAME, SdkCsvStore};

use super::entry::{OpenFromConfig, StoreClass, StoreEntry};
use crate::config::{Config, StoreKind};
use crate::error::Result;

/// The current SDKs' `sdk_tokens.txt`: `token_store=file` (or a `token_persistence_path`
/// alone) whose path names that file.
pub(crate) static ENTRY: StoreEntry =
    StoreEntry::new::<SdkCsvStore>("csv", "file", StoreClass::SdkCsv)
        .also_parsed_from(&["sdk_tokens"])
        .selected_when(|config| configured_path(config).is_some());

impl OpenFromConfig for SdkCsvStore {
    /// The CSV the configuration's `token_persistence_path` names ([`configured_path`]).
    fn open_from(config: &Config) -> Result<SdkCsvStore> {
        SdkCsvStore::open(config, &configured_path(config).unwrap_or_default())
    }
}

/// The CSV file a configuration names: a `token_persistence_path` that is a file called
/// `sdk_tokens.txt` (or that does not exist yet and ends so), with the file store selected.
pub fn configured_path(config: &Config) -> Option<PathBuf> {
    let path = config.store().path()?;
    (config.store().kind() == Some(StoreKind::FILE) && names_csv(path)).then(|| path.to_path_buf())
}

/// Whether `path` names an `sdk_tokens.txt` file (not a directory).
pub fn names_csv(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == FILE_NAME) && !path.is_dir()
}
