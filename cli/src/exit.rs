//! Failures and the exit code of each class of failure.

use zoho_oauth::{Error, ErrorCategory, ErrorKind, Remedy, Tokens};

/// A class of outcome; each has its own exit code, listed in `--help` and `docs/cli.md`.
/// A library error's class is its category in the table of error kinds; `login` adds one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// The category of a library error ([`ErrorKind::category`]), or the CLI's own failure
    /// of the same kind (a bad flag is `Usage`).
    Library(ErrorCategory),
    /// `login` did not complete: timed out, consent refused, or a forged redirect.
    Login,
}

/// The categories by their short names, as the rest of the CLI writes them.
#[allow(non_upper_case_globals)]
impl Class {
    /// Bad command line or configuration (`client_id is mandatory`, unknown flag, ...).
    pub const Usage: Class = Class::Library(ErrorCategory::Usage);
    /// The accounts server could not be reached or answered nonsense (network, 5xx, HTML).
    pub const Transport: Class = Class::Library(ErrorCategory::Transport);
    /// Zoho refused: invalid or expired code, wrong client, secret, redirect URI, scope.
    pub const Refused: Class = Class::Library(ErrorCategory::Refused);
    /// Zoho's throttle: too many token requests; try again later.
    pub const RateLimited: Class = Class::Library(ErrorCategory::RateLimited);
    /// The token store could not be read or written, or would be overwritten.
    pub const Store: Class = Class::Library(ErrorCategory::Store);
    /// No tokens are stored for the user.
    pub const NoTokens: Class = Class::Library(ErrorCategory::NoTokens);
    /// A bug.
    pub const Internal: Class = Class::Library(ErrorCategory::Internal);
}

/// Every class with its exit code, name and meaning, for `--help` and tests.
pub const TABLE: &[(Class, u8, &str, &str)] = &[
    (
        Class::Usage,
        2,
        "usage",
        "bad command line or configuration (missing client_id, unknown flag, ...)",
    ),
    (
        Class::Transport,
        3,
        "transport",
        "accounts server unreachable, timed out, 5xx or not Zoho's JSON",
    ),
    (
        Class::Refused,
        4,
        "refused",
        "Zoho refused: invalid_code, invalid_client, invalid_client_secret, scope, ...",
    ),
    (
        Class::RateLimited,
        5,
        "rate_limited",
        "Zoho's throttle (Access Denied): too many token requests, retry later",
    ),
    (
        Class::Store,
        6,
        "store",
        "token file unreadable, unwritable, corrupt, or a migration would overwrite it",
    ),
    (
        Class::NoTokens,
        7,
        "no_tokens",
        "no tokens stored for the user",
    ),
    (
        Class::Login,
        8,
        "login",
        "login timed out, consent was refused, or the redirect was not ours (state)",
    ),
    (Class::Internal, 70, "internal", "a bug in zoho-oauth"),
];

impl Class {
    fn row(self) -> &'static (Class, u8, &'static str, &'static str) {
        TABLE
            .iter()
            .find(|row| row.0 == self)
            .unwrap_or(&TABLE[TABLE.len() - 1])
    }

    /// The process exit code.
    pub fn code(self) -> u8 {
        self.row().1
    }

    /// A short, stable name for `--json` output.
    pub fn name(self) -> &'static str {
        self.row().2
    }

    /// The class of a library error: its category in the table of error kinds.
    pub fn of(kind: ErrorKind) -> Class {
        Class::Library(kind.category())
    }
}

/// The hint of a library error in the CLI's terms: its commands and options.
pub fn hint_of(error: &Error) -> Option<String> {
    error.hint_worded(|remedy, error| {
        Some(match remedy {
            Remedy::ObtainTokens => "run `zoho-oauth login` or `zoho-oauth exchange` for this user first; `zoho-oauth users` lists who is stored".to_string(),
            Remedy::SaveAttachedTokens | Remedy::AddProfileScopeOrUser => format!(
                "the user lookup failed ({}); add AaaServer.profile.READ to the scopes (--scope), or name the user with --user, then save the printed tokens with `zoho-oauth exchange --refresh-token - --user EMAIL`",
                error.kind().name()
            ),
            Remedy::ReplaceDeliberately => "another process may have saved them meanwhile; replace them only deliberately (zoho-oauth migrate --force)".to_string(),
            Remedy::SetTokenBaseDir => "give an absolute --token-dir, or set token_base_dir".to_string(),
            Remedy::CreateSchema => format!(
                "create them with `zoho-oauth mysql-create`, or {}",
                error.hint().unwrap_or("create the database and the table")
            ),
            Remedy::RunAsOwner => format!(
                "{}; for this tool: sudo -u OWNER zoho-oauth ...",
                error.hint().unwrap_or("run as the owner of the token files")
            ),
            _ => return None,
        })
    })
}

