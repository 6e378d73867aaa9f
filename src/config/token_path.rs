//! Where a relative `token_persistence_path` lands: never in the working directory.
//!
//! Under PHP-FPM or `php -S` the working directory is the document root, so a token file
//! created there (seed 001's `'token_persistence_path' => 'zcrm_oauthtokens.txt'`) could be
//! downloaded over HTTP. A relative path is therefore resolved against `token_base_dir` (the
//! extension fills it from the ini setting `zoho_oauth.token_base_dir`, the CLI from its data
//! directory), or refused with a message that names that setting.

use std::path::{Path, PathBuf};

use crate::error::{Error, ErrorKind, Remedy, Result};

/// The `token_persistence_path` to use: absolute as given, relative joined to `base`.
pub fn resolve(path: Option<&str>, base: Option<&str>) -> Result<Option<PathBuf>> {
    let Some(path) = path else {
        return Ok(None);
    };
    let path = Path::new(path);
    if path.is_absolute() {
        return Ok(Some(path.to_path_buf()));
    }
    match base.map(Path::new) {
        Some(base) if base.is_absolute() => Ok(Some(base.join(path))),
        Some(base) => Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("token_base_dir {} is not an absolute path", base.display()),
        )
        .with_remedy(Remedy::SetTokenBaseDir)),
        None => Err(relative_refused(path)),
    }
}

/// Refuses a relative path when no base directory is configured.
pub fn relative_refused(path: &Path) -> Error {
    let shown = path.display().to_string();
    let shown: String = if shown.chars().count() > 200 {
        shown.chars().take(200).chain("…".chars()).collect()
    } else {
        shown
    };
    Error::new(
        ErrorKind::ConfigInvalid,
        format!(
            "token_persistence_path '{shown}' is relative: it would land in the working directory, which is the document root of a web server (the refresh token could be downloaded)"
        ),
    )
    .with_remedy(Remedy::SetTokenBaseDir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_need_an_absolute_base() {
        assert_eq!(resolve(None, Some("/b")).ok(), Some(None));
        assert_eq!(
            resolve(Some("/t/x"), None).ok().flatten(),
            Some(PathBuf::from("/t/x"))
        );
        assert_eq!(
            resolve(Some("zcrm_oauthtokens.txt"), Some("/var/lib/z"))
                .ok()
                .flatten(),
            Some(PathBuf::from("/var/lib/z/zcrm_oauthtokens.txt"))
        );
        let e = resolve(Some("zcrm_oauthtokens.txt"), None).expect_err("refused");
        // Each door words the remedy (PHP: zoho_oauth.token_base_dir in php.ini).
        assert_eq!(e.remedy(), Some(crate::error::Remedy::SetTokenBaseDir));
        assert!(e.to_string().contains("token_base_dir"));
        assert!(resolve(Some("x"), Some("rel")).is_err());
    }
}
