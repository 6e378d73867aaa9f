//! Turning the accounts server's replies into tokens or typed errors.
//!
//! Zoho answers most errors with HTTP 200 and `{"error":"..."}`, so a reply is a success only
//! when it carries an `access_token`, whatever the status. Nothing here ever copies the raw
//! body or headers into an error: only Zoho's error code, cleaned and shortened.

use serde_json::{Map, Value};

use crate::error::{Error, ErrorKind, Result};
use crate::secret::Secret;

/// Which token request a reply answers; it decides the hints.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// `grant_type=authorization_code`.
    AuthorizationCode,
    /// `grant_type=refresh_token`.
    RefreshToken,
}

impl Grant {
    /// The SDK's message prefix for this request's failures.
    pub fn sdk_prefix(self) -> &'static str {
        match self {
            Grant::AuthorizationCode => "Exception while fetching access token from grant token",
            Grant::RefreshToken => "Exception while fetching access token from refresh token",
        }
    }
}

/// A successful token reply.
#[derive(Clone, Debug)]
pub struct TokenReply {
    /// The new access token.
    pub access_token: Secret,
    /// The refresh token, when Zoho sent one (grant exchanges with `access_type=offline`).
    pub refresh_token: Option<Secret>,
    /// Lifetime of the access token in milliseconds.
    pub expires_in_ms: i64,
    /// `api_domain`, when present.
    pub api_domain: Option<String>,
    /// `scope`, when present.
    pub scope: Option<String>,
}

/// The user behind an access token, from `/oauth/user/info`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserInfo {
    /// `Email`, with its case as Zoho returns it.
    pub email: String,
    /// `First_Name`.
    pub first_name: String,
    /// `Last_Name` (often empty).
    pub last_name: String,
    /// `Display_Name`.
    pub display_name: String,
    /// `ZUID`, Zoho's numeric user id.
    pub zuid: u64,
}

/// An HTTP reply: status, content type and body.
pub struct RawReply<'a> {
    /// The HTTP status.
    pub status: u16,
    /// The `Content-Type` header, if any.
    pub content_type: Option<&'a str>,
    /// The body.
    pub body: &'a [u8],
}

/// The documented lifetime of an access token, used when a reply has no `expires_in`.
const DEFAULT_EXPIRES_IN_MS: i64 = 3_600_000;

/// The longest token accepted from the server (what callers can pass back as an argument).
pub const MAX_TOKEN_BYTES: usize = 4096;
/// The longest `api_domain` or `scope` accepted from the server.
const MAX_FIELD_BYTES: usize = 4096;
/// The longest e-mail accepted from `/oauth/user/info` (RFC 5321's path limit).
pub const MAX_EMAIL_BYTES: usize = 254;
/// The longest access-token lifetime accepted: one day (Zoho issues one hour).
const MAX_EXPIRES_IN_MS: f64 = 86_400_000.0;

