//! A MySQL or Redis side of `migrate` or `mysql-create`: the configured store keys, changed
//! for that side only by `--from-set`/`--to-set KEY=VALUE`. A password there is refused:
//! every user of the machine can read a command line (`ps`, `/proc/PID/cmdline`).

use zoho_oauth::Config;
use zoho_oauth::config::STORE_KEYS;
use zoho_oauth::store::BuiltInStore;

use crate::config::Settings;
use crate::exit::Failure;

/// The configuration of a shared side: the configured settings with the `token_store` of
/// `store` and `sets` (`KEY=VALUE`, store keys only) applied.
pub fn config(
    settings: &Settings,
    store: BuiltInStore,
    sets: &[String],
) -> Result<Config, Failure> {
    let config = settings
        .config_without_secret()?
        .with_store_kind(store.kind());
    let mut store_settings = config.store_settings().clone();
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            // Not repeated: it may be a URL with a password.
            return Err(Failure::usage(
                "--from-set and --to-set take KEY=VALUE, e.g. mysql_table=oauthtokens",
            ));
        };
        refuse_password(key.trim(), value)?;
        store_settings.set(key.trim(), value).map_err(|e| {
            Failure::from(e).with_hint(format!("the store keys are {}", STORE_KEYS.join(", ")))
        })?;
    }
    Ok(config.with_store_settings(store_settings))
}

/// Refuses a `KEY=VALUE` that carries a password: `db_password`, or a URL with one.
fn refuse_password(key: &str, value: &str) -> Result<(), Failure> {
    let in_url = matches!(key, "mysql_url" | "redis_url")
        && url::Url::parse(value.trim()).is_ok_and(|u| u.password().is_some_and(|p| !p.is_empty()));
    if !(in_url || (key == "db_password" && !value.trim().is_empty())) {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{key} on the command line carries a password, which every user of this machine can read in the process list; nothing was done"
    ))
    .with_hint(
        "give the URL without the password and put the password in the configuration file (db_password, or the URL there), in ZOHO_DB_PASSWORD (MySQL), or type it when asked (mysql-create --ask-password)",
    ))
}
