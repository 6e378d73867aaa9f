//! Where the settings come from: a `key=value` file, then `ZOHO_*` environment variables,
//! then flags; later sources win. Produces the SDK's keys for [`Config::from_pairs`].

use std::collections::BTreeMap;
use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use zoho_oauth::config::StoreKind;
use zoho_oauth::config::is_known_key;
use zoho_oauth::{Config, OAuthClient, StoreFormat, TokenStore};

use crate::cli::{Global, split_scopes};
use crate::environment::ENV_VARS;
use crate::exit::{Class, Failure};
use crate::output::warn;
use crate::prompt;

/// The redirect URI used when none is configured.
pub const DEFAULT_REDIRECT_URI: &str = "http://localhost:8910/callback";

/// Keys the CLI reads besides the SDK's.
const CLI_KEYS: &[&str] = &["scope"];

/// The merged settings, as SDK keys.
pub struct Settings {
    pairs: BTreeMap<String, String>,
    default_token_dir: bool,
}

impl Settings {
    /// Reads the file, the environment and the flags, in that order.
    pub fn load(args: &Global) -> Result<Settings, Failure> {
        let mut pairs = BTreeMap::new();
        if let Some((path, required)) = config_path(args) {
            for (key, value) in read_file(&path, required)? {
                set(&mut pairs, &key, value);
            }
        }
        for (var, key) in ENV_VARS {
            if let Some(value) = std::env::var(var).ok().filter(|v| !v.is_empty()) {
                set(&mut pairs, key, value);
            }
        }
        for (key, value) in flags(args) {
            set(&mut pairs, key, value.to_string());
        }
        let mut default_token_dir = false;
        if !pairs.contains_key("token_persistence_path") && !names_shared_store(&pairs) {
            let dir = default_token_dir_path().ok_or_else(|| {
                Failure::usage("no token directory: HOME is not set")
                    .with_hint("set token_persistence_path, ZOHO_TOKEN_DIR or --token-dir")
            })?;
            pairs.insert("token_persistence_path".into(), dir.display().to_string());
            default_token_dir = true;
        }
        resolve_relative_token_dir(&mut pairs)?;
        pairs
            .entry("redirect_uri".into())
            .or_insert_with(|| DEFAULT_REDIRECT_URI.into());
        Ok(Settings {
            pairs,
            default_token_dir,
        })
    }

    /// A setting, if set and not blank.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.pairs
            .get(key)
            .map(|v| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The token file's format.
    pub fn store_format(&self) -> Result<StoreFormat, Failure> {
        Ok(StoreFormat::parse(
            self.get("token_store_format").unwrap_or(""),
        )?)
    }

    /// The token directory, created (0700) when it is the default one.
    pub fn token_dir(&self) -> Result<PathBuf, Failure> {
        let dir = PathBuf::from(self.get("token_persistence_path").unwrap_or("."));
        if self.default_token_dir && !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(&dir)
                .map_err(|e| {
                    Failure::new(
                        Class::Store,
                        format!("cannot create the token directory {}: {e}", dir.display()),
                    )
                })?;
        }
        Ok(dir)
    }

    /// The configured token store: the token file in the token directory, or MySQL or
    /// Redis when `token_store` says so (opened through the library, as every door does).
    pub fn store(&self) -> Result<Arc<dyn TokenStore>, Failure> {
        if names_shared_store(&self.pairs) || self.names_sdk_csv() {
            return Ok(zoho_oauth::store::open(&self.config_with_placeholders()?)?);
        }
        let dir = self.token_dir()?;
        Ok(Arc::new(zoho_oauth::FileStore::in_directory(
            dir,
            self.store_format()?,
        )?))
    }

    /// Whether `token_persistence_path` names the current SDKs' `sdk_tokens.txt`.
    fn names_sdk_csv(&self) -> bool {
        self.get("token_persistence_path")
            .is_some_and(|p| zoho_oauth::store::sdk_csv::names_csv(std::path::Path::new(p)))
    }

