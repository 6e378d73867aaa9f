//! Our JSON token file: everything the SDK format keeps, plus `api_domain`, `scope` and the
//! accounts server that issued the tokens.
//!
//! ```json
//! {"format":"zoho-oauth-tokens","version":1,"tokens":[{"user":"ada@example.com",
//!   "access_token":"1000...","refresh_token":"1000...","expiry_time_ms":1795316346330,
//!   "api_domain":"https://www.zohoapis.com","scope":"...","accounts_url":"https://accounts.zoho.com"}]}
//! ```

use serde::{Deserialize, Serialize};

use crate::secret::Secret;
use crate::token::Tokens;

/// The value of the `format` field.
pub const FORMAT_NAME: &str = "zoho-oauth-tokens";
/// The version this library writes and reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Serialize, Deserialize)]
struct File {
    format: String,
    version: u32,
    tokens: Vec<Entry>,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    user: Option<String>,
    access_token: String,
    #[serde(default)]
    refresh_token: Option<String>,
    expiry_time_ms: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    api_domain: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    accounts_url: Option<String>,
}

/// Serializes tokens as pretty-printed JSON with a trailing newline.
pub fn encode(tokens: &[Tokens]) -> Vec<u8> {
    let file = File {
        format: FORMAT_NAME.to_string(),
        version: FORMAT_VERSION,
        tokens: tokens
            .iter()
            .map(|t| Entry {
                user: t.user.clone(),
                access_token: t.access_token.expose().to_string(),
                refresh_token: t.refresh_token.as_ref().map(|r| r.expose().to_string()),
                expiry_time_ms: t.expiry_time_ms,
                api_domain: t.api_domain.clone(),
                scope: t.scope.clone(),
                accounts_url: t.accounts_url.clone(),
            })
            .collect(),
    };
    // Serializing plain strings and integers cannot fail; fall back to an empty list anyway.
    let mut out = serde_json::to_vec_pretty(&file).unwrap_or_else(|_| b"{}".to_vec());
    out.push(b'\n');
    out
}

/// Parses a JSON token file. An empty (or whitespace-only) file is an empty list.
/// The error text gives the line and column, never the data.
pub fn decode(bytes: &[u8]) -> Result<Vec<Tokens>, String> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Vec::new());
    }
    let file: File = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "not a zoho-oauth JSON token file (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    if file.format != FORMAT_NAME {
        return Err(format!("the format field is not \"{FORMAT_NAME}\""));
    }
    if file.version != FORMAT_VERSION {
        return Err(format!(
            "version {} is not supported (this library reads version {FORMAT_VERSION})",
            file.version
        ));
    }
    Ok(file
        .tokens
        .into_iter()
        .map(|e| Tokens {
            user: e.user,
            access_token: Secret::new(e.access_token),
            refresh_token: e.refresh_token.map(Secret::new),
            expiry_time_ms: e.expiry_time_ms,
            api_domain: e.api_domain,
            scope: e.scope,
            accounts_url: e.accounts_url,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_every_field() {
        let mut t = Tokens::new(
            Some("zoë@exämple.de".into()),
            Secret::new("1000.a.b"),
            Some(Secret::new("1000.c.d")),
            1_795_316_346_330,
        );
        t.api_domain = Some("https://www.zohoapis.eu".into());
        t.scope = Some("ZohoCRM.modules.ALL AaaServer.profile.READ".into());
        t.accounts_url = Some("https://accounts.zoho.eu".into());
        let mut online = t.clone();
        online.refresh_token = None;
        online.user = None;
        let list = vec![t, online];
        assert_eq!(decode(&encode(&list)).ok(), Some(list));
    }

    #[test]
    fn rejects_other_json_and_versions() {
        assert!(decode(b"{").is_err());
        assert!(decode(b"[]").is_err());
        assert!(decode(br#"{"format":"other","version":1,"tokens":[]}"#).is_err());
        assert!(decode(br#"{"format":"zoho-oauth-tokens","version":2,"tokens":[]}"#).is_err());
        assert_eq!(decode(b"  \n").ok(), Some(vec![]));
        let err = decode(br#"{"format":"zoho-oauth-tokens","version":1,"tokens":[{"access_token":"1000.SECRET"}]}"#)
            .err()
            .unwrap_or_default();
        assert!(!err.contains("SECRET"), "{err}");
    }
}
