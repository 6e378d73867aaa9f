//! Tokens encrypted at rest (opt-in): the one place where the built-in stores get sealing.
//!
//! [`crate::store::open`] wraps every store it opens in [`Sealed`], which opens the values
//! it reads and, with `token_encryption=on`, seals the values it writes: the access and the
//! refresh token, each with XChaCha20-Poly1305, a fresh random nonce, and associated data
//! binding it to its user and field, written as `zoe1.<key id>.<base64url>`
//! ([`keyring`]). Nothing a store needs in clear to find a row (the user) is sealed, so
//! every store keeps the sealed text as it keeps a token.
//!
//! Keys ([`key`]): `token_encryption_key_file` (comma-separated, first one sealing, every
//! one opening), else the environment variable [`crate::config::KEY_FILE_ENV`], then
//! `token_encryption_key` values. [`rekey`] reseals every user with the first key.

pub mod key;
pub mod keyring;
pub mod rekey;
mod store;

use std::path::PathBuf;

pub use key::{Key, KeyId};
pub use keyring::{Field, Keyring};
pub use store::{Sealed, Sealer};

use crate::config::{Config, EncryptionMode, KEY_FILE_ENV, split_list};
use crate::error::{Error, ErrorKind, Result};

/// The keys `config` names, loaded and checked: the key files (or, when the configuration
/// names none, those in [`KEY_FILE_ENV`]), then the key values.
pub fn keyring_of(config: &Config) -> Result<Keyring> {
    let settings = config.encryption();
    let mut files: Vec<PathBuf> = settings.key_files().to_vec();
    if files.is_empty() {
        files = env_key_files();
    }
    let mut keys = files
        .iter()
        .map(|p| Key::load(p))
        .collect::<Result<Vec<_>>>()?;
    for value in settings.key_values() {
        keys.push(Key::from_value(value)?);
    }
    Keyring::new(keys)
}

/// The key files the environment names ([`KEY_FILE_ENV`], comma-separated).
fn env_key_files() -> Vec<PathBuf> {
    let value = std::env::var(KEY_FILE_ENV).ok();
    split_list(value.as_deref()).map(PathBuf::from).collect()
}

/// The mode in force for `config` with `keys`: `token_encryption` when given (`on` or
/// `read` without a key is an [`ErrorKind::ConfigMissing`] error), else `on` with a key and
/// `off` without.
pub fn mode_of(config: &Config, keys: &Keyring) -> Result<EncryptionMode> {
    let has_key = keys.sealing_id().is_some();
    match config.encryption().requested_mode() {
        Some(EncryptionMode::Off) => Ok(EncryptionMode::Off),
        Some(mode) if !has_key => Err(Error::new(
            ErrorKind::ConfigMissing,
            format!(
                "token_encryption={} needs a key: token_encryption_key_file (or {KEY_FILE_ENV}) is not set",
                mode.name()
            ),
        )
        .with_hint("make a key with `zoho-oauth keygen PATH` and set token_encryption_key_file to PATH")),
        Some(mode) => Ok(mode),
        None if has_key => Ok(EncryptionMode::On),
        None => Ok(EncryptionMode::Off),
    }
}

/// How `config` seals and opens values ([`keyring_of`], [`mode_of`]). With encryption off,
/// the keys are dropped, so a sealed value read is an error naming its key id rather than
/// a token sent to Zoho.
pub fn sealer_of(config: &Config) -> Result<Sealer> {
    let keys = keyring_of(config)?;
    let mode = mode_of(config, &keys)?;
    if mode == EncryptionMode::Off {
        return Ok(Sealer::new(Keyring::default(), mode));
    }
    Ok(Sealer::new(keys, mode))
}

/// A sealer that opens values with every key `config` names, whatever its mode, and
/// writes in clear: the source side of a migration.
pub fn reading_sealer_of(config: &Config) -> Result<Sealer> {
    let keys = keyring_of(config)?;
    let mode = match keys.sealing_id() {
        Some(_) => EncryptionMode::Read,
        None => EncryptionMode::Off,
    };
    Ok(Sealer::new(keys, mode))
}

/// `store` as [`crate::store::open`] hands it out: wrapped in [`Sealed`] with the
/// [`sealer_of`] `config`.
pub fn seal_store<S: crate::store::TokenStore>(config: &Config, store: S) -> Result<Sealed<S>> {
    Ok(Sealed::new(store, sealer_of(config)?))
}
