//! The C ABI of zoho-oauth (the crate `zoho-oauth-capi`, built as `libzoho_oauth.so` and
//! `libzoho_oauth.a`): `zoho_*` functions over the core's [`OAuthClient`](zoho_oauth::OAuthClient), declared in
//! `include/zoho_oauth.h` (C and C++) and `include/zoho_oauth_ffi.h` (PHP `FFI::cdef`), both
//! generated from this crate by `build.rs` with cbindgen.
//!
//! A door of its own over the core (`zoho-oauth`): no other crate depends on this one, so no
//! build of the core or of another door carries these symbols. Its modules are private: Rust
//! reaches nothing here but the exported `extern "C"` functions.
//!
//! Conventions (also stated at the top of the headers and in `include/README.md`):
//!
//! * One prefix, `zoho_`. Types are opaque: `zoho_client`, `zoho_tokens`, `zoho_token_list`.
//!   Each constructor names its `_free`; every `_free(NULL)` is a no-op; freeing twice or using
//!   a freed object is undefined behaviour.
//! * Fallible functions return `zoho_result`: `ZOHO_RESULT_OK` (0) or a stable code equal to
//!   [`ErrorKind::code`](zoho_oauth::ErrorKind::code), banded by origin. Out-parameters are
//!   written only on success. A per-thread last-error message (`boundary`) explains the last
//!   failure; it never contains a secret.
//! * Strings returned by the library are `char *` freed with `zoho_string_free` (never libc
//!   `free`); `const char *` results are static and never freed.
//! * Every export is an `unsafe extern "C" fn` with a `# Safety` section. It checks every
//!   pointer for NULL and every string for UTF-8, and catches panics
//!   (`ZOHO_RESULT_PANIC`), so bad input never crashes the caller.
//! * A `zoho_client` may be shared by any number of threads; tokens and token lists are
//!   immutable snapshots, safe to read from several threads.

mod boundary;
// The last error's exports come first in the headers, as when they lived in `boundary`.
mod last_error;

mod client;
mod config;
mod fleet;
mod remedy;
mod result;
mod stats;
mod strings;
mod tokens;

#[cfg(test)]
mod tests;
