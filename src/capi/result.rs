//! `zoho_result`: the one result code of the C ABI, equal to [`ErrorKind::code`].
#![allow(non_camel_case_types)]

use std::ffi::{CStr, c_char};

use crate::error::ErrorKind;

/// The result of a `zoho_*` call: `ZOHO_RESULT_OK` (0) or a stable error code, the same number
/// as the Rust `ErrorKind::code()` and the PHP exception code. Values never change and
/// retired values are never reused. Bands: 1xx the caller's input, 2xx the transport,
/// 3xx Zoho refused, 4xx the token store, 5xx internal. `zoho_last_error_message` explains
/// the last failure on the calling thread. Functions that take a code from C take a plain
/// `uint32_t`, so any number is safe to pass.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum zoho_result {
    /// Success.
    Ok = 0,
    /// An argument is empty, too long, contains a NUL byte, or a buffer is too small.
    InvalidArgument = 100,
    /// A required configuration key is absent or empty (`client_id is mandatory`).
    ConfigMissing = 101,
    /// A configuration value is wrong (not a URL, plain http to a remote host, bad JSON, ...).
    ConfigInvalid = 102,
    /// The library was used before it was initialized.
    NotInitialized = 103,
    /// No grant token or refresh token was given (`Grant Token is not provided.`).
    MissingToken = 104,
    /// A NULL pointer was passed where a value is required.
    NullArgument = 110,
    /// A string argument is not valid UTF-8.
    InvalidUtf8 = 111,
    /// The accounts server could not be reached (DNS, refused, TLS, reset).
    Connect = 200,
    /// The accounts server did not answer within the configured timeout.
    Timeout = 201,
    /// The accounts server answered with an HTTP 5xx status.
    ServerError = 202,
    /// The reply was not the JSON Zoho sends: HTML, empty, truncated or unexpected.
    InvalidResponse = 203,
    /// `invalid_code`: the grant token expired or was used, or the refresh token was revoked.
    InvalidCode = 300,
    /// `invalid_client`: unknown client ID, or the wrong data centre.
    InvalidClient = 301,
    /// `invalid_client_secret`: the secret does not match the client ID.
    InvalidClientSecret = 302,
    /// `invalid_redirect_uri`: the redirect URI differs from the registered one.
    InvalidRedirectUri = 303,
    /// `Access Denied`: Zoho's token creation throttle (10 per refresh token per 10 minutes).
    RateLimited = 304,
    /// `access_denied`: consent refused, or too many grant tokens requested.
    AccessDenied = 305,
    /// The grant lacks a scope the call needs (`AaaServer.profile.READ` for the user lookup).
    ScopeMissing = 306,
    /// The token is unknown, expired or revoked.
    InvalidToken = 307,
    /// Another error code from Zoho.
    OauthError = 308,
    /// The stored access token has expired.
    TokenExpired = 309,
    /// No tokens are stored for the user.
    NoTokens = 400,
    /// The token store could not be read or written (permissions, disk, not a directory).
    StoreIo = 401,
    /// The token store's file cannot be parsed; it was left untouched.
    StoreCorrupt = 402,
    /// The configured kind of store is not available (no `token_persistence_path`).
    StoreUnsupported = 403,
    /// The token store's server (MySQL/MariaDB, Redis) cannot be reached or went away.
    StoreUnavailable = 404,
    /// Another process held the user's refresh lock too long, and no valid token was stored.
    LockTimeout = 405,
    /// A bug in this library; please report it.
    Internal = 500,
    /// A panic was caught at the library's boundary; please report it.
    Panic = 501,
}

/// Every value with its stable name (`ErrorKind::name`, `"ok"` for success).
const TABLE: &[(zoho_result, &CStr)] = &[
    (zoho_result::Ok, c"ok"),
    (zoho_result::InvalidArgument, c"invalid_argument"),
    (zoho_result::ConfigMissing, c"config_missing"),
    (zoho_result::ConfigInvalid, c"config_invalid"),
    (zoho_result::NotInitialized, c"not_initialized"),
    (zoho_result::MissingToken, c"missing_token"),
    (zoho_result::NullArgument, c"null_argument"),
    (zoho_result::InvalidUtf8, c"invalid_utf8"),
    (zoho_result::Connect, c"connect"),
    (zoho_result::Timeout, c"timeout"),
    (zoho_result::ServerError, c"server_error"),
    (zoho_result::InvalidResponse, c"invalid_response"),
    (zoho_result::InvalidCode, c"invalid_code"),
    (zoho_result::InvalidClient, c"invalid_client"),
    (zoho_result::InvalidClientSecret, c"invalid_client_secret"),
    (zoho_result::InvalidRedirectUri, c"invalid_redirect_uri"),
    (zoho_result::RateLimited, c"rate_limited"),
    (zoho_result::AccessDenied, c"access_denied"),
    (zoho_result::ScopeMissing, c"scope_missing"),
    (zoho_result::InvalidToken, c"invalid_token"),
    (zoho_result::OauthError, c"oauth_error"),
    (zoho_result::TokenExpired, c"token_expired"),
    (zoho_result::NoTokens, c"no_tokens"),
    (zoho_result::StoreIo, c"store_io"),
    (zoho_result::StoreCorrupt, c"store_corrupt"),
    (zoho_result::StoreUnsupported, c"store_unsupported"),
    (zoho_result::StoreUnavailable, c"store_unavailable"),
    (zoho_result::LockTimeout, c"lock_timeout"),
    (zoho_result::Internal, c"internal"),
    (zoho_result::Panic, c"panic"),
];

