//! One error type for the whole library, with stable numeric codes shared by the C and PHP doors.
//!
//! Messages never contain a secret, a token or a raw HTTP response: they are built from fixed
//! text, user identifiers, paths and Zoho's error code only.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::token::Tokens;

/// What went wrong, as a stable code. The numbers are part of the C ABI and never change;
/// retired codes are never reused. Codes are banded by origin:
/// 1xx the caller's input, 2xx the transport, 3xx Zoho said no, 4xx the token store,
/// 5xx internal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u32)]
#[non_exhaustive]
pub enum ErrorKind {
    /// An argument is empty, too long, or contains a NUL byte.
    InvalidArgument = 100,
    /// A required configuration key is absent or empty (`client_id is mandatory`).
    ConfigMissing = 101,
    /// A configuration value is wrong (not a URL, plain http to a remote host, ...).
    ConfigInvalid = 102,
    /// The library was used before it was initialized.
    NotInitialized = 103,
    /// No grant token or refresh token was given (`Grant Token is not provided.`).
    MissingToken = 104,
    /// A NULL pointer was passed where a value is required (C door).
    NullArgument = 110,
    /// A string argument is not valid UTF-8 (C door).
    InvalidUtf8 = 111,
    /// The accounts server could not be reached (DNS, refused, TLS, reset).
    Connect = 200,
    /// The accounts server did not answer within the configured timeout.
    Timeout = 201,
    /// The accounts server answered with an HTTP 5xx status.
    ServerError = 202,
    /// The reply was not the JSON Zoho sends: HTML, empty, truncated or unexpected.
    InvalidResponse = 203,
    /// `invalid_code`: the grant token expired or was used, or the refresh token was revoked.
    InvalidCode = 300,
    /// `invalid_client`: unknown client ID, or the wrong data centre.
    InvalidClient = 301,
    /// `invalid_client_secret`: the secret does not match the client ID.
    InvalidClientSecret = 302,
    /// `invalid_redirect_uri`: the redirect URI differs from the registered one.
    InvalidRedirectUri = 303,
    /// `Access Denied`: Zoho's token creation throttle (10 per refresh token per 10 minutes).
    RateLimited = 304,
    /// `access_denied`: consent refused, or too many grant tokens requested.
    AccessDenied = 305,
    /// The grant lacks a scope the call needs (`INVALID_OAUTHSCOPE`: `AaaServer.profile.READ`).
    ScopeMissing = 306,
    /// The token is unknown, expired or revoked (`INVALID_OAUTHTOKEN`, revoke answered 400).
    InvalidToken = 307,
    /// Another error code from Zoho; the code is in [`Error::zoho_code`].
    OAuthError = 308,
    /// The stored access token has expired (`Access token got expired!`).
    TokenExpired = 309,
    /// No tokens are stored for the user.
    NoTokens = 400,
    /// The token store could not be read or written (permissions, disk, not a directory).
    StoreIo = 401,
    /// The token store's file cannot be parsed; it was left untouched.
    StoreCorrupt = 402,
    /// The configured kind of store is not available (e.g. the SDK's MySQL default).
    StoreUnsupported = 403,
    /// The token store's server (MySQL/MariaDB, Redis) cannot be reached, timed out, or went
    /// away; nothing was changed.
    StoreUnavailable = 404,
    /// Another process or machine held the user's refresh lock for longer than
    /// `lock_timeout_secs`, and the stored token was no longer valid.
    LockTimeout = 405,
    /// A bug in this library; please report it.
    Internal = 500,
    /// A panic was caught at the library's boundary.
    Panic = 501,
}

impl ErrorKind {
    /// The stable numeric code.
    pub fn code(self) -> u32 {
        self as u32
    }

    /// True for failures that may go away by themselves (network, 5xx, throttling).
    pub fn is_transient(self) -> bool {
        matches!(
            self,
            ErrorKind::Connect
                | ErrorKind::Timeout
                | ErrorKind::ServerError
                | ErrorKind::InvalidResponse
                | ErrorKind::RateLimited
                | ErrorKind::StoreUnavailable
                | ErrorKind::LockTimeout
        )
    }

    /// A short, stable, snake_case name (`invalid_code`, `store_corrupt`, ...).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid_argument",
            ErrorKind::ConfigMissing => "config_missing",
            ErrorKind::ConfigInvalid => "config_invalid",
            ErrorKind::NotInitialized => "not_initialized",
            ErrorKind::MissingToken => "missing_token",
            ErrorKind::NullArgument => "null_argument",
            ErrorKind::InvalidUtf8 => "invalid_utf8",
            ErrorKind::Connect => "connect",
            ErrorKind::Timeout => "timeout",
            ErrorKind::ServerError => "server_error",
            ErrorKind::InvalidResponse => "invalid_response",
            ErrorKind::InvalidCode => "invalid_code",
            ErrorKind::InvalidClient => "invalid_client",
            ErrorKind::InvalidClientSecret => "invalid_client_secret",
            ErrorKind::InvalidRedirectUri => "invalid_redirect_uri",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::AccessDenied => "access_denied",
            ErrorKind::ScopeMissing => "scope_missing",
            ErrorKind::InvalidToken => "invalid_token",
            ErrorKind::OAuthError => "oauth_error",
            ErrorKind::TokenExpired => "token_expired",
            ErrorKind::NoTokens => "no_tokens",
            ErrorKind::StoreIo => "store_io",
            ErrorKind::StoreCorrupt => "store_corrupt",
            ErrorKind::StoreUnsupported => "store_unsupported",
            ErrorKind::StoreUnavailable => "store_unavailable",
            ErrorKind::LockTimeout => "lock_timeout",
            ErrorKind::Internal => "internal",
            ErrorKind::Panic => "panic",
        }
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

    /// The hint, if any.
    pub fn hint(&self) -> Option<&str> {
        self.hint.as_deref()
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
