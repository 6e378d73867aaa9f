//! A MySQL or Redis side of `migrate` or `mysql-create`: the configured store keys, changed
//! for that side only by `--from-set`/`--to-set KEY=VALUE`.

use zoho_oauth::Config;
use zoho_oauth::config::StoreKind;

use crate::config::Settings;
use crate::exit::Failure;

/// The configuration of a shared side: the configured settings with `token_store=kind`
/// and `sets` (`KEY=VALUE`, store keys only) applied.
pub fn config(settings: &Settings, kind: StoreKind, sets: &[String]) -> Result<Config, Failure> {
    let mut config = settings.config_with_placeholders()?;
    config.token_store = Some(kind);
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            // Not repeated: it may be a URL with a password.
            return Err(Failure::usage(
                "--from-set and --to-set take KEY=VALUE, e.g. mysql_table=oauthtokens",
            ));
        };
        config
            .store_settings
            .set(key.trim(), value)
            .map_err(|e| Failure::from(e).with_hint("the store keys are host_address, db_port, db_username, db_password, mysql_url, mysql_database, mysql_table, mysql_socket, mysql_ssl, redis_url, redis_key_prefix"))?;
    }
    Ok(config)
}
