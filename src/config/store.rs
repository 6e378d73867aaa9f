//! Which token store a configuration asks for, and the raw settings of the shared stores.
//!
//! Selection follows Zoho's SDK: a `token_persistence_path` means the token file; without
//! one the SDK uses MySQL. Our key `token_store` (`file`, `mysql`, `redis`) picks explicitly.
//! Each store reads and checks its own keys from [`StoreSettings`] when it is opened.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// How long a cached token is served from memory before the store is asked again, unless
/// `store_recheck_ms` says otherwise.
pub const DEFAULT_STORE_RECHECK: Duration = Duration::from_millis(1000);

/// The longest `store_recheck_ms` accepted: a token deleted or revoked elsewhere must stop
/// being served within minutes, not hours.
pub const MAX_STORE_RECHECK: Duration = Duration::from_secs(300);

/// The default `store_timeout_secs`: the bound on one call to a shared store.
pub const DEFAULT_STORE_TIMEOUT: Duration = Duration::from_secs(5);

/// Added to the HTTP timeouts to get the default `lock_timeout_secs`: a waiter gives up only
/// after the longest refresh another process can be doing.
pub const LOCK_TIMEOUT_SLACK: Duration = Duration::from_secs(5);

/// The kind of token store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreKind {
    /// The token file in `token_persistence_path` (SDK or JSON format).
    File,
    /// A MySQL/MariaDB table, as Zoho's SDK uses when no path is set.
    Mysql,
    /// Redis, one key per user.
    Redis,
}

impl StoreKind {
    /// Parses `file`, `mysql` (or `mariadb`) or `redis`.
    pub fn parse(value: &str) -> Result<StoreKind> {
        match value.trim().to_ascii_lowercase().as_str() {
            "file" => Ok(StoreKind::File),
            "mysql" | "mariadb" => Ok(StoreKind::Mysql),
            "redis" => Ok(StoreKind::Redis),
            _ => Err(Error::new(
                ErrorKind::ConfigInvalid,
                "token_store must be file, mysql or redis",
            )),
        }
    }

    /// `file`, `mysql` or `redis`, as [`StoreKind::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            StoreKind::File => "file",
            StoreKind::Mysql => "mysql",
            StoreKind::Redis => "redis",
        }
    }

    /// Whether several machines share this store (then a fleet cache bound applies).
    pub fn is_shared(self) -> bool {
        !matches!(self, StoreKind::File)
    }
}

/// The raw values of the shared stores' keys ([`super::store_keys`]), trimmed, empty values left out. Every value is kept as
/// a [`Secret`] (passwords and URLs with passwords live here), so `Debug` shows key names only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct StoreSettings(BTreeMap<String, Secret>);

impl StoreSettings {
    /// No settings: every store uses its defaults.
    pub fn new() -> StoreSettings {
        StoreSettings::default()
    }

    /// Sets `key` (one of [`super::store_keys`]); an empty value removes it. Any other key is an
    /// [`ErrorKind::ConfigInvalid`] error.
    pub fn set(&mut self, key: &str, value: &str) -> Result<()> {
        if !super::is_store_key(key) {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("{key} is not a token store setting"),
            ));
        }
        let value = value.trim();
        if value.is_empty() {
            self.0.remove(key);
        } else {
            self.0.insert(key.to_string(), Secret::new(value));
        }
        Ok(())
    }

    /// Sets `key` and returns the settings, for building them in one expression.
    pub fn with(mut self, key: &str, value: &str) -> Result<StoreSettings> {
        self.set(key, value)?;
        Ok(self)
    }

    /// The value of `key`, if it was given and is not empty.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0.get(key).map(Secret::expose)
    }

    /// The keys that were given, in order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }
}

impl fmt::Debug for StoreSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.keys()).finish()
    }
}

/// Parses `store_recheck_ms`: whole milliseconds from 0 (ask the store on every call) to
/// [`MAX_STORE_RECHECK`].
pub fn parse_recheck(value: &str) -> Result<Duration> {
    let ms: u64 = value.trim().parse().map_err(|_| {
        Error::new(
            ErrorKind::ConfigInvalid,
            format!("store_recheck_ms '{value}' is not a whole number of milliseconds"),
        )
    })?;
    let recheck = Duration::from_millis(ms);
    if recheck > MAX_STORE_RECHECK {
        return Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!(
                "store_recheck_ms must be at most {} (a token revoked elsewhere must stop being served soon)",
                MAX_STORE_RECHECK.as_millis()
            ),
        ));
    }
    Ok(recheck)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_parse_and_name_round_trip() {
        for kind in [StoreKind::File, StoreKind::Mysql, StoreKind::Redis] {
            assert_eq!(StoreKind::parse(kind.name()).ok(), Some(kind));
        }
        assert_eq!(StoreKind::parse(" MariaDB ").ok(), Some(StoreKind::Mysql));
        let e = StoreKind::parse("postgres").expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    }

    #[test]
    fn settings_keep_store_keys_only_and_hide_values() {
        let settings = StoreSettings::new()
            .with("db_password", " hunter2 ")
            .and_then(|s| s.with("db_port", "3307"))
            .and_then(|s| s.with("redis_url", ""))
            .expect("settings");
        assert_eq!(settings.get("db_password"), Some("hunter2"));
        assert_eq!(settings.get("redis_url"), None);
        assert_eq!(
            settings.keys().collect::<Vec<_>>(),
            ["db_password", "db_port"]
        );
        let shown = format!("{settings:?}");
        assert!(shown.contains("db_password") && !shown.contains("hunter2"));
        let mut other = StoreSettings::new();
        assert!(other.set("client_secret", "x").is_err());
    }

    #[test]
    fn recheck_is_bounded_milliseconds() {
        assert_eq!(parse_recheck("0").ok(), Some(Duration::ZERO));
        assert_eq!(parse_recheck("250").ok(), Some(Duration::from_millis(250)));
        for bad in ["-1", "1.5", "x", "300001"] {
            assert!(parse_recheck(bad).is_err(), "{bad}");
        }
    }
}
