//! The one selector: [`STORES`] lists every store of this library, one line each, and
//! [`BuiltInStore::of`] is the only place that decides which of them a configuration means
//! ([`super::open`] opens it; the doors ask it for labels, `token_store` values and sides).
//! Each store declares its own [`StoreEntry`] in its folder (its labels, the `token_store`
//! value that selects it, when it is the one meant, and its type); a new store is a new
//! folder under `src/store/` plus one line in [`STORES`] (and one row per new key in the key
//! table, `crate::config::key_table`).

use std::fmt;
use std::sync::Arc;

use super::TokenStore;
use super::entry::{StoreClass, StoreEntry};
use crate::config::{Config, StoreFormat, StoreKind};
use crate::error::{Error, ErrorKind, Result};

/// `&ENTRY` when this build has the cargo feature, else an entry that refuses to open
/// ([`StoreEntry::left_out`]): one line of [`STORES`] either way.
macro_rules! built_with {
    ($feature:literal, $entry:path) => {{
        #[cfg(feature = $feature)]
        const ENTRY: &StoreEntry = &$entry;
        #[cfg(not(feature = $feature))]
        const ENTRY: &StoreEntry = &StoreEntry::left_out($feature);
        ENTRY
    }};
}

/// Every built-in store, in the order [`BuiltInStore::of`] asks them: within one
/// `token_store` value the first whose [`StoreEntry::selected_when`] holds is chosen (the
/// CSV before the token files, the `oauthtoken` layout before the old one). A store this
/// build was compiled without (cargo features `mysql`, `redis`) stays listed by
/// [`built_with!`], so configuring it is refused by name.
pub(crate) static STORES: &[&StoreEntry] = &[
    &super::sdk_csv::ENTRY,
    &super::file::PHP_ENTRY,
    &super::file::JSON_ENTRY,
    built_with!("mysql", super::mysql::oauthtoken::ENTRY),
    built_with!("mysql", super::mysql::ENTRY),
    built_with!("redis", super::redis::ENTRY),
];

/// One built-in token store: an entry of the selector's table (`STORES`).
#[derive(Clone, Copy)]
pub struct BuiltInStore(&'static StoreEntry);

impl BuiltInStore {
    /// Every built-in store, in the selector's order.
    pub fn all() -> impl Iterator<Item = BuiltInStore> {
        all_in(STORES)
    }

    /// The store `config` means: the first entry of `STORES` selected by the
    /// configuration's `token_store` (`file` when only `token_persistence_path` is given)
    /// whose condition holds: the CSV when the path names `sdk_tokens.txt`, else the token
    /// file in `token_store_format`; MySQL in the `oauthtoken` layout when `mysql_table` is
    /// `oauthtoken`, else in the old one; Redis. A configuration that names no store is an
    /// [`ErrorKind::ConfigMissing`] error (no store is guessed); a `token_store` that names
    /// no store is an [`ErrorKind::ConfigInvalid`] error listing the values there are.
    pub fn of(config: &Config) -> Result<BuiltInStore> {
        select_in(STORES, config)
    }

    /// Refuses a configuration whose `token_store` names no store of this library (the
    /// error of [`BuiltInStore::of`]); a configuration without `token_store` passes. The
    /// doors call it when a configuration is given (PHP's `initialize`, the CLI's settings),
    /// so a wrong value is refused there, not first when the store is opened.
    pub fn check_requested(config: &Config) -> Result<()> {
        match config.store().requested_kind() {
            Some(_) => BuiltInStore::of(config).map(drop),
            None => Ok(()),
        }
    }

    /// The token file in `format`.
    pub fn file(format: StoreFormat) -> BuiltInStore {
        match format {
            StoreFormat::PhpSdk => BuiltInStore(&super::file::PHP_ENTRY),
            StoreFormat::Json => BuiltInStore(&super::file::JSON_ENTRY),
        }
    }

    /// The current SDKs' CSV token file.
    pub fn sdk_csv() -> BuiltInStore {
        BuiltInStore(&super::sdk_csv::ENTRY)
    }

    /// The store a label names (a side of `migrate`): its label or an alias (`csv` or
    /// `sdk_tokens`, `php` or `sdk`, `json`, `mysql` or `mariadb`, `redis`); for MySQL the
    /// table layout then comes from `mysql_table` (see [`BuiltInStore::of`]). Case and
    /// surrounding blanks do not matter.
    pub fn parse(label: &str) -> Result<BuiltInStore> {
        parse_in(STORES, label)
    }

    /// The stable label outputs show: `php`, `json`, `csv`, `mysql` (both table layouts) or
    /// `redis`; [`BuiltInStore::parse`] reads it back.
    pub fn label(self) -> &'static str {
        self.0.label
    }

    /// Every label, once each, in the selector's order (`migrate` sides, completions).
    pub fn labels() -> Vec<&'static str> {
        distinct(BuiltInStore::all().map(BuiltInStore::label))
    }

    /// The `token_store` value that selects it (`file` for the three token files).
    pub fn kind(self) -> StoreKind {
        StoreKind::named(self.0.token_store)
    }

    /// Where its tokens live.
    pub fn class(self) -> StoreClass {
        self.0.class
    }

    /// The format of our token file, for the two token files.
    pub fn file_format(self) -> Option<StoreFormat> {
        match self.0.class {
            StoreClass::TokenFile(format) => Some(format),
            _ => None,
        }
    }

    /// Whether it is a file on this machine (our token file or the SDK's CSV).
    pub fn is_file(self) -> bool {
        self.0.class != StoreClass::Shared
    }

    /// Whether several machines share it (MySQL, Redis).
    pub fn is_shared(self) -> bool {
        self.0.class == StoreClass::Shared
    }

    /// Whether `token_store` = `value` selects a store several machines share.
    pub fn shared_kind(value: &str) -> bool {
        let value = value.trim().to_ascii_lowercase();
        BuiltInStore::all().any(|s| s.0.selected_by(&value) && s.is_shared())
    }

    /// Opens it for `config` (see [`super::open`], which also seals it): an
    /// [`ErrorKind::ConfigInvalid`] error when this build left it out.
    pub fn open(self, config: &Config) -> Result<Arc<dyn TokenStore>> {
        match self.0.open {
            Some(open) => open(config),
            None => Err(left_out_error(self.0.name)),
        }
    }
}

