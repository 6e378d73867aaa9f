//! The MySQL/MariaDB token store (placeholder until the store lands).

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};

/// Tokens in a MySQL/MariaDB table shared by every machine of a fleet.
#[derive(Debug)]
pub struct MysqlStore {
    _private: (),
}

impl MysqlStore {
    /// Opens the store the configuration describes (placeholder: not supported yet).
    pub fn open(_config: &Config) -> Result<MysqlStore> {
        Err(Error::new(
            ErrorKind::StoreUnsupported,
            "no token_persistence_path is set: Zoho's SDK would use its MySQL store here, which zoho-oauth does not support yet",
        )
        .with_hint("set token_persistence_path to a directory for the token file, or use a custom store"))
    }
}

/// Never constructed: [`MysqlStore::open`] refuses until the store lands.
impl crate::store::TokenStore for MysqlStore {
    fn get(&self, _user: &str) -> Result<Option<crate::token::Tokens>> {
        Err(Error::new(ErrorKind::StoreUnsupported, "mysql store"))
    }
    fn save(&self, _tokens: &crate::token::Tokens) -> Result<()> {
        Err(Error::new(ErrorKind::StoreUnsupported, "mysql store"))
    }
    fn delete(&self, _user: &str) -> Result<bool> {
        Err(Error::new(ErrorKind::StoreUnsupported, "mysql store"))
    }
    fn list(&self) -> Result<Vec<crate::token::Tokens>> {
        Err(Error::new(ErrorKind::StoreUnsupported, "mysql store"))
    }
    fn describe(&self) -> String {
        "mysql".to_string()
    }
}
