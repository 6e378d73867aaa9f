//! The configured keys, and sealing and opening one value: `zoe1.<key id>.<base64url of
//! nonce, ciphertext and tag>`, XChaCha20-Poly1305 with a fresh random 24-byte nonce, the
//! associated data binding the value to its user and field.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chacha20poly1305::XNonce;
use chacha20poly1305::aead::{Aead, Payload};

use super::key::{Key, KeyId};
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// The prefix of every sealed value: the format's name and version.
pub const PREFIX: &str = "zoe1.";

/// The nonce length of XChaCha20-Poly1305.
const NONCE_LEN: usize = 24;

/// The length of a sealed value of `plain_len` bytes: the prefix, the key id and its dot,
/// then the base64url (unpadded) of nonce, ciphertext and 16-byte tag.
pub fn sealed_len(plain_len: usize) -> usize {
    let raw = NONCE_LEN + plain_len + 16;
    PREFIX.len() + 9 + (raw * 4).div_ceil(3)
}

/// Which token a value is (it is part of the associated data: a refresh token pasted into
/// the access token's place does not open).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The access token.
    Access,
    /// The refresh token.
    Refresh,
}

impl Field {
    /// The field's name, as errors show it.
    pub fn name(self) -> &'static str {
        match self {
            Field::Access => "access token",
            Field::Refresh => "refresh token",
        }
    }

    fn tag(self) -> &'static [u8] {
        match self {
            Field::Access => b"access_token",
            Field::Refresh => b"refresh_token",
        }
    }
}

/// Whether `value` is a sealed value (starts with [`PREFIX`]).
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

/// The key id a sealed value names, when it names one.
pub fn key_id_of(value: &str) -> Option<KeyId> {
    let rest = value.strip_prefix(PREFIX)?;
    KeyId::parse(rest.get(..8)?)
}

/// A value opened: the token, and whether the key that sealed it is the first one (a value
/// sealed with another key is resealed at its next save).
#[derive(Debug)]
pub struct Opened {
    /// The token in clear.
    pub value: Secret,
    /// The id of the key that sealed it.
    pub key_id: KeyId,
}

/// The keys, first one sealing. `Debug` shows their ids only.
#[derive(Clone, Debug, Default)]
pub struct Keyring {
    keys: Vec<Key>,
}

impl Keyring {
    /// A keyring of `keys` (first one sealing). Two keys with one id are refused.
    pub fn new(keys: Vec<Key>) -> Result<Keyring> {
        for (i, key) in keys.iter().enumerate() {
            if keys[..i].iter().any(|k| k.id() == key.id()) {
                return Err(Error::new(
                    ErrorKind::ConfigInvalid,
                    format!("the key {} is configured twice", key.id()),
                ));
            }
        }
        Ok(Keyring { keys })
    }

    /// The sealing key's id, when there is a key.
    pub fn sealing_id(&self) -> Option<KeyId> {
        self.keys.first().map(Key::id)
    }

    /// Every key's id, first one sealing.
    pub fn ids(&self) -> Vec<KeyId> {
        self.keys.iter().map(Key::id).collect()
    }

    /// `value` of `user`'s `field`, sealed with the first key; an empty value stays empty.
    pub fn seal(&self, user: &str, field: Field, value: &Secret) -> Result<Secret> {
        let key = self.keys.first().ok_or_else(|| {
            Error::new(
                ErrorKind::ConfigMissing,
                "no token encryption key to seal with",
            )
        })?;
        if value.is_empty() {
            return Ok(Secret::default());
        }
        let mut nonce = [0u8; NONCE_LEN];
        getrandom::fill(&mut nonce)
            .map_err(|e| Error::new(ErrorKind::Internal, format!("no random nonce: {e}")))?;
        let aad = associated_data(user, field);
        let payload = Payload {
            msg: value.expose().as_bytes(),
            aad: &aad,
        };
        let sealed = key
            .cipher()
            .encrypt(XNonce::from_slice(&nonce), payload)
            .map_err(|_| Error::new(ErrorKind::Internal, "sealing a token failed"))?;
        let mut raw = nonce.to_vec();
        raw.extend_from_slice(&sealed);
        Ok(Secret::new(format!(
            "{PREFIX}{}.{}",
            key.id(),
            URL_SAFE_NO_PAD.encode(raw)
        )))
    }

    /// Opens the sealed `value` of `user`'s `field`. Errors name the user, the field and
    /// the key id, never the value: [`ErrorKind::ConfigMissing`] when no configured key has
    /// that id, [`ErrorKind::StoreCorrupt`] when the value does not open (tampered, or
    /// another user's or field's value, or damaged).
    pub fn open(&self, user: &str, field: Field, value: &str) -> Result<Opened> {
        let Some(id) = key_id_of(value) else {
            return Err(unopenable(user, field, "names no key id", None));
        };
        let Some(key) = self.keys.iter().find(|k| k.id() == id) else {
            return Err(unknown_key(user, field, id, &self.ids()));
        };
        let body = value.get(PREFIX.len() + 9..).unwrap_or("");
        let raw = URL_SAFE_NO_PAD
            .decode(body)
            .ok()
            .filter(|raw| raw.len() >= NONCE_LEN + 16)
            .ok_or_else(|| unopenable(user, field, "is damaged", Some(id)))?;
        let (nonce, sealed) = raw.split_at(NONCE_LEN);
        let aad = associated_data(user, field);
        let plain = key
            .cipher()
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: &aad,
                },
            )
            .map_err(|_| unopenable(user, field, "does not open", Some(id)))?;
        let text = String::from_utf8(plain)
            .map_err(|_| unopenable(user, field, "is not text once opened", Some(id)))?;
        Ok(Opened {
            value: Secret::new(text),
            key_id: id,
        })
    }
}

