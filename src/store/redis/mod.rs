//! The Redis token store (placeholder until the store lands).

use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};

/// Tokens in Redis, one key per user, shared by every machine of a fleet.
#[derive(Debug)]
pub struct RedisStore {
    _private: (),
}

impl RedisStore {
    /// Opens the store the configuration describes (placeholder: not supported yet).
    pub fn open(_config: &Config) -> Result<RedisStore> {
        Err(Error::new(
            ErrorKind::StoreUnsupported,
            "token_store=redis is not supported yet",
        ))
    }
}

/// Never constructed: [`RedisStore::open`] refuses until the store lands.
impl crate::store::TokenStore for RedisStore {
    fn get(&self, _user: &str) -> Result<Option<crate::token::Tokens>> {
        Err(Error::new(ErrorKind::StoreUnsupported, "redis store"))
    }
    fn save(&self, _tokens: &crate::token::Tokens) -> Result<()> {
        Err(Error::new(ErrorKind::StoreUnsupported, "redis store"))
    }
    fn delete(&self, _user: &str) -> Result<bool> {
        Err(Error::new(ErrorKind::StoreUnsupported, "redis store"))
    }
    fn list(&self) -> Result<Vec<crate::token::Tokens>> {
        Err(Error::new(ErrorKind::StoreUnsupported, "redis store"))
    }
    fn describe(&self) -> String {
        "redis".to_string()
    }
}
