//! Rows of the SDK's table to [`Tokens`] and back.
//!
//! The SDK writes `''` for a missing refresh token and its expiry as a float turned into text
//! (`1795316346330`); both are read. Several rows for one identifier (the SDK's
//! delete-then-insert races) count as one: the one whose token lives longest.
//!
//! Values read are checked before anything uses them ([`checked_text`], through the stores'
//! one check, [`crate::store::values`]): a token longer than [`MAX_VALUE_BYTES`], one with
//! control bytes or that is not UTF-8, and an expiry that is not
//! a number make that user's entry a [`ErrorKind::StoreCorrupt`] error naming the user and
//! the column; the row is left as it is (a new consent replaces it, a delete removes it).

use mysql::Value;

use super::schema::Limits;
use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;
use crate::store::values::{self, Shape, Unfit};
use crate::token::Tokens;

pub use crate::store::values::MAX_VALUE_BYTES;

/// One row as read: `useridentifier, accesstoken, refreshtoken, expirytime`.
pub type Row = (Value, Value, Value, Value);

/// A row's user, and its tokens or why they cannot be used.
#[derive(Clone, Debug)]
pub struct Entry {
    /// The identifier (`None`: empty or NULL).
    pub user: Option<String>,
    /// The tokens, or a [`ErrorKind::StoreCorrupt`] error naming the user and column.
    pub tokens: Result<Tokens>,
}

/// The entry in a row of `table` (for messages).
pub fn decode(row: Row, table: &str) -> Entry {
    let (user, access, refresh, expiry) = row;
    let user = text(user).filter(|u| !u.is_empty());
    let shown = user.as_deref().unwrap_or("");
    let tokens = checked_user(table, shown).and_then(|()| {
        let access = checked_text(table, shown, "accesstoken", access)?.unwrap_or_default();
        let refresh = checked_text(table, shown, "refreshtoken", refresh)?
            .filter(|r| !r.is_empty())
            .map(Secret::new);
        let expiry =
            number(expiry).ok_or_else(|| corrupt(table, shown, "expirytime", "is not a number"))?;
        Ok(Tokens::new(
            user.clone(),
            Secret::new(access),
            refresh,
            expiry,
        ))
    });
    Entry { user, tokens }
}

/// The rows as entries, one per exact identifier (the longest-lived of duplicates; an
/// unusable duplicate makes the entry unusable), in the order each identifier first appears.
pub fn decode_all(rows: Vec<Row>, table: &str) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::with_capacity(rows.len());
    for entry in rows.into_iter().map(|row| decode(row, table)) {
        match out.iter_mut().find(|e| e.user == entry.user) {
            Some(kept) => match (&kept.tokens, &entry.tokens) {
                (Ok(old), Ok(new)) if old.expiry_time_ms < new.expiry_time_ms => *kept = entry,
                (Ok(_), Err(_)) => *kept = entry,
                _ => {}
            },
            None => out.push(entry),
        }
    }
    out
}

/// The entries' users as tokens, for [`crate::store::find_user`].
pub fn users(entries: &[Entry]) -> Vec<Tokens> {
    entries
        .iter()
        .map(|e| Tokens::new(e.user.clone(), Secret::new(""), None, 0))
        .collect()
}

/// A text value of `column` for `user`, checked ([`values::check_bytes`] as
/// [`Shape::Text`]): at most [`MAX_VALUE_BYTES`], UTF-8, no control characters. NULL is
/// `None`.
pub fn checked_text(table: &str, user: &str, column: &str, value: Value) -> Result<Option<String>> {
    let bytes = match value {
        Value::NULL => return Ok(None),
        Value::Bytes(bytes) => bytes,
        other => other.as_sql(true).trim_matches('\'').as_bytes().to_vec(),
    };
    let why = match values::check_bytes(&bytes, Shape::Text) {
        Ok(text) => return Ok(Some(text.to_string())),
        Err(Unfit::TooLong(len)) => {
            format!("is {len} bytes long (at most {MAX_VALUE_BYTES} are accepted)")
        }
        Err(Unfit::NotUtf8) => "is not UTF-8 text".to_string(),
        Err(Unfit::Control | Unfit::NotVisibleAscii) => "contains control characters".to_string(),
    };
    Err(corrupt(table, user, column, &why))
}

/// Checks a user identifier read from `table` (control characters are refused).
pub fn checked_user(table: &str, user: &str) -> Result<()> {
    if values::check(user, Shape::Text).is_err() {
        return Err(corrupt(
            table,
            user,
            "useridentifier",
            "is too long or contains control characters",
        ));
    }
    Ok(())
}