/// What binds a value to its place: the format, the field and the user.
fn associated_data(user: &str, field: Field) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + user.len());
    aad.extend_from_slice(b"zoe1\0");
    aad.extend_from_slice(field.tag());
    aad.push(0);
    aad.extend_from_slice(user.as_bytes());
    aad
}

/// A user identifier as errors show it (at most 100 characters, quoted).
fn shown(user: &str) -> String {
    let short: String = user.chars().take(100).collect();
    format!("{short:?}")
}

fn unknown_key(user: &str, field: Field, id: KeyId, known: &[KeyId]) -> Error {
    let configured = if known.is_empty() {
        "no token encryption key is configured".to_string()
    } else {
        let ids: Vec<String> = known.iter().map(KeyId::hex).collect();
        format!("the configured keys are {}", ids.join(", "))
    };
    Error::new(
        ErrorKind::ConfigMissing,
        format!(
            "the {} of {} is sealed with the key {id}, and {configured}; it was left as it is and nothing was written",
            field.name(),
            shown(user)
        ),
    )
    .with_hint(format!(
        "add the key file whose id is {id} to token_encryption_key_file (`zoho-oauth keygen` printed its id when it made it)"
    ))
}

fn unopenable(user: &str, field: Field, why: &str, id: Option<KeyId>) -> Error {
    let key = id.map_or(String::new(), |id| format!(" (key {id})"));
    Error::new(
        ErrorKind::StoreCorrupt,
        format!(
            "the sealed {} of {}{key} {why}: it was altered, copied from another user or field, or damaged; it was left as it is and nothing was written",
            field.name(),
            shown(user)
        ),
    )
    .with_hint("restore the store from a backup, or delete that user's tokens and consent again")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(seeds: &[u8]) -> Keyring {
        Keyring::new(seeds.iter().map(|s| Key::from_bytes(&[*s; 32])).collect()).expect("ring")
    }

    const TOKEN: &str = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210fedcba9876543210";

    #[test]
    fn a_value_opens_for_its_user_and_field_only() {
        let keys = ring(&[1]);
        let sealed = keys
            .seal("ada", Field::Refresh, &Secret::new(TOKEN))
            .expect("sealed");
        let text = sealed.expose();
        assert!(
            text.starts_with(&format!("zoe1.{}.", keys.ids()[0])),
            "{text}"
        );
        assert_eq!(text.len(), sealed_len(TOKEN.len()));
        assert!(!text.contains(&TOKEN[5..13]));
        let again = keys
            .seal("ada", Field::Refresh, &Secret::new(TOKEN))
            .expect("sealed");
        assert_ne!(again, sealed, "a fresh nonce per value");
        let opened = keys.open("ada", Field::Refresh, text).expect("opens");
        assert_eq!(opened.value.expose(), TOKEN);
        for (user, field) in [
            ("bob", Field::Refresh),
            ("ada", Field::Access),
            ("Ada", Field::Refresh),
        ] {
            let e = keys.open(user, field, text).expect_err("bound");
            assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
            assert!(e.message().contains(&format!("{user:?}")), "{e}");
            assert!(e.message().contains(&keys.ids()[0].hex()), "{e}");
            assert!(!e.message().contains(TOKEN), "{e}");
        }
    }

    #[test]
    fn every_tampered_byte_and_an_unknown_key_are_refused() {
        let keys = ring(&[1]);
        let sealed = keys
            .seal("ada", Field::Access, &Secret::new(TOKEN))
            .expect("sealed");
        let text = sealed.expose();
        for i in PREFIX.len() + 9..text.len() {
            let mut bytes = text.as_bytes().to_vec();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = String::from_utf8(bytes).expect("ascii");
            assert!(
                keys.open("ada", Field::Access, &tampered).is_err(),
                "byte {i}"
            );
        }
        let other = ring(&[2, 3]);
        let e = other
            .open("ada", Field::Access, text)
            .expect_err("unknown key");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
        assert!(e.message().contains(&keys.ids()[0].hex()), "{e}");
        let none = Keyring::default();
        let e = none.open("ada", Field::Access, text).expect_err("no key");
        assert!(e.message().contains("no token encryption key"), "{e}");
        let both = ring(&[2, 1]);
        let opened = both
            .open("ada", Field::Access, text)
            .expect("an older key opens");
        assert_eq!(opened.key_id, keys.ids()[0]);
        assert!(Keyring::new(vec![Key::from_bytes(&[1; 32]), Key::from_bytes(&[1; 32])]).is_err());
    }
}
