//! `zoho_oauth\bridge\Core`: the core's token store and single-flight refresh for the PHP
//! package that bridges Zoho's current SDK (`zohocrm/php-sdk-5.0` ... `-8.0`, see
//! `php/bridge/`). An extension class cannot implement that SDK's userland interfaces at
//! start-up, so the package's `LockedOAuthToken` and `LockedTokenStore` are PHP classes that
//! call these static methods.
//!
//! Every method takes a configuration array with the keys `initialize()` takes (client id,
//! secret, redirect URI, the store keys); it does not become the request's configuration.
//! The process-wide client for it (with its token cache) is re-used across requests. A row is
//! an array `['user', 'access_token', 'refresh_token', 'expiry_time', 'api_domain']`
//! (`expiry_time`: epoch milliseconds as a string, as the SDK keeps it; absent values null).

// PHP parameter names are the Rust parameter names, camelCase as the SDK spells them.
#![allow(non_snake_case)]

use std::sync::{Arc, Mutex, PoisonError};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use zoho_oauth::store::policy;
use zoho_oauth::{Error, OAuthClient, Secret, Tokens};

use crate::coerce::string_or_number;
use crate::config_state;
use crate::initialized::Initialized;
use crate::lru::Lru;
use crate::panic::guard;
use crate::persistence::{self, HandlerScope};
use crate::{clients, exception};

/// The bridge's entry points: all static.
#[php_class]
#[php(name = "zoho_oauth\\bridge\\Core")]
pub struct Core;

/// How many configuration arrays keep their client here without being parsed again.
const REMEMBERED: usize = 32;

type Pairs = Vec<(String, String)>;

/// The last configuration arrays seen and their clients.
static SEEN: Mutex<Lru<Pairs, Arc<OAuthClient>>> = Mutex::new(Lru::new(REMEMBERED));

/// The process-wide client for a configuration array (parsed once per process, never made
/// the request's configuration).
fn client(configuration: &ZendHashTable) -> PhpResult<Arc<OAuthClient>> {
    let pairs = config_state::pairs_from_array(configuration)?;
    let mut seen = SEEN.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(client) = seen.get(&pairs) {
        return Ok(Arc::clone(client));
    }
    let init: Initialized = config_state::parse_pairs(&pairs)?;
    let client = clients::shared(&init).map_err(exception::from_error)?;
    seen.insert(pairs, Arc::clone(&client));
    Ok(client)
}

/// Runs a `Core` method inside the panic guard and a handler scope, as `ZohoOAuthClient`'s
/// methods run: a custom store's PHP object lives for this call only (kept past it, it would
/// outlive its request and be freed after PHP shut down), and a call from inside a handler
/// is refused (the operation that called the handler holds the user's lock).
fn scoped<T>(body: impl FnOnce() -> PhpResult<T>) -> PhpResult<T> {
    guard(|| {
        if persistence::inside_handler() {
            return Err(exception::with_kind(
                "zoho_oauth\\bridge\\Core cannot be used from inside a persistence handler (the operation that called the handler holds the user's lock)",
                zoho_oauth::ErrorKind::InvalidArgument,
            ));
        }
        let _scope = HandlerScope::enter();
        body()
    })
}

fn run<T>(body: impl FnOnce() -> zoho_oauth::Result<T>) -> PhpResult<T> {
    body().map_err(exception::from_error)
}

/// A row array for PHP.
fn row(tokens: &Tokens) -> PhpResult<ZBox<ZendHashTable>> {
    let mut out = ZendHashTable::new();
    out.insert("user", tokens.user.clone())?;
    let access = tokens.access_token.expose();
    out.insert(
        "access_token",
        (!access.is_empty()).then(|| access.to_string()),
    )?;
    out.insert(
        "refresh_token",
        tokens
            .refresh_token
            .as_ref()
            .map(|r| r.expose().to_string()),
    )?;
    out.insert("expiry_time", tokens.expiry_time_ms.to_string())?;
    out.insert("api_domain", tokens.api_domain.clone())?;
    Ok(out)
}

/// A string value of `row[key]`, `None` when absent, null or empty.
fn text(row: &ZendHashTable, key: &str) -> Option<String> {
    string_or_number(row.get(key)?).filter(|t| !t.is_empty())
}

