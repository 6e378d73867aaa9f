//! The C ABI: `zoho_*` functions over [`OAuthClient`](crate::OAuthClient), declared in
//! `include/zoho_oauth.h` (C and C++) and `include/zoho_oauth_ffi.h` (PHP `FFI::cdef`), both
//! generated from this module by `build.rs` with cbindgen.
//!
//! Conventions (also stated at the top of the headers and in `include/README.md`):
//!
//! * One prefix, `zoho_`. Types are opaque: [`zoho_client`](crate::capi::client::zoho_client),
//!   [`zoho_tokens`](crate::capi::tokens::zoho_tokens), [`zoho_token_list`](crate::capi::tokens::zoho_token_list). Each constructor names its
//!   `_free`; every `_free(NULL)` is a no-op; freeing twice or using a freed object is
//!   undefined behaviour.
//! * Fallible functions return [`zoho_result`](crate::capi::result::zoho_result): `ZOHO_RESULT_OK` (0) or a stable code
//!   equal to [`ErrorKind::code`](crate::ErrorKind::code), banded by origin. Out-parameters are
//!   written only on success. A per-thread last-error message explains the last failure
//!   ([`boundary`](crate::capi::boundary)); it never contains a secret.
//! * Strings returned by the library are `char *` freed with [`zoho_string_free`](crate::capi::strings::zoho_string_free)
//!   (never libc `free`); `const char *` results are static and never freed.
//! * Every export is an `unsafe extern "C" fn` with a `# Safety` section. It checks every
//!   pointer for NULL and every string for UTF-8, and catches panics
//!   (`ZOHO_RESULT_PANIC`), so bad input never crashes the caller.
//! * A `zoho_client` may be shared by any number of threads; tokens and token lists are
//!   immutable snapshots, safe to read from several threads.

pub mod boundary;
// The last error's exports come first in the headers, as when they lived in `boundary`.
pub mod last_error;

pub mod client;
pub mod config;
mod remedy;
pub mod result;
pub mod strings;
pub mod tokens;
