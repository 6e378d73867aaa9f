//! An OAuth callback's query as PHP code has it: the query string (with or without its `?`),
//! the whole callback URL, or the decoded array (`$_GET`). The checks themselves are the core's
//! ([`zoho_oauth::redirect`]).

use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::{ArrayKey, Zval};
use zoho_oauth::ErrorKind;
use zoho_oauth::redirect;

use crate::coerce::string_or_number;
use crate::exception;

/// The callback's decoded parameters, in order. An array's entries whose value is not a string
/// or a number (`state[]=...`) are left out, so they count as missing.
pub fn params_from(query: &Zval) -> PhpResult<Vec<(String, String)>> {
    let query = query.dereference();
    if let Some(text) = query.str() {
        return Ok(redirect::parse_query(redirect::query_of(text)));
    }
    if let Some(array) = query.array() {
        return Ok(array
            .iter()
            .filter_map(|(key, value)| Some((key_text(key)?, string_or_number(value)?)))
            .collect());
    }
    Err(exception::with_kind(
        "the callback query must be a query string, the callback URL or an array such as $_GET",
        ErrorKind::InvalidArgument,
    ))
}

/// A string key's text; integer keys are no callback parameter.
fn key_text(key: ArrayKey<'_>) -> Option<String> {
    match key {
        ArrayKey::Long(_) => None,
        ArrayKey::String(s) => Some(s),
        ArrayKey::Str(s) => Some(s.to_string()),
        ArrayKey::ZendString(s) => s.as_str().ok().map(str::to_string),
    }
}
