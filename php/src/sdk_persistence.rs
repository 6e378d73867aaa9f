//! The SDK's two store classes, `zcrmsdk\oauth\persistence\ZohoOAuthPersistenceByFile` (the
//! token file) and `ZohoOAuthPersistenceHandler` (the database), and
//! `ZohoOAuth::getPersistenceHandlerInstance()`, which picks one as the SDK does: the file when
//! `token_persistence_path` is set, else the user's class when
//! `persistence_handler_class(_name)` name one, else the database store.
//!
//! Both classes implement `ZohoOAuthPersistenceInterface` with the SDK's method names and are
//! thin: each call reads the request's configuration (as the SDK's classes do) and works on the
//! token store of the process-wide client for it, so the client's cache and the store agree.
//! A save or delete holds the user's refresh lock (it waits for a refresh in progress in any
//! process), and the store's own lock keeps the file or table consistent.

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase.
#![allow(non_snake_case)]

use std::sync::Arc;

use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::{ZendClassObject, ZendObject, Zval};
use ext_php_rs::zend::ClassEntry;
use zoho_oauth::client::NO_TOKENS_MESSAGE;
use zoho_oauth::store::{BuiltInStore, policy};
use zoho_oauth::{Error, ErrorKind, OAuthClient, TokenStore, Tokens};

use crate::clients::SDK_DEFAULT_STORE;
use crate::coerce::string_or_number;
use crate::config_state;
use crate::exception;
use crate::initialized::{Initialized, StoreChoice};
use crate::panic::guard;
use crate::persistence::{self, PhpHandlerStore};
use crate::tokens::ZohoOAuthTokens;
use crate::{clients, tokens};

/// Which of the SDK's store classes a call comes from.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    File,
    Database,
}

/// The class for a configuration's store: the file, a database (MySQL or Redis), or `None`
/// for a custom PHP handler.
fn kind_of(init: &Initialized) -> Option<Kind> {
    match (&init.store, BuiltInStore::of(&init.config)) {
        (StoreChoice::Custom { .. }, _) => None,
        (_, Ok(store)) if store.is_file() => Some(Kind::File),
        // No store named: the SDK's MySQL, which this door asks for.
        (_, Ok(_) | Err(_)) => Some(Kind::Database),
    }
}

/// The process-wide client whose store the class works on, for the request's configuration.
fn client_for(kind: Kind) -> zoho_oauth::Result<Arc<OAuthClient>> {
    let init = config_state::current_opt().ok_or_else(|| {
        Error::new(
            ErrorKind::NotInitialized,
            exception::NOT_INITIALIZED_MESSAGE,
        )
    })?;
    if kind_of(&init) != Some(kind) {
        return Err(wrong_store(kind, &init));
    }
    init.shared_client.get_or_find(|| clients::shared(&init))
}

fn wrong_store(kind: Kind, init: &Initialized) -> Error {
    let (class, needs) = match kind {
        Kind::File => ("ZohoOAuthPersistenceByFile", "token_persistence_path"),
        Kind::Database => (
            "ZohoOAuthPersistenceHandler",
            "no token_persistence_path and no persistence_handler_class_name",
        ),
    };
    let configured = match (&init.store, kind_of(init)) {
        (StoreChoice::Custom { class, .. }, _) => format!("the persistence handler {class}"),
        (_, Some(Kind::File)) => "the token file (token_persistence_path)".to_string(),
        _ => format!(
            "the {} store",
            BuiltInStore::of(&init.config).map_or(SDK_DEFAULT_STORE, BuiltInStore::label)
        ),
    };
    Error::new(
        ErrorKind::ConfigInvalid,
        format!(
            "{class} works on the configured store only, and this configuration uses {configured}"
        ),
    )
    .with_hint(format!(
        "use ZohoOAuth::getPersistenceHandlerInstance(); {class} needs {needs}"
    ))
}

/// The user identifier argument: a non-empty string (numbers as PHP writes them).
fn user_from(value: &Zval) -> zoho_oauth::Result<String> {
    string_or_number(value)
        .filter(|u| !u.is_empty())
        .ok_or_else(|| {
            Error::new(
                ErrorKind::InvalidArgument,
                "the user identifier must be a non-empty string",
            )
        })
}

