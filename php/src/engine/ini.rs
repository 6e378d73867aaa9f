//! Reading php.ini settings registered by the extension (`INI_INT`, `INI_STR`).

use std::ffi::c_char;

unsafe extern "C" {
    /// `zend_ini_long` from the Zend engine (the `INI_INT` macro).
    fn zend_ini_long(name: *const c_char, name_length: usize, orig: i32) -> i64;
    /// `zend_ini_string_ex` from the Zend engine (the `INI_STR` macro).
    fn zend_ini_string_ex(
        name: *const c_char,
        name_length: usize,
        orig: i32,
        exists: *mut bool,
    ) -> *mut c_char;
}

/// The integer value of a setting (`INI_INT`; 0 when unknown).
pub fn int_value(name: &str) -> i64 {
    // SAFETY: the name is a valid buffer of the given length; the engine only reads it.
    unsafe { zend_ini_long(name.as_ptr().cast(), name.len(), 0) }
}

/// The integer value of a setting for this process: php.ini, `-d`, or a PHP-FPM pool's
/// `php_value`/`php_admin_value` (which FPM writes into the setting itself when it starts the
/// pool's worker), but not a change made for one request (FastCGI `PHP_VALUE`, Apache's
/// `php_admin_value`), which is undone at the request's end.
pub fn process_int_value(name: &str) -> i64 {
    // SAFETY: as in `int_value`; `orig = 1` asks for the value before request changes.
    unsafe { zend_ini_long(name.as_ptr().cast(), name.len(), 1) }
}

/// The string value of a setting (`INI_STR`); `None` when unknown or not UTF-8.
pub fn string_value(name: &str) -> Option<String> {
    let mut exists = false;
    // SAFETY: the name is a valid buffer of the given length; the engine only reads it and
    // returns NULL or a NUL-terminated string it owns, which is copied at once.
    unsafe {
        let raw = zend_ini_string_ex(name.as_ptr().cast(), name.len(), 0, &mut exists);
        if raw.is_null() {
            return None;
        }
        Some(std::ffi::CStr::from_ptr(raw).to_str().ok()?.to_string())
    }
}