    /// What `users` shows as the store's format: the file format, `csv`, or `mysql` / `redis`.
    pub fn store_label(&self) -> Result<&'static str, Failure> {
        if self.names_sdk_csv() && !names_shared_store(&self.pairs) {
            return Ok("csv");
        }
        match self.get("token_store").map(StoreKind::parse).transpose()? {
            Some(kind) if kind.is_shared() => Ok(kind.name()),
            _ => Ok(self.store_format()?.name()),
        }
    }

    /// The scopes from the configuration (`scope` key), if any.
    pub fn scopes(&self) -> Vec<String> {
        self.get("scope")
            .map(|s| split_scopes(s).collect())
            .unwrap_or_default()
    }

    /// A validated configuration for talking to Zoho. A missing client secret is asked
    /// for without echo when stdin is a terminal.
    pub fn client_config(&self) -> Result<Config, Failure> {
        self.require_client_id()?;
        let mut pairs = self.pairs.clone();
        if self.get("client_secret").is_none() {
            pairs.insert("client_secret".into(), ask_client_secret()?);
        }
        Ok(Config::from_pairs(pairs)?)
    }

    /// A configuration for work that sends nothing to Zoho (URLs, validity checks): a
    /// missing client ID or secret is replaced by a placeholder instead of asked for.
    pub fn config_with_placeholders(&self) -> Result<Config, Failure> {
        let mut pairs = self.pairs.clone();
        for key in ["client_id", "client_secret"] {
            if self.get(key).is_none() {
                pairs.insert(key.into(), "unset".into());
            }
        }
        Ok(Config::from_pairs(pairs)?)
    }

    /// Fails when no client ID is configured.
    pub fn require_client_id(&self) -> Result<(), Failure> {
        match self.get("client_id") {
            Some(_) => Ok(()),
            None => Err(Failure::usage("client_id is not set").with_hint(
                "put client_id=1000.XXXX in the config file, or set ZOHO_CLIENT_ID or --client-id",
            )),
        }
    }

    /// A client on the configured store, talking to `config`'s accounts server.
    pub fn client(&self, config: Config) -> Result<OAuthClient, Failure> {
        Ok(OAuthClient::new(config, self.store()?)?)
    }
}

/// The SDK keys the flags set.
fn flags(args: &Global) -> impl Iterator<Item = (&'static str, &str)> {
    [
        ("client_id", &args.client_id),
        ("redirect_uri", &args.redirect_uri),
        ("data_centre", &args.dc),
        ("accounts_url", &args.accounts_url),
        ("token_persistence_path", &args.token_dir),
        ("token_store_format", &args.store_format),
    ]
    .into_iter()
    .filter_map(|(key, value)| Some((key, value.as_deref()?)))
}

/// Whether the settings select a shared store (`token_store=mysql` or `redis`), which needs
/// no token directory.
fn names_shared_store(pairs: &BTreeMap<String, String>) -> bool {
    pairs
        .get("token_store")
        .and_then(|v| StoreKind::parse(v).ok())
        .is_some_and(StoreKind::is_shared)
}

/// Sets `key`, keeping `data_centre` and `accounts_url` exclusive: a later source that names
/// one replaces what an earlier source said with the other.
fn set(pairs: &mut BTreeMap<String, String>, key: &str, value: String) {
    let key = if key == "data_center" {
        "data_centre"
    } else {
        key
    };
    match key {
        "data_centre" => {
            pairs.remove("accounts_url");
        }
        "accounts_url" => {
            pairs.remove("data_centre");
        }
        _ => {}
    }
    pairs.insert(key.to_string(), value);
}

