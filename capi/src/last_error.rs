//! The exports that read the calling thread's last error (`zoho_last_error_*`), which the
//! boundary records.

use std::ffi::c_char;

use super::boundary::{infallible, with_last_error};
use super::result::zoho_result;
use super::strings::write_out;
use super::tokens::zoho_tokens;

/// Copies the calling thread's last error message into `buf`, NUL-terminated.
///
/// The message explains the last `zoho_*` call on this thread that returned something other
/// than `ZOHO_RESULT_OK`; a successful call clears it (the message is then empty). It never
/// contains a secret (client secret, grant, access or refresh token).
///
/// Ask the size, then copy:
/// * `buf == NULL`: writes the message length in bytes, without the NUL, to `*out_len`.
/// * otherwise `len` must be at least that length + 1: the message and a NUL are written to
///   `buf` and the length to `*out_len`. When `len` is too small, nothing is written and
///   `ZOHO_RESULT_INVALID_ARGUMENT` is returned.
///
/// Returns `ZOHO_RESULT_NULL_ARGUMENT` when `out_len` is NULL. The `zoho_last_error_*`
/// functions never change the last error.
///
/// # Safety
///
/// `buf`, when not NULL, must point to `len` writable bytes; `out_len` to a writable `size_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_last_error_message(
    buf: *mut c_char,
    len: usize,
    out_len: *mut usize,
) -> zoho_result {
    infallible(zoho_result::Panic, || {
        if out_len.is_null() {
            return zoho_result::NullArgument;
        }
        let copied = with_last_error(|last| {
            let message = last.map_or(&[][..], |e| e.message.as_bytes());
            if buf.is_null() {
                return Some(message.len());
            }
            if len <= message.len() {
                return None;
            }
            // SAFETY: the caller guarantees `buf` has `len` bytes; `len > message.len()`.
            unsafe {
                std::ptr::copy_nonoverlapping(message.as_ptr(), buf.cast(), message.len());
                *buf.add(message.len()) = 0;
            }
            Some(message.len())
        });
        match copied.unwrap_or(Some(0)) {
            // SAFETY: `out_len` is not NULL and the caller guarantees it is writable.
            Some(n) => unsafe { write_out(out_len, n) },
            None => zoho_result::InvalidArgument,
        }
    })
}

/// The result of the last `zoho_*` call on this thread that returns a `zoho_result`:
/// `ZOHO_RESULT_OK` after a success. Never changes the last error.
///
/// # Safety
///
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_last_error_code() -> zoho_result {
    infallible(zoho_result::Panic, || {
        with_last_error(|last| last.map_or(zoho_result::Ok, |e| e.result))
            .unwrap_or(zoho_result::Ok)
    })
}

/// Takes the tokens attached to the calling thread's last error: tokens Zoho issued that
/// could not be saved (the grant exchange succeeded but the user lookup or the store
/// failed). Keep their refresh token, because the grant token cannot be used again; pass it to
/// `zoho_client_generate_access_token_from_refresh_token`.
///
/// On `ZOHO_RESULT_OK`, `*out_tokens` is a new `zoho_tokens` that the caller frees with
/// `zoho_tokens_free`; the tokens are removed from the last error (a second call returns
/// `ZOHO_RESULT_NO_TOKENS`). Returns `ZOHO_RESULT_NO_TOKENS` when the last error carries no
/// tokens, `ZOHO_RESULT_NULL_ARGUMENT` when `out_tokens` is NULL. Never changes the last
/// error's code or message.
///
/// # Safety
///
/// `out_tokens` must point to a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_last_error_take_unsaved_tokens(
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    infallible(zoho_result::Panic, || {
        if out_tokens.is_null() {
            return zoho_result::NullArgument;
        }
        let taken = with_last_error(|last| last.and_then(|e| e.unsaved_tokens.take())).flatten();
        match taken {
            // SAFETY: `out_tokens` is not NULL and the caller guarantees it is writable.
            Some(tokens) => unsafe { write_out(out_tokens, zoho_tokens::boxed(tokens)) },
            None => zoho_result::NoTokens,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::boundary::{call, infallible};
    use zoho_oauth::Secret;
    use zoho_oauth::Tokens;
    use zoho_oauth::{Error, ErrorKind};

    fn message() -> String {
        let mut n = 0usize;
        assert_eq!(
            unsafe { zoho_last_error_message(std::ptr::null_mut(), 0, &mut n) },
            zoho_result::Ok
        );
        let mut buf = vec![0u8; n + 1];
        assert_eq!(
            unsafe { zoho_last_error_message(buf.as_mut_ptr().cast(), n, &mut n) },
            zoho_result::InvalidArgument
        );
        assert_eq!(
            unsafe { zoho_last_error_message(buf.as_mut_ptr().cast(), n + 1, &mut n) },
            zoho_result::Ok
        );
        assert_eq!(buf[n], 0);
        String::from_utf8(buf[..n].to_vec()).expect("utf-8")
    }

    #[test]
    fn errors_are_recorded_and_success_clears_them() {
        let r = call("t", || Err(Error::new(ErrorKind::NoTokens, "none here")));
        assert_eq!(r, zoho_result::NoTokens);
        assert_eq!(unsafe { zoho_last_error_code() }, zoho_result::NoTokens);
        assert_eq!(message(), "none here");
        assert_eq!(call("t", || Ok(())), zoho_result::Ok);
        assert_eq!(unsafe { zoho_last_error_code() }, zoho_result::Ok);
        assert_eq!(message(), "");
    }

    #[test]
    fn panics_become_a_result_and_a_message() {
        let r = call("zoho_test", || panic!("secret 1000.abc"));
        assert_eq!(r, zoho_result::Panic);
        let text = message();
        assert!(text.contains("zoho_test"), "{text}");
        assert!(!text.contains("1000.abc"), "{text}");
        assert_eq!(infallible(7, || panic!("x")), 7);
    }

    #[test]
    fn unsaved_tokens_can_be_taken_once() {
        let tokens = Tokens::new(None, Secret::new("1000.a"), Some(Secret::new("1000.r")), 5);
        let r = call("t", || {
            Err(Error::new(ErrorKind::ScopeMissing, "lookup failed").with_unsaved_tokens(tokens))
        });
        assert_eq!(r, zoho_result::ScopeMissing);
        let mut out: *mut zoho_tokens = std::ptr::null_mut();
        assert_eq!(
            unsafe { zoho_last_error_take_unsaved_tokens(&mut out) },
            zoho_result::Ok
        );
        assert!(!out.is_null());
        unsafe { super::super::tokens::zoho_tokens_free(out) };
        let mut again: *mut zoho_tokens = std::ptr::null_mut();
        assert_eq!(
            unsafe { zoho_last_error_take_unsaved_tokens(&mut again) },
            zoho_result::NoTokens
        );
        assert!(again.is_null());
        assert_eq!(unsafe { zoho_last_error_code() }, zoho_result::ScopeMissing);
        assert_eq!(message(), "lookup failed");
    }
}
