//! Opening the store a configuration asks for.

use std::sync::Arc;

use super::{BuiltInStore, TokenStore};
use crate::config::Config;
use crate::error::Result;
use crate::store::seal::Sealed;

/// The token store `config` selects ([`BuiltInStore::of`], the one selector): the token
/// file (the SDK's `sdk_tokens.txt` CSV when `token_persistence_path` names that file),
/// MySQL (the current SDKs' `oauthtoken` layout when `mysql_table` is `oauthtoken`) or
/// Redis, each wrapped in [`super::BuiltIn`] (the defaults of every store of this library, declared
/// once), then in [`crate::store::seal::Sealed`] (encryption at rest, `token_encryption*`). Opening never connects to a server; the shared stores connect on first use.
///
/// A configuration that names no store (neither `token_persistence_path` nor
/// `token_store`) is an [`ErrorKind::ConfigMissing`](crate::ErrorKind::ConfigMissing) error: nothing is opened, and no
/// server is guessed at. (Zoho's PHP SDK uses MySQL then; the PHP door asks for it.) A store
/// this build was compiled without (cargo features `mysql`, `redis`), or a `token_store`
/// that names no store, is an [`ErrorKind::ConfigInvalid`](crate::ErrorKind::ConfigInvalid)
/// error.
pub fn open(config: &Config) -> Result<Arc<dyn TokenStore>> {
    Ok(Arc::new(open_sealed(config)?))
}

/// [`open`], as its concrete type: the store underneath and its keys (`zoho-oauth rekey`
/// rewrites through it, see [`crate::store::seal::rekey`]).
pub fn open_sealed(config: &Config) -> Result<Sealed<Arc<dyn TokenStore>>> {
    crate::store::seal::seal_store(config, open_unsealed(config)?)
}

/// The store `config` selects, without the sealing layer: it reads and writes values as
/// they are kept (sealed values stay sealed).
pub fn open_unsealed(config: &Config) -> Result<Arc<dyn TokenStore>> {
    BuiltInStore::of(config)?.open(config)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreKind;
    use crate::error::ErrorKind;

    /// A store left out of the build (cargo features `mysql`, `redis`) is refused by name.
    #[test]
    fn a_store_compiled_out_is_config_invalid_and_names_its_feature() {
        let config = Config::new("1000.ID", "s3cr3t", "https://example.com/cb");
        for kind in [StoreKind::named("mysql"), StoreKind::named("redis")] {
            let compiled = match kind.name() {
                "mysql" => cfg!(feature = "mysql"),
                _ => cfg!(feature = "redis"),
            };
            let opened = open(&config.clone().or_store_kind(kind.clone()));
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
