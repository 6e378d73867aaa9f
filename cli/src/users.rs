//! `users`: who is stored, until when, where; tokens only as redacted previews.

use serde_json::{Value, json};
use zoho_oauth::store::{ListedEntry, UnreadableEntry};
use zoho_oauth::{Clock, Secret, SystemClock, TokenStore, Tokens};

use crate::config::Settings;
use crate::exit::Failure;
use crate::output::{Output, escape_controls};
use crate::servers;
use crate::time::{relative, utc};

/// Where an entry's data centre comes from: the entry itself (the JSON format records the
/// accounts server that issued the tokens), else the configuration, which is where the
/// library, the PHP extension and the C library send that entry's refreshes.
struct Issuer<'a> {
    url: &'a str,
    configured: bool,
}

impl<'a> Issuer<'a> {
    fn of(t: &'a Tokens, configured: Option<&'a str>) -> Option<Issuer<'a>> {
        match (t.accounts_url.as_deref(), configured) {
            (Some(url), _) => Some(Issuer {
                url,
                configured: false,
            }),
            (None, Some(url)) => Some(Issuer {
                url,
                configured: true,
            }),
            (None, None) => None,
        }
    }

    fn source(&self) -> &'static str {
        if self.configured {
            "configured"
        } else {
            "recorded"
        }
    }
}

/// Lists the stored users. An entry whose tokens cannot be read (sealed with a key that is
/// not configured, or altered) is listed as such beside the others, and the command then
/// fails with its error.
pub fn users(settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.store()?;
    let entries = store.list_each()?;
    show(settings, &*store, &entries, out)?;
    match entries.into_iter().find_map(Result::err) {
        Some(bad) => Err(Failure::from(*bad.error)),
        None => Ok(()),
    }
}

/// Prints `entries` as a table or JSON.
fn show(
    settings: &Settings,
    store: &dyn TokenStore,
    entries: &[ListedEntry],
    out: Output,
) -> Result<(), Failure> {
    let now = SystemClock.now_ms();
    // An invalid data centre is no reason to refuse listing the file: it shows as unknown.
    let configured = settings
        .config_without_secret()
        .ok()
        .map(|c| c.identity().server().url().to_string());
    let configured = configured.as_deref();
    let file = store.describe();
    let format = settings.store_label()?;
    if out.json {
        let users: Vec<Value> = entries
            .iter()
            .map(|entry| match entry {
                Ok(t) => entry_json(t, Issuer::of(t, configured), now),
                Err(bad) => unreadable_json(bad),
            })
            .collect();
        out.json_line(&json!({ "token_file": file, "store_format": format, "users": users }));
        return Ok(());
    }
    if entries.is_empty() {
        out.result(
            &format!("No tokens in {file} ({format} format)."),
            Value::Null,
        );
        return Ok(());
    }
    let rows: Vec<[String; 5]> = entries
        .iter()
        .map(|entry| match entry {
            Ok(t) => entry_row(t, Issuer::of(t, configured), now),
            Err(bad) => unreadable_row(bad),
        })
        .collect();
    let header = [
        "USER".to_string(),
        "DC".into(),
        "ACCESS TOKEN EXPIRES".into(),
        "ACCESS".into(),
        "REFRESH".into(),
    ];
    let mut text = format!("{file} ({format} format)\n");
    text.push_str(&table(&header, &rows));
    out.result(text.trim_end(), Value::Null);
    Ok(())
}

fn entry_row(t: &Tokens, issuer: Option<Issuer>, now: i64) -> [String; 5] {
    let dc = issuer.map_or_else(
        || "-".into(),
        |i| {
            if i.configured {
                format!("{} (configured)", servers::label(i.url))
            } else {
                servers::label(i.url)
            }
        },
    );
    [
        t.user
            .as_deref()
            .map_or_else(|| "(none)".into(), escape_controls),
        dc,
        format!(
            "{} ({})",
            utc(t.expiry_time_ms),
            relative(t.remaining_ms(now))
        ),
        t.access_token.redacted_preview(),
        t.refresh_token
            .as_ref()
            .map_or_else(|| "none".into(), Secret::redacted_preview),
    ]
}

/// The row of an entry whose tokens cannot be read: its user and why (the error itself
/// follows on stderr).
fn unreadable_row(bad: &UnreadableEntry) -> [String; 5] {
    [
        escape_controls(&bad.user),
        "-".into(),
        format!("CANNOT BE READ ({})", bad.error.kind().name()),
        "-".into(),
        "-".into(),
    ]
}

fn unreadable_json(bad: &UnreadableEntry) -> Value {
    json!({
        "user": bad.user,
        "readable": false,
        "error_kind": bad.error.kind().name(),
        "error": bad.error.message(),
    })
}

fn entry_json(t: &Tokens, issuer: Option<Issuer>, now: i64) -> Value {
    json!({
        "user": t.user,
        "readable": true,
        "data_centre": issuer.as_ref().map(|i| servers::label(i.url)),
        "data_centre_source": issuer.as_ref().map(Issuer::source),
        "accounts_url": issuer.as_ref().map(|i| i.url),
        "api_domain": t.api_domain,
        "scope": t.scope,
        "expiry_time_ms": t.expiry_time_ms,
        "expires_at": utc(t.expiry_time_ms),
        "expired": t.remaining_ms(now) <= 0,
        "access_token": t.access_token.redacted_preview(),
        "refresh_token": t.refresh_token.as_ref().map(Secret::redacted_preview),
    })
}

fn table(header: &[String; 5], rows: &[[String; 5]]) -> String {
    let mut widths = header.clone().map(|h| h.chars().count());
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in std::iter::once(header).chain(rows) {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, w)| format!("{cell}{}", " ".repeat(w - cell.chars().count())))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}
