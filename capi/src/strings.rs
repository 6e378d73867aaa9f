//! Strings and pointers crossing the boundary: argument checks (NULL, UTF-8), out-parameters,
//! strings handed to C, and their free function.

use std::ffi::{CStr, CString, c_char};
use std::ptr::NonNull;

use super::boundary::infallible;
use super::result::zoho_result;
use zoho_oauth::{Error, ErrorKind, Result};

/// The library version, NUL-terminated.
const VERSION: &CStr =
    match CStr::from_bytes_with_nul(concat!(env!("CARGO_PKG_VERSION"), "\0").as_bytes()) {
        Ok(version) => version,
        Err(_) => panic!("the package version contains a NUL byte"),
    };

/// A NULL argument error naming the parameter.
pub fn null_argument(name: &str) -> Error {
    Error::new(ErrorKind::NullArgument, format!("{name} is NULL"))
}

/// Reads a required string argument: `ZOHO_RESULT_NULL_ARGUMENT` when NULL,
/// `ZOHO_RESULT_INVALID_UTF8` when not UTF-8. The message names the parameter, never its value.
///
/// # Safety
///
/// `ptr`, when not NULL, must point to a NUL-terminated string that outlives `'a`.
pub unsafe fn arg_str<'a>(ptr: *const c_char, name: &str) -> Result<&'a str> {
    if ptr.is_null() {
        return Err(null_argument(name));
    }
    // SAFETY: not NULL; the caller guarantees a NUL-terminated string.
    let bytes = unsafe { CStr::from_ptr(ptr) };
    bytes
        .to_str()
        .map_err(|_| Error::new(ErrorKind::InvalidUtf8, format!("{name} is not valid UTF-8")))
}

/// Reads an optional string argument: NULL gives `None`.
///
/// # Safety
///
/// As [`arg_str`].
pub unsafe fn opt_str<'a>(ptr: *const c_char, name: &str) -> Result<Option<&'a str>> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded from the caller.
        unsafe { arg_str(ptr, name) }.map(Some)
    }
}

/// A checked, not-NULL out-parameter, written once at the end of a successful call.
pub struct Out<T>(NonNull<T>);

impl<T> Out<T> {
    /// Checks an out-parameter before any work is done: `ZOHO_RESULT_NULL_ARGUMENT` when NULL.
    ///
    /// # Safety
    ///
    /// `ptr`, when not NULL, must be valid for a write of `T` until [`Out::set`] returns.
    pub unsafe fn new(ptr: *mut T, name: &str) -> Result<Out<T>> {
        NonNull::new(ptr)
            .map(Out)
            .ok_or_else(|| null_argument(name))
    }

    /// Writes the value (without reading or dropping the old one).
    pub fn set(self, value: T) {
        // SAFETY: `Out::new`'s contract.
        unsafe { self.0.as_ptr().write(value) }
    }
}

/// Writes `value` to a not-NULL out-parameter and returns `ZOHO_RESULT_OK`.
///
/// # Safety
///
/// `out` must not be NULL and must be valid for a write of `T`.
pub unsafe fn write_out<T>(out: *mut T, value: T) -> zoho_result {
    // SAFETY: the caller's contract.
    unsafe { out.write(value) };
    zoho_result::Ok
}

/// Copies a string for C; the caller frees it with `zoho_string_free`. A value with a NUL
/// byte (which C could not see whole) is an `InvalidResponse` error naming `what`.
pub fn c_string(value: &str, what: &str) -> Result<CString> {
    CString::new(value).map_err(|_| {
        Error::new(
            ErrorKind::InvalidResponse,
            format!("the {what} contains a NUL byte"),
        )
    })
}

/// As [`c_string`] for an optional value; `None` becomes a NULL pointer.
pub fn opt_c_string(value: Option<&str>, what: &str) -> Result<*mut c_char> {
    match value {
        Some(v) => Ok(c_string(v, what)?.into_raw()),
        None => Ok(std::ptr::null_mut()),
    }
}

/// Frees a string returned by this library (`char *` results and out-parameters).
/// `NULL` is a no-op. Never pass a string from anywhere else, and never free one twice.
///
/// # Safety
///
/// `s` must be NULL or a string returned by this library and not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_string_free(s: *mut c_char) {
    if s.is_null() {
        return;
    }
    infallible((), || {
        // SAFETY: the caller guarantees `s` came from `CString::into_raw` in this library.
        drop(unsafe { CString::from_raw(s) });
    });
}

/// The library version, e.g. `"0.1.0"`. The string is static: do not free it.
///
/// # Safety
///
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_version() -> *const c_char {
    VERSION.as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arguments_are_checked_for_null_and_utf8() {
        let e = unsafe { arg_str(std::ptr::null(), "user") }.expect_err("null");
        assert_eq!(e.kind(), ErrorKind::NullArgument);
        assert_eq!(e.message(), "user is NULL");
        let bad = c"a\xff";
        let e = unsafe { arg_str(bad.as_ptr(), "user") }.expect_err("utf-8");
        assert_eq!(e.kind(), ErrorKind::InvalidUtf8);
        assert_eq!(
            unsafe { arg_str(c"ada".as_ptr(), "user") }.ok(),
            Some("ada")
        );
        assert_eq!(
            unsafe { opt_str(std::ptr::null(), "state") }.ok(),
            Some(None)
        );
    }

    #[test]
    fn version_matches_the_crate() {
        let v = unsafe { CStr::from_ptr(zoho_version()) };
        assert_eq!(v.to_str().ok(), Some(zoho_oauth::VERSION));
        unsafe { zoho_string_free(std::ptr::null_mut()) };
    }
}
