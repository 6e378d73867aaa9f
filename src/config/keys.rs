//! The one typed table of configuration keys ([`KEYS`], in `key_table.rs`) and what reads
//! it: the allow-list ([`is_known_key`], [`all_keys`]), redaction ([`is_secret_key`]) and
//! [`crate::Config::from_pairs`] (`pairs.rs`), which applies each key with its parser.
//!
//! Adding a key is one entry in [`KEYS`]: its name, the part of the [`crate::Config`] it
//! sets, its default (as text, for the documentation), whether it is secret, the CLI's
//! environment variables and flag for it, its meaning, and its parser. The documents that
//! list keys (`docs/configuration.md`, the C header, `capi/include/README.md`) are held to
//! the table by `tests/config_keys.rs`.

use super::Config;
use crate::error::Result;

pub use super::key_table::KEYS;

/// The part of the [`Config`] a key sets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConfigPart {
    /// The client's identity and accounts server ([`crate::config::ClientIdentity`]).
    Identity,
    /// The client secret.
    ClientSecret,
    /// The timing policy ([`crate::config::Policy`]).
    Policy,
    /// The store selection ([`crate::config::StoreChoice`]): path, format, kind.
    StoreChoice,
    /// A shared store's own setting, kept raw in [`crate::config::StoreSettings`] and read
    /// by the store when it is opened.
    StoreSettings,
    /// The CRM defaults ([`crate::config::CrmDefaults`]).
    Crm,
    /// The encryption at rest of stored tokens ([`crate::config::EncryptionSettings`]).
    Encryption,
}

impl ConfigPart {
    /// The part's name, as the documentation shows it.
    pub fn name(self) -> &'static str {
        match self {
            ConfigPart::Identity => "identity",
            ConfigPart::ClientSecret => "client secret",
            ConfigPart::Policy => "policy",
            ConfigPart::StoreChoice => "store choice",
            ConfigPart::StoreSettings => "store settings",
            ConfigPart::Crm => "CRM defaults",
            ConfigPart::Encryption => "encryption",
        }
    }
}

/// Whether [`crate::Config::from_pairs`] requires a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Need {
    /// Optional: the value is trimmed, and a blank one counts as absent.
    Optional,
    /// Required by every `from_pairs` (`<key> is mandatory` when absent, `<key> value is
    /// missing` when empty); the value is used as given.
    Always,
    /// Required by [`crate::Config::from_pairs`], optional (used when not empty) for
    /// [`crate::Config::from_pairs_without_secret`]; the value is used as given.
    ForTokens,
}

/// A key's value as its parser gets it, with the other keys (a key whose meaning depends on
/// another, as `token_persistence_path` on `token_base_dir`, reads it here).
pub struct Given<'a> {
    /// The key's name (its parser's messages name it).
    pub key: &'static str,
    /// The value: as given for a required key, trimmed and not blank otherwise.
    pub value: &'a str,
    pub(super) others: &'a dyn Fn(&str) -> Option<&'a str>,
}

impl<'a> Given<'a> {
    /// Another key's value, trimmed, `None` when absent or blank.
    pub fn other(&self, key: &str) -> Option<&'a str> {
        (self.others)(key)
    }
}

/// Applies a key's value to a configuration, or refuses it with the key's message.
pub type Parser = fn(Config, &Given<'_>) -> Result<Config>;

/// One configuration key.
#[derive(Clone, Copy)]
pub struct Key {
    /// The key's name, as Zoho's SDK (or, for ours, this library) spells it.
    pub name: &'static str,
    /// Other names read as this key, used when the name is absent (`data_center`).
    pub aliases: &'static [&'static str],
    /// The part of the [`Config`] the key sets.
    pub part: ConfigPart,
    /// What applies when the key is not given, as the documentation shows it.
    pub default: &'static str,
    /// Whether the value is a secret: never shown (`[redacted]` where a door lists values).
    pub secret: bool,
    /// Whether it is required.
    pub need: Need,
    /// The CLI's environment variables for the key (a later one wins); none: config file
    /// only.
    pub env: &'static [&'static str],
    /// The CLI's flag for the key (`--token-dir`), if it has one.
    pub flag: Option<&'static str>,
    /// What the key means, one sentence or two of Markdown.
    pub meaning: &'static str,
    /// Applies the value to a configuration.
    pub parse: Parser,
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Key")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Key {
    /// The key's name, then its aliases.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + use<> {
        std::iter::once(self.name).chain(self.aliases.iter().copied())
    }
}

/// The key named `name` (or by one of its aliases).
pub fn find_key(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.names().any(|n| n == name))
}

/// Whether [`crate::Config::from_pairs`] reads `key` (a name or an alias in [`KEYS`]).
pub fn is_known_key(key: &str) -> bool {
    find_key(key).is_some()
}

/// Whether `key` holds a secret (the client secret, a password, a URL that may carry one):
/// every door that lists values shows it redacted.
pub fn is_secret_key(key: &str) -> bool {
    find_key(key).is_some_and(|k| k.secret)
}

/// Whether `key` is a shared store's setting ([`ConfigPart::StoreSettings`]).
pub fn is_store_key(key: &str) -> bool {
    find_key(key).is_some_and(|k| k.part == ConfigPart::StoreSettings)
}

/// Every key [`crate::Config::from_pairs`] reads, names and aliases, in the table's order.
pub fn all_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter().flat_map(Key::names)
}

/// The shared stores' keys ([`ConfigPart::StoreSettings`]), in the table's order.
pub fn store_keys() -> impl Iterator<Item = &'static str> {
    KEYS.iter()
        .filter(|k| k.part == ConfigPart::StoreSettings)
        .map(|k| k.name)
}
