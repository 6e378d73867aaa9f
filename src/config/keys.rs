//! The one list of configuration keys every door reads.

pub use super::store::STORE_KEYS;

/// The keys read by [`crate::Config::from_pairs`] besides [`STORE_KEYS`]; every other key
/// is ignored, as the SDK does.
pub const KNOWN_KEYS: &[&str] = &[
    "client_id",
    "client_secret",
    "redirect_uri",
    "accounts_url",
    "data_centre",
    "data_center",
    "token_persistence_path",
    "token_store_format",
    "currentUserEmail",
    "access_type",
    "sandbox",
    "apiBaseUrl",
    "applicationLogFilePath",
    "connect_timeout_secs",
    "timeout_secs",
    "refresh_margin_secs",
    "token_store",
    "store_recheck_ms",
    "lock_timeout_secs",
    "store_timeout_secs",
    "token_base_dir",
    "token_encryption",
    "token_encryption_key_file",
    "token_encryption_key",
];

/// Whether [`crate::Config::from_pairs`] reads `key`: one of [`KNOWN_KEYS`] or
/// [`STORE_KEYS`].
pub fn is_known_key(key: &str) -> bool {
    KNOWN_KEYS.contains(&key) || STORE_KEYS.contains(&key)
}

/// Every key [`crate::Config::from_pairs`] reads: [`KNOWN_KEYS`], then [`STORE_KEYS`].
pub fn all_keys() -> impl Iterator<Item = &'static str> {
    KNOWN_KEYS.iter().chain(STORE_KEYS).copied()
}
