//! One key: 32 bytes, given as a file (raw or base64) or a base64 value, with its id.

use std::fmt;
use std::io::{Read, Write};
use std::os::unix::fs::{MetadataExt, OpenOptionsExt};
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE};
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use sha2::{Digest, Sha256};
use zeroize::{Zeroize, Zeroizing};

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// The length of a key in bytes.
pub const KEY_LEN: usize = 32;

/// The largest key file read (a base64 key with a line end is 45 bytes).
const MAX_KEY_FILE: u64 = 4096;

/// A short public name of a key: the first 4 bytes of a SHA-256 of the key, in hex. It
/// tells which key sealed a value without saying anything usable about the key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyId([u8; 4]);

impl KeyId {
    /// The 8 hex digits.
    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads 8 lowercase hex digits back.
    pub fn parse(hex: &str) -> Option<KeyId> {
        if hex.len() != 8 || !hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
            return None;
        }
        let mut id = [0u8; 4];
        for (i, byte) in id.iter_mut().enumerate() {
            *byte = u8::from_str_radix(hex.get(2 * i..2 * i + 2)?, 16).ok()?;
        }
        Some(KeyId(id))
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

impl fmt::Debug for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyId({})", self.hex())
    }
}

/// A key ready to seal and open. `Debug` shows its id only.
#[derive(Clone)]
pub struct Key {
    id: KeyId,
    cipher: XChaCha20Poly1305,
}

impl Key {
    /// The key made of these 32 bytes.
    pub fn from_bytes(bytes: &[u8; KEY_LEN]) -> Key {
        let digest = Sha256::new()
            .chain_update(b"zoho-oauth token key id\0")
            .chain_update(bytes)
            .finalize();
        let mut id = [0u8; 4];
        id.copy_from_slice(&digest[..4]);
        Key {
            id: KeyId(id),
            cipher: XChaCha20Poly1305::new(bytes.into()),
        }
    }

    /// The key in `text`: 32 raw bytes, or their base64 (standard or URL-safe, padded or
    /// not, surrounding white space ignored). `what` names the source in the error.
    pub fn parse(text: &[u8], what: &str) -> Result<Key> {
        if let Ok(raw) = <&[u8; KEY_LEN]>::try_from(text) {
            return Ok(Key::from_bytes(raw));
        }
        let trimmed = std::str::from_utf8(text).unwrap_or("").trim();
        let unpadded = trimmed.trim_end_matches('=');
        let padded = Zeroizing::new(format!("{unpadded}{}", pad(unpadded)));
        let decoded = [STANDARD, URL_SAFE]
            .iter()
            .find_map(|engine| engine.decode(padded.as_bytes()).ok())
            .map(Zeroizing::new);
        match decoded
            .as_deref()
            .map(|raw| <&[u8; KEY_LEN]>::try_from(raw.as_slice()))
        {
            Some(Ok(raw)) => Ok(Key::from_bytes(raw)),
            _ => Err(Error::new(
                ErrorKind::ConfigInvalid,
                format!("{what} is not a key: it must hold 32 random bytes, raw or in base64"),
            )
            .with_hint("make one with `zoho-oauth keygen PATH`")),
        }
    }

    /// The key in the file at `path`, which must be a regular file that only its owner can
    /// read or write (no group or other permission bits), owned by this process's user or
    /// root, as token files are.
    pub fn load(path: &Path) -> Result<Key> {
        let mut file = std::fs::File::open(path).map_err(|e| key_file_error(path, &e))?;
        let meta = file.metadata().map_err(|e| key_file_error(path, &e))?;
        check_key_file(path, &meta)?;
        let mut text = Zeroizing::new(Vec::new());
        Read::by_ref(&mut file)
            .take(MAX_KEY_FILE)
            .read_to_end(&mut text)
            .map_err(|e| key_file_error(path, &e))?;
        Key::parse(&text, &format!("the key file {}", path.display()))
    }

    /// The key given as a configuration value (`token_encryption_key`).
    pub fn from_value(value: &Secret) -> Result<Key> {
        Key::parse(value.expose().as_bytes(), "token_encryption_key")
    }

    /// The key's id.
    pub fn id(&self) -> KeyId {
        self.id
    }

    /// The cipher.
    pub(super) fn cipher(&self) -> &XChaCha20Poly1305 {
        &self.cipher
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Key({})", self.id.hex())
    }
}

