//! Build script of the C ABI's crate (`capi/`, `zoho-oauth-capi`):
//! * generates the C `zoho_result` enum from the core's table of error kinds
//!   (`../src/error/kinds.rs`) into `$OUT_DIR/zoho_result.rs`, which `src/result.rs` includes;
//! * generates `include/zoho_oauth.h` (C and C++) and `include/zoho_oauth_ffi.h` (PHP
//!   `FFI::cdef`) from `src/` with cbindgen, writing a file only when its content changes;
//! * gives the shared library a SONAME on Linux (`libzoho_oauth.so.0.1` for 0.1.x).
//!
//! Only this crate runs it: a build of the core or of another door (the PHP extension, which
//! sets its own SONAME, `zoho_oauth.so`, in php/build.rs) runs no cbindgen and gets no SONAME.
//!
//! A cbindgen problem never fails the build (the Rust library does not need the headers): it
//! prints a warning and writes `include/CBINDGEN_FAILED.txt`, which `tests/c/check-headers.sh`
//! reports. Set `ZOHO_OAUTH_SKIP_HEADERS=1` to leave `include/` alone (e.g. a read-only tree).

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

const C_HEADER: &str = "include/zoho_oauth.h";
const FFI_HEADER: &str = "include/zoho_oauth_ffi.h";
const FAILURE_MARKER: &str = "include/CBINDGEN_FAILED.txt";
/// The core's table of error kinds, relative to this crate.
const KINDS_TABLE: &str = "../src/error/kinds.rs";
const RESULT_RS: &str = "zoho_result.rs";

include!("../src/error/kinds.rs");

/// One row of the table of error kinds, as the C door needs it.
struct KindRow {
    /// The Rust `ErrorKind` variant.
    rust: &'static str,
    /// The stable number.
    code: u32,
    /// The stable snake_case name; the C value is `ZOHO_RESULT_` and this in capitals.
    name: &'static str,
    /// The doc comment's lines (each starts with a space, as `///` gives them).
    doc: &'static [&'static str],
}

/// Turns the table's rows into `KindRow`s (category and transience are not needed here).
macro_rules! kind_rows {
    ($( $(#[doc = $doc:literal])* $kind:ident = $code:literal, $name:literal,
        $category:ident, $transient:literal; )*) => {
        &[ $( KindRow { rust: stringify!($kind), code: $code, name: $name, doc: &[$($doc),*] }, )* ]
    };
}

const KINDS: &[KindRow] = error_kinds!(kind_rows);

/// The doc comment of `zoho_result` (the header carries it).
const RESULT_DOC: &str = "\
/// The result of a `zoho_*` call: `ZOHO_RESULT_OK` (0) or a stable error code, the same number
/// as the Rust `ErrorKind::code()` and the PHP exception code. Values never change and
/// retired values are never reused. Bands: 1xx the caller's input, 2xx the transport,
/// 3xx Zoho refused, 4xx the token store, 5xx internal. `zoho_last_error_message` explains
/// the last failure on the calling thread. Functions that take a code from C take a plain
/// `uint32_t`, so any number is safe to pass.
";

const FFI_NOTE: &str = "
/*
 * PHP FFI variant of zoho_oauth.h, generated from the same source: no #include, no include
 * guard, no extern \"C\" block, no #define (FFI::cdef cannot read them). C and C++ programs use
 * zoho_oauth.h. Usage: $ffi = FFI::cdef(file_get_contents(\"zoho_oauth_ffi.h\"), \"libzoho_oauth.so\");
 */";

fn main() {
    let started = SystemTime::now();
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=cbindgen.toml");
    println!("cargo:rerun-if-changed=src");
    println!("cargo:rerun-if-changed={C_HEADER}");
    println!("cargo:rerun-if-changed={FFI_HEADER}");
    println!("cargo:rerun-if-changed={KINDS_TABLE}");
    println!("cargo:rerun-if-env-changed=ZOHO_OAUTH_SKIP_HEADERS");
    set_soname();
    let Some(out_dir) = std::env::var_os("OUT_DIR").map(PathBuf::from) else {
        return;
    };
    let result_rs = out_dir.join(RESULT_RS);
    if let Err(e) = fs::write(&result_rs, result_enum_source()) {
        // The crate cannot compile without it: say why.
        println!(
            "cargo:warning=zoho-oauth: cannot write {}: {e}",
            result_rs.display()
        );
    }
    if std::env::var_os("ZOHO_OAUTH_SKIP_HEADERS").is_some_and(|v| v != "0") {
        return;
    }
    let Some(root) = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from) else {
        return;
    };
    let outcome = catch_unwind(AssertUnwindSafe(|| generate(&root, &result_rs, started)))
        .unwrap_or_else(|_| Err("cbindgen panicked".to_string()));
    let marker = root.join(FAILURE_MARKER);
    match outcome {
        Ok(()) => {
            let _ = fs::remove_file(marker);
        }
        Err(why) => {
            println!("cargo:warning=zoho-oauth: C headers were not regenerated: {why}");
            let _ = fs::write(marker, format!("cbindgen failed in build.rs: {why}\n"));
        }
    }
}