/// The error for an unusable value of `column` in `user`'s row.
pub fn corrupt(table: &str, user: &str, column: &str, why: &str) -> Error {
    let shown: String = user.chars().take(100).collect();
    Error::new(
        ErrorKind::StoreCorrupt,
        format!("the {column} of {shown:?} in the MySQL table {table} {why}; the row was left as it is and nothing was written"),
    )
    .with_hint("delete that user's tokens (or the row) and consent again, or save new tokens for that user: a new consent replaces the row")
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
            "useridentifier",
            limits.user.length(user),
            limits.user.max,
        ));
    }
    if !limits.access.fits(access) {
        return Err(too_long(
            "the access token",
            "accesstoken",
            limits.access.length(access),
            limits.access.max,
        ));
    }
    if !limits.refresh.fits(refresh) {
        return Err(too_long(
            "the refresh token",
            "refreshtoken",
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

fn too_long(what: &str, column: &str, len: usize, max: u64) -> Error {
    Error::invalid_argument(format!(
        "{what} is {len} long but its column {column} holds {max}; nothing was written"
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

/// An expiry in epoch ms: integers, and the SDK's float text; NULL or empty is 0 (expired).
/// `None` for anything else.
pub fn number(value: Value) -> Option<i64> {
    match value {
        Value::NULL => Some(0),
        Value::Int(n) => Some(n),
        Value::UInt(n) => Some(i64::try_from(n).unwrap_or(i64::MAX)),
        Value::Double(f) if f.is_finite() => Some(f as i64),
        Value::Float(f) if f.is_finite() => Some(f as i64),
        Value::Bytes(bytes) => {
            let text = std::str::from_utf8(&bytes).ok()?.trim();
            if text.is_empty() {
                return Some(0);
            }
            text.parse::<i64>().ok().or_else(|| {
                text.parse::<f64>()
                    .ok()
                    .filter(|f| f.is_finite())
                    .map(|f| f as i64)
            })
        }
        _ => None,
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

    const T: &str = "`zohooauth`.`oauthtokens`";

    fn tokens(row: Row) -> Tokens {
        decode(row, T).tokens.expect("usable")
    }

    #[test]
    fn sdk_rows_decode_including_empty_refresh_and_float_expiry() {
        let t = tokens(row(
            "a@x",
            "1000.a",
            Value::Bytes(b"".to_vec()),
            Value::Bytes(b"1795316346330".to_vec()),
        ));
        assert_eq!(t.refresh_token, None);
        assert_eq!(t.expiry_time_ms, 1_795_316_346_330);
        let t = tokens(row("a@x", "1000.a", Value::NULL, Value::Double(1.5e12)));
        assert_eq!(t.expiry_time_ms, 1_500_000_000_000);
        let t = tokens(row(
            "",
            "1000.a",
            Value::Bytes(b"r".to_vec()),
            Value::Int(7),
        ));
        assert_eq!(
            (t.user, t.refresh_token.map(|r| r.expose().to_string())),
            (None, Some("r".into()))
        );
        assert_eq!(
            tokens(row("a@x", "1000.a", Value::NULL, Value::NULL)).expiry_time_ms,
            0
        );
    }

    #[test]
    fn hostile_values_are_errors_naming_the_user_and_column() {
        let huge = "a".repeat(64 * 1024);
        for (bad, column) in [
            (
                row("ada@x", &huge, Value::NULL, Value::Int(1)),
                "accesstoken",
            ),
            (
                row("ada@x", "1000.a\r\nX-Evil: 1", Value::NULL, Value::Int(1)),
                "accesstoken",
            ),
            (
                row(
                    "ada@x",
                    "1000.a",
                    Value::Bytes(vec![0xff, 0xfe]),
                    Value::Int(1),
                ),
                "refreshtoken",
            ),
            (
                row(
                    "ada@x",
                    "1000.a",
                    Value::NULL,
                    Value::Bytes(b"soon".to_vec()),
                ),
                "expirytime",
            ),
            (
                row("ada@x", "1000.a", Value::NULL, Value::Double(f64::NAN)),
                "expirytime",
            ),
            (
                row("ada\u{7}@x", "1000.a", Value::NULL, Value::Int(1)),
                "useridentifier",
            ),
        ] {
            let entry = decode(bad, T);
            let e = entry.tokens.expect_err(column);
            assert_eq!(e.kind(), ErrorKind::StoreCorrupt, "{e}");
            assert!(e.message().contains(column), "{e}");
            assert!(e.message().contains("ada"), "{e}");
            assert!(
                e.message().len() < 400,
                "the value itself is not repeated: {e}"
            );
        }
    }

    #[test]
    fn duplicates_collapse_to_the_longest_lived_and_a_bad_one_spoils_its_user() {
        let all = decode_all(
            vec![
                row("a", "old", Value::NULL, Value::Int(1)),
                row("b", "b", Value::NULL, Value::Int(5)),
                row("a", "new", Value::NULL, Value::Int(9)),
                row("A", "other", Value::NULL, Value::Int(3)),
                row("b", "b2", Value::NULL, Value::Bytes(b"x".to_vec())),
            ],
            T,
        );
        let seen: Vec<_> = all
            .iter()
            .map(|e| {
                (
                    e.user.clone().unwrap_or_default(),
                    e.tokens
                        .as_ref()
                        .ok()
                        .map(|t| t.access_token.expose().to_string()),
                )
            })
            .collect();
        assert_eq!(
            seen,
            [
                ("a".to_string(), Some("new".to_string())),
                ("b".to_string(), None),
                ("A".to_string(), Some("other".to_string()))
            ]
        );
        assert_eq!(users(&all)[1].user.as_deref(), Some("b"));
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
