//! Module and request start-up: MINIT registers the ini settings and every class, in order,
//! then marks the secret parameters; RINIT and RSHUTDOWN forget the request's configuration.

use std::sync::atomic::{AtomicBool, Ordering};

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::zend::ClassEntry;

use crate::bridge::Core;
use crate::client::ZohoOAuthClient;
use crate::engine::class::{
    make_constructor_private, make_serializable, register_class, store, unregister,
};
use crate::engine::sensitive::{self, Parameters};
use crate::engine::startup::{StartupError, guard};
use crate::engine::subclass;
use crate::oauth::ZohoOAuth;
use crate::params::ZohoOAuthParams;
use crate::rest_client::ZCRMRestClient;
use crate::sdk_persistence::{ZohoOAuthPersistenceByFile, ZohoOAuthPersistenceHandler};
use crate::tokens::ZohoOAuthTokens;
use crate::{config_state, constants, crm_exception, exception, ini, persistence, sdk_types};

/// MINIT: settings, the exception, the interface, then the classes (`ZCRMRestClient` only
/// when `zoho_oauth.define_rest_client` is on), then `#[\SensitiveParameter]` on every
/// parameter that takes a secret. Returns `FAILURE` with a warning on any error, a listed
/// parameter that does not exist included.
///
/// Called by PHP once per module start-up.
pub extern "C" fn minit(_ty: i32, module_number: i32) -> i32 {
    guard(|| {
        ini::register(module_number);
        exception::register()?;
        persistence::register_interface()?;
        register_class::<ZohoOAuthTokens>(tokens_registered)?;
        constants::register()?;
        register_class::<ZohoOAuthParams>(params_registered)?;
        register_class::<ZohoOAuthPersistenceByFile>(by_file_registered)?;
        register_class::<ZohoOAuthPersistenceHandler>(handler_registered)?;
        register_class::<ZohoOAuthClient>(private_constructor::<ZohoOAuthClient>)?;
        register_class::<ZohoOAuth>(private_constructor::<ZohoOAuth>)?;
        register_class::<Core>(private_constructor::<Core>)?;
        let rest_client = ini::defines_rest_client();
        if rest_client {
            register_class::<ZCRMRestClient>(private_constructor::<ZCRMRestClient>)?;
        }
        REST_CLIENT_DEFINED.store(rest_client, Ordering::Relaxed);
        if ini::defines_crm_exception() {
            crm_exception::register()?;
            CRM_EXCEPTION_DEFINED.store(true, Ordering::Relaxed);
        }
        mark_sensitive(rest_client)
    })
}

/// The parameters that take secrets (tokens, the client secret, configuration arrays).
const SENSITIVE: &Parameters<'static> = &[
    (
        ZohoOAuthTokens::CLASS_NAME,
        &[
            ("setAccessToken", 0),
            ("setRefreshToken", 0),
            ("__unserialize", 0),
        ],
    ),
    (
        ZohoOAuthParams::CLASS_NAME,
        &[("setClientSecret", 0), ("__unserialize", 0)],
    ),
    (
        ZohoOAuthClient::CLASS_NAME,
        &[
            ("generateAccessToken", 0),
            ("generateAccessTokenFromRefreshToken", 0),
            ("refreshAccessToken", 0),
            ("getUserEmailIdFromIAM", 0),
            ("generateAccessTokenFromRedirect", 0),
        ],
    ),
    (ZohoOAuth::CLASS_NAME, &[("initialize", 0)]),
    (
        Core::CLASS_NAME,
        &[
            ("tokens", 0),
            ("find", 0),
            ("rows", 0),
            ("save", 0),
            ("save", 1),
            ("delete", 0),
            ("exchangeGrant", 0),
            ("exchangeGrant", 1),
            ("revoke", 0),
        ],
    ),
];

/// `ZCRMRestClient`'s, when the extension defines it.
const SENSITIVE_REST_CLIENT: &Parameters<'static> =
    &[(ZCRMRestClient::CLASS_NAME, &[("initialize", 0)])];

/// Marks [`SENSITIVE`] (and [`SENSITIVE_REST_CLIENT`] when `ZCRMRestClient` is defined);
/// fails naming the first `class::method` that does not exist.
fn mark_sensitive(rest_client: bool) -> Result<(), StartupError> {
    sensitive::mark(SENSITIVE)?;
    if rest_client {
        sensitive::mark(SENSITIVE_REST_CLIENT)?;
    }
    test_sensitive_hook()?;
    Ok(())
}

