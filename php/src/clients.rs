//! The core clients, kept for the life of the PHP process (a PHP-FPM worker serves many
//! requests): one per configuration, re-used when a later request calls `initialize()` with
//! the same configuration, so the token cache makes `getAccessToken` a memory read.
//!
//! Only Rust data is kept here: a custom persistence handler is referred to by its class
//! name, and its PHP object lives for one call (see [`crate::persistence`]). The core client
//! is fork-safe (its HTTP pool is created per process).

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use zoho_oauth::config::StoreKind;
use zoho_oauth::{Config, Error, ErrorKind, OAuthClient};

use crate::initialized::{Initialized, StoreChoice};
use crate::lru::Lru;
use crate::persistence::PhpHandlerStore;

/// The store Zoho's PHP SDK uses when a configuration names none (MySQL): this door's
/// default, asked for explicitly (the core guesses no store).
pub(crate) const SDK_DEFAULT_STORE: &str = "mysql";

/// How many configurations keep a client; the least recently used one goes first.
const MAX_CLIENTS: usize = 32;

type Key = Vec<(String, String)>;

static CLIENTS: Mutex<Lru<Key, Arc<OAuthClient>>> = Mutex::new(Lru::new(MAX_CLIENTS));

/// Clients built in this process.
static BUILT: AtomicU64 = AtomicU64::new(0);
/// Times a kept client was used again (a later `initialize()` with the same configuration).
static REUSED: AtomicU64 = AtomicU64::new(0);

/// Process statistics for `phpinfo()`: (clients kept, clients built, re-uses).
pub fn statistics() -> (usize, u64, u64) {
    let kept = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner).len();
    (
        kept,
        BUILT.load(Ordering::Relaxed),
        REUSED.load(Ordering::Relaxed),
    )
}

/// Counts a re-use of a kept client by a later `initialize()` with the same configuration
/// that did not go through [`shared`] (the configuration itself was kept, with its client).
pub fn note_reuse() {
    REUSED.fetch_add(1, Ordering::Relaxed);
}

/// The process-wide client for a configuration, built on first use. Its configuration has
/// no `currentUserEmail` (that is per request and passed with each grant exchange).
pub fn shared(init: &Initialized) -> Result<Arc<OAuthClient>, Error> {
    let mut clients = CLIENTS.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(client) = clients.get(&init.client_key) {
        REUSED.fetch_add(1, Ordering::Relaxed);
        return Ok(Arc::clone(client));
    }
    let client = Arc::new(build(init, without_user(&init.config))?);
    BUILT.fetch_add(1, Ordering::Relaxed);
    clients.insert(init.client_key.clone(), Arc::clone(&client));
    Ok(client)
}

fn without_user(config: &Config) -> Config {
    config.clone().without_current_user_email()
}

/// A client with `config` and the store `init` chose.
fn build(init: &Initialized, config: Config) -> Result<OAuthClient, Error> {
    match &init.store {
        StoreChoice::File => OAuthClient::from_config(config),
        // The SDK's default store belongs to this door: asked for explicitly (the core
        // guesses no store).
        StoreChoice::MySql => {
            OAuthClient::from_config(config.or_store_kind(StoreKind::named(SDK_DEFAULT_STORE)))
        }
        StoreChoice::Custom { file, class } => {
            if class.trim().is_empty() {
                return Err(Error::new(
                    ErrorKind::ConfigMissing,
                    "persistence_handler_class_name is mandatory when persistence_handler_class names a PHP file",
                )
                .with_hint("set persistence_handler_class_name to the (fully qualified) name of your class implementing zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceInterface"));
            }
            let store = PhpHandlerStore::new(file, class);
            OAuthClient::new(config, Arc::new(store))
        }
    }
}
