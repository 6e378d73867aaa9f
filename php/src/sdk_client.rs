//! The rest of the SDK's `ZohoOAuthClient` API: the request's client singleton
//! (`getInstance($params)`, `getInstanceWithOutParam()`), its `ZohoOAuthParams`
//! (`getZohoOAuthParams()`, `setZohoOAuthParams($p)`) and `processResponse($apiResponse)`.
//!
//! In the SDK, `ZohoOAuth::initialize` builds a `ZohoOAuthParams` from the configuration and
//! calls `ZohoOAuthClient::getInstance($params)`, which replaces the process-wide singleton
//! that `ZohoOAuth::getClientInstance()` returns. Here the singleton is the request's
//! configuration, unless `getInstance($params)` (or `setZohoOAuthParams` on the singleton)
//! replaced the client settings: then it is a copy of the configuration with the parameters'
//! client id, secret, redirect URL and access type. Like the configuration, it lives for one
//! request, and a new `initialize()` replaces it.
//!
//! The singleton's PHP object is kept too: `getClientInstance()`, `getInstanceWithOutParam()`
//! and `getInstance($params)` return the same `ZohoOAuthClient` object while the singleton's
//! configuration is the same (an `initialize()` with the same array keeps it), so a request
//! that asks for the client before every API call does not build an object each time.

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::{ZendCallable, Zval};
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::{Config, ErrorKind};

use crate::config_state;
use crate::exception;
use crate::initialized::{Initialized, SharedClient, StoreChoice};
use crate::params::ZohoOAuthParams;

thread_local! {
    /// The client set by `getInstance($params)` in this request, if any.
    static SINGLETON: RefCell<Option<Arc<Initialized>>> = const { RefCell::new(None) };
}

/// Forgets the singleton set by `getInstance($params)` (request start and end, and every
/// `initialize()`, which builds a new client from the configuration as the SDK's does).
pub fn reset() {
    SINGLETON.with(|s| s.borrow_mut().take());
}

/// The singleton: set by `getInstance($params)`, else the request's configuration.
pub fn current_opt() -> Option<Arc<Initialized>> {
    SINGLETON
        .with(|s| s.borrow().clone())
        .or_else(config_state::current_opt)
}

/// The singleton, or the SDK's "must be called before this" exception.
pub fn current() -> PhpResult<Arc<Initialized>> {
    match current_opt() {
        Some(init) => Ok(init),
        None => config_state::current(),
    }
}

/// Makes `init` the request's singleton.
pub fn set(init: Arc<Initialized>) {
    SINGLETON.with(|s| *s.borrow_mut() = Some(init));
}

/// True when `init` is what `ZohoOAuth::getClientInstance()` returns now.
pub fn is_current(init: &Arc<Initialized>) -> bool {
    current_opt().is_some_and(|c| Arc::ptr_eq(&c, init))
}

/// The configuration pairs of `base` (every key, the current user included).
fn pairs_of(base: &Initialized) -> Vec<(String, String)> {
    let mut pairs = base.client_key.clone();
    if let Some(user) = base.config.crm().current_user_email() {
        pairs.push(("currentUserEmail".to_string(), user.to_string()));
    }
    pairs
}

/// Sets `key` in `pairs` (replacing an earlier value).
fn set_pair(pairs: &mut Vec<(String, String)>, key: &str, value: &str) {
    pairs.retain(|(k, _)| k != key);
    pairs.push((key.to_string(), value.to_string()));
}

/// A client configuration: `base` (the request's configuration, if any) with the client
/// settings of `params`; settings the parameters leave null keep the configuration's value.
/// Without a configuration, the parameters must carry the client id, secret and redirect URL
/// (the store is then the SDK's default, as `ZohoOAuth` without configuration would pick).
pub fn with_params(
    base: Option<&Initialized>,
    params: &ZohoOAuthParams,
) -> PhpResult<Arc<Initialized>> {
    let mut pairs = base.map(pairs_of).unwrap_or_default();
    let mut sdk_view = base.map(|b| b.sdk_view.clone()).unwrap_or_default();
    for (key, value) in params.config_pairs() {
        set_pair(&mut pairs, key, &value);
        if sdk_view.iter().any(|(k, _)| k == key) {
            set_pair(&mut sdk_view, key, &value);
        }
    }
    let config = Config::from_pairs(pairs.iter().map(|(k, v)| (k, v)))
        .and_then(|config| BuiltInStore::check_requested(&config).map(|()| config))
        .map_err(exception::from_error)?;
    let mut client_key: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k != "currentUserEmail")
        .collect();
    client_key.sort();
    Ok(Arc::new(Initialized {
        config,
        store: base.map_or(StoreChoice::MySql, |b| b.store.clone()),
        sdk_view,
        client_key,
        shared_client: SharedClient::default(),
    }))
}

/// `ZohoOAuthClient::getInstance($params)`: a client for the parameters (on top of the
/// request's configuration), which becomes the singleton.
pub fn get_instance(params: &ZohoOAuthParams) -> PhpResult<Arc<Initialized>> {
    let base = config_state::current_opt();
    let init = with_params(base.as_deref(), params)?;
    set(Arc::clone(&init));
    Ok(init)
}

/// `processResponse($apiResponse)`: the raw response (headers, a blank line, the body) split
/// at the first blank line, and the body decoded as PHP's `json_decode($body, true)` does.
/// Null when there is no blank line or the body is not JSON.
pub fn process_response(api_response: &Zval) -> PhpResult<Zval> {
    let raw = if api_response.is_string() {
        api_response.str().map(str::to_string)
    } else {
        api_response.coerce_to_string()
    }
    .unwrap_or_default();
    let Some((_headers, body)) = raw.split_once("\r\n\r\n") else {
        return Ok(Zval::new());
    };
    let decode = ZendCallable::try_from_name("json_decode")
        .map_err(|_| exception::with_kind("json_decode() is not available", ErrorKind::Internal))?;
    decode
        .try_call(vec![&body.to_string(), &true])
        .map_err(|_| exception::with_kind("json_decode() failed", ErrorKind::Internal))
}
