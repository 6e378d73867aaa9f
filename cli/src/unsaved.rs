//! Tokens Zoho issued that could not be saved (a corrupt or unwritable token file), and
//! reading them back (`save_refresh.rs` saves them).
//!
//! The grant code is spent once Zoho answers, so losing the tokens would mean starting the
//! sign-in again. They are printed on stdout (`key=value` lines, or an `unsaved_tokens`
//! field of the `--json` error), never on stderr; the message on stderr says they were NOT
//! saved and how to save them: `zoho-oauth exchange --refresh-token -` reads those lines (or
//! just the refresh token) back from stdin.

use serde_json::{Value, json};
use zoho_oauth::{Error, Secret, Tokens};

use crate::exit::Failure;
use crate::time::utc;

/// The failure for tokens that `error` (a store failure) kept from being saved: it names the
/// user and the reason on stderr, and carries the tokens for stdout.
pub fn not_saved(error: Error, tokens: Tokens) -> Failure {
    let reason = error.message().trim_end().trim_end_matches('.').to_string();
    let fix = crate::exit::hint_of(&error);
    let mut failure = Failure::from(error);
    let whom = tokens
        .user
        .as_deref()
        .map_or_else(String::new, |u| format!(" for {u}"));
    failure.message = format!(
        "Zoho issued tokens{whom}, but they were NOT saved: {reason}. They are printed on stdout; keep them, the grant code cannot be used again."
    );
    failure.hint = Some(save_later_hint(&tokens, fix.as_deref()));
    failure.unsaved = Some(Box::new(tokens));
    failure
}

fn save_later_hint(tokens: &Tokens, fix: Option<&str>) -> String {
    let fix = fix.map_or_else(String::new, |f| format!(" ({f})"));
    if tokens.refresh_token.is_none() {
        return format!(
            "there is no refresh token (online access): use the printed access_token until it expires, fix the token file{fix}, then sign in again"
        );
    }
    let user = tokens.user.as_deref().map_or_else(
        || " --user EMAIL".to_string(),
        |_| String::new(), // the printed user= line names the user
    );
    format!(
        "fix the token file{fix}, then save them: run `zoho-oauth exchange --refresh-token -{user}` with the printed lines on its stdin (or paste the refresh token at its prompt)"
    )
}

/// The unsaved tokens as the `key=value` lines printed on stdout.
pub fn text(tokens: &Tokens) -> String {
    let mut lines = vec![
        "# Tokens Zoho issued that were NOT saved; `zoho-oauth exchange --refresh-token -` reads these lines.".to_string(),
    ];
    let mut line = |key: &str, value: Option<&str>| {
        if let Some(v) = value {
            lines.push(format!("{key}={v}"));
        }
    };
    line("user", tokens.user.as_deref());
    line(
        "refresh_token",
        tokens.refresh_token.as_ref().map(Secret::expose),
    );
    line("access_token", Some(tokens.access_token.expose()));
    line("expires_at", Some(&utc(tokens.expiry_time_ms)));
    line("accounts_url", tokens.accounts_url.as_deref());
    line("api_domain", tokens.api_domain.as_deref());
    lines.join("\n")
}

/// The unsaved tokens as the `unsaved_tokens` field of a `--json` error.
pub fn json(tokens: &Tokens) -> Value {
    json!({
        "user": tokens.user,
        "refresh_token": tokens.refresh_token.as_ref().map(Secret::expose),
        "access_token": tokens.access_token.expose(),
        "expiry_time_ms": tokens.expiry_time_ms,
        "expires_at": utc(tokens.expiry_time_ms),
        "accounts_url": tokens.accounts_url,
        "api_domain": tokens.api_domain,
        "scope": tokens.scope,
    })
}

/// What `--refresh-token -` read: the refresh token, and the user and accounts server when
/// the input was the printed lines.
#[derive(Debug, Default, PartialEq)]
pub struct Input {
    /// The refresh token.
    pub refresh_token: Option<String>,
    /// The `user=` line.
    pub user: Option<String>,
    /// The `accounts_url=` line.
    pub accounts_url: Option<String>,
}

/// Parses the printed `key=value` lines, or a bare refresh token on a line of its own.
/// `#` lines, blank lines and other keys are ignored.
pub fn parse(input: &str) -> Input {
    let mut parsed = Input::default();
    for line in input.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let slot = match line.split_once('=') {
            Some(("refresh_token", v)) => Some((&mut parsed.refresh_token, v)),
            Some(("user", v)) => Some((&mut parsed.user, v)),
            Some(("accounts_url", v)) => Some((&mut parsed.accounts_url, v)),
            Some(_) => None,
            None => Some((&mut parsed.refresh_token, line)),
        };
        if let Some((slot, value)) = slot
            && slot.is_none()
            && !value.trim().is_empty()
        {
            *slot = Some(value.trim().to_string());
        }
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_printed_lines_and_a_bare_token() {
        let tokens = Tokens {
            accounts_url: Some("https://accounts.zoho.eu".into()),
            ..Tokens::new(
                Some("ada@example.com".into()),
                Secret::new("1000.a.b"),
                Some(Secret::new("1000.r.s")),
                0,
            )
        };
        let parsed = parse(&text(&tokens));
        assert_eq!(
            parsed,
            Input {
                refresh_token: Some("1000.r.s".into()),
                user: Some("ada@example.com".into()),
                accounts_url: Some("https://accounts.zoho.eu".into()),
            }
        );
        assert_eq!(
            parse("\n  1000.r.s  \n").refresh_token.as_deref(),
            Some("1000.r.s")
        );
        assert_eq!(parse("access_token=1000.a.b\n"), Input::default());
    }

    #[test]
    fn the_message_and_hint_hold_no_token() {
        let tokens = Tokens::new(
            Some("ada@example.com".into()),
            Secret::new("1000.access.x"),
            Some(Secret::new("1000.refresh.y")),
            0,
        );
        let error = Error::new(zoho_oauth::ErrorKind::StoreCorrupt, "bad file.");
        let f = not_saved(error, tokens);
        assert_eq!(f.class.code(), 6);
        let said = format!("{} {:?} {f:?}", f.message, f.hint);
        assert!(said.contains("NOT saved"), "{said}");
        assert!(!said.contains("1000.access.x") && !said.contains("1000.refresh.y"));
        assert!(f.hint.unwrap_or_default().contains("--refresh-token -"));
    }
}
