//! The extension's php.ini settings.
//!
//! `zoho_oauth.define_rest_client` (system-wide, default `1`): when `0`, the extension does not
//! define `zcrmsdk\crm\setup\restclient\ZCRMRestClient`, so Zoho's full SDK can load its own
//! class (with the CRM API calls) while the extension serves the `zcrmsdk\oauth\...` classes.

use std::ffi::c_char;

use ext_php_rs::flags::IniEntryPermission;
use ext_php_rs::zend::{IniEntryDef, IniEntryDefs};

/// The setting that decides whether `ZCRMRestClient` is defined.
pub const DEFINE_REST_CLIENT: &str = "zoho_oauth.define_rest_client";

static ENTRIES: IniEntryDefs<2> = IniEntryDefs::new([
    IniEntryDef::new(
        c"zoho_oauth.define_rest_client",
        c"1",
        IniEntryPermission::System,
    ),
    IniEntryDef::end(),
]);

unsafe extern "C" {
    /// `zend_ini_long` from the Zend engine (the `INI_INT` macro).
    fn zend_ini_long(name: *const c_char, name_length: usize, orig: i32) -> i64;
}

/// Registers the settings; must run in MINIT.
pub fn register(module_number: i32) {
    IniEntryDef::register(ENTRIES.as_slice(), module_number);
}

/// The integer value of a registered setting (`INI_INT`).
pub fn int_value(name: &str) -> i64 {
    // SAFETY: the name is a valid buffer of the given length; the engine only reads it.
    unsafe { zend_ini_long(name.as_ptr().cast(), name.len(), 0) }
}

/// True when the extension defines `ZCRMRestClient` (the default).
pub fn defines_rest_client() -> bool {
    int_value(DEFINE_REST_CLIENT) != 0
}
