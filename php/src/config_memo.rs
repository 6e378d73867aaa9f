//! `initialize()` with the same configuration array as the previous call skips parsing and
//! validation: every PHP request calls it, almost always with the same array.
//!
//! The previous call's array is kept as the exact pairs it gave (key and value text, in
//! order). A new array is compared with them without allocating; any difference (a key, a
//! value, the order, a value that is not a plain string, integer or boolean) takes the full
//! path, so a changed configuration takes effect at once and a wrong one fails exactly as
//! before. Only a successful result is kept.

use std::cell::RefCell;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};

use crate::config_state::Initialized;

/// The last successful configuration of this thread (PHP runs a request per thread).
struct Memo {
    pairs: Vec<(String, String)>,
    init: Arc<Initialized>,
}

thread_local! {
    static LAST: RefCell<Option<Memo>> = const { RefCell::new(None) };
}

/// Configuration arrays parsed in this process (`phpinfo()` shows it; tests read it).
static PARSED: AtomicU64 = AtomicU64::new(0);

/// How many configuration arrays this process parsed (calls the memo did not answer).
pub fn parsed() -> u64 {
    PARSED.load(Ordering::Relaxed)
}

/// Counts one configuration array parsed.
pub fn count_parse() {
    PARSED.fetch_add(1, Ordering::Relaxed);
}

/// The result of the previous `initialize()` when `configuration` gives exactly its pairs.
pub fn lookup(configuration: &ZendHashTable) -> Option<Arc<Initialized>> {
    LAST.with(|last| {
        let last = last.borrow();
        let memo = last.as_ref()?;
        same_pairs(configuration, &memo.pairs).then(|| Arc::clone(&memo.init))
    })
}

/// Keeps a successful `initialize()` for the next call.
pub fn remember(pairs: Vec<(String, String)>, init: Arc<Initialized>) {
    LAST.with(|last| *last.borrow_mut() = Some(Memo { pairs, init }));
}

/// Whether the array's entries are exactly `pairs`, compared as the text
/// [`crate::config_state::pairs_from_array`] would make of them. Anything it would not
/// compare cheaply (integer keys, floats, arrays, objects) counts as different.
fn same_pairs(configuration: &ZendHashTable, pairs: &[(String, String)]) -> bool {
    if configuration.len() != pairs.len() {
        return false;
    }
    configuration
        .iter()
        .zip(pairs)
        .all(|((key, value), (want_key, want_value))| {
            key_is(&key, want_key) && value_is(value, want_value)
        })
}

fn key_is(key: &ArrayKey<'_>, want: &str) -> bool {
    match key {
        ArrayKey::Str(s) => *s == want,
        ArrayKey::String(s) => s == want,
        ArrayKey::ZendString(s) => s.as_str().is_ok_and(|s| s == want),
        ArrayKey::Long(_) => false,
    }
}

fn value_is(value: &Zval, want: &str) -> bool {
    if let Some(text) = value.str() {
        return text == want;
    }
    if value.is_null() || value.is_false() {
        return want.is_empty();
    }
    if value.is_true() {
        return want == "1";
    }
    if let Some(number) = value.long() {
        let mut buffer = [0u8; 24];
        let mut cursor = &mut buffer[..];
        if write!(cursor, "{number}").is_err() {
            return false;
        }
        let written = 24 - cursor.len();
        return buffer[..written] == *want.as_bytes();
    }
    false
}
