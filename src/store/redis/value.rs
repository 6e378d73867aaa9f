//! The value of a user's key: the JSON token file format with exactly one entry, so what an
//! operator sees with `redis-cli GET` is what the JSON token file holds.
//!
//! Values read are checked before they are used, as Zoho's replies are, by the stores' one
//! check ([`crate::store::values`]): tokens are at most 4096 bytes of visible ASCII (no
//! space, control byte or NUL), `api_domain`, `scope` and the accounts URL at most 4096
//! bytes without control characters, the expiry a whole number. The save scripts apply the same rules on the server, so a
//! value that fails them is never overwritten (see `scripts`).

use crate::error::{Error, ErrorKind, Result};
use crate::store::json_format;
use crate::store::values::{self, Field, Shape};
use crate::token::Tokens;

/// The bytes stored for `tokens`.
pub(super) fn encode(tokens: &Tokens) -> Vec<u8> {
    json_format::encode(std::slice::from_ref(tokens))
}

/// The tokens in the value of `key`, which must be `user`'s. Anything else (not our JSON,
/// several entries, another identifier, values out of shape) is
/// [`ErrorKind::StoreCorrupt`] naming the key and the user; the error never shows the value.
pub(super) fn decode(bytes: &[u8], key: &str, user: &str) -> Result<Tokens> {
    let mut entries = json_format::decode(bytes).map_err(|why| corrupt(key, user, &why))?;
    let tokens = match (entries.pop(), entries.is_empty()) {
        (Some(tokens), true) if tokens.user.as_deref() == Some(user) => tokens,
        (Some(_), true) => return Err(corrupt(key, user, "it holds another identifier's tokens")),
        _ => return Err(corrupt(key, user, "it does not hold exactly one entry")),
    };
    check(&tokens).map_err(|why| corrupt(key, user, why))?;
    Ok(tokens)
}

/// Whether `tokens` keep the rules values are read with ([`values::check_tokens`], tokens
/// as [`Shape::Token`]); why not.
pub(super) fn check(tokens: &Tokens) -> std::result::Result<(), &'static str> {
    values::check_tokens(tokens, Shape::Token).map_err(|(field, _)| match field {
        Field::Token => "a token is longer than 4096 bytes or not visible ASCII",
        Field::Text => {
            "api_domain, scope or accounts_url is longer than 4096 bytes or holds control characters"
        }
    })
}

/// The error for `user`'s key `key` whose value is not this user's tokens.
pub(super) fn corrupt(key: &str, user: &str, why: &str) -> Error {
    Error::new(
        ErrorKind::StoreCorrupt,
        format!("the Redis key {key} does not hold valid zoho-oauth tokens of {user} ({why}); it was left as it was"),
    )
    .with_hint(format!(
        "inspect it with redis-cli GET '{key}'; delete it (redis-cli DEL) only if it is not another application's, then authorize the user again"
    ))
}

/// The error for a key of `user` (or the users set) that holds another type of value.
pub(super) fn wrong_type(key: &str, user: &str) -> Error {
    Error::new(
        ErrorKind::StoreCorrupt,
        format!("the Redis key {key} (used for {user}) holds another type of value, another application's; nothing was written and it was left as it was"),
    )
    .with_hint(format!(
        "inspect it with redis-cli TYPE '{key}'; give zoho-oauth a key prefix of its own (redis_key_prefix) if another application uses these names"
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
        assert!(e.message().contains("a b"), "names the user: {e}");
        let empty = json_format::encode(&[]);
        assert!(decode(&empty, "k", "a b").is_err());
    }

    #[test]
    fn values_out_of_shape_are_refused() {
        let good = Tokens::new(Some("u".into()), Secret::new("1000.a"), None, 5);
        let mut long = good.clone();
        long.access_token = Secret::new("a".repeat(64 * 1024));
        let mut control = good.clone();
        control.refresh_token = Some(Secret::new("1000.r\r\nX-Injected: 1"));
        let mut scope = good.clone();
        scope.scope = Some("ZohoCRM\u{85}".into());
        for bad in [&long, &control, &scope] {
            let e = decode(&encode(bad), "k", "u").expect_err("refused");
            assert_eq!(e.kind(), ErrorKind::StoreCorrupt);
            assert!(!e.to_string().contains("X-Injected"), "{e}");
        }
        let not_a_number = String::from_utf8(encode(&good))
            .unwrap_or_default()
            .replace("\"expiry_time_ms\": 5", "\"expiry_time_ms\": \"soon\"");
        assert!(decode(not_a_number.as_bytes(), "k", "u").is_err());
        let mut waiting = good.clone();
        waiting.access_token = Secret::new("");
        assert!(
            check(&waiting).is_ok(),
            "an entry waiting for its first refresh"
        );
    }
}
