//! [`Config::from_pairs`]: a configuration from the SDK's keys, with the SDK's messages.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use super::crm::strip_scheme;
use super::store::{self, STORE_KEYS, StoreKind};
use super::{Config, EncryptionSettings, StoreFormat, token_path};
use crate::datacentre::DataCentre;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

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
        let config = Config::new(
            required(&map, "client_id")?,
            Secret::new(required(&map, "client_secret")?),
            required(&map, "redirect_uri")?,
        );
        with_optional_keys(config, &map)
    }

    /// As [`Config::from_pairs`], for a door that needs no client secret (an authorization
    /// URL, user info, the token store): `client_secret` is used when given and not empty,
    /// and is otherwise left out (see [`Config::without_secret`]).
    pub fn from_pairs_without_secret<K: AsRef<str>, V: AsRef<str>>(
        pairs: &[(K, V)],
    ) -> Result<Config> {
        let map = to_map(pairs.iter().map(|(k, v)| (k, v)));
        let client_id = required(&map, "client_id")?;
        let redirect_uri = required(&map, "redirect_uri")?;
        let mut config = Config::without_secret(client_id, redirect_uri);
        if let Some(secret) = map.get("client_secret").filter(|s| !s.is_empty()) {
            config = config.with_client_secret(Secret::new(secret.as_str()));
        }
        with_optional_keys(config, &map)
    }
}

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

/// Every key but the client's ID, secret and redirect URI; the result is validated.
fn with_optional_keys(config: Config, map: &BTreeMap<String, String>) -> Result<Config> {
    let config = with_identity_keys(config, map)?;
    let config = with_policy_keys(config, map)?;
    let config = with_store_keys(config, map)?;
    let config = with_encryption_keys(config, map)?;
    config.validate()?;
    Ok(config)
}

fn required(map: &BTreeMap<String, String>, key: &str) -> Result<String> {
    match map.get(key) {
        None => Err(Error::new(
            ErrorKind::ConfigMissing,
            format!("{key} is mandatory"),
        )),
        Some(v) if v.is_empty() => Err(Error::new(
            ErrorKind::ConfigMissing,
            format!("{key} value is missing"),
        )),
        Some(v) => Ok(v.clone()),
    }
}

fn optional<'m>(map: &'m BTreeMap<String, String>, key: &str) -> Option<&'m str> {
    map.get(key).map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// The accounts server (`data_centre`, then `accounts_url`, which wins), the access type
/// and the CRM defaults.
fn with_identity_keys(mut config: Config, map: &BTreeMap<String, String>) -> Result<Config> {
    let get = |key| optional(map, key);
    if let Some(dc) = get("data_centre").or(get("data_center")) {
        config = config.with_data_centre(DataCentre::from_code(dc)?);
    }
    if let Some(url) = get("accounts_url") {
        config = config.with_accounts_url(url);
    }
    if let Some(access) = get("access_type") {
        config = config.with_access_type(access);
    }
    config.crm.current_user_email = get("currentUserEmail").map(str::to_string);
    config.crm.sandbox = get("sandbox").is_some_and(parse_flag);
    config.crm.api_base_url = get("apiBaseUrl").map(strip_scheme);
    config.crm.log_directory = get("applicationLogFilePath").map(PathBuf::from);
    Ok(config)
}

/// Timeouts, the refresh margin, `store_recheck_ms`, `lock_timeout_secs` and
/// `store_timeout_secs`.
fn with_policy_keys(mut config: Config, map: &BTreeMap<String, String>) -> Result<Config> {
    let get = |key| optional(map, key);
    let policy = &mut config.policy;
    if let Some(v) = get("connect_timeout_secs") {
        policy.connect_timeout = parse_seconds("connect_timeout_secs", v, false)?;
    }
    if let Some(v) = get("timeout_secs") {
        policy.request_timeout = parse_seconds("timeout_secs", v, false)?;
    }
    if let Some(v) = get("refresh_margin_secs") {
        policy.refresh_margin = parse_seconds("refresh_margin_secs", v, true)?;
    }
    if let Some(v) = get("store_recheck_ms") {
        policy.store_recheck = Some(store::parse_recheck(v)?);
    }
    if let Some(v) = get("lock_timeout_secs") {
        policy.lock_timeout = Some(parse_seconds("lock_timeout_secs", v, false)?);
    }
    if let Some(v) = get("store_timeout_secs") {
        policy.store_timeout = parse_seconds("store_timeout_secs", v, false)?;
    }
    Ok(config)
}

/// `token_persistence_path` (with `token_base_dir`), `token_store_format`, `token_store`
/// and the shared stores' keys.
fn with_store_keys(mut config: Config, map: &BTreeMap<String, String>) -> Result<Config> {
    let get = |key| optional(map, key);
    let store = &mut config.store;
    store.path = token_path::resolve(get("token_persistence_path"), get("token_base_dir"))?;
    if let Some(format) = get("token_store_format") {
        store.format = StoreFormat::parse(format)?;
    }
    if let Some(v) = get("token_store") {
        store.kind = Some(StoreKind::parse(v)?);
    }
    for key in STORE_KEYS {
        if let Some(v) = get(key) {
            store.settings.set(key, v)?;
        }
    }
    Ok(config)
}

/// `token_encryption`, `token_encryption_key_file` and `token_encryption_key`.
fn with_encryption_keys(config: Config, map: &BTreeMap<String, String>) -> Result<Config> {
    let get = |key| optional(map, key);
    let encryption = EncryptionSettings::from_values(
        get("token_encryption"),
        get("token_encryption_key_file"),
        get("token_encryption_key"),
    )?;
    Ok(config.with_encryption(encryption))
}

fn parse_flag(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

fn parse_seconds(key: &str, value: &str, zero_ok: bool) -> Result<Duration> {
    let invalid = || {
        Error::new(
            ErrorKind::ConfigInvalid,
            format!("{key} '{value}' is not a number of seconds"),
        )
    };
    let secs: f64 = value.parse().map_err(|_| invalid())?;
    if !secs.is_finite() || secs < 0.0 || (secs == 0.0 && !zero_ok) || secs > 86_400.0 {
        return Err(invalid());
    }
    Ok(Duration::from_secs_f64(secs))
}
