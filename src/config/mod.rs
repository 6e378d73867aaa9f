//! Configuration: built in Rust, or from the configuration keys of Zoho's PHP SDK.

mod store;
mod token_path;

use std::path::PathBuf;
use std::time::Duration;

use crate::datacentre::DataCentre;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

pub use store::{
    DEFAULT_STORE_RECHECK, LOCK_TIMEOUT_SLACK, MAX_STORE_RECHECK, STORE_KEYS, StoreKind,
    StoreSettings,
};

/// The token file name Zoho's PHP SDK uses inside `token_persistence_path`.
pub const SDK_TOKEN_FILE_NAME: &str = "zcrm_oauthtokens.txt";
/// The token file name of our JSON format inside `token_persistence_path`.
pub const JSON_TOKEN_FILE_NAME: &str = "zoho_oauth_tokens.json";
/// The log file name Zoho's PHP SDK uses inside `applicationLogFilePath`.
pub const SDK_LOG_FILE_NAME: &str = "ZCRMClientLibrary.log";

/// The on-disk format of a file token store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreFormat {
    /// Zoho's PHP SDK format: PHP `serialize` of `ZohoOAuthTokens` objects.
    PhpSdk,
    /// Our JSON format, which also keeps `api_domain`, `scope` and the accounts server.
    Json,
}

impl StoreFormat {
    /// Parses `php` / `sdk` or `json`.
    pub fn parse(value: &str) -> Result<StoreFormat> {
        match value.trim().to_ascii_lowercase().as_str() {
            "" | "php" | "sdk" => Ok(StoreFormat::PhpSdk),
            "json" => Ok(StoreFormat::Json),
            other => Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("token_store_format '{other}' is not php or json"),
            )),
        }
    }

    /// `php` or `json`, as [`StoreFormat::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            StoreFormat::PhpSdk => "php",
            StoreFormat::Json => "json",
        }
    }

    /// The file name this format uses inside `token_persistence_path`.
    pub fn file_name(self) -> &'static str {
        match self {
            StoreFormat::PhpSdk => SDK_TOKEN_FILE_NAME,
            StoreFormat::Json => JSON_TOKEN_FILE_NAME,
        }
    }
}

/// Everything the client needs to know. Build it with [`Config::new`] and the `with_*`
/// methods, or from the SDK's keys with [`Config::from_pairs`]; [`Config::validate`] runs
/// when a client is created.
#[derive(Clone, Debug)]
pub struct Config {
    /// The client ID from Zoho's API console (`1000.XXXX`).
    pub client_id: String,
    /// The client secret. Never shown.
    pub client_secret: Secret,
    /// The redirect URI registered for the client.
    pub redirect_uri: String,
    /// The accounts server, without a trailing slash (`https://accounts.zoho.com`).
    pub accounts_url: String,
    /// The data centre, when it was given by name or recognised from `accounts_url`.
    pub data_centre: Option<DataCentre>,
    /// The directory holding the token file.
    pub token_persistence_path: Option<PathBuf>,
    /// The token file's format.
    pub token_store_format: StoreFormat,
    /// The user whose tokens the CRM calls use by default (`currentUserEmail`).
    pub current_user_email: Option<String>,
    /// `offline` (a refresh token is issued) or `online`.
    pub access_type: String,
    /// True when the CRM sandbox is used (`sandbox` = `true`).
    pub sandbox: bool,
    /// The CRM API host (`apiBaseUrl`), without scheme, e.g. `www.zohoapis.eu`.
    pub api_base_url: Option<String>,
    /// The directory of the SDK-format log `ZCRMClientLibrary.log` (`applicationLogFilePath`).
    pub application_log_file_path: Option<PathBuf>,
    /// How long to wait for a connection to the accounts server.
    pub connect_timeout: Duration,
    /// How long a whole request to the accounts server may take.
    pub request_timeout: Duration,
    /// Refresh an access token when less than this is left.
    pub refresh_margin: Duration,
    /// The store asked for with `token_store`; `None` chooses as the SDK does (see
    /// [`Config::store_kind`]).
    pub token_store: Option<StoreKind>,
    /// The shared stores' settings (the SDK's MySQL keys, `mysql_*`, `redis_*`).
    pub store_settings: StoreSettings,
    /// `store_recheck_ms`: how long a cached, valid token is served from memory without
    /// asking the store. `None` takes the store's default ([`TokenStore::default_recheck`]:
    /// [`DEFAULT_STORE_RECHECK`] for the file, MySQL and Redis stores, zero for a custom one).
    ///
    /// [`TokenStore::default_recheck`]: crate::store::TokenStore::default_recheck
    pub store_recheck: Option<Duration>,
    /// `lock_timeout_secs`; `None` takes the default (see [`Config::lock_timeout`]).
    pub lock_timeout: Option<Duration>,
}

