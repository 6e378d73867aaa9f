//! [`Config::validate`]: every value checked before a client uses it.

use super::{Config, MAX_REFRESH_MARGIN, token_path, validate_accounts_url};
use crate::error::{Error, ErrorKind, Result};

impl Config {
    /// Checks every value: required keys present (a secret, when given, not empty), no NUL
    /// bytes, `accounts_url` an `https`
    /// URL (plain `http` only to a loopback host), `access_type` `offline` or `online`,
    /// timeouts above zero.
    pub fn validate(&self) -> Result<()> {
        for (key, value) in [
            ("client_id", Some(self.identity().client_id())),
            ("client_secret", self.client_secret().map(|s| s.expose())),
            ("redirect_uri", Some(self.identity().redirect_uri())),
        ] {
            let Some(value) = value else {
                continue;
            };
            if value.is_empty() {
                return Err(Error::new(
                    ErrorKind::ConfigMissing,
                    format!("{key} value is missing"),
                ));
            }
            if value.contains('\0') || value.len() > 4096 {
                return Err(Error::new(
                    ErrorKind::ConfigInvalid,
                    format!("{key} contains a NUL byte or is longer than 4096 bytes"),
                ));
            }
        }
        validate_accounts_url(self.identity().server().url())?;
        if let Some(path) = self.store().path()
            && path.is_relative()
        {
            return Err(token_path::relative_refused(path));
        }
        let access_type = self.identity().access_type();
        if access_type != "offline" && access_type != "online" {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("access_type '{access_type}' is not offline or online"),
            ));
        }
        if self.policy().refresh_margin() > MAX_REFRESH_MARGIN {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!(
                    "refresh_margin_secs must be at most {} (half of an access token's hour): with a larger margin every token would look stale and be refreshed on every call",
                    MAX_REFRESH_MARGIN.as_secs()
                ),
            ));
        }
        if self.policy().connect_timeout().is_zero() || self.policy().request_timeout().is_zero() {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                "timeouts must be above zero",
            ));
        }
        Ok(())
    }
}
