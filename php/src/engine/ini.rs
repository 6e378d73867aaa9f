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
