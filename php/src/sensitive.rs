//! Marks parameters that carry secrets with PHP 8.2's `#[\SensitiveParameter]`, so stack
//! traces (`getTrace()`, `getTraceAsString()`, uncaught-exception output) show a
//! `SensitiveParameterValue` instead of the token or the configuration array, even with
//! `zend.exception_ignore_args=Off`.

use std::ffi::c_char;

use ext_php_rs::ffi::{HashTable, zend_function, zend_hash_str_find_ptr_lc, zend_string};
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::ClassEntry;

/// `ZEND_ATTRIBUTE_PERSISTENT`.
const PERSISTENT: u32 = 1;

unsafe extern "C" {
    /// `zend_add_attribute` from the Zend engine.
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut std::ffi::c_void;
}

/// Adds `#[\SensitiveParameter]` to parameter `index` (0-based) of each named method of
/// `ce`. Must run in MINIT, right after the class is registered. Unknown methods are skipped.
pub fn mark(ce: &mut ClassEntry, methods: &[(&str, u32)]) {
    let attribute = ZendStr::new_interned("SensitiveParameter", true);
    for (method, index) in methods {
        // SAFETY: the function table belongs to a class registered in this MINIT; the name is
        // a valid buffer of the given length.
        let func = unsafe {
            zend_hash_str_find_ptr_lc(
                &raw const ce.function_table,
                method.as_ptr().cast::<c_char>(),
                method.len(),
            )
            .cast::<zend_function>()
        };
        if func.is_null() {
            continue;
        }
        // SAFETY: `func` is an internal function of `ce`; its attribute table is persistent,
        // as the flag says, and the interned name outlives the process's requests.
        unsafe {
            zend_add_attribute(
                &raw mut (*func).common.attributes,
                attribute.as_ptr().cast_mut(),
                0,
                PERSISTENT,
                index + 1,
                0,
            );
        }
    }
}