impl zoho_result {
    /// The result for an error kind (the same number).
    pub fn from_kind(kind: ErrorKind) -> zoho_result {
        match kind {
            ErrorKind::InvalidArgument => zoho_result::InvalidArgument,
            ErrorKind::ConfigMissing => zoho_result::ConfigMissing,
            ErrorKind::ConfigInvalid => zoho_result::ConfigInvalid,
            ErrorKind::NotInitialized => zoho_result::NotInitialized,
            ErrorKind::MissingToken => zoho_result::MissingToken,
            ErrorKind::NullArgument => zoho_result::NullArgument,
            ErrorKind::InvalidUtf8 => zoho_result::InvalidUtf8,
            ErrorKind::Connect => zoho_result::Connect,
            ErrorKind::Timeout => zoho_result::Timeout,
            ErrorKind::ServerError => zoho_result::ServerError,
            ErrorKind::InvalidResponse => zoho_result::InvalidResponse,
            ErrorKind::InvalidCode => zoho_result::InvalidCode,
            ErrorKind::InvalidClient => zoho_result::InvalidClient,
            ErrorKind::InvalidClientSecret => zoho_result::InvalidClientSecret,
            ErrorKind::InvalidRedirectUri => zoho_result::InvalidRedirectUri,
            ErrorKind::RateLimited => zoho_result::RateLimited,
            ErrorKind::AccessDenied => zoho_result::AccessDenied,
            ErrorKind::ScopeMissing => zoho_result::ScopeMissing,
            ErrorKind::InvalidToken => zoho_result::InvalidToken,
            ErrorKind::OAuthError => zoho_result::OauthError,
            ErrorKind::TokenExpired => zoho_result::TokenExpired,
            ErrorKind::NoTokens => zoho_result::NoTokens,
            ErrorKind::StoreIo => zoho_result::StoreIo,
            ErrorKind::StoreCorrupt => zoho_result::StoreCorrupt,
            ErrorKind::StoreUnsupported => zoho_result::StoreUnsupported,
            ErrorKind::StoreUnavailable => zoho_result::StoreUnavailable,
            ErrorKind::LockTimeout => zoho_result::LockTimeout,
            ErrorKind::Internal => zoho_result::Internal,
            ErrorKind::Panic => zoho_result::Panic,
        }
    }

    /// The value for a number, or `None` when no result has that number. Numbers that come
    /// from C go through this, so C can never hand Rust an invalid enum value.
    pub fn from_code(code: u32) -> Option<zoho_result> {
        TABLE
            .iter()
            .find(|(r, _)| *r as u32 == code)
            .map(|(r, _)| *r)
    }

    /// The stable snake_case name (`"invalid_code"`), `"ok"` for success.
    pub fn name(self) -> &'static CStr {
        TABLE
            .iter()
            .find(|(r, _)| *r == self)
            .map_or(c"internal", |(_, name)| *name)
    }

    /// Every value, in numeric order.
    pub fn all() -> impl Iterator<Item = zoho_result> {
        TABLE.iter().map(|(r, _)| *r)
    }
}

/// The stable name of a result code (`"ok"`, `"invalid_code"`, `"store_corrupt"`, ...), the
/// same text as the Rust `ErrorKind::name()`; `"unknown"` for a number that is not a
/// `zoho_result`. Takes a plain integer so any value is safe to pass.
///
/// The string is static: do not free it. Never fails, never touches the last error.
///
/// # Safety
///
/// Always safe to call.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_result_name(code: u32) -> *const c_char {
    zoho_result::from_code(code)
        .map_or(c"unknown", zoho_result::name)
        .as_ptr()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every core kind, written out: a new kind fails `from_kind`'s exhaustive match first.
    const KINDS: &[ErrorKind] = &[
        ErrorKind::InvalidArgument,
        ErrorKind::ConfigMissing,
        ErrorKind::ConfigInvalid,
        ErrorKind::NotInitialized,
        ErrorKind::MissingToken,
        ErrorKind::NullArgument,
        ErrorKind::InvalidUtf8,
        ErrorKind::Connect,
        ErrorKind::Timeout,
        ErrorKind::ServerError,
        ErrorKind::InvalidResponse,
        ErrorKind::InvalidCode,
        ErrorKind::InvalidClient,
        ErrorKind::InvalidClientSecret,
        ErrorKind::InvalidRedirectUri,
        ErrorKind::RateLimited,
        ErrorKind::AccessDenied,
        ErrorKind::ScopeMissing,
        ErrorKind::InvalidToken,
        ErrorKind::OAuthError,
        ErrorKind::TokenExpired,
        ErrorKind::NoTokens,
        ErrorKind::StoreIo,
        ErrorKind::StoreCorrupt,
        ErrorKind::StoreUnsupported,
        ErrorKind::StoreUnavailable,
        ErrorKind::LockTimeout,
        ErrorKind::Internal,
        ErrorKind::Panic,
    ];

    #[test]
    fn c_values_equal_rust_codes_and_names() {
        for &kind in KINDS {
            let r = zoho_result::from_kind(kind);
            assert_eq!(r as u32, kind.code(), "{kind:?}");
            assert_eq!(r.name().to_str().ok(), Some(kind.name()), "{kind:?}");
            assert_eq!(zoho_result::from_code(kind.code()), Some(r));
        }
        assert_eq!(zoho_result::Ok as u32, 0);
        assert_eq!(zoho_result::all().count(), KINDS.len() + 1);
    }

    #[test]
    fn unknown_codes_are_named_unknown() {
        for code in [1, 99, 112, 502, u32::MAX] {
            assert_eq!(zoho_result::from_code(code), None);
            let name = unsafe { CStr::from_ptr(zoho_result_name(code)) };
            assert_eq!(name, c"unknown");
        }
        let ok = unsafe { CStr::from_ptr(zoho_result_name(0)) };
        assert_eq!(ok, c"ok");
    }
}