/// The `=` padding base64 of `unpadded` needs.
fn pad(unpadded: &str) -> &'static str {
    match unpadded.len() % 4 {
        2 => "==",
        3 => "=",
        _ => "",
    }
}

/// Refuses a key file that is not a regular file, that others may read or write, or that
/// belongs to an untrusted user.
fn check_key_file(path: &Path, meta: &std::fs::Metadata) -> Result<()> {
    let refuse = |why: String, hint: &str| {
        Err(Error::new(
            ErrorKind::ConfigInvalid,
            format!("the key file {} {why}; it was not used", path.display()),
        )
        .with_hint(hint.to_string())
        .with_path(path))
    };
    if !meta.is_file() {
        return refuse(
            "is not a regular file".into(),
            "point to the key file itself",
        );
    }
    if meta.mode() & 0o077 != 0 {
        return refuse(
            format!(
                "has mode {:04o}: its group or others may use it",
                meta.mode() & 0o7777
            ),
            "chmod 0600 it (or 0400)",
        );
    }
    if !crate::store::trusted_owner(meta.uid()) {
        return refuse(
            format!(
                "belongs to {}, not to this process's user or root",
                crate::store::user_name(meta.uid())
            ),
            "chown it to the user the application runs as",
        );
    }
    Ok(())
}

fn key_file_error(path: &Path, err: &std::io::Error) -> Error {
    Error::new(
        ErrorKind::ConfigInvalid,
        format!("the key file {} cannot be read: {err}", path.display()),
    )
    .with_hint("check token_encryption_key_file (or ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE)")
    .with_path(path)
}

/// Writes a new random key, in base64 with a line end, to a new file at `path`: created
/// with mode 0600, never over an existing file or through a symlink. Returns its id.
pub fn generate(path: &Path) -> Result<KeyId> {
    let mut bytes = [0u8; KEY_LEN];
    getrandom::fill(&mut bytes).map_err(|e| {
        Error::new(
            ErrorKind::Internal,
            format!("no random bytes for a key: {e}"),
        )
    })?;
    let key = Key::from_bytes(&bytes);
    let text = Zeroizing::new(format!("{}\n", STANDARD.encode(bytes)));
    bytes.zeroize();
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
        .open(path)
        .map_err(|e| {
            let why = match e.kind() {
                std::io::ErrorKind::AlreadyExists => {
                    "already exists (a key file is never overwritten)".to_string()
                }
                _ => format!("cannot be created: {e}"),
            };
            Error::new(ErrorKind::StoreIo, format!("{} {why}", path.display())).with_path(path)
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::store_io("write", path, &e))?;
    Ok(key.id())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn raw_and_base64_keys_are_the_same_key() {
        let raw = [7u8; KEY_LEN];
        let a = Key::parse(&raw, "t").expect("raw");
        let b64 = format!("  {}\n", STANDARD.encode(raw));
        let b = Key::parse(b64.as_bytes(), "t").expect("base64");
        let url = URL_SAFE.encode(raw).trim_end_matches('=').to_string();
        let c = Key::parse(url.as_bytes(), "t").expect("url-safe");
        assert_eq!(a.id(), b.id());
        assert_eq!(a.id(), c.id());
        assert_eq!(KeyId::parse(&a.id().hex()), Some(a.id()));
        assert!(!format!("{a:?}").contains(&b64.trim().to_string()));
        let e = Key::parse(b"too short", "the key file k").expect_err("refused");
        assert!(e.message().contains("the key file k"), "{e}");
    }

    #[test]
    fn keygen_writes_0600_never_clobbers_nor_follows_a_symlink() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k");
        let id = generate(&path).expect("written");
        let meta = std::fs::metadata(&path).expect("meta");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert_eq!(Key::load(&path).expect("loads").id(), id);
        let before = std::fs::read(&path).expect("read");
        let e = generate(&path).expect_err("exists");
        assert!(e.message().contains("never overwritten"), "{e}");
        assert_eq!(std::fs::read(&path).expect("read"), before);
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(dir.path().join("target"), &link).expect("link");
        generate(&link).expect_err("symlink refused");
        assert!(!dir.path().join("target").exists());
    }

    #[test]
    fn a_key_file_others_can_read_is_refused() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("k");
        generate(&path).expect("written");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).expect("chmod");
        let e = Key::load(&path).expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(e.message().contains("0640"), "{e}");
        let e = Key::load(dir.path()).expect_err("a directory");
        assert!(e.message().contains("regular file"), "{e}");
    }
}
