//! What one built-in store is made of: its [`StoreEntry`] (how configurations and labels
//! name it, and how it opens), declared in the store's own folder, and [`StoreClass`]. The
//! selector (`built_in.rs`) lists the entries; this module depends on neither, so the
//! folders and the selector do not import each other both ways.

use std::sync::Arc;

use super::{BuiltIn, TokenStore};
use crate::config::{Config, StoreFormat};
use crate::error::Result;

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
pub(super) type Opener = fn(&Config) -> Result<Arc<dyn TokenStore>>;

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
    pub(super) name: &'static str,
    /// The label outputs show and `migrate` sides name.
    pub(super) label: &'static str,
    /// Other labels [`BuiltInStore::parse`] reads as this store.
    pub(super) aliases: &'static [&'static str],
    /// The `token_store` value that selects it.
    pub(super) token_store: &'static str,
    /// Other `token_store` values that select it.
    pub(super) token_store_aliases: &'static [&'static str],
    /// Where its tokens live.
    pub(super) class: StoreClass,
    /// Whether a configuration of its `token_store` means this store.
    pub(super) selected_when: fn(&Config) -> bool,
    /// How it opens; `None` when this build left it out.
    pub(super) open: Option<Opener>,
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
    pub(super) const fn left_out(feature: &'static str) -> StoreEntry {
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
    pub(super) fn selected_by(&self, value: &str) -> bool {
        self.token_store == value || self.token_store_aliases.contains(&value)
    }
}

/// Any configuration of the entry's `token_store`.
fn always(_: &Config) -> bool {
    true
}
