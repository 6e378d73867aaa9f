//! One error type for the whole library, with stable numeric codes shared by the C and PHP doors.
//!
//! Messages never contain a secret, a token or a raw HTTP response: they are built from fixed
//! text, user identifiers, paths and Zoho's error code only.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::token::Tokens;

#[macro_use]
mod kinds;
mod remedy;

pub use remedy::Remedy;

/// The broad class of an error kind: what a caller does about it. The CLI's exit code is one
/// per category (`zoho-oauth --help`, `docs/cli.md`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorCategory {
    /// The caller's input or configuration is wrong (1xx).
    Usage,
    /// The accounts server could not be reached or answered nonsense (2xx).
    Transport,
    /// Zoho refused: invalid or expired code, wrong client, secret, redirect URI, scope.
    Refused,
    /// Zoho's throttle: too many token requests; try again later.
    RateLimited,
    /// The token store could not be read, written or reached.
    Store,
    /// No tokens are stored for the user.
    NoTokens,
    /// A bug in this library.
    Internal,
}

impl ErrorCategory {
    /// A short, stable, snake_case name (`usage`, `rate_limited`, ...): the CLI's `class`.
    pub fn name(self) -> &'static str {
        match self {
            ErrorCategory::Usage => "usage",
            ErrorCategory::Transport => "transport",
            ErrorCategory::Refused => "refused",
            ErrorCategory::RateLimited => "rate_limited",
            ErrorCategory::Store => "store",
            ErrorCategory::NoTokens => "no_tokens",
            ErrorCategory::Internal => "internal",
        }
    }
}

/// Expands the table of `kinds.rs` into [`ErrorKind`] and its lookups.
macro_rules! define_error_kind {
    ($( $(#[doc = $doc:literal])* $kind:ident = $code:literal, $name:literal,
        $category:ident, $transient:literal; )*) => {
        /// What went wrong, as a stable code. The numbers are part of the C ABI and never
        /// change; retired codes are never reused. Codes are banded by origin: 1xx the
        /// caller's input, 2xx the transport, 3xx Zoho said no, 4xx the token store,
        /// 5xx internal. Defined once, in `src/error/kinds.rs`.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[repr(u32)]
        #[non_exhaustive]
        pub enum ErrorKind {
            $( $(#[doc = $doc])* $kind = $code, )*
        }

        impl ErrorKind {
            /// Every kind, in numeric order.
            pub const ALL: &'static [ErrorKind] = &[$(ErrorKind::$kind),*];

            /// A short, stable, snake_case name (`invalid_code`, `store_corrupt`, ...).
            pub fn name(self) -> &'static str {
                match self { $(ErrorKind::$kind => $name,)* }
            }

            /// The broad class of the kind (the CLI's exit code follows from it).
            pub fn category(self) -> ErrorCategory {
                match self { $(ErrorKind::$kind => ErrorCategory::$category,)* }
            }

            /// True for failures that may go away by themselves (network, 5xx, throttling,
            /// an unreachable store server, a lock held too long).
            pub fn is_transient(self) -> bool {
                match self { $(ErrorKind::$kind => $transient,)* }
            }
        }
    };
}

error_kinds!(define_error_kind);

impl ErrorKind {
    /// The stable numeric code.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The kind with a numeric code, or `None` when no kind has it.
    pub fn from_code(code: u32) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.code() == code)
    }

    /// The kind with a stable name, or `None` when no kind has it.
    pub fn from_name(name: &str) -> Option<ErrorKind> {
        ErrorKind::ALL.iter().copied().find(|k| k.name() == name)
    }
}

/// An error from any part of the library.
///
/// `Display` gives the message and, when there is one, a hint a person can act on.
/// Neither ever contains a secret.
#[derive(Clone)]
pub struct Error {
    kind: ErrorKind,
    message: String,
    hint: Option<String>,
    remedy: Option<Remedy>,
    zoho_code: Option<String>,
    http_status: Option<u16>,
    path: Option<PathBuf>,
    unsaved_tokens: Option<Box<Tokens>>,
}

