//! String arguments as PHP itself coerces them for a `?string` parameter in weak mode.
//!
//! ext-php-rs accepts only PHP strings for a `String` argument, so `getAccessToken(123)` (a
//! numeric user id straight from a database) threw a `TypeError` even without
//! `strict_types`. [`StrArg`] takes what PHP's own coercion takes: strings, ints, floats,
//! bools and objects with `__toString`; arrays and other objects still give a `TypeError`.
//! A string that is not UTF-8 becomes a `ZohoOAuthException` (`invalid_argument`), not a
//! `TypeError`, when the method reads it.

use ext_php_rs::convert::FromZval;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::flags::DataType;
use ext_php_rs::types::Zval;
use zoho_oauth::ErrorKind;

use crate::exception;

/// A `?string` argument after PHP's weak-mode coercion.
pub enum StrArg {
    /// `null`, or the argument was omitted.
    Null,
    /// A string (given, or coerced from a scalar or a `Stringable`).
    Text(String),
    /// A string that is not valid UTF-8.
    NotUtf8,
}

impl StrArg {
    /// The value, `None` for null; a `ZohoOAuthException` for a string that is not UTF-8.
    pub fn into_option(self) -> PhpResult<Option<String>> {
        match self {
            StrArg::Null => Ok(None),
            StrArg::Text(text) => Ok(Some(text)),
            StrArg::NotUtf8 => Err(not_utf8()),
        }
    }

    /// The value, "" for null.
    pub fn into_text(self) -> PhpResult<String> {
        self.into_option().map(Option::unwrap_or_default)
    }
}

/// A `?string` argument borrowed from the PHP string when it is one (the hot path's user
/// identifier: no copy), else coerced as [`StrArg`] does.
pub struct StrRef<'a>(Result<&'a str, StrArg>);

impl StrRef<'_> {
    /// The text, "" for null; a `ZohoOAuthException` for a string that is not UTF-8.
    pub fn text(&self) -> PhpResult<&str> {
        match &self.0 {
            Ok(text) => Ok(*text),
            Err(StrArg::Text(text)) => Ok(text),
            Err(StrArg::Null) => Ok(""),
            Err(StrArg::NotUtf8) => Err(not_utf8()),
        }
    }
}

impl<'a> FromZval<'a> for StrRef<'a> {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = true;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        if let Some(text) = zval.zend_str()
            && let Ok(text) = std::str::from_utf8(text.as_bytes())
        {
            return Some(StrRef(Ok(text)));
        }
        StrArg::from_zval(zval).map(|arg| StrRef(Err(arg)))
    }

    fn from_missing() -> Option<Self> {
        Some(StrRef(Err(StrArg::Null)))
    }
}

fn not_utf8() -> ext_php_rs::exception::PhpException {
    exception::with_kind(
        "the argument is not valid UTF-8 text",
        ErrorKind::InvalidArgument,
    )
}

/// The text of a string or a number (as PHP writes the number); `None` for anything else
/// and for a string that is not UTF-8.
pub fn string_or_number(value: &Zval) -> Option<String> {
    if let Some(text) = value.str() {
        return Some(text.to_string());
    }
    if value.is_long() || value.is_double() {
        return value.coerce_to_string();
    }
    None
}

impl<'a> FromZval<'a> for StrArg {
    const TYPE: DataType = DataType::String;
    const NULLABLE: bool = true;

    fn from_zval(zval: &'a Zval) -> Option<Self> {
        let zval = zval.dereference();
        if zval.is_null() {
            return Some(StrArg::Null);
        }
        if let Some(text) = zval.zend_str() {
            return Some(match std::str::from_utf8(text.as_bytes()) {
                Ok(s) => StrArg::Text(s.to_string()),
                Err(_) => StrArg::NotUtf8,
            });
        }
        if zval.is_long() || zval.is_double() || zval.is_bool() || zval.is_object() {
            return zval.coerce_to_string().map(StrArg::Text);
        }
        None
    }

    fn from_missing() -> Option<Self> {
        Some(StrArg::Null)
    }
}