/// Parses a token endpoint reply. What the server sends is checked before it is used:
/// tokens are visible ASCII of at most [`MAX_TOKEN_BYTES`] (no CR, LF, NUL or spaces that
/// could inject headers), `expires_in` is a lifetime between one second and one day, and
/// `api_domain` and `scope` are printable text; anything else is [`ErrorKind::InvalidResponse`].
pub fn parse_token_reply(grant: Grant, reply: &RawReply<'_>) -> Result<TokenReply> {
    let object = parse_json_object(grant.sdk_prefix(), reply)?;
    if let Some(access) = non_empty_str(&object, "access_token") {
        let bad = |what: &str| invalid_field(grant.sdk_prefix(), reply.status, what);
        let refresh_token = non_empty_str(&object, "refresh_token");
        if !is_token_text(access) || refresh_token.is_some_and(|r| !is_token_text(r)) {
            return Err(bad(
                "a token that is not 1 to 4096 visible ASCII characters",
            ));
        }
        let api_domain = non_empty_str(&object, "api_domain");
        let scope = non_empty_str(&object, "scope");
        if api_domain.is_some_and(|d| !is_token_text(d) || d.len() > MAX_FIELD_BYTES)
            || scope.is_some_and(|s| !is_printable(s) || s.len() > MAX_FIELD_BYTES)
        {
            return Err(bad(
                "an api_domain or scope with control characters or too long",
            ));
        }
        let expires_in_ms =
            expires_in_ms(&object).ok_or_else(|| bad("an expires_in that is not 1 s to 1 day"))?;
        return Ok(TokenReply {
            access_token: Secret::new(access),
            refresh_token: refresh_token.map(Secret::new),
            expires_in_ms,
            api_domain: api_domain.map(str::to_string),
            scope: scope.map(str::to_string),
        });
    }
    let code = object.get("error").and_then(Value::as_str);
    if reply.status >= 500 {
        return Err(server_failure(grant.sdk_prefix(), reply.status, code));
    }
    if let Some(code) = code {
        return Err(zoho_token_error(grant, code, reply.status));
    }
    Err(Error::new(
        ErrorKind::InvalidResponse,
        format!(
            "{} - the reply (HTTP {}) has neither access_token nor error",
            grant.sdk_prefix(),
            reply.status
        ),
    )
    .with_http_status(reply.status))
}

/// A reply whose values are out of shape; names what, never the value.
fn invalid_field(prefix: &str, status: u16, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidResponse,
        format!("{prefix} - the reply (HTTP {status}) has {what}; nothing was saved"),
    )
    .with_hint("check accounts_url: Zoho's accounts server never sends such values")
    .with_http_status(status)
}

/// Visible ASCII only (no space, control character or NUL), 1 to [`MAX_TOKEN_BYTES`] bytes.
fn is_token_text(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= MAX_TOKEN_BYTES
        && value.bytes().all(|b| b.is_ascii_graphic())
}

/// No control characters (C0, DEL, C1).
fn is_printable(value: &str) -> bool {
    !value.chars().any(char::is_control)
}

fn non_empty_str<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    object
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

