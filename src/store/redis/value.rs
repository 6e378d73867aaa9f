//! The value of a user's key: the JSON token file format with exactly one entry, so what an
//! operator sees with `redis-cli GET` is what the JSON token file holds.

use crate::error::{Error, ErrorKind, Result};
use crate::store::json_format;
use crate::token::Tokens;

/// The bytes stored for `tokens`.
pub(super) fn encode(tokens: &Tokens) -> Vec<u8> {
    json_format::encode(std::slice::from_ref(tokens))
}

/// The tokens in the value of `key`, which must be `user`'s. Anything else (not our JSON,
/// several entries, another identifier) is [`ErrorKind::StoreCorrupt`]; the error never
/// shows the value.
pub(super) fn decode(bytes: &[u8], key: &str, user: &str) -> Result<Tokens> {
    let mut entries = json_format::decode(bytes).map_err(|why| corrupt(key, &why))?;
    match (entries.pop(), entries.is_empty()) {
        (Some(tokens), true) if tokens.user.as_deref() == Some(user) => Ok(tokens),
        (Some(_), true) => Err(corrupt(key, "it holds another identifier's tokens")),
        _ => Err(corrupt(key, "it does not hold exactly one entry")),
    }
}

/// The error for a key whose value is not ours.
pub(super) fn corrupt(key: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::StoreCorrupt,
        format!("the Redis key {key} does not hold zoho-oauth tokens ({why}); it was left as it was"),
    )
    .with_hint(format!(
        "inspect it with redis-cli GET '{key}'; delete it (redis-cli DEL) only if it is not another application's, then authorize the user again"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn round_trips_and_refuses_other_values() {
        let t = Tokens::new(Some("a b".into()), Secret::new("1000.x"), None, 5);
        assert_eq!(decode(&encode(&t), "k", "a b").ok(), Some(t.clone()));
        let e = decode(&encode(&t), "k", "other").expect_err("wrong user");
        assert_eq!(e.kind(), ErrorKind::StoreCorrupt);
        let e = decode(b"1000.SECRET garbage", "k", "a b").expect_err("garbage");
        assert_eq!(e.kind(), ErrorKind::StoreCorrupt);
        assert!(!e.to_string().contains("SECRET"));
        let empty = json_format::encode(&[]);
        assert!(decode(&empty, "k", "a b").is_err());
    }
}
