//! `zoho_tokens` (one user's tokens) and `zoho_token_list` (every stored entry).
#![allow(non_camel_case_types)]

use std::ffi::c_char;

use super::boundary::{call, infallible};
use super::result::zoho_result;
use super::strings::{Out, null_argument, opt_c_string};
use zoho_oauth::Tokens;
use zoho_oauth::{Error, Result};

/// A snapshot of one user's tokens: access token, refresh token, expiry, user, API domain.
///
/// Created by `zoho_client_generate_access_token`, `zoho_client_get_tokens`,
/// `zoho_client_refresh`, `zoho_token_list_get`, ...; free it with `zoho_tokens_free`.
/// It never changes after creation (a later refresh does not update it), so any number of
/// threads may read it at once. The getters copy each field into a new string.
pub struct zoho_tokens {
    inner: Tokens,
}

/// Every entry of a token store, in store order, as returned by `zoho_client_list_tokens`.
/// Free it with `zoho_token_list_free`. Immutable: any number of threads may read it at once.
pub struct zoho_token_list {
    items: Vec<Tokens>,
}

impl zoho_tokens {
    /// Moves tokens to the heap for C; freed by `zoho_tokens_free`.
    pub fn boxed(inner: Tokens) -> *mut zoho_tokens {
        Box::into_raw(Box::new(zoho_tokens { inner }))
    }
}

impl zoho_token_list {
    /// Moves a list to the heap for C; freed by `zoho_token_list_free`.
    pub fn boxed(items: Vec<Tokens>) -> *mut zoho_token_list {
        Box::into_raw(Box::new(zoho_token_list { items }))
    }
}

/// Borrows the tokens behind a C pointer.
///
/// # Safety
///
/// `tokens`, when not NULL, must be a live `zoho_tokens` that outlives `'a`.
unsafe fn tokens_ref<'a>(tokens: *const zoho_tokens) -> Result<&'a Tokens> {
    // SAFETY: the caller's contract.
    unsafe { tokens.as_ref() }
        .map(|t| &t.inner)
        .ok_or_else(|| null_argument("tokens"))
}

/// Runs a string getter: checks both pointers, then writes the field (NULL when absent).
///
/// # Safety
///
/// As the exported getters.
unsafe fn string_field(
    name: &'static str,
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
    field: impl FnOnce(&Tokens) -> Option<&str>,
) -> zoho_result {
    call(name, || {
        // SAFETY: forwarded from the exported getter's contract.
        let (tokens, out) = unsafe { (tokens_ref(tokens)?, Out::new(out_value, "out_value")?) };
        let value = opt_c_string(field(tokens), "token field")?;
        out.set(value);
        Ok(())
    })
}

/// Copies the access token into a new string (`*out_value`), freed with `zoho_string_free`.
/// Send it as `Authorization: Zoho-oauthtoken <access token>`.
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_value` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_access_token(
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        string_field("zoho_tokens_access_token", tokens, out_value, |t| {
            Some(t.access_token.expose())
        })
    }
}

/// Copies the refresh token into a new string (`*out_value`), freed with `zoho_string_free`;
/// `*out_value` is set to NULL when there is none (`access_type=online`).
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_value` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_refresh_token(
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        string_field("zoho_tokens_refresh_token", tokens, out_value, |t| {
            t.refresh_token.as_ref().map(|s| s.expose())
        })
    }
}

/// Copies the user identifier (the e-mail Zoho returned, or the one given with a refresh
/// token) into a new string (`*out_value`), freed with `zoho_string_free`; NULL when there is none.
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_value` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_user(
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe { string_field("zoho_tokens_user", tokens, out_value, |t| t.user.as_deref()) }
}

/// Copies the API domain Zoho returned (`https://www.zohoapis.eu`, ...) into a new string
/// (`*out_value`), freed with `zoho_string_free`; NULL when unknown (SDK-format files do not keep it).
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_value` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_api_domain(
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        string_field("zoho_tokens_api_domain", tokens, out_value, |t| {
            t.api_domain.as_deref()
        })
    }
}

/// Copies the granted scopes (space-separated, as Zoho returns them) into a new string
/// (`*out_value`), freed with `zoho_string_free`; NULL when unknown.
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_value` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_scope(
    tokens: *const zoho_tokens,
    out_value: *mut *mut c_char,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        string_field("zoho_tokens_scope", tokens, out_value, |t| {
            t.scope.as_deref()
        })
    }
}

/// Writes when the access token expires, in milliseconds since the Unix epoch, to `*out_ms`.
///
/// # Safety
///
/// `tokens` must be NULL or a live `zoho_tokens`; `out_ms` NULL or a writable `int64_t`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_expiry_ms(
    tokens: *const zoho_tokens,
    out_ms: *mut i64,
) -> zoho_result {
    call("zoho_tokens_expiry_ms", || {
        // SAFETY: the caller's contract.
        let (tokens, out) = unsafe { (tokens_ref(tokens)?, Out::new(out_ms, "out_ms")?) };
        out.set(tokens.expiry_time_ms);
        Ok(())
    })
}

/// Frees tokens from any `zoho_*` function. NULL is a no-op; never free twice.
///
/// # Safety
///
/// `tokens` must be NULL or a `zoho_tokens` from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_tokens_free(tokens: *mut zoho_tokens) {
    if tokens.is_null() {
        return;
    }
    // SAFETY: the caller guarantees it came from `zoho_tokens::boxed`.
    infallible((), || drop(unsafe { Box::from_raw(tokens) }));
}

/// The number of entries in a list; 0 for NULL.
///
/// # Safety
///
/// `list` must be NULL or a live `zoho_token_list`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_token_list_len(list: *const zoho_token_list) -> usize {
    // SAFETY: the caller's contract.
    infallible(0, || unsafe { list.as_ref() }.map_or(0, |l| l.items.len()))
}

/// Copies entry `index` (from 0) of a list into new tokens (`*out_tokens`), freed with
/// `zoho_tokens_free` (independently of the list). An index past the end is
/// `ZOHO_RESULT_INVALID_ARGUMENT`.
///
/// # Safety
///
/// `list` must be NULL or a live `zoho_token_list`; `out_tokens` NULL or a writable
/// `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_token_list_get(
    list: *const zoho_token_list,
    index: usize,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    call("zoho_token_list_get", || {
        // SAFETY: the caller's contract.
        let list = unsafe { list.as_ref() }.ok_or_else(|| null_argument("list"))?;
        // SAFETY: the caller's contract.
        let out = unsafe { Out::new(out_tokens, "out_tokens")? };
        let item = list.items.get(index).ok_or_else(|| {
            Error::invalid_argument(format!(
                "index {index} is past the end of a list of {}",
                list.items.len()
            ))
        })?;
        out.set(zoho_tokens::boxed(item.clone()));
        Ok(())
    })
}

/// Frees a list from `zoho_client_list_tokens`. NULL is a no-op; never free twice. Tokens
/// taken from it with `zoho_token_list_get` stay valid.
///
/// # Safety
///
/// `list` must be NULL or a `zoho_token_list` from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_token_list_free(list: *mut zoho_token_list) {
    if list.is_null() {
        return;
    }
    // SAFETY: the caller guarantees it came from `zoho_token_list::boxed`.
    infallible((), || drop(unsafe { Box::from_raw(list) }));
}