/// Debug builds only: `ZOHO_OAUTH_PHP_TEST_SENSITIVE=<class>::<method>` in the environment
/// marks that method's first parameter too, so the tests can prove that a wrong name stops
/// the extension from loading.
#[cfg(debug_assertions)]
fn test_sensitive_hook() -> Result<(), StartupError> {
    let Ok(named) = std::env::var("ZOHO_OAUTH_PHP_TEST_SENSITIVE") else {
        return Ok(());
    };
    let (class, method) = named.rsplit_once("::").unwrap_or((named.as_str(), ""));
    sensitive::mark(&[(class, &[(method, 0)])])?;
    Ok(())
}

#[cfg(not(debug_assertions))]
fn test_sensitive_hook() -> Result<(), StartupError> {
    Ok(())
}

/// Whether MINIT defined `ZCRMRestClient` / `ZCRMException` (so a pool may take it out).
static REST_CLIENT_DEFINED: AtomicBool = AtomicBool::new(false);
static CRM_EXCEPTION_DEFINED: AtomicBool = AtomicBool::new(false);
/// Set once this process applied its pool's settings (PHP-FPM forks its workers after MINIT,
/// so each worker starts with it unset).
static POOL_SETTINGS_APPLIED: AtomicBool = AtomicBool::new(false);

/// The first request of a process takes out the classes its settings turn off after MINIT
/// defined them: a PHP-FPM pool's `php_admin_value[zoho_oauth.define_rest_client]=0` (FPM
/// applies it in the worker, after the master's MINIT), so the SDK's own class loads there.
pub fn apply_pool_settings() {
    if POOL_SETTINGS_APPLIED.swap(true, Ordering::Relaxed) {
        return;
    }
    if REST_CLIENT_DEFINED.load(Ordering::Relaxed) && !ini::process_defines_rest_client() {
        REST_CLIENT_DEFINED.store(!unregister(ZCRMRestClient::CLASS_NAME), Ordering::Relaxed);
    }
    if CRM_EXCEPTION_DEFINED.load(Ordering::Relaxed) && !ini::process_defines_crm_exception() {
        CRM_EXCEPTION_DEFINED.store(!unregister(crm_exception::CLASS_NAME), Ordering::Relaxed);
    }
}

/// RINIT: a request starts with no configuration (and a process's first request applies its
/// pool's settings).
///
/// Called by PHP at each request start.
pub extern "C" fn rinit(_ty: i32, _module_number: i32) -> i32 {
    apply_pool_settings();
    config_state::reset();
    crate::sdk_client::reset();
    crate::client::forget_client_object();
    0
}

/// RSHUTDOWN: nothing of the request is kept.
///
/// Called by PHP at each request end.
pub extern "C" fn rshutdown(_ty: i32, _module_number: i32) -> i32 {
    config_state::reset();
    crate::sdk_client::reset();
    crate::client::forget_client_object();
    0
}

/// Keeps the class entry, after dropping the declared types of the SDK's methods.
fn sdk_class<T: RegisteredClass>(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sdk_types::untype(ce, T::CLASS_NAME);
    store::<T>(ce, arg_info);
}

/// `ZohoOAuthTokens` is serializable (the SDK's format) and extendable from PHP.
fn tokens_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    make_serializable(ce);
    subclass::enable::<ZohoOAuthTokens>(ce);
    sdk_class::<ZohoOAuthTokens>(ce, arg_info);
}

/// `ZohoOAuthParams` too: serializable (the SDK's format), clonable, extendable from PHP.
fn params_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    make_serializable(ce);
    subclass::enable::<ZohoOAuthParams>(ce);
    sdk_class::<ZohoOAuthParams>(ce, arg_info);
}

fn by_file_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sdk_class::<ZohoOAuthPersistenceByFile>(ce, arg_info);
}

fn handler_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sdk_class::<ZohoOAuthPersistenceHandler>(ce, arg_info);
}

/// Classes PHP code gets from a factory (or only calls statically): `new` is refused, as in
/// the SDK.
fn private_constructor<T: RegisteredClass>(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    make_constructor_private(ce);
    sdk_class::<T>(ce, arg_info);
}
