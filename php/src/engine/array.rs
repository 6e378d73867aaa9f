//! PHP arrays read below ext-php-rs's API: the buckets of a hash (not packed) array in their
//! order, without hashing, for comparisons on the hot path.

use ext_php_rs::types::{ZendHashTable, ZendStr, Zval};

/// PHP's `HASH_FLAG_PACKED`: an array with integer keys 0..n, stored without `Bucket`s.
const HASH_FLAG_PACKED: u32 = 1 << 2;

/// The entries of a hash array in order, each with its string key (`None` for an integer key),
/// when the array is not packed and has no deleted slots; `None` otherwise.
pub fn entries_in_order(
    ht: &ZendHashTable,
) -> Option<impl ExactSizeIterator<Item = (Option<&ZendStr>, &Zval)>> {
    // SAFETY: the flags word of a live array; `u.flags` covers the whole union.
    let flags = unsafe { ht.u.flags };
    if flags & HASH_FLAG_PACKED != 0 || ht.nNumUsed != ht.nNumOfElements {
        return None;
    }
    let used = usize::try_from(ht.nNumUsed).ok()?;
    let buckets = if used == 0 {
        &[][..]
    } else {
        // SAFETY: a non-packed array keeps `nNumUsed` buckets at `arData`; with `nNumUsed`
        // equal to the element count none of them is a hole.
        unsafe { std::slice::from_raw_parts(ht.__bindgen_anon_1.arData, used) }
    };
    // SAFETY: a bucket's key is null (integer key) or a live string of the array.
    Some(
        buckets
            .iter()
            .map(|bucket| (unsafe { bucket.key.as_ref() }, &bucket.val)),
    )
}
