//! A string that must never be shown: client secrets, access, refresh and grant tokens.

use std::fmt;

use zeroize::Zeroize;

/// A secret string. `Debug` prints `[redacted]`; there is no `Display`, so a secret can only
/// reach text through an explicit call to [`Secret::expose`]. Its bytes are overwritten with
/// zeros when it is dropped (copies handed out through [`Secret::expose`] are the caller's).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value. Every call site is a place where the secret leaves its wrapper:
    /// only the HTTP request builder and the token stores should need it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty string.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// A short, safe preview for people: the first 9 characters (`1000.abcd`) and `…`, or
    /// `[redacted]` for values too short to show a prefix of without giving them away.
    pub fn redacted_preview(&self) -> String {
        let prefix: String = self.0.chars().take(9).collect();
        if self.0.chars().count() >= 32 {
            format!("{prefix}…")
        } else {
            "[redacted]".to_string()
        }
    }
}

impl Secret {
    /// Overwrites the value's whole buffer with zeros and empties it (the buffer stays
    /// allocated until the value is dropped).
    fn wipe(&mut self) {
        self.0.zeroize();
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_value() {
        let s = Secret::new("1000.abcdef0123456789abcdef0123456789.x");
        assert_eq!(format!("{s:?}"), "[redacted]");
        assert_eq!(format!("{:?}", Some(s.clone())), "Some([redacted])");
        assert_eq!(s.expose(), "1000.abcdef0123456789abcdef0123456789.x");
    }

    /// What `drop` does (`wipe`), on a secret still alive so its buffer can be read
    /// afterwards: every byte the value occupied is zero.
    #[test]
    #[allow(unsafe_code)] // reads the buffer's bytes after the wipe, within its allocation
    fn a_dropped_secret_leaves_zeros_where_it_was() {
        let value = "1000.0123456789abcdef0123456789abcdef.fedcba9876543210";
        let mut secret = Secret::new(value);
        let buffer = secret.0.as_ptr();
        secret.wipe();
        assert_eq!(secret.expose(), "");
        assert_eq!(
            secret.0.as_ptr(),
            buffer,
            "the same buffer, still allocated"
        );
        assert!(secret.0.capacity() >= value.len());
        // SAFETY: the buffer is still allocated (same pointer, capacity at least `len`) and
        // every byte of it was written by the wipe.
        let after = unsafe { std::slice::from_raw_parts(buffer, value.len()) };
        assert!(after.iter().all(|&b| b == 0), "{after:?}");
    }

    #[test]
    fn preview_hides_short_values_entirely() {
        assert_eq!(Secret::new("s3cr3t").redacted_preview(), "[redacted]");
        let long =
            Secret::new("1000.abcdef0123456789abcdef0123456789.abcdef0123456789abcdef0123456789");
        assert_eq!(long.redacted_preview(), "1000.abcd…");
    }
}
