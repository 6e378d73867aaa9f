//! Module and request start-up: MINIT registers the ini settings and every class, in order;
//! RINIT and RSHUTDOWN forget the request's configuration.

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::zend::ClassEntry;

use crate::client::ZohoOAuthClient;
use crate::oauth::ZohoOAuth;
use crate::params::ZohoOAuthParams;
use crate::registry::{drop_return_types, make_constructor_private, register_class, store};
use crate::rest_client::ZCRMRestClient;
use crate::sdk_persistence::{ZohoOAuthPersistenceByFile, ZohoOAuthPersistenceHandler};
use crate::tokens::ZohoOAuthTokens;
use crate::{
    config_state, constants, crm_exception, exception, ini, persistence, sensitive, tokens_subclass,
};

/// MINIT: settings, the exception, the interface, then the classes (`ZCRMRestClient` only
/// when `zoho_oauth.define_rest_client` is on). Returns `FAILURE` with a warning on any error.
///
/// # Safety
///
/// Called by PHP once per module start-up.
pub unsafe extern "C" fn minit(_ty: i32, module_number: i32) -> i32 {
    ext_php_rs::internal::startup_guard(|| {
        ini::register(module_number);
        exception::register()?;
        persistence::register_interface()?;
        register_class::<ZohoOAuthTokens>(tokens_registered)?;
        constants::register()?;
        register_class::<ZohoOAuthParams>(params_registered)?;
        register_class::<ZohoOAuthPersistenceByFile>(by_file_registered)?;
        register_class::<ZohoOAuthPersistenceHandler>(handler_registered)?;
        register_class::<ZohoOAuthClient>(client_registered)?;
        register_class::<ZohoOAuth>(oauth_registered)?;
        if ini::defines_rest_client() {
            register_class::<ZCRMRestClient>(rest_client_registered)?;
        }
        if ini::defines_crm_exception() {
            crm_exception::register()?;
        }
        Ok(())
    })
}

/// RINIT: a request starts with no configuration.
///
/// # Safety
///
/// Called by PHP at each request start.
pub unsafe extern "C" fn rinit(_ty: i32, _module_number: i32) -> i32 {
    config_state::reset();
    crate::sdk_client::reset();
    0
}

/// RSHUTDOWN: nothing of the request is kept.
///
/// # Safety
///
/// Called by PHP at each request end.
pub unsafe extern "C" fn rshutdown(_ty: i32, _module_number: i32) -> i32 {
    config_state::reset();
    crate::sdk_client::reset();
    0
}

/// `ZohoOAuthTokens` is serializable (the SDK's format), extendable from PHP, and its setters
/// take secrets.
fn tokens_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    ce.ce_flags &= !ClassFlags::NotSerializable.bits();
    tokens_subclass::enable(ce);
    sensitive::mark(
        ce,
        &[
            ("setaccesstoken", 0),
            ("setrefreshtoken", 0),
            ("__unserialize", 0),
        ],
    );
    store::<ZohoOAuthTokens>(ce, arg_info);
}

fn params_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sensitive::mark(ce, &[("setclientsecret", 0)]);
    store::<ZohoOAuthParams>(ce, arg_info);
}

/// The store methods, untyped in the SDK: subclasses may override them without return types.
const STORE_METHODS: [&str; 3] = ["saveoauthdata", "getoauthtokens", "deleteoauthtokens"];

fn by_file_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    drop_return_types(ce, &STORE_METHODS);
    store::<ZohoOAuthPersistenceByFile>(ce, arg_info);
}

fn handler_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    drop_return_types(ce, &STORE_METHODS);
    store::<ZohoOAuthPersistenceHandler>(ce, arg_info);
}

fn client_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sensitive::mark(
        ce,
        &[
            ("generateaccesstoken", 0),
            ("generateaccesstokenfromrefreshtoken", 0),
            ("refreshaccesstoken", 0),
            ("getuseremailidfromiam", 0),
        ],
    );
    make_constructor_private(ce);
    store::<ZohoOAuthClient>(ce, arg_info);
}

fn oauth_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sensitive::mark(ce, &[("initialize", 0)]);
    make_constructor_private(ce);
    store::<ZohoOAuth>(ce, arg_info);
}

fn rest_client_registered(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    sensitive::mark(ce, &[("initialize", 0)]);
    make_constructor_private(ce);
    store::<ZCRMRestClient>(ce, arg_info);
}
