//! [`Config::from_pairs`]: a configuration from the SDK's keys, with the SDK's messages,
//! driven by the table of keys ([`super::KEYS`]).

use std::collections::BTreeMap;

use super::Config;
use super::keys::{Given, KEYS, Key, Need};
use crate::error::{Error, ErrorKind, Result};

impl Config {
    /// Builds a configuration from the SDK's keys (a string map), with the SDK's checks and
    /// messages: `client_id`, `client_secret` and `redirect_uri` are required, in that order
    /// (`<key> is mandatory` when absent, `<key> value is missing` when empty). Unknown keys
    /// are ignored. The result is validated.
    pub fn from_pairs<K, V, I>(pairs: I) -> Result<Config>
    where
        I: IntoIterator<Item = (K, V)>,
        K: AsRef<str>,
        V: AsRef<str>,
    {
        let map = to_map(pairs);
        build(&|key| map.get(key).map(String::as_str), true)
    }

    /// As [`Config::from_pairs`], for a door that needs no client secret (an authorization
    /// URL, user info, the token store): `client_secret` is used when given and not empty,
    /// and is otherwise left out (see [`Config::without_secret`]).
    pub fn from_pairs_without_secret<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> Result<Config> {
        let map = to_map(pairs.iter().map(|(k, v)| (k, v)));
        build(&|key| map.get(key).map(String::as_str), false)
    }

    /// As [`Config::from_pairs`] (`needs_secret`) or [`Config::from_pairs_without_secret`],
    /// with each key's value (as given, not trimmed) asked of `value` rather than taken from
    /// pairs: for a door that keeps its settings typed (the CLI).
    pub fn from_key_values<'v>(
        value: impl Fn(&str) -> Option<&'v str>,
        needs_secret: bool,
    ) -> Result<Config> {
        build(&value, needs_secret)
    }
}

/// Where the keys' values come from: each key's value as given.
type Values<'f, 'm> = &'f dyn Fn(&str) -> Option<&'m str>;

fn to_map<K, V, I>(pairs: I) -> BTreeMap<String, String>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    pairs
        .into_iter()
        .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
        .collect()
}

/// Checks the required keys in the table's order, then applies every key given, in the
/// table's order, and validates the result.
fn build<'m>(map: Values<'_, 'm>, needs_secret: bool) -> Result<Config> {
    let required = |key: &Key| match key.need {
        Need::Always => true,
        Need::ForTokens => needs_secret,
        Need::Optional => false,
    };
    for key in KEYS.iter().filter(|k| required(k)) {
        required_value(map, key.name)?;
    }
    let others = |name: &str| optional(map, name);
    let mut config = Config::without_secret(String::new(), String::new());
    for key in KEYS {
        let value = match key.need {
            Need::Optional => key.names().find_map(|name| optional(map, name)),
            _ => map(key.name).filter(|v| !v.is_empty()),
        };
        if let Some(value) = value {
            let given = Given {
                key: key.name,
                value,
                others: &others,
            };
            config = (key.parse)(config, &given)?;
        }
    }
    config.validate()?;
    Ok(config)
}

fn required_value<'m>(map: Values<'_, 'm>, key: &str) -> Result<&'m str> {
    match map(key) {
        None => Err(Error::new(
            ErrorKind::ConfigMissing,
            format!("{key} is mandatory"),
        )),
        Some("") => Err(Error::new(
            ErrorKind::ConfigMissing,
            format!("{key} value is missing"),
        )),
        Some(v) => Ok(v),
    }
}

/// A value trimmed, `None` when absent or blank.
fn optional<'m>(map: Values<'_, 'm>, key: &str) -> Option<&'m str> {
    map(key).map(str::trim).filter(|v| !v.is_empty())
}