/// The tokens argument of `saveOAuthData`: a `ZohoOAuthTokens` (or subclass) with a user and
/// an access or refresh token.
fn tokens_from(value: &Zval) -> zoho_oauth::Result<Tokens> {
    let not_tokens = || {
        Error::new(
            ErrorKind::InvalidArgument,
            format!(
                "saveOAuthData() takes a {} with a user and an access or refresh token",
                tokens::CLASS_NAME
            ),
        )
    };
    let object = value.object().ok_or_else(not_tokens)?;
    let tokens = ZendClassObject::<ZohoOAuthTokens>::from_zend_obj(object)
        .and_then(|t| t.to_core())
        .ok_or_else(not_tokens)?;
    if tokens.user.as_deref().is_none_or(str::is_empty) {
        return Err(not_tokens());
    }
    Ok(tokens)
}

/// `getOAuthTokens($userEmailId)`: the stored tokens (not refreshed), or the SDK's "No Tokens
/// exist" exception.
fn get(kind: Kind, user: &Zval) -> PhpResult<ZohoOAuthTokens> {
    let run = || -> zoho_oauth::Result<ZohoOAuthTokens> {
        let user = user_from(user)?;
        let client = client_for(kind)?;
        match client.store().get(&user)? {
            Some(tokens) => Ok(ZohoOAuthTokens::from_core(&tokens)),
            None => Err(Error::new(ErrorKind::NoTokens, NO_TOKENS_MESSAGE)),
        }
    };
    guard(|| run().map_err(exception::from_error))
}

/// `saveOAuthData($zohoOAuthTokens)`: saves (replaces) the user's entry, under the user's lock.
fn save(kind: Kind, tokens: &Zval) -> PhpResult<()> {
    let run = || -> zoho_oauth::Result<()> {
        let tokens = tokens_from(tokens)?;
        let client = client_for(kind)?;
        policy::save_locked(
            client.store().as_ref(),
            &tokens,
            client.config().policy().lock_timeout(),
        )
    };
    guard(|| run().map_err(exception::from_error))
}

/// `deleteOAuthTokens($userEmailId)`: deletes the user's entry, under the user's lock (the
/// client's delete takes it, and deletes without it once `lock_timeout_secs` has passed); true
/// when there was one (the SDK returned nothing).
fn delete(kind: Kind, user: &Zval) -> PhpResult<bool> {
    let run = || -> zoho_oauth::Result<bool> {
        let user = user_from(user)?;
        client_for(kind)?.delete_tokens(&user)
    };
    guard(|| run().map_err(exception::from_error))
}

/// The SDK's file store, on the token file of `token_persistence_path`.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceByFile")]
#[php(implements(
    ce = persistence::interface,
    stub = "\\zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceInterface"
))]
pub struct ZohoOAuthPersistenceByFile;

#[php_impl]
impl ZohoOAuthPersistenceByFile {
    /// A handle on the configured token file (as `new` in the SDK; the configuration is read
    /// at each call).
    pub fn __construct() -> Self {
        ZohoOAuthPersistenceByFile
    }

    /// Saves the tokens under their user, replacing that user's entry.
    #[php(name = "saveOAuthData")]
    pub fn save_oauth_data(&self, zohoOAuthTokens: &Zval) -> PhpResult<()> {
        save(Kind::File, zohoOAuthTokens)
    }

    /// The user's stored tokens; throws `No Tokens exist for the given user-identifier,Please
    /// generate and try again.` when there are none.
    #[php(name = "getOAuthTokens")]
    pub fn get_oauth_tokens(&self, userEmailId: &Zval) -> PhpResult<ZohoOAuthTokens> {
        get(Kind::File, userEmailId)
    }

    /// Deletes the user's tokens; true when there were some.
    #[php(name = "deleteOAuthTokens")]
    pub fn delete_oauth_tokens(&self, userEmailId: &Zval) -> PhpResult<bool> {
        delete(Kind::File, userEmailId)
    }

