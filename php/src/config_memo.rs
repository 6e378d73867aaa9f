//! `initialize()` with the same configuration array as the previous call skips parsing and
//! validation: every PHP request calls it, almost always with the same array.
//!
//! The previous call's array is kept as the exact pairs it gave (key and value text). A new
//! array is compared with them in order, bucket by bucket, or else by looking each key up
//! (no allocation either way); any difference (a key more or less, a value, a value that is not a plain
//! string, integer or boolean, an integer key) takes the full path, so a changed
//! configuration takes effect at once and a wrong one fails exactly as before. The order of
//! the keys does not matter: the configuration read from an array does not depend on it.
//! Only a successful result is kept.
//!
//! Within one request a second, cheaper check answers first: when the array holds the very
//! strings of the last matching array (the same interned keys, the same value strings, of
//! which a reference is held so that none can be freed and its memory reused), it is the
//! same configuration without comparing a byte. This is the case for a configuration
//! literal, and for an array built once and passed to every call. It is forgotten at the end
//! of the request, when the engine frees the request's strings.

use std::cell::RefCell;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use ext_php_rs::boxed::ZBox;
use ext_php_rs::types::{ArrayKey, ZendHashTable, ZendStr, Zval};

use crate::engine;
use crate::initialized::Initialized;

/// The last successful configuration of this thread (PHP runs a request per thread).
struct Memo {
    /// The keys as persistent PHP strings, which keep their hash once computed, so a lookup
    /// does not hash the key again.
    keys: Vec<ZBox<ZendStr>>,
    /// The values, in the order of `keys`.
    values: Vec<String>,
    init: Arc<Initialized>,
}

/// The strings of the last array that matched in this request (see the module's notes).
struct SameStrings {
    /// The keys' addresses, in bucket order; all interned, so each lives for the request at
    /// least and its address names one string. Compared, never dereferenced.
    keys: Vec<*const ZendStr>,
    /// The values, string zvals holding a reference each (released when forgotten), in
    /// the order of `keys`.
    values: Vec<Zval>,
    init: Arc<Initialized>,
}

thread_local! {
    static LAST: RefCell<Option<Memo>> = const { RefCell::new(None) };
    static THIS_REQUEST: RefCell<Option<SameStrings>> = const { RefCell::new(None) };
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
    if let Some(init) = THIS_REQUEST.with(|same| {
        let same = same.borrow();
        let same = same.as_ref()?;
        same.matches(configuration).then(|| Arc::clone(&same.init))
    }) {
        return Some(init);
    }
    let init = LAST.with(|last| {
        let last = last.borrow();
        let memo = last.as_ref()?;
        memo.matches(configuration).then(|| Arc::clone(&memo.init))
    })?;
    remember_strings(configuration, &init);
    Some(init)
}

/// Forgets the strings held for this request (request start and end: the engine frees the
/// request's strings afterwards, so none may be held past it).
pub fn forget_request() {
    // Taken out of the cell first, then released.
    let held = THIS_REQUEST.with(|same| same.borrow_mut().take());
    drop(held);
}

/// Holds the strings of `configuration`, which gave `init`, for the cheaper check of the
/// next call in this request; nothing when the array is not made of interned keys and
/// string values in buckets.
pub fn remember_strings(configuration: &ZendHashTable, init: &Arc<Initialized>) {
    let same = engine::array::entries_in_order(configuration).and_then(|entries| {
        let mut keys = Vec::with_capacity(entries.len());
        let mut values = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let key = key.filter(|key| engine::identity::is_interned(key))?;
            value.zend_str()?;
            keys.push(std::ptr::from_ref(key));
            values.push(value.shallow_clone());
        }
        Some(SameStrings {
            keys,
            values,
            init: Arc::clone(init),
        })
    });
    let previous = THIS_REQUEST.with(|cell| std::mem::replace(&mut *cell.borrow_mut(), same));
    drop(previous);
}

impl SameStrings {
    /// Whether every bucket holds the remembered key and value strings themselves. A held
    /// value cannot be freed (its reference is ours) nor changed in place (PHP separates a
    /// string with more than one reference before writing), and an interned key lives for
    /// the request: the same addresses are the same text.
    fn matches(&self, configuration: &ZendHashTable) -> bool {
        let Some(entries) = engine::array::entries_in_order(configuration) else {
            return false;
        };
        entries.len() == self.keys.len()
            && entries.zip(self.keys.iter().zip(&self.values)).all(
                |((key, value), (held_key, held_value))| {
                    key.is_some_and(|key| std::ptr::eq(key, *held_key))
                        && engine::identity::same_string(value, held_value)
                },
            )
    }
}

/// Keeps a successful `initialize()` for the next call.
pub fn remember(pairs: Vec<(String, String)>, init: Arc<Initialized>) {
    let (keys, values) = pairs
        .into_iter()
        .map(|(key, value)| (ZendStr::new(key, true), value))
        .unzip();
    LAST.with(|last| *last.borrow_mut() = Some(Memo { keys, values, init }));
}

impl Memo {
    /// Whether the array holds exactly the remembered keys (no more: the lengths are equal),
    /// each with the value text [`crate::config_state::pairs_from_array`] would make of it.
    /// Anything not compared cheaply (integer keys, floats, arrays, objects) counts as
    /// different.
    fn matches(&self, configuration: &ZendHashTable) -> bool {
        configuration.len() == self.keys.len()
            && (self.matches_in_order(configuration) || self.matches_by_lookup(configuration))
    }

    /// The usual case, the same array literal every request: the entries are the
    /// remembered ones in the same order, compared bucket by bucket without hashing.
    fn matches_in_order(&self, ht: &ZendHashTable) -> bool {
        let Some(entries) = engine::array::entries_in_order(ht) else {
            return false;
        };
        entries.len() == self.keys.len()
            && entries.zip(self.keys.iter().zip(&self.values)).all(
                |((name, value), (key, want))| {
                    name.is_some_and(|name| name.as_bytes() == key.as_bytes())
                        && value_is(value, want)
                },
            )
    }

    /// The same keys in any order: each remembered key is looked up (pre-hashed).
    fn matches_by_lookup(&self, configuration: &ZendHashTable) -> bool {
        self.keys.iter().zip(&self.values).all(|(key, want)| {
            configuration
                .get(ArrayKey::ZendString(key))
                .is_some_and(|value| value_is(value, want))
        })
    }
}

fn value_is(value: &Zval, want: &str) -> bool {
    if let Some(text) = value.zend_str() {
        // Byte equality with valid UTF-8 is all the full path's UTF-8 check would confirm.
        return text.as_bytes() == want.as_bytes();
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
