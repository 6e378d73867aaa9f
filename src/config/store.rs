//! Which token store a configuration asks for, and the raw settings of the shared stores.
//!
//! Selection follows Zoho's SDK: a `token_persistence_path` means the token file; without
//! one the SDK uses MySQL. Our key `token_store` (`file`, `mysql`, `redis`) picks explicitly.
//! Each store reads and checks its own keys from [`StoreSettings`] when it is opened.

use std::borrow::Cow;
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

/// The `token_store` value: the name of the family of stores a configuration asks for
/// (`file`, `mysql` or `mariadb`, `redis`), trimmed and in lower case. Which store it means
/// (and whether this library has one) is decided by the store selector,
/// `store::BuiltInStore::of`, from its table of stores: the configuration only holds the name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct StoreKind(Cow<'static, str>);

/// The longest `token_store` value accepted.
const MAX_KIND_LEN: usize = 32;

impl StoreKind {
    /// The token file (`file`): what a `token_persistence_path` alone selects.
    pub const FILE: StoreKind = StoreKind::named("file");

    /// The kind called `name`, which must be in lower case (a program's own constant).
    pub const fn named(name: &'static str) -> StoreKind {
        StoreKind(Cow::Borrowed(name))
    }

    /// Reads a `token_store` value: a word of ASCII letters, digits, `_` or `-`, at most 32
    /// long, in any case. Whether a store answers to it is the selector's to say.
    pub fn parse(value: &str) -> Result<StoreKind> {
        let value = value.trim();
        let word = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-';
        if value.is_empty() || value.len() > MAX_KIND_LEN || !value.chars().all(word) {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                "token_store must name a store in one word, e.g. file, mysql or redis",
            ));
        }
        Ok(StoreKind(Cow::Owned(value.to_ascii_lowercase())))
    }

    /// The name, as [`StoreKind::parse`] reads it.
    pub fn name(&self) -> &str {
        &self.0
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
        for name in ["file", "mysql", "redis"] {
            let kind = StoreKind::named(name);
            assert_eq!(StoreKind::parse(kind.name()).ok(), Some(kind));
        }
        assert_eq!(
            StoreKind::parse(" MariaDB ").ok(),
            Some(StoreKind::named("mariadb"))
        );
        // Whether a store answers to a name is the selector's (store::built_in) to say.
        for bad in ["", " ", "my sql", "redis://h", "x;DROP", &"a".repeat(33)] {
            let e = StoreKind::parse(bad).expect_err(bad);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
            assert!(e.message().contains("token_store"), "{e}");
        }
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
