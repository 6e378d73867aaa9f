//! Identity checks on PHP strings and zvals: whether a string is interned, whether two zvals
//! hold the very same string. The per-request fast path of `initialize()` compares
//! addresses with them instead of bytes.

use ext_php_rs::ffi::GC_IMMUTABLE;
use ext_php_rs::types::{ZendStr, Zval};

/// Whether the engine interned `text`: it then lives at least until the request ends and is
/// never changed.
pub fn is_interned(text: &ZendStr) -> bool {
    // SAFETY: the type-info word of a live string; `type_info` covers the whole union.
    let type_info = unsafe { text.gc.u.type_info };
    type_info & GC_IMMUTABLE != 0
}

/// Whether `candidate` holds the string `held` holds: the same type word and the same string
/// address. `held` must be a string zval (anything else never matches).
pub fn same_string(candidate: &Zval, held: &Zval) -> bool {
    if held.zend_str().is_none() {
        return false;
    }
    // SAFETY: the type words of live zvals cover the whole union; the values are read as
    // string pointers only when the type words are equal, and `held` is a string.
    unsafe {
        candidate.u1.type_info == held.u1.type_info
            && std::ptr::eq(candidate.value.str_, held.value.str_)
    }
}
