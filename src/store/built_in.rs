//! The one selector: [`STORES`] lists every store of this library, one line each, and
//! [`BuiltInStore::of`] is the only place that decides which of them a configuration means
//! ([`super::open`] opens it; the doors ask it for labels, `token_store` values and sides).
//! Each store declares its own [`StoreEntry`] in its folder (its labels, the `token_store`
//! value that selects it, when it is the one meant, and its type); a new store is a new
//! folder under `src/store/` plus one line in [`STORES`] (and one row per new key in the key
//! table, `crate::config::key_table`).

use std::fmt;
use std::sync::Arc;

use super::{BuiltIn, TokenStore};
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

/// What a store is, as far as the doors need to know: where its tokens live.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoreClass {
    /// Our token file, in this format, on this machine.
    TokenFile(StoreFormat),
    /// The current SDKs' CSV token file (`sdk_tokens.txt`) on this machine.
    SdkCsv,
    /// A server several machines share (MySQL, Redis).
    Shared,
}

/// Opens a store from a configuration, wrapped in [`BuiltIn`].
type Opener = fn(&Config) -> Result<Arc<dyn TokenStore>>;

/// A store that opens from a configuration alone: what a store's [`StoreEntry`] is made of.
pub(crate) trait OpenFromConfig: TokenStore + Sized + 'static {
    /// The store `config` describes. Opening never connects to a server.
    fn open_from(config: &Config) -> Result<Self>;
}

/// [`OpenFromConfig::open_from`], handed out as every built-in store is: in [`BuiltIn`],
/// so the defaults every store of this library gets cannot be forgotten by one.
fn open_built_in<S: OpenFromConfig>(config: &Config) -> Result<Arc<dyn TokenStore>> {
    Ok(Arc::new(BuiltIn(S::open_from(config)?)))
}

/// How configurations and labels name one built-in store, and how it is opened. Made with
/// [`StoreEntry::new`] and the `const` methods after it, in the store's own folder.
pub struct StoreEntry {
    /// Unique among the entries (both MySQL layouts share a label, not a name).
    name: &'static str,
    /// The label outputs show and `migrate` sides name.
    label: &'static str,
    /// Other labels [`BuiltInStore::parse`] reads as this store.
    aliases: &'static [&'static str],
    /// The `token_store` value that selects it.
    token_store: &'static str,
    /// Other `token_store` values that select it.
    token_store_aliases: &'static [&'static str],
    /// Where its tokens live.
    class: StoreClass,
    /// Whether a configuration of its `token_store` means this store.
    selected_when: fn(&Config) -> bool,
    /// How it opens; `None` when this build left it out.
    open: Option<Opener>,
}

impl StoreEntry {
    /// The store of type `S`, called `name` (also its label), selected by `token_store`,
    /// whenever that is configured, unless the `const` methods below say otherwise.
    pub(crate) const fn new<S: OpenFromConfig>(
        name: &'static str,
        token_store: &'static str,
        class: StoreClass,
    ) -> StoreEntry {
        StoreEntry {
            name,
            label: name,
            aliases: &[],
            token_store,
            token_store_aliases: &[],
            class,
            selected_when: always,
            open: Some(open_built_in::<S>),
        }
    }

    /// Shown and parsed as `label` (the entry keeps its unique name).
    #[allow(dead_code)] // builds without some stores (cargo features) may not call it
    pub(crate) const fn labelled(mut self, label: &'static str) -> StoreEntry {
        self.label = label;
        self
    }

    /// Also parsed from these labels (`migrate` sides).
    #[allow(dead_code)] // builds without some stores (cargo features) may not call it
    pub(crate) const fn also_parsed_from(mut self, aliases: &'static [&'static str]) -> StoreEntry {
        self.aliases = aliases;
        self
    }

    /// Also selected by these `token_store` values.
    #[allow(dead_code)] // builds without some stores (cargo features) may not call it
    pub(crate) const fn also_selected_by(mut self, values: &'static [&'static str]) -> StoreEntry {
        self.token_store_aliases = values;
        self
    }

    /// The one meant by a configuration of its `token_store` only when `test` holds.
    #[allow(dead_code)] // builds without some stores (cargo features) may not call it
    pub(crate) const fn selected_when(mut self, test: fn(&Config) -> bool) -> StoreEntry {
        self.selected_when = test;
        self
    }

    /// The entry of a store this build left out (cargo feature `feature`, named like the
    /// store): configuring it is a clear error, not an unknown store.
    #[allow(dead_code)] // used only by builds without a store's feature
    const fn left_out(feature: &'static str) -> StoreEntry {
        StoreEntry {
            name: feature,
            label: feature,
            aliases: &[],
            token_store: feature,
            token_store_aliases: &[],
            class: StoreClass::Shared,
            selected_when: always,
            open: None,
        }
    }

    /// Whether `value` (trimmed, lower case) is a `token_store` value that selects it.
    fn selected_by(&self, value: &str) -> bool {
        self.token_store == value || self.token_store_aliases.contains(&value)
    }
}

/// Any configuration of the entry's `token_store`.
fn always(_: &Config) -> bool {
    true
}

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
    let mut named = all_in(table).filter(|s| s.0.selected_by(value)).peekable();
    if named.peek().is_none() {
        return Err(unknown_store(table, value));
    }
    named
        .find(|s| (s.0.selected_when)(config))
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