/// The SDK's expiry rule: `expires_in` is milliseconds when `expires_in_sec` is present
/// (Zoho's pre-2019 replies), seconds otherwise. Absent: one hour. `None` when it is not a
/// number or not between one second and one day.
fn expires_in_ms(object: &Map<String, Value>) -> Option<i64> {
    let Some(value) = object.get("expires_in") else {
        return Some(DEFAULT_EXPIRES_IN_MS);
    };
    let expires_in = number_of(value)?;
    let ms = if object.contains_key("expires_in_sec") {
        expires_in
    } else {
        expires_in * 1000.0
    };
    (ms.is_finite() && (1000.0..=MAX_EXPIRES_IN_MS).contains(&ms)).then(|| ms.round() as i64)
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Parses the body as a JSON object, classifying every way it can fail.
fn parse_json_object(prefix: &str, reply: &RawReply<'_>) -> Result<Map<String, Value>> {
    let status = reply.status;
    let text = String::from_utf8_lossy(reply.body);
    let trimmed = text.trim();
    let failure = |kind: ErrorKind, what: &str| {
        Error::new(kind, format!("{prefix} - {what} (HTTP {status})")).with_http_status(status)
    };
    if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(trimmed) {
        return Ok(object);
    }
    if status >= 500 {
        return Err(server_failure(prefix, status, None));
    }
    let what = if trimmed.is_empty() {
        "the reply was empty"
    } else if looks_like_html(reply.content_type, trimmed) {
        "the reply was an HTML page, not JSON"
    } else {
        "the reply was not JSON"
    };
    Err(failure(ErrorKind::InvalidResponse, what)
        .with_hint("check accounts_url; a proxy, captive portal or wrong host answers like this"))
}

/// An HTTP 5xx without an access token: a server error (transient) whatever the body,
/// keeping Zoho's error code when the body had one.
fn server_failure(prefix: &str, status: u16, zoho_code: Option<&str>) -> Error {
    let error = Error::new(
        ErrorKind::ServerError,
        format!("{prefix} - the accounts server failed (HTTP {status})"),
    )
    .with_hint("Zoho's accounts server had an internal error; retry in a moment")
    .with_http_status(status);
    match zoho_code {
        Some(code) => error.with_zoho_code(clean_code(code)),
        None => error,
    }
}

fn looks_like_html(content_type: Option<&str>, body: &str) -> bool {
    content_type.is_some_and(|c| c.to_ascii_lowercase().contains("html")) || body.starts_with('<')
}

/// The placeholder for an `error` field that does not look like an error code.
const UNRECOGNISED_CODE: &str = "unrecognised error";

/// Zoho's error code, kept only when it has an error code's shape: 1 to 40 characters,
/// starting with a letter, of letters, `_`, `-`, `.` and spaces (`invalid_code`,
/// `Access Denied`, `INVALID_OAUTHTOKEN`). Anything else (a server echoing a token, say)
/// is replaced by a fixed placeholder, so no part of it reaches a message.
fn clean_code(code: &str) -> String {
    let shaped = (1..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_alphabetic())
        && code
            .chars()
            .all(|c| c.is_ascii_alphabetic() || matches!(c, '_' | '-' | '.' | ' '));
    if shaped {
        code.to_string()
    } else {
        UNRECOGNISED_CODE.to_string()
    }
}

/// Maps a token endpoint `error` to a kind and a hint a person can act on.
fn zoho_token_error(grant: Grant, code: &str, status: u16) -> Error {
    let code = clean_code(code);
    let (kind, hint) = match code.as_str() {
        "invalid_code" if grant == Grant::AuthorizationCode => (
            ErrorKind::InvalidCode,
            "the grant token has expired or was already used (grant tokens are single-use and live a few minutes); generate a new one",
        ),
        "invalid_code" => (
            ErrorKind::InvalidCode,
            "the refresh token was revoked, evicted (Zoho keeps 20 per user and client) or belongs to another data centre or client; generate a new grant token",
        ),
        "invalid_client" => (
            ErrorKind::InvalidClient,
            "the client ID is unknown at this accounts server: check client_id, and that accounts_url (or data_centre) is the data centre of the account, e.g. https://accounts.zoho.eu for EU accounts",
        ),
        "invalid_client_secret" => (
            ErrorKind::InvalidClientSecret,
            "client_secret does not match client_id; copy it again from Zoho's API console",
        ),
        "invalid_redirect_uri" => (
            ErrorKind::InvalidRedirectUri,
            "redirect_uri must be exactly the one registered for the client and used to get the grant token",
        ),
        "Access Denied" => (
            ErrorKind::RateLimited,
            "Zoho allows 10 access tokens per refresh token per 10 minutes; reuse the current token and retry later",
        ),
        "access_denied" => (
            ErrorKind::AccessDenied,
            "consent was refused, or too many grant tokens were requested for this client; retry later",
        ),
        _ => (
            ErrorKind::OAuthError,
            "see Zoho's OAuth documentation for this error code",
        ),
    };
    Error::new(kind, format!("{} - {code}", grant.sdk_prefix()))
        .with_hint(hint)
        .with_zoho_code(code)
        .with_http_status(status)
}

/// The message the SDK throws when the user lookup finds no `Email`.
pub const USER_INFO_SCOPE_MESSAGE: &str = "Exception while fetching UserID from access token, Make sure AAAserver.profile.Read scope is included while generating the Grant token";

/// Parses a `/oauth/user/info` reply.
pub fn parse_user_info(reply: &RawReply<'_>) -> Result<UserInfo> {
    let object = parse_json_object("Exception while fetching UserID from access token", reply)?;
    if let Some(email) = non_empty_str(&object, "Email") {
        if email.len() > MAX_EMAIL_BYTES || !is_printable(email) || email.trim() != email {
            return Err(invalid_field(
                "Exception while fetching UserID from access token",
                reply.status,
                "an Email that is longer than 254 bytes or has control characters",
            ));
        }
        let text = |key: &str| {
            object
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string()
        };
        return Ok(UserInfo {
            email: email.to_string(),
            first_name: text("First_Name"),
            last_name: text("Last_Name"),
            display_name: text("Display_Name"),
            zuid: object
                .get("ZUID")
                .and_then(number_of)
                .map_or(0, |n| n as u64),
        });
    }
    let cause = object.get("cause").and_then(Value::as_str).map(clean_code);
    match cause.as_deref() {
        Some("INVALID_OAUTHTOKEN") => Err(Error::new(
            ErrorKind::InvalidToken,
            "Exception while fetching UserID from access token - INVALID_OAUTHTOKEN",
        )
        .with_zoho_code("INVALID_OAUTHTOKEN")
        .with_hint("the access token is expired, revoked or from another data centre")
        .with_http_status(reply.status)),
        other => Err(Error::new(ErrorKind::ScopeMissing, USER_INFO_SCOPE_MESSAGE)
            .with_zoho_code(other.unwrap_or("no Email in the reply"))
            .with_hint("add the scope AaaServer.profile.READ to the grant token's scopes")
            .with_http_status(reply.status)),
    }
}

/// Parses a revoke reply: `{"status":"success"}` is success, anything else an error.
pub fn parse_revoke_reply(reply: &RawReply<'_>) -> Result<()> {
    let prefix = "Exception while revoking the token";
    let object = parse_json_object(prefix, reply)?;
    if object.get("status").and_then(Value::as_str) == Some("success") {
        return Ok(());
    }
    let code = object
        .get("error")
        .and_then(Value::as_str)
        .map(clean_code)
        .unwrap_or_else(|| "failure".to_string());
    Err(
        Error::new(ErrorKind::InvalidToken, format!("{prefix} - {code}"))
            .with_zoho_code(code)
            .with_hint("the token is unknown, already revoked, or belongs to another data centre")
            .with_http_status(reply.status),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(status: u16, body: &str) -> RawReply<'_> {
        RawReply {
            status,
            content_type: None,
            body: body.as_bytes(),
        }
    }

    fn err(r: Result<TokenReply>) -> Error {
        match r {
            Ok(_) => panic!("expected an error"),
            Err(e) => e,
        }
    }

    #[test]
    fn success_needs_access_token_whatever_the_status() {
        let body = r#"{"access_token":"1000.a.b","expires_in":3600,"api_domain":"https://www.zohoapis.eu","scope":"A B"}"#;
        let ok = parse_token_reply(Grant::RefreshToken, &reply(400, body)).expect("success");
        assert_eq!(ok.expires_in_ms, 3_600_000);
        assert_eq!(ok.api_domain.as_deref(), Some("https://www.zohoapis.eu"));
        assert!(ok.refresh_token.is_none());
    }

    #[test]
    fn legacy_expiry_is_milliseconds() {
        let body = r#"{"access_token":"a","refresh_token":"r","expires_in_sec":3600,"expires_in":3600000}"#;
        let ok = parse_token_reply(Grant::AuthorizationCode, &reply(200, body)).expect("success");
        assert_eq!(ok.expires_in_ms, 3_600_000);
        let refresh = ok.refresh_token.map(|r| r.expose().to_string());
        assert_eq!(refresh.as_deref(), Some("r"));
    }

    #[test]
    fn zoho_errors_with_200_get_kinds_and_hints() {
        let cases = [
            ("invalid_code", ErrorKind::InvalidCode),
            ("invalid_client", ErrorKind::InvalidClient),
            ("invalid_client_secret", ErrorKind::InvalidClientSecret),
            ("invalid_redirect_uri", ErrorKind::InvalidRedirectUri),
            ("Access Denied", ErrorKind::RateLimited),
            ("access_denied", ErrorKind::AccessDenied),
            ("general_error", ErrorKind::OAuthError),
        ];
        for (code, kind) in cases {
            let body = format!(r#"{{"error":"{code}"}}"#);
            let e = err(parse_token_reply(
                Grant::AuthorizationCode,
                &reply(200, &body),
            ));
            assert_eq!(e.kind(), kind, "{code}");
            assert_eq!(e.zoho_code(), Some(code));
            assert!(e.hint().is_some());
            assert!(
                e.message()
                    .starts_with("Exception while fetching access token from grant token - ")
            );
        }
    }

    #[test]
    fn transport_shaped_failures_have_their_own_kinds() {
        let kind =
            |status, body| err(parse_token_reply(Grant::RefreshToken, &reply(status, body))).kind();
        assert_eq!(kind(200, ""), ErrorKind::InvalidResponse);
        assert_eq!(kind(200, "<html>login</html>"), ErrorKind::InvalidResponse);
        assert_eq!(
            kind(502, "<html>bad gateway</html>"),
            ErrorKind::ServerError
        );
        assert_eq!(kind(200, "[1,2]"), ErrorKind::InvalidResponse);
        assert_eq!(kind(200, "{}"), ErrorKind::InvalidResponse);
        assert_eq!(kind(503, "{}"), ErrorKind::ServerError);
    }

    #[test]
    fn a_5xx_with_a_zoho_error_is_a_server_error_that_keeps_the_code() {
        let e = err(parse_token_reply(
            Grant::RefreshToken,
            &reply(500, r#"{"error":"general_error"}"#),
        ));
        assert_eq!(e.kind(), ErrorKind::ServerError);
        assert!(e.kind().is_transient());
        assert_eq!(e.zoho_code(), Some("general_error"));
        assert_eq!(e.http_status(), Some(500));
    }

    #[test]
    fn errors_never_echo_the_body() {
        let body = r#"{"error":"invalid_code","refresh_token_echo":"1000.SECRETSECRET"}"#;
        let e = err(parse_token_reply(Grant::RefreshToken, &reply(200, body)));
        assert!(!e.to_string().contains("SECRET"));
        let e = err(parse_token_reply(
            Grant::RefreshToken,
            &reply(200, "garbage 1000.SECRETSECRET"),
        ));
        assert!(!e.to_string().contains("SECRET"));
    }

    #[test]
    fn user_info_success_and_scope_error() {
        let body = r#"{"First_Name":"Ada","Email":"Ada@Example.com","Last_Name":"","Display_Name":"ada","ZUID":795542386}"#;
        let ok = parse_user_info(&reply(200, body)).expect("user");
        assert_eq!(ok.email, "Ada@Example.com");
        assert_eq!(ok.zuid, 795_542_386);
        let scope = r#"{"response":"error","cause":"INVALID_OAUTHSCOPE"}"#;
        let e = parse_user_info(&reply(401, scope)).expect_err("error");
        assert_eq!(e.kind(), ErrorKind::ScopeMissing);
        assert!(e.message().contains("AAAserver.profile.Read"));
        let token = r#"{"response":"error","cause":"INVALID_OAUTHTOKEN"}"#;
        let e = parse_user_info(&reply(401, token)).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::InvalidToken));
    }

    #[test]
    fn revoke_reply() {
        assert!(parse_revoke_reply(&reply(200, r#"{"status":"success"}"#)).is_ok());
        let body = r#"{"status":"failure","error":"invalid_token"}"#;
        let e = parse_revoke_reply(&reply(400, body)).err();
        assert_eq!(e.map(|e| e.kind()), Some(ErrorKind::InvalidToken));
    }
}
