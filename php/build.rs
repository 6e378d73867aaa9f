//! Build script of the PHP extension.
//!
//! ext-php-rs's `#[php_module]` exports, besides PHP's `get_module`, a second entry named
//! after the crate (`<crate>_get_module`, for statically linked builds). The extension must
//! export no `zoho_*` symbol (those belong to the C library's ABI), so the name the macro
//! reads is set here to one outside that namespace: the exported entry is
//! `php_extension_get_module`. php/tests/run.sh checks the extension's exports with `nm`.
//!
//! On Linux the extension gets its own SONAME, `zoho_oauth.so` (its file name, as Debian's PHP
//! extensions have theirs), never the C library's `libzoho_oauth.so.0.1`: inside a PHP that
//! loaded the extension, `FFI::cdef(..., "libzoho_oauth.so.0.1")` must load the C library, not
//! bind to the already loaded extension (tests/c/run.sh checks this through PHP FFI).

fn main() {
    println!("cargo:rustc-env=CARGO_CRATE_NAME=php_extension");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,zoho_oauth.so");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
