//! `users`: who is stored, until when, where; tokens only as redacted previews.

use serde_json::{Value, json};
use zoho_oauth::{Clock, Secret, SystemClock, TokenStore, Tokens};

use crate::config::Settings;
use crate::exit::Failure;
use crate::output::{Output, relative, utc};
use crate::servers;

/// Lists the stored users.
pub fn users(settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.store()?;
    let entries = store.list()?;
    let now = SystemClock.now_ms();
    let file = store.path().display().to_string();
    let format = store.format().name();
    if out.json {
        let users: Vec<Value> = entries.iter().map(|t| entry_json(t, now)).collect();
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
    let rows: Vec<[String; 5]> = entries.iter().map(|t| entry_row(t, now)).collect();
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

fn entry_row(t: &Tokens, now: i64) -> [String; 5] {
    [
        t.user.clone().unwrap_or_else(|| "(none)".into()),
        t.accounts_url
            .as_deref()
            .map_or_else(|| "-".into(), servers::label),
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

fn entry_json(t: &Tokens, now: i64) -> Value {
    json!({
        "user": t.user,
        "data_centre": t.accounts_url.as_deref().map(servers::label),
        "accounts_url": t.accounts_url,
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
