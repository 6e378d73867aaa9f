//! Where the tool keeps things by default: the XDG configuration and data directories.

use std::path::{Path, PathBuf};

use crate::exit::Failure;

/// A relative token directory is taken inside `base` (`token_base_dir`), else inside the
/// CLI's data directory (`$XDG_DATA_HOME/zoho-oauth`), never in the working directory: the
/// same rule as the library's (see `token_base_dir`), so a configuration shared with a web
/// app that sets the same base finds the same file. Absolute paths are kept.
pub fn resolve_token_dir(path: &str, base: Option<&str>) -> Result<PathBuf, Failure> {
    if Path::new(path).is_absolute() {
        return Ok(PathBuf::from(path));
    }
    let base = match base {
        Some(base) => PathBuf::from(base),
        None => default_token_dir().ok_or_else(|| {
            Failure::usage(format!(
                "the token directory {path} is relative and HOME is not set"
            ))
            .with_hint("give an absolute --token-dir, or set token_base_dir")
        })?,
    };
    Ok(base.join(path))
}

/// `$XDG_DATA_HOME/zoho-oauth` (`~/.local/share/zoho-oauth`).
pub fn default_token_dir() -> Option<PathBuf> {
    xdg_dir("XDG_DATA_HOME", ".local/share").map(|d| d.join("zoho-oauth"))
}

/// `$var`, else `~/under_home`.
pub fn xdg_dir(var: &str, under_home: &str) -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os(var).filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    std::env::var_os("HOME")
        .filter(|h| !h.is_empty())
        .map(|home| PathBuf::from(home).join(under_home))
}
