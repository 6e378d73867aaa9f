//! What the Redis store is configured with: `redis_url`, `redis_key_prefix`, the bound on
//! one call (`store_timeout_secs`), the refresh lease and the log for warnings, and the URL
//! with its password hidden for messages.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{Config, DEFAULT_STORE_TIMEOUT};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// The URL used when `redis_url` is not set (Laravel's and phpredis's default server).
pub const DEFAULT_URL: &str = "redis://127.0.0.1:6379/0";
/// The key prefix used when `redis_key_prefix` is not set.
pub const DEFAULT_KEY_PREFIX: &str = "zoho_oauth:";
/// Added to the accounts server's connect and request timeouts to make the refresh lease: it
/// must outlast the longest refresh (one HTTP request plus the save).
pub const LEASE_MARGIN: Duration = Duration::from_secs(5);
/// The lease of [`RedisSettings::new`]: the default HTTP timeouts (10 s + 30 s) plus
/// [`LEASE_MARGIN`].
const DEFAULT_LEASE: Duration = Duration::from_secs(45);

/// The Redis store's settings.
#[derive(Clone)]
pub struct RedisSettings {
    /// `redis://[user[:password]@]host[:port][/db]`, `rediss://...` (TLS),
    /// `redis+unix:///path?db=N&user=..&pass=..` or `unix:///path?db=N`. A secret: it may
    /// hold a password.
    pub url: Secret,
    /// Put in front of every key, so several applications can share one Redis.
    pub key_prefix: String,
    /// The bound on one call to the store (`store_timeout_secs`), whatever happens inside
    /// it: connecting (TCP, TLS, `AUTH`, `SELECT`, the server check), the command, loading a
    /// script, the one reconnect. One attempt to take a refresh lease is one call.
    pub timeout: Duration,
    /// How long a refresh lease lasts before it frees itself (a holder that died).
    pub lease: Duration,
    /// Where warnings about the server go (`applicationLogFilePath`'s SDK log); `None`
    /// writes none.
    pub log_file: Option<PathBuf>,
}

impl RedisSettings {
    /// Settings for `url` with the default prefix, the default store bound
    /// ([`DEFAULT_STORE_TIMEOUT`]), the lease the default HTTP timeouts give, and no log.
    pub fn new(url: impl Into<String>) -> RedisSettings {
        RedisSettings {
            url: Secret::new(url.into()),
            key_prefix: DEFAULT_KEY_PREFIX.to_string(),
            timeout: DEFAULT_STORE_TIMEOUT,
            lease: DEFAULT_LEASE,
            log_file: None,
        }
    }

    /// The settings a configuration gives: `redis_url`, `redis_key_prefix`,
    /// `store_timeout_secs` and the log file. The lease is the accounts server's connect
    /// timeout plus its request timeout plus [`LEASE_MARGIN`]: longer than one refresh
    /// request and its save.
    pub fn from_config(config: &Config) -> Result<RedisSettings> {
        let url = config
            .store()
            .settings()
            .get("redis_url")
            .unwrap_or(DEFAULT_URL);
        let mut settings = RedisSettings::new(url);
        if let Some(prefix) = config.store().settings().get("redis_key_prefix") {
            settings.key_prefix = prefix.to_string();
        }
        settings.timeout = config.policy().store_timeout();
        settings.log_file = config.crm().log_file();
        settings.lease =
            config.policy().connect_timeout() + config.policy().request_timeout() + LEASE_MARGIN;
        settings.check()?;
        Ok(settings)
    }

    /// Refuses settings that cannot work.
    pub(super) fn check(&self) -> Result<()> {
        if self.key_prefix.chars().any(char::is_control) {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                "redis_key_prefix contains a control character",
            ));
        }
        for (name, value) in [
            ("the bound on one call (store_timeout_secs)", self.timeout),
            ("the lease", self.lease),
        ] {
            if value.is_zero() {
                return Err(Error::new(
                    ErrorKind::ConfigInvalid,
                    format!("{name} of the Redis store must be more than zero"),
                ));
            }
        }
        Ok(())
    }

    /// The URL with any password replaced by `***`.
    pub fn redacted_url(&self) -> String {
        redact(self.url.expose())
    }
}

impl fmt::Debug for RedisSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedisSettings")
            .field("url", &self.redacted_url())
            .field("key_prefix", &self.key_prefix)
            .field("timeout", &self.timeout)
            .field("lease", &self.lease)
            .field("log_file", &self.log_file)
            .finish()
    }
}

/// `url` without its password (user-info password, or a `pass`/`password` query value).
pub(super) fn redact(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return "(an unparseable redis_url)".to_string();
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some("***"));
    }
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(k, v)| {
                let hidden = matches!(k.as_ref(), "pass" | "password");
                (
                    k.into_owned(),
                    if hidden { "***".into() } else { v.into_owned() },
                )
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_hidden_everywhere() {
        assert_eq!(
            redact("redis://app:s3cret@127.0.0.1:6380/2"),
            "redis://app:***@127.0.0.1:6380/2"
        );
        assert_eq!(redact("redis://:s3cret@h/0"), "redis://:***@h/0");
        let unix = redact("redis+unix:///run/redis.sock?db=3&pass=s3cret");
        assert!(unix.contains("db=3") && !unix.contains("s3cret"), "{unix}");
        assert!(!redact("not a url s3cret").contains("s3cret"));
        let settings = RedisSettings::new("rediss://u:s3cret@h:1/0");
        assert!(!format!("{settings:?}").contains("s3cret"));
    }
}
