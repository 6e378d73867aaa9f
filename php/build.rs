//! Build script of the PHP extension.
//!
//! ext-php-rs's `#[php_module]` exports, besides PHP's `get_module`, a second entry named
//! after the crate (`<crate>_get_module`, for statically linked builds). The extension must
//! export no `zoho_*` symbol (those belong to the C library's ABI), so the name the macro
//! reads is set here to one outside that namespace: the exported entry is
//! `php_extension_get_module`. php/tests/run.sh checks the extension's exports with `nm`.

fn main() {
    println!("cargo:rustc-env=CARGO_CRATE_NAME=php_extension");
    println!("cargo:rerun-if-changed=build.rs");
}