/// The config file to read and whether it must exist (named explicitly) or not (default).
fn config_path(args: &Global) -> Option<(PathBuf, bool)> {
    if let Some(path) = &args.config {
        return Some((path.clone(), true));
    }
    if let Some(path) = std::env::var_os("ZOHO_OAUTH_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    let base = xdg_dir("XDG_CONFIG_HOME", ".config")?;
    Some((base.join("zoho-oauth").join("config"), false))
}

/// A relative token directory is taken inside `token_base_dir`, else inside the CLI's data
/// directory (`$XDG_DATA_HOME/zoho-oauth`), never in the working directory: the same rule
/// as the library's (see `token_base_dir`), so a configuration shared with a web app that
/// sets the same base finds the same file.
fn resolve_relative_token_dir(pairs: &mut BTreeMap<String, String>) -> Result<(), Failure> {
    let Some(path) = pairs
        .get("token_persistence_path")
        .map(|p| p.trim().to_string())
    else {
        return Ok(());
    };
    if path.is_empty() || Path::new(&path).is_absolute() {
        return Ok(());
    }
    let base = match pairs
        .get("token_base_dir")
        .map(|b| b.trim())
        .filter(|b| !b.is_empty())
    {
        Some(base) => PathBuf::from(base),
        None => default_token_dir_path().ok_or_else(|| {
            Failure::usage(format!(
                "the token directory {path} is relative and HOME is not set"
            ))
            .with_hint("give an absolute --token-dir, or set token_base_dir")
        })?,
    };
    pairs.insert(
        "token_persistence_path".into(),
        base.join(&path).display().to_string(),
    );
    Ok(())
}

fn default_token_dir_path() -> Option<PathBuf> {
    xdg_dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("zoho-oauth"))
}

fn xdg_dir(var: &str, under_home: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(var).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(under_home))
}

/// Reads `key=value` lines; `#` starts a comment line; values may be quoted.
fn read_file(path: &Path, required: bool) -> Result<Vec<(String, String)>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Vec::new()),
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read the configuration file {}: {e}",
                path.display()
            )));
        }
    };
    check_permissions(path);
    parse_lines(&text).map_err(|(line, why)| {
        Failure::usage(format!("{} line {line}: {why}", path.display()))
            .with_hint("each line is key=value, e.g. client_id=1000.XXXX; # starts a comment")
    })
}

fn check_permissions(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            warn(&format!(
                "{} is readable by other users (mode {mode:04o}) and may hold the client secret; run: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
}

/// Parses the file's lines; an error names the line number.
pub fn parse_lines(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut pairs = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err((index + 1, "expected key=value".into()));
        };
        let key = key.trim();
        if !is_known_key(key) && !CLI_KEYS.contains(&key) {
            warn(&format!(
                "ignoring unknown key '{key}' on line {}",
                index + 1
            ));
            continue;
        }
        pairs.push((key.to_string(), unquote(value.trim()).to_string()));
    }
    Ok(pairs)
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

fn ask_client_secret() -> Result<String, Failure> {
    let missing = || {
        Failure::usage("client_secret is not set").with_hint(
            "put client_secret=... in the config file (mode 0600) or set ZOHO_CLIENT_SECRET; it is never read from the command line",
        )
    };
    match prompt::secret("Client secret: ") {
        Some(Ok(value)) if !value.trim().is_empty() => Ok(value.trim().to_string()),
        Some(Err(e)) => Err(Failure::usage(format!(
            "cannot read the client secret: {e}"
        ))),
        _ => Err(missing()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lines_comments_quotes_and_errors() {
        let text = "# comment\n\nclient_id = 1000.X\nclient_secret=\"a=b\"\nscope='A.b'\n";
        let pairs = parse_lines(text).expect("valid");
        assert_eq!(
            pairs,
            [
                ("client_id".to_string(), "1000.X".to_string()),
                ("client_secret".to_string(), "a=b".to_string()),
                ("scope".to_string(), "A.b".to_string()),
            ]
        );
        assert_eq!(parse_lines("a\nno equals sign").err().map(|e| e.0), Some(1));
        assert_eq!(parse_lines("unknown_key=1").ok().map(|p| p.len()), Some(0));
    }

    #[test]
    fn data_centre_and_accounts_url_replace_each_other() {
        let mut pairs = BTreeMap::new();
        set(
            &mut pairs,
            "accounts_url",
            "https://accounts.zoho.in".into(),
        );
        set(&mut pairs, "data_center", "eu".into());
        assert_eq!(pairs.get("data_centre").map(String::as_str), Some("eu"));
        assert!(!pairs.contains_key("accounts_url"));
        set(&mut pairs, "accounts_url", "http://127.0.0.1:1".into());
        assert!(!pairs.contains_key("data_centre"));
    }
}
