//! A string that must never be shown: client secrets, access, refresh and grant tokens.

use std::fmt;

/// A secret string. `Debug` prints `[redacted]`; there is no `Display`, so a secret can only
/// reach text through an explicit call to [`Secret::expose`].
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

    #[test]
    fn preview_hides_short_values_entirely() {
        assert_eq!(Secret::new("s3cr3t").redacted_preview(), "[redacted]");
        let long =
            Secret::new("1000.abcdef0123456789abcdef0123456789.abcdef0123456789abcdef0123456789");
        assert_eq!(long.redacted_preview(), "1000.abcd…");
    }
}
