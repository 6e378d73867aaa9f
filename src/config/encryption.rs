//! Encryption at rest of the stored tokens (opt-in): `token_encryption`,
//! `token_encryption_key_file` and `token_encryption_key`. The keys themselves are read and
//! checked when a store is opened (`crate::store::seal`); this part only holds what was configured.

use std::fmt;
use std::path::PathBuf;

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// The environment variable naming the key file(s) when the configuration names none.
pub const KEY_FILE_ENV: &str = "ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE";

/// What a store does with sealed (encrypted) token values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EncryptionMode {
    /// Values are written in clear; a sealed value read is an error naming its key id (the
    /// default without a key).
    Off,
    /// Sealed values are opened with the configured keys, values are written in clear (the
    /// first step of turning encryption on, and of turning it off).
    Read,
    /// Sealed values are opened, and every value written is sealed with the first key (the
    /// default when a key is configured). Values still in clear are read and sealed at their
    /// next save.
    On,
}

impl EncryptionMode {
    /// Parses `off`, `read` or `on` (`true`/`false`, `yes`/`no`, `1`/`0` too).
    pub fn parse(value: &str) -> Result<EncryptionMode> {
        match value.trim().to_ascii_lowercase().as_str() {
            "off" | "false" | "no" | "0" => Ok(EncryptionMode::Off),
            "read" | "read-only" | "read_only" => Ok(EncryptionMode::Read),
            "on" | "true" | "yes" | "1" => Ok(EncryptionMode::On),
            other => Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("token_encryption '{other}' is not on, read or off"),
            )),
        }
    }

    /// `off`, `read` or `on`, as [`EncryptionMode::parse`] reads it.
    pub fn name(self) -> &'static str {
        match self {
            EncryptionMode::Off => "off",
            EncryptionMode::Read => "read",
            EncryptionMode::On => "on",
        }
    }
}

/// The configured encryption: the mode asked for and where the keys are. The first key
/// seals; every key opens. `Debug` shows the key files and how many key values there are,
/// never a key.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct EncryptionSettings {
    pub(super) mode: Option<EncryptionMode>,
    pub(super) key_files: Vec<PathBuf>,
    pub(super) key_values: Vec<Secret>,
}

impl EncryptionSettings {
    /// The mode asked for (`token_encryption`), if any.
    pub fn requested_mode(&self) -> Option<EncryptionMode> {
        self.mode
    }

    /// The key files (`token_encryption_key_file`, comma-separated), first one sealing.
    pub fn key_files(&self) -> &[PathBuf] {
        &self.key_files
    }

    /// The key values given in the configuration itself (`token_encryption_key`), after
    /// the key files. Secrets: shown nowhere.
    pub fn key_values(&self) -> &[Secret] {
        &self.key_values
    }

    /// Whether any key is configured here (the environment aside).
    pub fn has_keys(&self) -> bool {
        !self.key_files.is_empty() || !self.key_values.is_empty()
    }

    /// Sets the mode.
    pub fn with_mode(mut self, mode: EncryptionMode) -> EncryptionSettings {
        self.mode = Some(mode);
        self
    }

    /// Adds a key file (after those already given).
    pub fn with_key_file(mut self, path: impl Into<PathBuf>) -> EncryptionSettings {
        self.key_files.push(path.into());
        self
    }

    /// Adds a key value (base64 of 32 bytes), after those already given.
    pub fn with_key_value(mut self, key: Secret) -> EncryptionSettings {
        self.key_values.push(key);
        self
    }
}

/// The non-blank items of a comma-separated list (key files, key values).
pub fn split_list(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
}

impl fmt::Debug for EncryptionSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EncryptionSettings")
            .field("mode", &self.mode)
            .field("key_files", &self.key_files)
            .field("key_values", &self.key_values.len())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_split_and_debug_hides_key_values() {
        let config = crate::Config::from_pairs([
            ("client_id", "1000.ID"),
            ("client_secret", "s"),
            ("redirect_uri", "https://example.com/cb"),
            ("token_encryption", "READ"),
            ("token_encryption_key_file", " /k/new.key , /k/old.key,"),
            (
                "token_encryption_key",
                "c2VjcmV0a2V5dmFsdWVfX19fX19fX19fX19fX19fX18=",
            ),
        ])
        .expect("parses");
        let s = config.encryption();
        assert_eq!(s.requested_mode(), Some(EncryptionMode::Read));
        assert_eq!(s.key_files().len(), 2);
        assert_eq!(
            s.key_files()[0],
            std::path::Path::new("/k/new.key"),
            "the first seals"
        );
        assert_eq!(s.key_values().len(), 1);
        let shown = format!("{s:?}");
        assert!(!shown.contains("c2VjcmV0"), "{shown}");
        assert!(shown.contains("/k/old.key"), "{shown}");
        let e = EncryptionMode::parse("maybe").expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    }
}
