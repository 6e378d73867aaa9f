//! A MySQL or Redis side of `migrate` or `mysql-create`: the configured store keys, changed
//! for that side only by `--from-set`/`--to-set KEY=VALUE`.

use zoho_oauth::Config;
use zoho_oauth::config::{STORE_KEYS, StoreKind};

use crate::config::Settings;
use crate::exit::Failure;

/// The configuration of a shared side: the configured settings with `token_store=kind`
/// and `sets` (`KEY=VALUE`, store keys only) applied.
pub fn config(settings: &Settings, kind: StoreKind, sets: &[String]) -> Result<Config, Failure> {
    let config = settings.config_without_secret()?.with_store_kind(kind);
    let mut store_settings = config.store_settings().clone();
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            // Not repeated: it may be a URL with a password.
            return Err(Failure::usage(
                "--from-set and --to-set take KEY=VALUE, e.g. mysql_table=oauthtokens",
            ));
        };
        store_settings.set(key.trim(), value).map_err(|e| {
            Failure::from(e).with_hint(format!("the store keys are {}", STORE_KEYS.join(", ")))
        })?;
    }
    Ok(config.with_store_settings(store_settings))
}
