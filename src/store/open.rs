//! Opening the store a configuration asks for.

use std::sync::Arc;

use super::mysql::MysqlStore;
use super::redis::RedisStore;
use super::{FileStore, TokenStore};
use crate::config::{Config, StoreKind};
use crate::error::{Error, ErrorKind, Result};

/// The token store `config` selects ([`Config::store_kind`]): the token file, MySQL or
/// Redis. Opening never connects to a server; the shared stores connect on first use.
pub fn open(config: &Config) -> Result<Arc<dyn TokenStore>> {
    let store: Arc<dyn TokenStore> = match config.store_kind() {
        StoreKind::File => {
            let file = config.token_file().ok_or_else(|| {
                Error::new(
                    ErrorKind::ConfigMissing,
                    "token_store=file needs token_persistence_path",
                )
            })?;
            Arc::new(FileStore::new(file, config.token_store_format)?)
        }
        StoreKind::Mysql => Arc::new(MysqlStore::open(config)?),
        StoreKind::Redis => Arc::new(RedisStore::open(config)?),
    };
    Ok(store)
}