/// The largest refresh margin: half of the hour an access token lives.
pub const MAX_REFRESH_MARGIN: Duration = Duration::from_secs(1800);

/// The keys read by [`Config::from_pairs`]; every other key is ignored, as the SDK does.
pub const KNOWN_KEYS: &[&str] = &[
    "client_id",
    "client_secret",
    "redirect_uri",
    "accounts_url",
    "data_centre",
    "data_center",
    "token_persistence_path",
    "token_store_format",
    "currentUserEmail",
    "access_type",
    "sandbox",
    "apiBaseUrl",
    "applicationLogFilePath",
    "connect_timeout_secs",
    "timeout_secs",
    "refresh_margin_secs",
    "token_store",
    "store_recheck_ms",
    "lock_timeout_secs",
    "token_base_dir",
];

/// Whether [`Config::from_pairs`] reads `key`: one of [`KNOWN_KEYS`] or [`STORE_KEYS`].
pub fn is_known_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || STORE_KEYS.contains(&key)
}

impl Config {
    /// A configuration with the defaults: US accounts server, offline access, no store
    /// path, 10 s connect timeout, 30 s request timeout, 60 s refresh margin.
    pub fn new(
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        redirect_uri: impl Into<String>,
    ) -> Config {
        Config {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: redirect_uri.into(),
            accounts_url: DataCentre::Us.accounts_url().to_string(),
            data_centre: None,
            token_persistence_path: None,
            token_store_format: StoreFormat::PhpSdk,
            current_user_email: None,
            access_type: "offline".to_string(),
            sandbox: false,
            api_base_url: None,
            application_log_file_path: None,
            connect_timeout: Duration::from_secs(10),
            request_timeout: Duration::from_secs(30),
            refresh_margin: Duration::from_secs(60),
            token_store: None,
            store_settings: StoreSettings::new(),
            store_recheck: None,
            lock_timeout: None,
        }
    }

    /// The token store in use: `token_store` when given; otherwise, as Zoho's SDK chooses,
    /// the token file when `token_persistence_path` is set and MySQL when it is not.
    pub fn store_kind(&self) -> StoreKind {
        match (self.token_store, &self.token_persistence_path) {
            (Some(kind), _) => kind,
            (None, Some(_)) => StoreKind::File,
            (None, None) => StoreKind::Mysql,
        }
    }

    /// How long to wait for another process's refresh of the same user before giving up:
    /// `lock_timeout_secs`, else the connect timeout plus the request timeout plus
    /// [`LOCK_TIMEOUT_SLACK`], the longest a refresh can take.
    pub fn lock_timeout(&self) -> Duration {
        self.lock_timeout.unwrap_or_else(|| {
            self.connect_timeout
                .saturating_add(self.request_timeout)
                .saturating_add(LOCK_TIMEOUT_SLACK)
        })
    }

    /// Selects the store explicitly (`token_store`).
    pub fn with_store_kind(mut self, kind: StoreKind) -> Config {
        self.token_store = Some(kind);
        self
    }

    /// Sets the shared stores' settings.
    pub fn with_store_settings(mut self, settings: StoreSettings) -> Config {
        self.store_settings = settings;
        self
    }

    /// Sets `store_recheck_ms`.
    pub fn with_store_recheck(mut self, recheck: Duration) -> Config {
        self.store_recheck = Some(recheck);
        self
    }

    /// Sets `lock_timeout_secs`.
    pub fn with_lock_timeout(mut self, wait: Duration) -> Config {
        self.lock_timeout = Some(wait);
        self
    }

    /// Sets the accounts server URL, and with it the data centre: the one whose server it
    /// is, or none for any other server (so the two never disagree).
    pub fn with_accounts_url(mut self, url: impl Into<String>) -> Config {
        self.accounts_url = url.into().trim_end_matches('/').to_string();
        self.data_centre = DataCentre::from_accounts_url(&self.accounts_url);
        self
    }