/// The library's result type.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A new error of `kind` with a message that must not contain secrets.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            hint: None,
            remedy: None,
            zoho_code: None,
            http_status: None,
            path: None,
            unsaved_tokens: None,
        }
    }

    /// Adds a hint a person can act on.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Adds a typed remedy, which each door words in its own terms. The hint becomes the
    /// remedy's door-neutral wording ([`Remedy::neutral`]); a later [`Error::with_hint`]
    /// replaces that wording with a more specific one.
    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        self.hint = Some(remedy.neutral(self.kind));
        self.remedy = Some(remedy);
        self
    }

    /// Records Zoho's own error code (`invalid_code`, `Access Denied`, `INVALID_OAUTHSCOPE`).
    pub fn with_zoho_code(mut self, code: impl Into<String>) -> Self {
        self.zoho_code = Some(code.into());
        self
    }

    /// Records the HTTP status of the reply.
    pub fn with_http_status(mut self, status: u16) -> Self {
        self.http_status = Some(status);
        self
    }

    /// Records the file the error is about.
    pub fn with_path(mut self, path: &Path) -> Self {
        self.path = Some(path.to_path_buf());
        self
    }

    /// Attaches tokens that Zoho issued but that could not be saved, so the caller can keep them.
    pub fn with_unsaved_tokens(mut self, tokens: Tokens) -> Self {
        self.unsaved_tokens = Some(Box::new(tokens));
        self
    }

    /// The kind of error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The stable numeric code of the kind.
    pub fn code(&self) -> u32 {
        self.kind.code()
    }

    /// The message, without the hint.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// The hint, if any, in no door's vocabulary.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
    }

    /// The typed remedy: the one the error was given, else the one of its kind
    /// ([`Remedy::for_kind`]: a new grant for `invalid_code`, retry later for a transient
    /// kind, ...), if any.
    pub fn remedy(&self) -> Option<Remedy> {
        self.remedy.or_else(|| Remedy::for_kind(self.kind))
    }

    /// The hint as a door gives it: `words` words the remedy in the door's terms (PHP method
    /// names, CLI commands, C functions); when it does not (or there is no remedy), the hint.
    pub fn hint_worded(
        &self,
        words: impl FnOnce(Remedy, &Error) -> Option<String>,
    ) -> Option<String> {
        self.remedy()
            .and_then(|remedy| words(remedy, self))
            .or_else(|| self.hint.clone())
    }

    /// The message followed by ` Hint: <hint>` when there is a hint (what `Display` shows
    /// with the door-neutral hint).
    pub fn message_with_hint(&self, hint: Option<&str>) -> String {
        match hint {
            Some(hint) => format!("{} Hint: {hint}", self.message),
            None => self.message.clone(),
        }
    }

    /// Zoho's error code, if the accounts server sent one.
    pub fn zoho_code(&self) -> Option<&str> {
        self.zoho_code.as_deref()
    }

    /// The HTTP status of the reply, if there was one.
    pub fn http_status(&self) -> Option<u16> {
        self.http_status
    }

    /// The file the error is about, if any.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Tokens Zoho issued that were not saved (e.g. the user lookup failed after a grant
    /// exchange). Keep the refresh token: the grant token cannot be used again.
    pub fn unsaved_tokens(&self) -> Option<&Tokens> {
        self.unsaved_tokens.as_deref()
    }

    /// Takes the unsaved tokens out of the error.
    pub fn take_unsaved_tokens(&mut self) -> Option<Tokens> {
        self.unsaved_tokens.take().map(|b| *b)
    }

    /// Shorthand for an [`ErrorKind::InvalidArgument`] error.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::InvalidArgument, message)
    }

    /// Shorthand for an [`ErrorKind::Internal`] error.
    pub fn internal(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Internal, message)
    }

    /// An I/O error on a store file, naming the path and what was being done.
    pub fn store_io(action: &str, path: &Path, err: &std::io::Error) -> Self {
        Error::new(
            ErrorKind::StoreIo,
            format!("cannot {action} {}: {}", path.display(), io_reason(err)),
        )
        .with_path(path)
    }
}

/// The reason of an I/O error without the "(os error N)" suffix noise.
fn io_reason(err: &std::io::Error) -> String {
    let text = err.to_string();
    match text.find(" (os error") {
        Some(pos) => text[..pos].to_string(),
        None => text,
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " Hint: {hint}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.kind)
            .field("message", &self.message)
            .field("hint", &self.hint)
            .field("remedy", &self.remedy)
            .field("zoho_code", &self.zoho_code)
            .field("http_status", &self.http_status)
            .field("path", &self.path)
            .field("unsaved_tokens", &self.unsaved_tokens)
            .finish()
    }
}

impl std::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn codes_are_stable_and_banded() {
        assert_eq!(ErrorKind::InvalidArgument.code(), 100);
        assert_eq!(ErrorKind::Timeout.code(), 201);
        assert_eq!(ErrorKind::InvalidCode.code(), 300);
        assert_eq!(ErrorKind::RateLimited.code(), 304);
        assert_eq!(ErrorKind::NoTokens.code(), 400);
        assert_eq!(ErrorKind::StoreCorrupt.code(), 402);
        assert_eq!(ErrorKind::Panic.code(), 501);
    }

    #[test]
    fn table_lookups_round_trip() {
        assert_eq!(ErrorKind::ALL.len(), 29);
        for (i, &kind) in ErrorKind::ALL.iter().enumerate() {
            assert_eq!(ErrorKind::from_code(kind.code()), Some(kind));
            assert_eq!(ErrorKind::from_name(kind.name()), Some(kind));
            if let Some(next) = ErrorKind::ALL.get(i + 1) {
                assert!(kind.code() < next.code(), "{kind:?} out of order");
            }
        }
        assert_eq!(ErrorKind::from_code(0), None);
        assert_eq!(ErrorKind::OAuthError.name(), "oauth_error");
        assert_eq!(
            ErrorKind::RateLimited.category(),
            ErrorCategory::RateLimited
        );
        let transient: Vec<&str> = ErrorKind::ALL
            .iter()
            .filter(|k| k.is_transient())
            .map(|k| k.name())
            .collect();
        assert_eq!(
            transient,
            [
                "connect",
                "timeout",
                "server_error",
                "invalid_response",
                "rate_limited",
                "store_unavailable",
                "lock_timeout"
            ]
        );
    }

    #[test]
    fn display_adds_hint_and_debug_hides_unsaved_tokens() {
        let tokens = Tokens::new(None, Secret::new("1000.secretaccess"), None, 0);
        let e = Error::new(ErrorKind::InvalidCode, "refused.")
            .with_hint("make a new one.")
            .with_unsaved_tokens(tokens);
        assert_eq!(e.to_string(), "refused. Hint: make a new one.");
        assert!(!format!("{e:?}").contains("secretaccess"));
        assert!(e.unsaved_tokens().is_some());
    }

    #[test]
    fn io_reason_drops_os_error_suffix() {
        let err = std::io::Error::from_raw_os_error(13);
        let e = Error::store_io("write", Path::new("/x/y"), &err);
        assert_eq!(e.message(), "cannot write /x/y: Permission denied");
        assert_eq!(e.path(), Some(Path::new("/x/y")));
    }
}
