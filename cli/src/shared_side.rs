//! A MySQL or Redis side of `migrate` or `mysql-create`: the configured store keys, changed
//! for that side only by `--from-set`/`--to-set KEY=VALUE`. A password there is refused:
//! every user of the machine can read a command line (`ps`, `/proc/PID/cmdline`).

use zoho_oauth::Config;
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
    let mut store_settings = config.store().settings().clone();
    for set in sets {
        let Some((key, value)) = set.split_once('=') else {
            // Not repeated: it may be a URL with a password.
            return Err(Failure::usage(
                "--from-set and --to-set take KEY=VALUE, e.g. mysql_table=oauthtokens",
            ));
        };
        refuse_password(key.trim(), value)?;
        store_settings.set(key.trim(), value).map_err(|e| {
            Failure::from(e).with_hint(format!(
                "the store keys are {}",
                zoho_oauth::config::store_keys()
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })?;
    }
    Ok(config.with_store_settings(store_settings))
}

/// Refuses a `KEY=VALUE` whose key is secret in the core's table of keys
/// ([`zoho_oauth::config::is_secret_key`]: `db_password`, a URL that may hold a password),
/// unless the value is empty or, for a `*_url` key, a URL without a password.
fn refuse_password(key: &str, value: &str) -> Result<(), Failure> {
    let value = value.trim();
    let url_without_password = || {
        key.ends_with("_url")
            && url::Url::parse(value).is_ok_and(|u| u.password().is_none_or(str::is_empty))
    };
    if !zoho_oauth::config::is_secret_key(key) || value.is_empty() || url_without_password() {
        return Ok(());
    }
    Err(Failure::usage(format!(
        "{key} on the command line carries a password, which every user of this machine can read in the process list; nothing was done"
    ))
    .with_hint(
        "give the URL without the password and put the password in the configuration file (db_password, or the URL there), in ZOHO_DB_PASSWORD (MySQL), or type it when asked (mysql-create --ask-password)",
    ))
}

#[cfg(test)]
mod tests {
    use super::refuse_password;

    #[test]
    fn secret_keys_of_the_core_table_are_refused_on_the_command_line() {
        for (key, value) in [
            ("db_password", "hunter2"),
            ("db_password", "pass:word"),
            ("mysql_url", "mysql://root:hunter2@127.0.0.1/zohooauth"),
            ("redis_url", "redis://:hunter2@127.0.0.1:6379/0"),
            ("redis_url", "not a url"),
        ] {
            assert!(refuse_password(key, value).is_err(), "{key}={value}");
        }
        for (key, value) in [
            ("db_password", " "),
            ("mysql_url", "mysql://root@127.0.0.1/zohooauth"),
            ("redis_url", "redis://127.0.0.1:6379/0"),
            ("mysql_table", "hunter2"),
        ] {
            assert!(refuse_password(key, value).is_ok(), "{key}={value}");
        }
    }
}