    /// Picks the accounts server of a data centre.
    pub fn with_data_centre(mut self, dc: DataCentre) -> Config {
        self.accounts_url = dc.accounts_url().to_string();
        self.data_centre = Some(dc);
        self
    }

    /// Sets the directory holding the token file.
    pub fn with_token_persistence_path(mut self, dir: impl Into<PathBuf>) -> Config {
        self.token_persistence_path = Some(dir.into());
        self
    }

    /// Sets the token file format.
    pub fn with_token_store_format(mut self, format: StoreFormat) -> Config {
        self.token_store_format = format;
        self
    }

    /// Sets the connect and total request timeouts.
    pub fn with_timeouts(mut self, connect: Duration, request: Duration) -> Config {
        self.connect_timeout = connect;
        self.request_timeout = request;
        self
    }

    /// Sets the refresh margin.
    pub fn with_refresh_margin(mut self, margin: Duration) -> Config {
        self.refresh_margin = margin;
        self
    }

    /// Sets `currentUserEmail`.
    pub fn with_current_user_email(mut self, email: impl Into<String>) -> Config {
        self.current_user_email = Some(email.into());
        self
    }

    /// Sets the directory of the SDK-format log.
    pub fn with_log_directory(mut self, dir: impl Into<PathBuf>) -> Config {
        self.application_log_file_path = Some(dir.into());
        self
    }

    /// The path of the token file, when a persistence path is set: the format's file name
    /// inside `token_persistence_path`. A path that already ends in that file name (as in
    /// `'token_persistence_path' => 'zcrm_oauthtokens.txt'`, which the SDK silently failed
    /// to write) and is not a directory names the file itself.
    pub fn token_file(&self) -> Option<PathBuf> {
        let path = self.token_persistence_path.as_ref()?;
        let file_name = self.token_store_format.file_name();
        let names_the_file = path.file_name().is_some_and(|name| name == file_name);
        if names_the_file && !path.is_dir() {
            return Some(path.clone());
        }
        Some(path.join(file_name))
    }

    /// The path of the SDK-format log file, when a log directory is set.
    pub fn log_file(&self) -> Option<PathBuf> {
        self.application_log_file_path
            .as_ref()
            .map(|dir| dir.join(SDK_LOG_FILE_NAME))
    }

    /// The CRM API base URL with scheme, honouring `sandbox` as the SDK does
    /// (`www` becomes `sandbox`).
    pub fn crm_api_url(&self) -> String {
        let host = self
            .api_base_url
            .clone()
            .unwrap_or_else(|| default_api_host(self.data_centre));
        let host = if self.sandbox {
            host.replacen("www", "sandbox", 1)
        } else {
            host
        };
        format!("https://{host}")
    }

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
        let map: std::collections::BTreeMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string()))
            .collect();
        let required = |key: &str| -> Result<String> {
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
        };
        let mut config = Config::new(
            required("client_id")?,
            Secret::new(required("client_secret")?),
            required("redirect_uri")?,
        );
        let optional = |key: &str| map.get(key).map(|v| v.trim()).filter(|v| !v.is_empty());
        if let Some(dc) = optional("data_centre").or(optional("data_center")) {
            config = config.with_data_centre(DataCentre::from_code(dc)?);
        }
        if let Some(url) = optional("accounts_url") {
            config = config.with_accounts_url(url);
        }
        config.token_persistence_path = token_path::resolve(
            optional("token_persistence_path"),
            optional("token_base_dir"),
        )?;
        if let Some(format) = optional("token_store_format") {
            config.token_store_format = StoreFormat::parse(format)?;
        }
        config.current_user_email = optional("currentUserEmail").map(str::to_string);
        if let Some(access) = optional("access_type") {
            config.access_type = access.to_ascii_lowercase();
        }
        config.sandbox = optional("sandbox").is_some_and(parse_flag);
        config.api_base_url = optional("apiBaseUrl").map(strip_scheme);
        config.application_log_file_path = optional("applicationLogFilePath").map(PathBuf::from);
        if let Some(v) = optional("connect_timeout_secs") {
            config.connect_timeout = parse_seconds("connect_timeout_secs", v, false)?;
        }
        if let Some(v) = optional("timeout_secs") {
            config.request_timeout = parse_seconds("timeout_secs", v, false)?;
        }
        if let Some(v) = optional("refresh_margin_secs") {
            config.refresh_margin = parse_seconds("refresh_margin_secs", v, true)?;
        }
        if let Some(v) = optional("token_store") {
            config.token_store = Some(StoreKind::parse(v)?);
        }
        if let Some(v) = optional("store_recheck_ms") {
            config.store_recheck = Some(store::parse_recheck(v)?);
        }
        if let Some(v) = optional("lock_timeout_secs") {
            config.lock_timeout = Some(parse_seconds("lock_timeout_secs", v, false)?);
        }
        for key in STORE_KEYS {
            if let Some(v) = optional(key) {
                config.store_settings.set(key, v)?;
            }
        }
        config.validate()?;
        Ok(config)
    }

    /// Checks every value: required keys present, no NUL bytes, `accounts_url` an `https`
    /// URL (plain `http` only to a loopback host), `access_type` `offline` or `online`,
    /// timeouts above zero.
    pub fn validate(&self) -> Result<()> {
        for (key, value) in [
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("redirect_uri", self.redirect_uri.as_str()),
        ] {
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
        validate_accounts_url(&self.accounts_url)?;
        if let Some(path) = self.token_persistence_path.as_deref()
            && path.is_relative()
        {
            return Err(token_path::relative_refused(path));
        }
        if self.access_type != "offline" && self.access_type != "online" {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!(
                    "access_type '{}' is not offline or online",
                    self.access_type
                ),
            ));
        }
        if self.refresh_margin > MAX_REFRESH_MARGIN {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!(
                    "refresh_margin_secs must be at most {} (half of an access token's hour): with a larger margin every token would look stale and be refreshed on every call",
                    MAX_REFRESH_MARGIN.as_secs()
                ),
            ));
        }
        if self.connect_timeout.is_zero() || self.request_timeout.is_zero() {
            return Err(Error::new(
                ErrorKind::ConfigInvalid,
                "timeouts must be above zero",
            ));
        }
        Ok(())
    }
}

