//! `zoho-oauth-audit`: runs every flow (grant, refresh, revoke, user info, every error path)
//! through every door (the Rust API, the CLI, the PHP extension with logging on, the C API's
//! last-error text) with distinctive secrets, then scans everything the run produced for any
//! secret or any 12-byte piece of one. Zero hits, or it fails.
//!
//! ```text
//! zoho-oauth-audit [--work DIR] [--cli PATH] [--php-ext PATH] [--capi-lib PATH] [--require-all]
//! zoho-oauth-audit scan SECRETS_FILE PATH...     (one secret a line)
//! ```
//!
//! Doors whose program is missing are reported as not verified (and fail the run with
//! `--require-all`). Ends with `N passed, M failed`.

mod capi_flows;
mod cli_flows;
mod php_flows;
mod rust_flows;
mod scan;
mod world;

use std::path::PathBuf;
use std::process::ExitCode;

/// Options of a run.
#[derive(Debug, Default)]
pub struct Options {
    /// Work directory (kept); default a temporary one, removed after a clean run.
    pub work: Option<PathBuf>,
    /// The CLI binary.
    pub cli: Option<PathBuf>,
    /// The PHP extension.
    pub php_ext: Option<PathBuf>,
    /// The C library.
    pub capi_lib: Option<PathBuf>,
    /// Fail when a door's program is missing.
    pub require_all: bool,
}

fn parse(argv: &[String]) -> Result<Options, String> {
    let mut o = Options::default();
    let mut it = argv.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .map(PathBuf::from)
                .ok_or_else(|| format!("{flag} needs a path"))
        };
        match flag.as_str() {
            "--work" => o.work = Some(value()?),
            "--cli" => o.cli = Some(value()?),
            "--php-ext" => o.php_ext = Some(value()?),
            "--capi-lib" => o.capi_lib = Some(value()?),
            "--require-all" => o.require_all = true,
            other => return Err(format!("unknown option {other}")),
        }
    }
    Ok(o)
}

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let result = match argv.first().map(String::as_str) {
        Some("scan") if argv.len() >= 3 => scan::standalone(&argv[1], &argv[2..]),
        _ => parse(&argv).and_then(|o| world::run(&o)),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("zoho-oauth-audit: {e}");
            ExitCode::from(2)
        }
    }
}