impl PartialEq for BuiltInStore {
    fn eq(&self, other: &BuiltInStore) -> bool {
        self.0.name == other.0.name
    }
}

impl Eq for BuiltInStore {}

impl std::hash::Hash for BuiltInStore {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.name.hash(state);
    }
}

impl fmt::Debug for BuiltInStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BuiltInStore({})", self.0.name)
    }
}

/// The stores of `table`.
fn all_in(table: &'static [&'static StoreEntry]) -> impl Iterator<Item = BuiltInStore> {
    table.iter().map(|entry| BuiltInStore(entry))
}

/// [`BuiltInStore::of`] over `table`.
fn select_in(table: &'static [&'static StoreEntry], config: &Config) -> Result<BuiltInStore> {
    let kind = config.store().kind().ok_or_else(no_store)?;
    let value = kind.name();
    all_in(table)
        .find(|s| s.0.selected_by(value) && (s.0.selected_when)(config))
        .ok_or_else(|| unknown_store(table, value))
}

/// [`BuiltInStore::parse`] over `table`.
fn parse_in(table: &'static [&'static StoreEntry], label: &str) -> Result<BuiltInStore> {
    let wanted = label.trim().to_ascii_lowercase();
    all_in(table)
        .find(|s| s.0.label == wanted || s.0.aliases.contains(&wanted.as_str()))
        .ok_or_else(|| {
            let labels = distinct(all_in(table).map(BuiltInStore::label));
            Error::new(
                ErrorKind::ConfigInvalid,
                format!(
                    "'{}' names no token store: use {}",
                    label.trim(),
                    labels.join(", ")
                ),
            )
        })
}

/// The error for a `token_store` value no entry of `table` answers to.
fn unknown_store(table: &'static [&'static StoreEntry], value: &str) -> Error {
    let values = distinct(all_in(table).map(|s| s.0.token_store));
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("token_store must be {} (not '{value}')", or_list(&values)),
    )
}

/// `words` in order, each once.
fn distinct(words: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut seen = Vec::new();
    for word in words {
        if !seen.contains(&word) {
            seen.push(word);
        }
    }
    seen
}

/// `a, b or c`.
fn or_list(words: &[&str]) -> String {
    match words.split_last() {
        Some((last, [])) => (*last).to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

/// The error for a store this build was compiled without.
fn left_out_error(name: &str) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("token_store={name}: this build of zoho-oauth has no {name} store"),
    )
    .with_hint(format!(
        "build zoho-oauth with its cargo feature `{name}` (on by default), or configure another store"
    ))
}

/// The error for a configuration that names no store.
fn no_store() -> Error {
    Error::new(
        ErrorKind::ConfigMissing,
        "no token store is configured: token_persistence_path or token_store is mandatory",
    )
    .with_hint(NO_STORE_HINT)
}

/// What to set when no store is configured.
const NO_STORE_HINT: &str = "set token_persistence_path to a directory the application owns (the token file zcrm_oauthtokens.txt is kept there), or token_store=mysql or token_store=redis with that store's keys";

#[cfg(test)]
mod tests;
