//! Rows of the SDK's table to [`Tokens`] and back.
//!
//! The SDK writes `''` for a missing refresh token and its expiry as a float turned into text
//! (`1795316346330`); both are read. Several rows for one identifier (the SDK's
//! delete-then-insert races) count as one: the one whose token lives longest.

use mysql::Value;

use super::schema::Limits;
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::token::Tokens;

/// One row as read: `useridentifier, accesstoken, refreshtoken, expirytime`.
pub type Row = (Value, Value, Value, Value);

/// The tokens in a row.
pub fn decode(row: Row) -> Tokens {
    let (user, access, refresh, expiry) = row;
    let user = text(user).filter(|u| !u.is_empty());
    let refresh = text(refresh).filter(|r| !r.is_empty()).map(Secret::new);
    let access = Secret::new(text(access).unwrap_or_default());
    Tokens::new(user, access, refresh, number(expiry))
}

/// The rows as tokens, one per exact identifier (the longest-lived of duplicates), in the
/// order each identifier first appears.
pub fn decode_all(rows: Vec<Row>) -> Vec<Tokens> {
    let mut out: Vec<Tokens> = Vec::with_capacity(rows.len());
    for tokens in rows.into_iter().map(decode) {
        match out.iter_mut().find(|t| t.user == tokens.user) {
            Some(kept) if kept.expiry_time_ms < tokens.expiry_time_ms => *kept = tokens,
            Some(_) => {}
            None => out.push(tokens),
        }
    }
    out
}

/// The values to insert, in the SDK's column order; refused (nothing written) when one is
/// longer than its column.
pub fn encode(tokens: &Tokens, limits: &Limits) -> Result<(String, String, String, i64)> {
    let user = tokens.user_or_empty();
    let access = tokens.access_token.expose();
    let refresh = tokens.refresh_token.as_ref().map_or("", |r| r.expose());
    if !limits.user.fits(user) {
        return Err(too_long(
            "the user identifier",
            limits.user.length(user),
            limits.user.max,
        ));
    }
    if !limits.access.fits(access) {
        return Err(too_long(
            "the access token",
            limits.access.length(access),
            limits.access.max,
        ));
    }
    if !limits.refresh.fits(refresh) {
        return Err(too_long(
            "the refresh token",
            limits.refresh.length(refresh),
            limits.refresh.max,
        ));
    }
    Ok((
        user.to_string(),
        access.to_string(),
        refresh.to_string(),
        tokens.expiry_time_ms,
    ))
}

fn too_long(what: &str, len: usize, max: u64) -> Error {
    Error::invalid_argument(format!(
        "{what} is {len} long but its column holds {max}; nothing was written"
    ))
    .with_hint(
        "widen the column (ALTER TABLE ... MODIFY ... varchar(255)); values are never truncated",
    )
}

fn text(value: Value) -> Option<String> {
    match value {
        Value::Bytes(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Value::NULL => None,
        Value::Int(n) => Some(n.to_string()),
        Value::UInt(n) => Some(n.to_string()),
        other => Some(other.as_sql(true).trim_matches('\'').to_string()),
    }
}

fn number(value: Value) -> i64 {
    match value {
        Value::Int(n) => n,
        Value::UInt(n) => i64::try_from(n).unwrap_or(i64::MAX),
        Value::Double(f) => f as i64,
        Value::Float(f) => f as i64,
        Value::Bytes(bytes) => {
            let text = String::from_utf8_lossy(&bytes);
            let text = text.trim();
            text.parse::<i64>()
                .ok()
                .or_else(|| text.parse::<f64>().ok().map(|f| f as i64))
                .unwrap_or(0)
        }
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::mysql::schema::Limit;

    fn row(user: &str, access: &str, refresh: Value, expiry: Value) -> Row {
        (
            Value::Bytes(user.into()),
            Value::Bytes(access.into()),
            refresh,
            expiry,
        )
    }

    #[test]
    fn sdk_rows_decode_including_empty_refresh_and_float_expiry() {
        let t = decode(row(
            "a@x",
            "1000.a",
            Value::Bytes(b"".to_vec()),
            Value::Bytes(b"1795316346330".to_vec()),
        ));
        assert_eq!(t.refresh_token, None);
        assert_eq!(t.expiry_time_ms, 1_795_316_346_330);
        let t = decode(row("a@x", "1000.a", Value::NULL, Value::Double(1.5e12)));
        assert_eq!(t.expiry_time_ms, 1_500_000_000_000);
        let t = decode(row(
            "",
            "1000.a",
            Value::Bytes(b"r".to_vec()),
            Value::Int(7),
        ));
        assert_eq!(
            (t.user, t.refresh_token.map(|r| r.expose().to_string())),
            (None, Some("r".into()))
        );
    }

    #[test]
    fn duplicates_collapse_to_the_longest_lived() {
        let all = decode_all(vec![
            row("a", "old", Value::NULL, Value::Int(1)),
            row("b", "b", Value::NULL, Value::Int(5)),
            row("a", "new", Value::NULL, Value::Int(9)),
            row("A", "other", Value::NULL, Value::Int(3)),
        ]);
        let seen: Vec<_> = all
            .iter()
            .map(|t| (t.user_or_empty(), t.access_token.expose()))
            .collect();
        assert_eq!(seen, [("a", "new"), ("b", "b"), ("A", "other")]);
    }

    #[test]
    fn values_longer_than_their_column_are_refused() {
        let chars = Limit {
            max: 5,
            bytes: false,
        };
        let limits = Limits {
            user: chars,
            access: chars,
            refresh: Limit {
                max: 5,
                bytes: true,
            },
        };
        let ok = Tokens::new(
            Some("ööööö".into()),
            Secret::new("a"),
            Some(Secret::new("r")),
            1,
        );
        assert!(
            encode(&ok, &limits).is_ok(),
            "5 characters fit a varchar(5)"
        );
        let long_user = Tokens::new(Some("öööööö".into()), Secret::new("a"), None, 1);
        let e = encode(&long_user, &limits).expect_err("too long");
        assert!(e.message().contains("user identifier is 6 long"));
        let long_refresh = Tokens::new(None, Secret::new("a"), Some(Secret::new("ööö")), 1);
        let e = encode(&long_refresh, &limits).expect_err("6 bytes");
        assert!(!e.to_string().contains("ööö"));
    }
}