fn default_api_host(dc: Option<DataCentre>) -> String {
    let domain = dc.unwrap_or(DataCentre::Us).api_domain();
    strip_scheme(domain)
}

fn strip_scheme(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.trim_end_matches('/').to_string()
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

/// Checks that an accounts URL is absolute `https`, or `http` to a loopback host only.
///
/// Error messages show the URL without its user information, query and fragment, which
/// could hold a password or a token; a value that is not a URL at all is not shown.
pub fn validate_accounts_url(url: &str) -> Result<()> {
    let parsed = url::Url::parse(url);
    let shown = parsed
        .as_ref()
        .map(|u| format!(" '{}'", without_credentials(u)))
        .unwrap_or_default();
    let invalid = |why: &str| {
        Error::new(ErrorKind::ConfigInvalid, format!("accounts_url{shown} {why}"))
            .with_hint("use https://accounts.zoho.com or your data centre's server, e.g. https://accounts.zoho.eu")
    };
    let parsed = parsed.map_err(|_| invalid("is not a URL"))?;
    if parsed.query().is_some()
        || parsed.fragment().is_some()
        || !parsed.username().is_empty()
        || parsed.password().is_some()
    {
        return Err(invalid(
            "must not have a query, fragment, user name or password",
        ));
    }
    match parsed.scheme() {
        "https" => Ok(()),
        "http" if is_loopback_host(&parsed) => Ok(()),
        "http" => Err(invalid(
            "uses plain http to a host that is not loopback; tokens would travel unencrypted",
        )),
        _ => Err(invalid("must start with https://")),
    }
}

/// `scheme://host[:port]/path` of a URL: what can be shown of it in a message.
fn without_credentials(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or("");
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    format!("{}://{host}{port}{}", url.scheme(), url.path())
}

/// `candidate` (without a trailing slash) when the client secret and tokens may be sent
/// there: one of Zoho's own accounts servers, or the same scheme, loopback host and port as
/// the `configured` accounts server (a local emulator's other data centres). Anything else,
/// e.g. a forged `accounts-server` in a redirect, gives `None`.
pub fn trusted_accounts_url(candidate: &str, configured: &str) -> Option<String> {
    let candidate = candidate.trim().trim_end_matches('/');
    if DataCentre::from_accounts_url(candidate).is_some() {
        return Some(candidate.to_string());
    }
    let same_loopback_origin = validate_accounts_url(candidate).is_ok()
        && match (url::Url::parse(candidate), url::Url::parse(configured)) {
            (Ok(c), Ok(k)) => {
                c.scheme() == k.scheme()
                    && c.host() == k.host()
                    && c.port_or_known_default() == k.port_or_known_default()
                    && is_loopback_host(&k)
            }
            _ => false,
        };
    same_loopback_origin.then(|| candidate.to_string())
}

fn is_loopback_host(url: &url::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_accounts_server_and_the_data_centre_never_disagree() {
        let eu =
            Config::new("1000.ID", "s", "https://example.com/cb").with_data_centre(DataCentre::Eu);
        assert_eq!(eu.data_centre, Some(DataCentre::Eu));
        let moved = eu.clone().with_accounts_url("http://127.0.0.1:9");
        assert_eq!(
            (moved.accounts_url.as_str(), moved.data_centre),
            ("http://127.0.0.1:9", None)
        );
        let india = eu.with_accounts_url(format!("{}/", DataCentre::In.accounts_url()));
        assert_eq!(
            india.data_centre,
            Some(DataCentre::In),
            "recognised, trailing slash and all"
        );
        assert_eq!(
            india.crm_api_url(),
            format!(
                "https://{}",
                DataCentre::In.api_domain().trim_start_matches("https://")
            )
        );
    }

    fn base() -> Vec<(&'static str, &'static str)> {
        vec![
            ("client_id", "1000.ID"),
            ("client_secret", "s3cr3t"),
            ("redirect_uri", "https://example.com/cb"),
        ]
    }

    fn err_of(pairs: Vec<(&str, &str)>) -> Error {
        match Config::from_pairs(pairs) {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn sdk_messages_for_missing_and_empty_keys_in_sdk_order() {
        assert_eq!(err_of(vec![]).message(), "client_id is mandatory");
        assert_eq!(
            err_of(vec![("client_id", "x")]).message(),
            "client_secret is mandatory"
        );
        assert_eq!(
            err_of(vec![("client_id", "x"), ("client_secret", "y")]).message(),
            "redirect_uri is mandatory"
        );
        let e = err_of(vec![("client_id", ""), ("client_secret", "y")]);
        assert_eq!(e.message(), "client_id value is missing");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing);
    }

    #[test]
    fn defaults_and_unknown_keys() {
        let mut pairs = base();
        pairs.push(("db_port", "3306"));
        pairs.push(("something_else", "x"));
        let c = Config::from_pairs(pairs).expect("valid");
        assert_eq!(c.accounts_url, "https://accounts.zoho.com");
        assert_eq!(c.access_type, "offline");
        assert_eq!(c.refresh_margin, Duration::from_secs(60));
        assert!(c.token_file().is_none());
    }

    #[test]
    fn data_centre_picks_accounts_url_and_accounts_url_wins() {
        let mut pairs = base();
        pairs.push(("data_centre", "eu"));
        let c = Config::from_pairs(pairs.clone()).expect("valid");
        assert_eq!(c.accounts_url, "https://accounts.zoho.eu");
        assert_eq!(c.crm_api_url(), "https://www.zohoapis.eu");
        pairs.push(("accounts_url", "https://accounts.zoho.in/"));
        let c = Config::from_pairs(pairs).expect("valid");
        assert_eq!(c.accounts_url, "https://accounts.zoho.in");
        assert_eq!(c.data_centre, Some(DataCentre::In));
    }

    #[test]
    fn bad_accounts_urls_are_rejected() {
        for bad in [
            "accounts.zoho.com",
            "http://accounts.zoho.com",
            "ftp://x",
            "https://x/?a=1",
            "http://10.0.0.1:80",
        ] {
            let mut pairs = base();
            pairs.push(("accounts_url", bad));
            assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid, "{bad}");
        }
        for good in [
            "http://127.0.0.1:8088",
            "http://localhost:1/eu",
            "http://[::1]:9",
        ] {
            let mut pairs = base();
            pairs.push(("accounts_url", good));
            assert!(Config::from_pairs(pairs).is_ok(), "{good}");
        }
    }

    #[test]
    fn credentials_in_accounts_url_are_refused_and_never_shown() {
        for bad in [
            "https://:hunter2pw@accounts.zoho.com",
            "https://u:hunter2pw@accounts.zoho.com",
            "https://accounts.zoho.com/?t=hunter2pw",
            "https://accounts.zoho.com/#hunter2pw",
            "hunter2pw",
        ] {
            let mut pairs = base();
            pairs.push(("accounts_url", bad));
            let e = err_of(pairs);
            assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{bad}");
            assert!(!e.to_string().contains("hunter2pw"), "{bad}: {e}");
            assert!(!format!("{e:?}").contains("hunter2pw"), "{bad}: {e:?}");
        }
        let mut pairs = base();
        pairs.push(("accounts_url", "https://u:pw@accounts.zoho.com/x"));
        assert!(
            err_of(pairs)
                .to_string()
                .contains("'https://accounts.zoho.com/x'")
        );
    }

    #[test]
    fn sdk_quirks_fixed_sandbox_bool_and_api_base_url_scheme() {
        let mut pairs = base();
        pairs.push(("sandbox", "1"));
        pairs.push(("apiBaseUrl", "https://www.zohoapis.com.au"));
        let c = Config::from_pairs(pairs).expect("valid");
        assert!(c.sandbox);
        assert_eq!(c.crm_api_url(), "https://sandbox.zohoapis.com.au");
    }

    #[test]
    fn numbers_and_formats_are_checked() {
        let mut pairs = base();
        pairs.push(("timeout_secs", "0"));
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
        let mut pairs = base();
        pairs.push(("refresh_margin_secs", "abc"));
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
        let mut pairs = base();
        pairs.push(("token_store_format", "xml"));
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
        let mut pairs = base();
        pairs.push(("access_type", "sometimes"));
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
        let mut pairs = base();
        pairs.push(("token_persistence_path", "/tmp/x"));
        pairs.push(("token_store_format", "json"));
        pairs.push(("refresh_margin_secs", "0.5"));
        let c = Config::from_pairs(pairs).expect("valid");
        assert_eq!(
            c.token_file(),
            Some(PathBuf::from("/tmp/x/zoho_oauth_tokens.json"))
        );
        assert_eq!(c.refresh_margin, Duration::from_millis(500));
        let mut pairs = base();
        pairs.push(("refresh_margin_secs", "1801"));
        let e = err_of(pairs);
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(e.message().contains("at most 1800"), "{e}");
        let mut pairs = base();
        pairs.push(("refresh_margin_secs", "1800"));
        assert!(Config::from_pairs(pairs).is_ok());
    }

    #[test]
    fn a_persistence_path_naming_the_token_file_is_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let file = dir.path().join("zcrm_oauthtokens.txt");
        let with_path = |path: &std::path::Path| {
            let mut pairs: Vec<(String, String)> = base()
                .into_iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            pairs.push(("token_persistence_path".into(), path.display().to_string()));
            Config::from_pairs(pairs).expect("valid")
        };
        assert_eq!(with_path(&file).token_file(), Some(file.clone()));
        assert_eq!(
            with_path(dir.path()).token_file(),
            Some(file.clone()),
            "a directory gets the file inside"
        );
        std::fs::create_dir(&file).expect("a directory named like the file");
        assert_eq!(
            with_path(&file).token_file(),
            Some(file.join("zcrm_oauthtokens.txt")),
            "an existing directory of that name is still a directory"
        );
    }

    #[test]
    fn only_zoho_servers_and_the_configured_loopback_origin_are_trusted() {
        let us = "https://accounts.zoho.com";
        assert_eq!(
            trusted_accounts_url("https://accounts.zoho.eu/", us).as_deref(),
            Some("https://accounts.zoho.eu")
        );
        for forged in [
            "https://accounts.zoho.eu.evil.example",
            "https://evil.example",
            "http://accounts.zoho.eu",
            "https://accounts.zoho.com@evil.example",
            "http://127.0.0.1:9/eu",
        ] {
            assert_eq!(trusted_accounts_url(forged, us), None, "{forged}");
        }
        let emulator = "http://127.0.0.1:4000";
        assert_eq!(
            trusted_accounts_url("http://127.0.0.1:4000/eu", emulator).as_deref(),
            Some("http://127.0.0.1:4000/eu")
        );
        assert_eq!(
            trusted_accounts_url("http://127.0.0.1:4001/eu", emulator),
            None
        );
        assert_eq!(
            trusted_accounts_url("http://localhost:4000/eu", emulator),
            None
        );
        assert_eq!(
            trusted_accounts_url("http://127.0.0.1:4000/eu?x=1", emulator),
            None
        );
        assert_eq!(StoreFormat::Json.name(), "json");
    }

    #[test]
    fn nul_bytes_are_rejected() {
        let pairs = vec![
            ("client_id", "10\u{0}00"),
            ("client_secret", "y"),
            ("redirect_uri", "https://e/cb"),
        ];
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
    }
}