/// Core tokens from a row array; it needs a user and an access or refresh token.
fn tokens_from_row(row: &ZendHashTable) -> zoho_oauth::Result<Tokens> {
    let user = text(row, "user").ok_or_else(|| {
        Error::invalid_argument("the row needs a user (the SDK token's user name or id)")
    })?;
    let access = text(row, "access_token").unwrap_or_default();
    let refresh = text(row, "refresh_token");
    if access.is_empty() && refresh.is_none() {
        return Err(Error::invalid_argument(
            "the row needs an access token or a refresh token",
        ));
    }
    let expiry = match text(row, "expiry_time") {
        Some(t) => t.trim().parse::<i64>().map_err(|_| {
            Error::invalid_argument("expiry_time must be epoch milliseconds (digits)")
        })?,
        None => 0,
    };
    let mut tokens = Tokens::new(
        Some(user),
        Secret::new(access),
        refresh.map(Secret::new),
        expiry,
    );
    tokens.api_domain = text(row, "api_domain");
    Ok(tokens)
}

#[php_impl]
impl Core {
    /// The user's tokens, refreshed first (once for all processes, under the store's lock)
    /// when less than `refresh_margin_secs` is left. Throws code 400 when nothing is stored.
    pub fn tokens(configuration: &ZendHashTable, user: String) -> PhpResult<ZBox<ZendHashTable>> {
        scoped(|| {
            let client = client(configuration)?;
            let tokens = run(|| client.get_tokens(&user))?;
            row(&tokens)
        })
    }

    /// The user's stored row as it is (no refresh), or null.
    pub fn find(
        configuration: &ZendHashTable,
        user: String,
    ) -> PhpResult<Option<ZBox<ZendHashTable>>> {
        scoped(|| {
            let client = client(configuration)?;
            match run(|| client.store().get(&user))? {
                Some(tokens) => Ok(Some(row(&tokens)?)),
                None => Ok(None),
            }
        })
    }

    /// Every stored row, in store order.
    pub fn rows(configuration: &ZendHashTable) -> PhpResult<Vec<ZBox<ZendHashTable>>> {
        scoped(|| {
            let client = client(configuration)?;
            run(|| client.list_tokens())?.iter().map(row).collect()
        })
    }

    /// Saves a row under its user, holding the user's refresh lock. With `$onlyIfAbsent`,
    /// nothing is written when the user already has tokens; returns whether it was written.
    pub fn save(
        configuration: &ZendHashTable,
        row: &ZendHashTable,
        onlyIfAbsent: Option<bool>,
    ) -> PhpResult<bool> {
        scoped(|| {
            let client = client(configuration)?;
            run(|| {
                let tokens = tokens_from_row(row)?;
                let (store, wait) = (
                    client.store().as_ref(),
                    client.config().policy().lock_timeout(),
                );
                if onlyIfAbsent.unwrap_or(false) {
                    return policy::save_if_absent(store, &tokens, wait);
                }
                policy::save_locked(store, &tokens, wait)?;
                Ok(true)
            })
        })
    }

    /// Deletes the user's row (no call to Zoho), holding the user's lock (the client's delete
    /// takes it, and deletes without it once `lock_timeout_secs` has passed); true when there
    /// was one.
    pub fn delete(configuration: &ZendHashTable, user: String) -> PhpResult<bool> {
        scoped(|| {
            let client = client(configuration)?;
            run(|| client.delete_tokens(&user))
        })
    }

    /// Exchanges a grant token, saves the tokens under the e-mail Zoho reports (or under
    /// `$user` when the grant lacks the profile scope) and returns the row.
    pub fn exchange_grant(
        configuration: &ZendHashTable,
        grantToken: String,
        user: Option<String>,
    ) -> PhpResult<ZBox<ZendHashTable>> {
        scoped(|| {
            let client = client(configuration)?;
            let tokens =
                run(|| client.generate_access_token_with_fallback(&grantToken, user.as_deref()))?;
            row(&tokens)
        })
    }

    /// Revokes the user's refresh token at Zoho, then deletes the row.
    pub fn revoke(configuration: &ZendHashTable, user: String) -> PhpResult<bool> {
        scoped(|| {
            let client = client(configuration)?;
            run(|| client.revoke(&user))?;
            Ok(true)
        })
    }
}
