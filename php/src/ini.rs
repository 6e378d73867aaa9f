//! The extension's php.ini settings.
//!
//! `zoho_oauth.define_rest_client` (system-wide, default `1`): when `0`, the extension does not
//! define `zcrmsdk\crm\setup\restclient\ZCRMRestClient`, so Zoho's full SDK can load its own
//! class (with the CRM API calls) while the extension serves the `zcrmsdk\oauth\...` classes.
//! Classes are defined at module start-up, in PHP-FPM's master; a pool's
//! `php_admin_value[zoho_oauth.define_rest_client]=0` (or `php_value`) takes the class out
//! again in that pool's workers ([`crate::startup::apply_pool_settings`]); a pool cannot put
//! back a class php.ini turned off. The same holds for `zoho_oauth.define_crm_exception`.
//!
//! `zoho_oauth.token_base_dir` (system-wide, default empty): the directory a relative
//! `token_persistence_path` is resolved against (seed 001's `'zcrm_oauthtokens.txt'`). Without
//! it a relative path is refused: it would land in the web request's working directory, the
//! document root, where the refresh token could be downloaded.

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

use crate::engine::ini::{int_value, process_int_value, string_value};

/// The setting that decides whether `ZCRMRestClient` is defined.
pub const DEFINE_REST_CLIENT: &str = "zoho_oauth.define_rest_client";

/// Whether the extension defines the SDK's `zcrmsdk\crm\exception\ZCRMException` (default
/// `1`; `0` leaves the class to the SDK's own file, which PHP 8.1+ rejects).
pub const DEFINE_CRM_EXCEPTION: &str = "zoho_oauth.define_crm_exception";
/// The directory relative token paths are resolved against.
pub const TOKEN_BASE_DIR: &str = "zoho_oauth.token_base_dir";

static ENTRIES: IniEntryDefs<4> = IniEntryDefs::new([
    IniEntryDef::new(
        c"zoho_oauth.define_rest_client",
        c"1",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"zoho_oauth.define_crm_exception",
        c"1",
        IniEntryPermission::System,
    ),
    IniEntryDef::new(
        c"zoho_oauth.token_base_dir",
        c"",
        IniEntryPermission::System,
    ),
    IniEntryDef::end(),
]);

/// Registers the settings; must run in MINIT.
pub fn register(module_number: i32) {
    IniEntryDef::register(ENTRIES.as_slice(), module_number);
}

/// True when the extension defines `ZCRMRestClient` (the default).
pub fn defines_rest_client() -> bool {
    int_value(DEFINE_REST_CLIENT) != 0
}

/// `zoho_oauth.define_rest_client` for this process, a PHP-FPM pool's value included (a
/// per-request change is not: the class is the process's).
pub fn process_defines_rest_client() -> bool {
    process_int_value(DEFINE_REST_CLIENT) != 0
}

/// `zoho_oauth.define_crm_exception` for this process, a PHP-FPM pool's value included.
pub fn process_defines_crm_exception() -> bool {
    process_int_value(DEFINE_CRM_EXCEPTION) != 0
}

/// True when the extension defines `ZCRMException` (`zoho_oauth.define_crm_exception`, on by
/// default: the class is the SDK's CRM-side exception, needed by the SDK's CRM classes with
/// either value of `define_rest_client`).
pub fn defines_crm_exception() -> bool {
    int_value(DEFINE_CRM_EXCEPTION) != 0
}

/// `zoho_oauth.token_base_dir`, when set.
pub fn token_base_dir() -> Option<String> {
    string_value(TOKEN_BASE_DIR).filter(|v| !v.trim().is_empty())
}
