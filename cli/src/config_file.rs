//! The configuration file: `key=value` lines with Zoho SDK keys, found through `--config`,
//! `$ZOHO_OAUTH_CONFIG` or `~/.config/zoho-oauth/config`.

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use zoho_oauth::config::is_known_key;

use crate::dirs;
use crate::exit::Failure;
use crate::output::warn;

/// Keys the CLI reads besides the SDK's.
pub const CLI_KEYS: &[&str] = &["scope"];

/// The config file to read and whether it must exist (named explicitly) or not (default).
pub fn path(explicit: Option<&Path>) -> Option<(PathBuf, bool)> {
    if let Some(path) = explicit {
        return Some((path.to_path_buf(), true));
    }
    if let Some(path) = std::env::var_os("ZOHO_OAUTH_CONFIG").filter(|p| !p.is_empty()) {
        return Some((PathBuf::from(path), true));
    }
    let base = dirs::xdg_dir("XDG_CONFIG_HOME", ".config")?;
    Some((base.join("zoho-oauth").join("config"), false))
}

/// Reads `key=value` lines; `#` starts a comment line; values may be quoted.
pub fn read(path: &Path, required: bool) -> Result<Vec<(String, String)>, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(Vec::new()),
        Err(e) => {
            return Err(Failure::usage(format!(
                "cannot read the configuration file {}: {e}",
                path.display()
            )));
        }
    };
    check_permissions(path);
    parse_lines(&text).map_err(|(line, why)| {
        Failure::usage(format!("{} line {line}: {why}", path.display()))
            .with_hint("each line is key=value, e.g. client_id=1000.XXXX; # starts a comment")
    })
}

fn check_permissions(path: &Path) {
    if let Ok(meta) = std::fs::metadata(path) {
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            warn(&format!(
                "{} is readable by other users (mode {mode:04o}) and may hold the client secret; run: chmod 600 {}",
                path.display(),
                path.display()
            ));
        }
    }
}

/// Parses the file's lines; an error names the line number.
pub fn parse_lines(text: &str) -> Result<Vec<(String, String)>, (usize, String)> {
    let mut pairs = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((key, value)) = line.split_once('=') else {
            return Err((index + 1, "expected key=value".into()));
        };
        let key = key.trim();
        if !is_known_key(key) && !CLI_KEYS.contains(&key) {
            warn(&format!(
                "ignoring unknown key '{key}' on line {}",
                index + 1
            ));
            continue;
        }
        pairs.push((key.to_string(), unquote(value.trim()).to_string()));
    }
    Ok(pairs)
}

fn unquote(value: &str) -> &str {
    for quote in ['"', '\''] {
        if value.len() >= 2 && value.starts_with(quote) && value.ends_with(quote) {
            return &value[1..value.len() - 1];
        }
    }
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_lines_comments_quotes_and_errors() {
        let text = "# comment\n\nclient_id = 1000.X\nclient_secret=\"a=b\"\nscope='A.b'\n";
        let pairs = parse_lines(text).expect("valid");
        assert_eq!(
            pairs,
            [
                ("client_id".to_string(), "1000.X".to_string()),
                ("client_secret".to_string(), "a=b".to_string()),
                ("scope".to_string(), "A.b".to_string()),
            ]
        );
        assert_eq!(parse_lines("a\nno equals sign").err().map(|e| e.0), Some(1));
        assert_eq!(parse_lines("unknown_key=1").ok().map(|p| p.len()), Some(0));
    }
}