/// Why a command failed: a class, a message and perhaps a hint and Zoho's error code, none of
/// which ever holds a secret; and, when Zoho issued tokens that could not be saved, those
/// tokens, which are handed to the user on stdout only (see `unsaved.rs`).
#[derive(Debug)]
pub struct Failure {
    /// The class, which decides the exit code.
    pub class: Class,
    /// The library's error kind, when the failure came from the library.
    pub kind: Option<ErrorKind>,
    /// What went wrong.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
    /// Zoho's own error code, when Zoho sent one.
    pub zoho_code: Option<String>,
    /// Tokens Zoho issued that could not be saved (the grant code is spent, so they are
    /// printed on stdout rather than lost). `Debug` shows them redacted.
    pub unsaved: Option<Box<Tokens>>,
}

impl Failure {
    /// A failure of `class` with a message.
    pub fn new(class: Class, message: impl Into<String>) -> Failure {
        Failure {
            class,
            kind: None,
            message: message.into(),
            hint: None,
            zoho_code: None,
            unsaved: None,
        }
    }

    /// A command-line or configuration mistake.
    pub fn usage(message: impl Into<String>) -> Failure {
        Failure::new(Class::Usage, message)
    }

    /// Adds a hint.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Failure {
        self.hint = Some(hint.into());
        self
    }
}

/// Keeps the class, message, hint and Zoho code. Unsaved tokens the error may carry are
/// dropped: only `session::exchange_and_save` hands them to the user, deliberately.
impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        Failure {
            class: Class::of(e.kind()),
            kind: Some(e.kind()),
            message: e.message().to_string(),
            hint: hint_of(&e),
            zoho_code: e.zoho_code().map(str::to_string),
            unsaved: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_distinct_and_documented() {
        let mut codes: Vec<u8> = TABLE.iter().map(|row| row.1).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes, [2, 3, 4, 5, 6, 7, 8, 70]);
        for row in TABLE {
            assert_eq!(row.0.code(), row.1);
        }
    }

    #[test]
    fn cli_words_name_commands_never_php_methods() {
        let php = [
            "generateAccessToken",
            "getAccessToken",
            "refreshAccessToken",
            "php.ini",
        ];
        for &remedy in Remedy::ALL {
            let error = Error::new(ErrorKind::NoTokens, "x").with_remedy(remedy);
            let text = hint_of(&error).unwrap_or_default();
            assert!(!text.is_empty(), "{remedy:?}");
            for word in php {
                assert!(!text.contains(word), "{remedy:?}: {text}");
            }
        }
        let obtain = Error::new(ErrorKind::NoTokens, "x").with_remedy(Remedy::ObtainTokens);
        assert!(hint_of(&obtain).is_some_and(|h| h.contains("zoho-oauth login")));
    }

    #[test]
    fn every_kind_has_the_class_of_its_category() {
        for &kind in ErrorKind::ALL {
            assert_eq!(Class::of(kind).name(), kind.category().name(), "{kind:?}");
        }
    }

    #[test]
    fn library_kinds_map_to_classes() {
        let cases = [
            (ErrorKind::ConfigMissing, 2),
            (ErrorKind::MissingToken, 2),
            (ErrorKind::Connect, 3),
            (ErrorKind::InvalidResponse, 3),
            (ErrorKind::InvalidCode, 4),
            (ErrorKind::ScopeMissing, 4),
            (ErrorKind::RateLimited, 5),
            (ErrorKind::StoreCorrupt, 6),
            (ErrorKind::NoTokens, 7),
            (ErrorKind::Internal, 70),
            (ErrorKind::Panic, 70),
        ];
        for (kind, code) in cases {
            assert_eq!(Class::of(kind).code(), code, "{kind:?}");
        }
        let f = Failure::from(
            Error::new(ErrorKind::InvalidClient, "refused")
                .with_zoho_code("invalid_client")
                .with_hint("check the data centre"),
        );
        assert_eq!(f.class, Class::Refused);
        assert_eq!(f.zoho_code.as_deref(), Some("invalid_client"));
        assert_eq!(f.hint.as_deref(), Some("check the data centre"));
    }
}