/// `-Wl,-soname` for the cdylib on Linux: `lib<name>.so.<major>` from 1.0, `.so.0.<minor>` before.
fn set_soname() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let major = std::env::var("CARGO_PKG_VERSION_MAJOR").unwrap_or_default();
    let minor = std::env::var("CARGO_PKG_VERSION_MINOR").unwrap_or_default();
    let abi = if major == "0" {
        format!("0.{minor}")
    } else {
        major
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libzoho_oauth.so.{abi}");
}

/// The Rust source of `zoho_result`: the enum (with `Ok = 0` and a value per error kind, in
/// the table's order), its table of names, and the conversion from `ErrorKind`.
fn result_enum_source() -> String {
    let mut enum_body = String::from("    /// Success.\n    Ok = 0,\n");
    let mut table = String::from("    (zoho_result::Ok, c\"ok\"),\n");
    let mut from_kind = String::new();
    for row in KINDS {
        let variant = camel_case(row.name);
        for line in row.doc {
            enum_body.push_str(&format!("    ///{line}\n"));
        }
        enum_body.push_str(&format!("    {variant} = {},\n", row.code));
        table.push_str(&format!(
            "    (zoho_result::{variant}, c\"{}\"),\n",
            row.name
        ));
        from_kind.push_str(&format!(
            "            ErrorKind::{} => zoho_result::{variant},\n",
            row.rust
        ));
    }
    format!(
        "// Generated by build.rs from {KINDS_TABLE}; do not edit.\n\n\
         {RESULT_DOC}#[repr(C)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq)]\n\
         pub enum zoho_result {{\n{enum_body}}}\n\n\
         /// Every value with its stable name (`ErrorKind::name`, `\"ok\"` for success).\n\
         const TABLE: &[(zoho_result, &CStr)] = &[\n{table}];\n\n\
         impl zoho_result {{\n    /// The result for an error kind (the same number).\n    \
         pub fn from_kind(kind: ErrorKind) -> zoho_result {{\n        match kind {{\n\
         {from_kind}            // `ErrorKind` is non-exhaustive outside the core; every kind of\n            \
         // the table has its arm above.\n            \
         _ => zoho_result::Internal,\n        }}\n    }}\n}}\n"
    )
}

/// `invalid_utf8` -> `InvalidUtf8`, `oauth_error` -> `OauthError` (cbindgen turns it back
/// into `INVALID_UTF8`, `OAUTH_ERROR`).
fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|word| {
            let mut chars = word.chars();
            chars.next().map_or_else(String::new, |first| {
                first.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

/// Generates both headers; writes each only when its text changed.
fn generate(root: &Path, result_rs: &Path, started: SystemTime) -> Result<(), String> {
    let config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .map_err(|e| format!("cbindgen.toml: {e}"))?;
    let c_header = render(root, result_rs, config.clone())?;
    write_if_changed(&root.join(C_HEADER), &c_header, started)?;
    let ffi_header = render(root, result_rs, ffi_config(config))?;
    check_ffi_header(&ffi_header)?;
    write_if_changed(&root.join(FFI_HEADER), &ffi_header, started)
}

/// The PHP FFI variant of the configuration: nothing FFI::cdef cannot parse.
fn ffi_config(mut config: cbindgen::Config) -> cbindgen::Config {
    config.cpp_compat = false;
    config.include_guard = None;
    config.pragma_once = false;
    config.no_includes = true;
    config.sys_includes.clear();
    config.includes.clear();
    config.header = Some(format!(
        "{}{FFI_NOTE}",
        config.header.as_deref().unwrap_or_default()
    ));
    config
}

/// PHP FFI parses the code inside `#if` blocks and cannot see `#define`: the FFI header must
/// have no preprocessor line at all.
fn check_ffi_header(text: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(text);
    match text.lines().find(|line| line.trim_start().starts_with('#')) {
        Some(line) => Err(format!(
            "{FFI_HEADER} would contain a preprocessor line, which PHP FFI cannot read: {line}"
        )),
        None => Ok(()),
    }
}

fn render(root: &Path, result_rs: &Path, config: cbindgen::Config) -> Result<Vec<u8>, String> {
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/lib.rs"))
        .with_src(result_rs)
        .generate()
        .map_err(|e| e.to_string())?;
    let mut text = Vec::new();
    bindings.write(&mut text);
    Ok(text)
}

/// Replaces `path` atomically (temporary file + rename) when `text` differs from it, so
/// unchanged headers keep their mtime and concurrent builds never see a torn file. A new
/// header is dated just before this script started: the headers are `rerun-if-changed`
/// inputs (a hand edit is overwritten), and a later date would make cargo rerun the script.
fn write_if_changed(path: &Path, text: &[u8], started: SystemTime) -> Result<(), String> {
    if fs::read(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let dir = path.parent().ok_or("header path has no directory")?;
    fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("header"),
        std::process::id()
    ));
    fs::write(&tmp, text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    if let Ok(file) = fs::File::options().write(true).open(&tmp) {
        let _ = file.set_modified(started - Duration::from_secs(1));
    }
    fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}
