//! Opening the store a configuration asks for.

use std::sync::Arc;

#[cfg(feature = "mysql")]
use super::mysql::MysqlStore;
#[cfg(feature = "mysql")]
use super::mysql::oauthtoken::OauthtokenStore;
#[cfg(feature = "redis")]
use super::redis::RedisStore;
use super::{BuiltIn, BuiltInStore, FileStore, SdkCsvStore, TokenStore};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::seal::Sealed;

/// The token store `config` selects ([`BuiltInStore::of`], the one selector): the token
/// file (the SDK's `sdk_tokens.txt` CSV when `token_persistence_path` names that file),
/// MySQL (the current SDKs' `oauthtoken` layout when `mysql_table` is `oauthtoken`) or
/// Redis, each wrapped in [`BuiltIn`] (the defaults of every store of this library, declared
/// once), then in [`crate::seal::Sealed`] (encryption at rest, `token_encryption*`). Opening never connects to a server; the shared stores connect on first use.
///
/// A configuration that names no store (neither `token_persistence_path` nor
/// `token_store`) is an [`ErrorKind::ConfigMissing`] error: nothing is opened, and no
/// server is guessed at. (Zoho's PHP SDK uses MySQL then; the PHP door asks for it.) A store
/// this build was compiled without (cargo features `mysql`, `redis`) is an
/// [`ErrorKind::ConfigInvalid`] error.
pub fn open(config: &Config) -> Result<Arc<dyn TokenStore>> {
    Ok(Arc::new(open_sealed(config)?))
}

/// [`open`], as its concrete type: the store underneath and its keys (`zoho-oauth rekey`
/// rewrites through it, see [`crate::seal::rekey`]).
pub fn open_sealed(config: &Config) -> Result<Sealed<Arc<dyn TokenStore>>> {
    crate::seal::seal_store(config, open_unsealed(config)?)
}

/// The store `config` selects, without the sealing layer: it reads and writes values as
/// they are kept (sealed values stay sealed).
pub fn open_unsealed(config: &Config) -> Result<Arc<dyn TokenStore>> {
    let chosen = BuiltInStore::of(config)?;
    let store: Arc<dyn TokenStore> = match chosen {
        BuiltInStore::PhpFile | BuiltInStore::JsonFile => {
            let file = config.store().token_file().ok_or_else(|| {
                Error::new(
                    ErrorKind::ConfigMissing,
                    "token_store=file needs token_persistence_path",
                )
            })?;
            Arc::new(BuiltIn(FileStore::new(file, config.store().format())?))
        }
        BuiltInStore::SdkCsv => {
            let csv = super::sdk_csv::configured_path(config).unwrap_or_default();
            Arc::new(BuiltIn(SdkCsvStore::open(config, &csv)?))
        }
        #[cfg(feature = "mysql")]
        BuiltInStore::MysqlOauthtoken => Arc::new(BuiltIn(OauthtokenStore::open(config)?)),
        #[cfg(feature = "mysql")]
        BuiltInStore::Mysql => Arc::new(BuiltIn(MysqlStore::open(config)?)),
        #[cfg(feature = "redis")]
        BuiltInStore::Redis => Arc::new(BuiltIn(RedisStore::open(config)?)),
        #[cfg(not(all(feature = "mysql", feature = "redis")))]
        other => return Err(compiled_out(other)),
    };
    Ok(store)
}

/// The error for a store this build was compiled without.
#[cfg(not(all(feature = "mysql", feature = "redis")))]
fn compiled_out(store: BuiltInStore) -> Error {
    let name = store.label();
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("token_store={name}: this build of zoho-oauth has no {name} store"),
    )
    .with_hint(format!(
        "build zoho-oauth with its cargo feature `{name}` (on by default), or configure another store"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreKind;

    /// A store left out of the build (cargo features `mysql`, `redis`) is refused by name.
    #[test]
    fn a_store_compiled_out_is_config_invalid_and_names_its_feature() {
        let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb");
        for kind in [StoreKind::Mysql, StoreKind::Redis] {
            let compiled = match kind {
                StoreKind::Mysql => cfg!(feature = "mysql"),
                _ => cfg!(feature = "redis"),
            };
            let opened = open(&config.clone().or_store_kind(kind));
            if compiled {
                if let Err(e) = opened {
                    assert!(!e.message().contains("this build"), "{e}");
                }
                continue;
            }
            let e = opened.err().expect("compiled out");
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
            assert!(e.message().contains(kind.name()), "{e}");
            assert!(
                e.hint()
                    .is_some_and(|h| h.contains(&format!("feature `{}`", kind.name()))),
                "{e}"
            );
        }
    }
}
