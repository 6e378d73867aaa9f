//! The parsers several keys of [`super::KEYS`] share: flags, seconds, a shared store's raw
//! setting.

use std::time::Duration;

use super::Config;
use super::keys::Given;
use crate::error::{Error, ErrorKind, Result};

/// `true`, `1`, `yes` or `on` (any case); anything else is false.
pub(super) fn flag(value: &str) -> bool {
    matches!(
        value.to_ascii_lowercase().as_str(),
        "true" | "1" | "yes" | "on"
    )
}

/// A number of seconds (fractions allowed) above 0 (or 0 when `zero_ok`), at most a day.
pub(super) fn seconds(given: &Given<'_>, zero_ok: bool) -> Result<Duration> {
    let (key, value) = (given.key, given.value);
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

/// Keeps a shared store's key in the store settings, for the store to read when opened.
pub(super) fn store_setting(mut config: Config, given: &Given<'_>) -> Result<Config> {
    config.store.settings.set(given.key, given.value)?;
    Ok(config)
}
