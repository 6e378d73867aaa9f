//! The extension's `ZCRMRestClient` next to Zoho's full SDK (`zoho_oauth.define_rest_client=1`,
//! the default, with the SDK installed): PHP then uses the extension's class, which has only
//! the OAuth part of the SDK's.
//!
//! - A method of the SDK's class that the extension lacks (`getInstance()`,
//!   `getModuleInstance()`, ...) fails with an `\Error` that names the ini setting to change,
//!   instead of PHP's bare "Call to undefined method".
//! - `initialize()` also initializes the SDK's `ZCRMConfigUtil` when the SDK is installed (its
//!   class is found through the app's autoloader), as the SDK's own `initialize()` does, so the
//!   SDK's CRM classes called directly see their configuration (API base URL, version) instead
//!   of requesting `https:///crm//...` and failing with a misleading `TypeError`.

use std::cell::Cell;
use std::panic::AssertUnwindSafe;

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpException;
use ext_php_rs::types::ZendStr;
use ext_php_rs::types::{ZendCallable, ZendHashTable};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals, ce};

use crate::engine::class::lookup_prehashed;
use crate::ini::DEFINE_REST_CLIENT;
use crate::persistence::run_php;

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\crm\\setup\\restclient\\ZCRMRestClient";

/// The full SDK's configuration class, initialized by the SDK's `ZCRMRestClient::initialize`.
pub const SDK_CONFIG_UTIL: &str = "zcrmsdk\\crm\\utility\\ZCRMConfigUtil";

thread_local! {
    /// Set while the SDK's `ZCRMConfigUtil::initialize` runs.
    static INSIDE: Cell<bool> = const { Cell::new(false) };
    /// `ZCRMConfigUtil`'s name and its lower-case key as persistent PHP strings, made once:
    /// the key keeps its hash, so the class lookup on every `initialize()` neither lowers,
    /// checks nor hashes the name again.
    static SDK_CONFIG_UTIL_NAMES: (ZBox<ZendStr>, ZBox<ZendStr>) = (
        ZendStr::new(SDK_CONFIG_UTIL, true),
        ZendStr::new(SDK_CONFIG_UTIL.to_ascii_lowercase(), true),
    );
}

/// The SDK's `ZCRMConfigUtil` when it is declared or an autoloader of the app declares it.
fn sdk_config_util() -> Option<&'static ClassEntry> {
    SDK_CONFIG_UTIL_NAMES.with(|(name, key)| lookup_prehashed(name, key))
}

/// The message for a method of the SDK's `ZCRMRestClient` that the extension's lacks.
pub fn missing_method_message(method: &str) -> String {
    format!(
        "Call to undefined method {CLASS_NAME}::{method}(): the zoho_oauth extension defines \
         ZCRMRestClient itself, with the OAuth methods only (initialize, setCurrentUserEmailId, \
         getCurrentUserEmailID). To use Zoho's full SDK's ZCRMRestClient, set \
         {DEFINE_REST_CLIENT}=0 in php.ini (the extension keeps serving the zcrmsdk\\oauth classes), \
         with php -d, or for one PHP-FPM pool with php_admin_value[{DEFINE_REST_CLIENT}]=0 in its \
         pool file; not with ini_set(), .user.ini or a per-request PHP_ADMIN_VALUE: the class is \
         defined when PHP starts, once per process"
    )
}

/// The `\Error` thrown for a missing method.
pub fn missing_method(method: &str) -> PhpException {
    PhpException::new(missing_method_message(method), 0, ce::error())
}

/// Calls the full SDK's `ZCRMConfigUtil::initialize($configuration)` when the SDK is installed.
/// An exception it throws stays pending and reaches the caller. Must run inside the panic
/// guard ([`crate::panic::guard`]).
pub fn initialize_sdk_config(configuration: &ZendHashTable) {
    // Not again from inside the SDK's initialize (a patched SDK calling back into ours).
    if INSIDE.with(Cell::get) || ExecutorGlobals::has_exception() || sdk_config_util().is_none() {
        return;
    }
    let Ok(initialize) = ZendCallable::try_from_name(&format!("{SDK_CONFIG_UTIL}::initialize"))
    else {
        return;
    };
    let configuration = configuration.to_owned();
    // A bailout (exit, fatal error) inside the SDK is recorded and resumed by the panic guard
    // once the Rust frames are gone.
    INSIDE.with(|inside| inside.set(true));
    let _ = run_php(AssertUnwindSafe(|| {
        let _ = initialize.try_call(vec![&configuration]);
    }));
    INSIDE.with(|inside| inside.set(false));
}
