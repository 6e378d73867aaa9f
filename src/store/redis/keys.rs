//! The key layout under the configured prefix (default `zoho_oauth:`):
//!
//! | key | type | holds |
//! |---|---|---|
//! | `<prefix>user:<id>` | string | the user's tokens as a one-entry JSON token file |
//! | `<prefix>users` | set | every stored identifier (for `list`; no `KEYS`) |
//! | `<prefix>ci:<lowercased id>` | set | identifiers with `@` that fold to this one |
//! | `<prefix>lock:<id>` | string, PX lease | the owner of the refresh lease |
//! | `<prefix>failed:<id>` | string, PX lease | epoch ms of the last transient refresh failure |
//! | `<prefix>history:<id>` | string | the user's refresh history ([`crate::history`], JSON, bounded) |
//!
//! `<id>` is the identifier percent-encoded: ASCII letters, digits and `@._+-` stay as they
//! are, every other byte of its UTF-8 becomes `%XX`. The encoding is one-to-one, so two
//! identifiers never share a key, and `ada@example.com` stays readable in `redis-cli`.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

/// Builds the keys of one prefix.
#[derive(Clone, Debug)]
pub(super) struct Keys {
    prefix: String,
}

impl Keys {
    /// Keys under `prefix`.
    pub(super) fn new(prefix: &str) -> Keys {
        Keys {
            prefix: prefix.to_string(),
        }
    }

    /// The prefix.
    pub(super) fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The key holding `user`'s tokens.
    pub(super) fn user(&self, user: &str) -> String {
        self.with("user:", user)
    }

    /// The set of every stored identifier.
    pub(super) fn users(&self) -> String {
        format!("{}users", self.prefix)
    }

    /// The set of identifiers that differ from `user` only in case; only for identifiers
    /// with `@`, the ones [`crate::store::find_user`] matches case-insensitively.
    pub(super) fn folded(&self, user: &str) -> Option<String> {
        user.contains('@')
            .then(|| self.with("ci:", &user.to_lowercase()))
    }

    /// The key of `user`'s refresh lease.
    pub(super) fn lock(&self, user: &str) -> String {
        self.with("lock:", user)
    }

    /// The key recording `user`'s last transient refresh failure.
    pub(super) fn failed(&self, user: &str) -> String {
        self.with("failed:", user)
    }

    /// The key holding `user`'s refresh history.
    pub(super) fn history(&self, user: &str) -> String {
        self.with("history:", user)
    }

    fn with(&self, kind: &str, user: &str) -> String {
        format!("{}{kind}{}", self.prefix, encode(user))
    }
}

/// The bytes an identifier keeps as `%XX` in a key: all but ASCII letters, digits and `@._+-`
/// (bytes of non-ASCII characters are always encoded).
const ENCODED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'@')
    .remove(b'.')
    .remove(b'_')
    .remove(b'+')
    .remove(b'-');

/// Percent-encodes an identifier for use in a key (see the module docs).
pub(super) fn encode(id: &str) -> String {
    utf8_percent_encode(id, ENCODED).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn odd_identifiers_get_distinct_readable_keys() {
        let keys = Keys::new("app:");
        assert_eq!(keys.user("ada@example.com"), "app:user:ada@example.com");
        assert_eq!(keys.user("a b:c\"d'%"), "app:user:a%20b%3Ac%22d%27%25");
        assert_eq!(keys.user("zoë"), "app:user:zo%C3%AB");
        assert_ne!(keys.user("a:b"), keys.user("a%3Ab"));
        assert_eq!(keys.users(), "app:users");
        assert_eq!(keys.lock("x y"), "app:lock:x%20y");
        assert_eq!(
            keys.folded("Zoë@Example.COM").as_deref(),
            Some("app:ci:zo%C3%AB@example.com")
        );
        assert_eq!(keys.folded("no-at-sign"), None);
    }

    #[test]
    fn encoding_keeps_only_letters_digits_and_five_marks() {
        assert_eq!(
            encode("aZ09@._+-"),
            "aZ09@._+-",
            "letters, digits and @._+- stay"
        );
        assert_eq!(
            encode(" %/@:\u{0}\t\n\r\u{7f}~*!#$&'()=,;?[]{}<>|^`\\\""),
            "%20%25%2F@%3A%00%09%0A%0D%7F%7E%2A%21%23%24%26%27%28%29%3D%2C%3B%3F%5B%5D%7B%7D%3C%3E%7C%5E%60%5C%22"
        );
        assert_eq!(encode("zoë ß€😀"), "zo%C3%AB%20%C3%9F%E2%82%AC%F0%9F%98%80");
        assert_eq!(encode(""), "");
        for byte in 0u8..=0x7f {
            let c = char::from(byte);
            let kept = c.is_ascii_alphanumeric() || "@._+-".contains(c);
            let expected = if kept {
                c.to_string()
            } else {
                format!("%{byte:02X}")
            };
            assert_eq!(encode(&c.to_string()), expected, "byte {byte:#04x}");
        }
    }
}
