//! The one check of token values read back from a shared store (the MySQL tables and Redis):
//! before anything uses a value another process (or another program) wrote, its length, its
//! encoding and its characters are checked here, so every store refuses the same things.
//!
//! Two shapes: [`Shape::Token`], visible ASCII (no space, control byte or NUL), which is
//! what Zoho sends; and [`Shape::Text`], UTF-8 without control characters (C0, DEL, C1).
//! Both are at most [`MAX_VALUE_BYTES`]. A store words the error its own way (naming its
//! table and column or its key), and never shows the value.

use crate::token::Tokens;

/// The longest token, identifier or text field accepted from a store, in bytes (the
/// library's bound on any argument): Zoho's tokens are about 70 characters.
pub const MAX_VALUE_BYTES: usize = 4096;

/// What a value must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Visible ASCII only (empty allowed: an entry waiting for its first refresh).
    Token,
    /// UTF-8 without control characters.
    Text,
}

/// Why a value cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unfit {
    /// Longer than [`MAX_VALUE_BYTES`]: its length in bytes.
    TooLong(usize),
    /// Not UTF-8.
    NotUtf8,
    /// A control character ([`Shape::Text`]).
    Control,
    /// A byte that is not visible ASCII ([`Shape::Token`]).
    NotVisibleAscii,
}

/// The text in `bytes` when it has `shape`: the length is checked first, then the encoding,
/// then the characters.
pub fn check_bytes(bytes: &[u8], shape: Shape) -> Result<&str, Unfit> {
    if bytes.len() > MAX_VALUE_BYTES {
        return Err(Unfit::TooLong(bytes.len()));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Unfit::NotUtf8)?;
    match shape {
        Shape::Token if !bytes.iter().all(u8::is_ascii_graphic) => Err(Unfit::NotVisibleAscii),
        Shape::Text if text.chars().any(char::is_control) => Err(Unfit::Control),
        _ => Ok(text),
    }
}

/// Whether `value` has `shape` ([`check_bytes`]).
pub fn check(value: &str, shape: Shape) -> Result<(), Unfit> {
    check_bytes(value.as_bytes(), shape).map(|_| ())
}

/// A field of [`Tokens`] that [`check_tokens`] found unfit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// The access or the refresh token.
    Token,
    /// `api_domain`, `scope` or the accounts URL.
    Text,
}

/// Checks the values of `tokens`: the access and refresh tokens with `token_shape`, the
/// `api_domain`, `scope` and accounts URL as [`Shape::Text`]. The first unfit field and why.
pub fn check_tokens(tokens: &Tokens, token_shape: Shape) -> Result<(), (Field, Unfit)> {
    let secrets = std::iter::once(&tokens.access_token).chain(&tokens.refresh_token);
    for secret in secrets {
        check(secret.expose(), token_shape).map_err(|why| (Field::Token, why))?;
    }
    let fields = [&tokens.api_domain, &tokens.scope, &tokens.accounts_url];
    for field in fields.into_iter().flatten() {
        check(field, Shape::Text).map_err(|why| (Field::Text, why))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn each_shape_refuses_what_it_must_and_length_comes_first() {
        assert_eq!(check("1000.abc", Shape::Token), Ok(()));
        assert_eq!(check("", Shape::Token), Ok(()), "waiting for a refresh");
        assert_eq!(check("a b", Shape::Token), Err(Unfit::NotVisibleAscii));
        assert_eq!(check("ö", Shape::Token), Err(Unfit::NotVisibleAscii));
        assert_eq!(check("a b ö", Shape::Text), Ok(()));
        for control in ["a\r\nX: 1", "a\u{7f}", "a\u{85}", "a\0"] {
            assert_eq!(
                check(control, Shape::Text),
                Err(Unfit::Control),
                "{control:?}"
            );
            assert_eq!(check(control, Shape::Token), Err(Unfit::NotVisibleAscii));
        }
        let long = vec![0xff; MAX_VALUE_BYTES + 1];
        assert_eq!(
            check_bytes(&long, Shape::Text),
            Err(Unfit::TooLong(MAX_VALUE_BYTES + 1))
        );
        assert_eq!(check_bytes(&long[1..], Shape::Text), Err(Unfit::NotUtf8));
        let exact = "a".repeat(MAX_VALUE_BYTES);
        assert_eq!(check(&exact, Shape::Token), Ok(()));
    }

    #[test]
    fn tokens_are_checked_field_by_field() {
        let good = Tokens::new(Some("u".into()), Secret::new("1000.a"), None, 5);
        assert_eq!(check_tokens(&good, Shape::Token), Ok(()));
        let mut refresh = good.clone();
        refresh.refresh_token = Some(Secret::new("1000.r x"));
        assert_eq!(
            check_tokens(&refresh, Shape::Token),
            Err((Field::Token, Unfit::NotVisibleAscii))
        );
        assert_eq!(check_tokens(&refresh, Shape::Text), Ok(()));
        let mut scope = good.clone();
        scope.scope = Some("ZohoCRM\u{85}".into());
        assert_eq!(
            check_tokens(&scope, Shape::Token),
            Err((Field::Text, Unfit::Control))
        );
    }
}