    /// `token_persistence_path`, trimmed ("" when not set).
    pub fn get_token_persistence_path(&self) -> String {
        config_state::current_opt()
            .map(|init| {
                init.config_value("token_persistence_path")
                    .trim()
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// The SDK's database store (`ZohoOAuthPersistenceHandler`, MySQL in the SDK), on the store
/// the configuration picks when there is no token path and no custom handler.
#[php_class]
#[php(name = "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler")]
#[php(implements(
    ce = persistence::interface,
    stub = "\\zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceInterface"
))]
pub struct ZohoOAuthPersistenceHandler;

#[php_impl]
impl ZohoOAuthPersistenceHandler {
    /// A handle on the configured database store (the configuration is read at each call).
    pub fn __construct() -> Self {
        ZohoOAuthPersistenceHandler
    }

    /// Saves the tokens under their user, replacing that user's row.
    #[php(name = "saveOAuthData")]
    pub fn save_oauth_data(&self, zohoOAuthTokens: &Zval) -> PhpResult<()> {
        save(Kind::Database, zohoOAuthTokens)
    }

    /// The user's stored tokens; throws `No Tokens exist for the given user-identifier,Please
    /// generate and try again.` when there are none (the SDK returned an empty object).
    #[php(name = "getOAuthTokens")]
    pub fn get_oauth_tokens(&self, userEmailId: &Zval) -> PhpResult<ZohoOAuthTokens> {
        get(Kind::Database, userEmailId)
    }

    /// Deletes the user's tokens; true when there were some.
    #[php(name = "deleteOAuthTokens")]
    pub fn delete_oauth_tokens(&self, userEmailId: &Zval) -> PhpResult<bool> {
        delete(Kind::Database, userEmailId)
    }

    /// A new `mysqli` connection with the SDK's settings (`host_address:db_port`,
    /// `db_username`, `db_password`, `db_name`; the SDK's defaults `localhost`, `3306`, `root`,
    /// empty, `zohooauth`), as the SDK's method returns; the store itself does not use it.
    /// Needs PHP's mysqli extension.
    pub fn get_mysql_connection(&self) -> PhpResult<Zval> {
        guard(mysql_connection)
    }
}

/// `new \mysqli("<host_address>:<db_port>", db_username, db_password, db_name)`.
fn mysql_connection() -> PhpResult<Zval> {
    let init = config_state::current()?;
    let ce = ClassEntry::try_find("mysqli").ok_or_else(|| {
        exception::with_kind(
            "getMysqlConnection() needs PHP's mysqli extension",
            ErrorKind::StoreUnsupported,
        )
    })?;
    let settings = &init.config.store().settings();
    let value = |key: &str, default: &str| settings.get(key).unwrap_or(default).to_string();
    let host = format!(
        "{}:{}",
        value("host_address", "localhost"),
        value("db_port", "3306")
    );
    let (user, password, database) = (
        value("db_username", "root"),
        value("db_password", ""),
        value("db_name", "zohooauth"),
    );
    let object = ZendObject::new(ce);
    let failed = |_| {
        exception::with_kind(
            "cannot create a mysqli connection",
            ErrorKind::StoreUnavailable,
        )
    };
    object
        .try_call_method("__construct", vec![&host, &user, &password, &database])
        .map_err(failed)?;
    object.into_zval(false).map_err(failed)
}

/// `ZohoOAuth::getPersistenceHandlerInstance()`: a new store object for the request's
/// configuration, chosen as the SDK chooses.
pub fn handler_instance() -> PhpResult<Zval> {
    let init = config_state::current()?;
    let object = match (&init.store, kind_of(&init)) {
        (StoreChoice::Custom { file, class }, _) => {
            return PhpHandlerStore::new(file, class)
                .new_object()
                .map_err(exception::from_error);
        }
        (_, Some(Kind::File)) => ZendClassObject::new(ZohoOAuthPersistenceByFile).into_zval(false),
        _ => ZendClassObject::new(ZohoOAuthPersistenceHandler).into_zval(false),
    };
    object.map_err(|_| {
        exception::with_kind("cannot create the persistence handler", ErrorKind::Internal)
    })
}
