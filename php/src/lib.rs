//! # zoho-oauth PHP extension
//!
//! Zoho's PHP SDK OAuth classes (`zcrmsdk\oauth\...` and
//! `zcrmsdk\crm\setup\restclient\ZCRMRestClient`) implemented in Rust on the `zoho-oauth` core,
//! so that the calls in Zoho's documentation work as written on PHP 8.2, with a token cache that
//! survives requests in a PHP-FPM worker, a token file shared safely by all processes, and no
//! secret in any dump, exception, trace or log.
//!
//! Layout: [`startup`] registers everything in MINIT; each PHP class has its own module
//! ([`oauth`], [`client`], [`tokens`], [`rest_client`], [`exception`], [`persistence`]);
//! [`engine`] holds every use of the Zend engine's internals (raw class entries, function
//! tables, object layouts, engine calls) behind a small safe API;
//! [`config_state`] holds the request's configuration, [`clients`] the process-wide core clients,
//! and [`panic`](mod@panic) keeps every Rust panic (and PHP bailout from user code) inside the boundary.

// Zend internals are touched in `engine` only.
#![deny(unsafe_code)]

pub mod bridge;
pub mod callback;
pub mod client;
pub mod clients;
pub mod coerce;
pub mod config_memo;
pub mod config_state;
pub mod constants;
pub mod crm_exception;
#[allow(unsafe_code)]
pub mod engine;
pub mod exception;
pub mod info;
pub mod ini;
pub mod initialized;
pub mod lru;
pub mod oauth;
pub mod panic;
pub mod params;
pub mod persistence;
pub mod remedy;
pub mod rest_client;
pub mod rest_client_sdk;
pub mod sdk_client;
pub mod sdk_persistence;
pub mod sdk_types;
pub mod startup;
pub mod stats;
pub mod tokens;

mod module;

/// The extension's name, as `extension_loaded()`, `php -m` and `phpinfo()` show it.
pub const EXTENSION_NAME: &str = "zoho_oauth";
/// The extension's version (`phpversion('zoho_oauth')`).
pub const EXTENSION_VERSION: &str = env!("CARGO_PKG_VERSION");
