//! Opening the store a configuration asks for.

use std::sync::Arc;

use super::mysql::MysqlStore;
use super::mysql::oauthtoken::{self, OauthtokenStore};
use super::redis::RedisStore;
use super::{FileStore, SdkCsvStore, TokenStore};
use crate::config::{Config, StoreKind};
use crate::error::{Error, ErrorKind, Result};

/// The token store `config` selects ([`Config::store_kind`]): the token file (the SDK's
/// `sdk_tokens.txt` CSV when `token_persistence_path` names that file), MySQL (the current
/// SDKs' `oauthtoken` layout when `mysql_table` is `oauthtoken`) or Redis. Opening never
/// connects to a server; the shared stores connect on first use.
pub fn open(config: &Config) -> Result<Arc<dyn TokenStore>> {
    if let Some(csv) = super::sdk_csv::configured_path(config) {
        return Ok(Arc::new(SdkCsvStore::open(config, &csv)?));
    }
    let store: Arc<dyn TokenStore> = match config.store_kind() {
        StoreKind::File => {
            let file = config.token_file().ok_or_else(|| {
                Error::new(
                    ErrorKind::ConfigMissing,
                    "token_store=file needs token_persistence_path",
                )
            })?;
            Arc::new(FileStore::new(file, config.token_store_format())?)
        }
        StoreKind::Mysql if oauthtoken_selected(config) => Arc::new(OauthtokenStore::open(config)?),
        StoreKind::Mysql => Arc::new(MysqlStore::open(config)?),
        StoreKind::Redis => Arc::new(RedisStore::open(config)?),
    };
    Ok(store)
}

/// Whether `mysql_table` names the current SDKs' `oauthtoken` table.
fn oauthtoken_selected(config: &Config) -> bool {
    config
        .store_settings()
        .get("mysql_table")
        .is_some_and(|t| t.eq_ignore_ascii_case(oauthtoken::TABLE))
}
