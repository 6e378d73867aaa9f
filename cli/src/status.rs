//! `status`: each user's tokens, refresh history and lock, and the store itself, for the
//! people who run a fleet (a table) and their scripts (JSON lines). Never a secret.

use serde_json::{Value, json};
use zoho_oauth::history::survey::{StoreStatus, Survey, UserStatus, survey};
use zoho_oauth::history::{LockState, REFRESH_CAP};
use zoho_oauth::{Clock, SystemClock};

use crate::cli::UserArgs;
use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Output;
use crate::servers;
use crate::time::{relative, utc};

/// Shows the store and its users (or `--user`).
pub fn status(args: &UserArgs, settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.store()?;
    let seen = survey(store.as_ref(), args.user.as_deref(), SystemClock.now_ms());
    let configured = settings
        .config_without_secret()
        .ok()
        .map(|c| c.identity().server().url().to_string());
    let dc = |u: &UserStatus| match (u.accounts_url.as_deref(), configured.as_deref()) {
        (Some(url), _) => Some(servers::label(url)),
        (None, Some(url)) => Some(format!("{} (configured)", servers::label(url))),
        (None, None) => None,
    };
    if out.json {
        out.json_line(&json!({ "store": store_json(&seen.store) }));
        for u in &seen.users {
            out.json_line(&user_json(u, dc(u), seen.now_ms));
        }
    } else {
        let mut text = store_text(&seen.store);
        for u in &seen.users {
            text.push_str(&user_text(u, dc(u), &seen));
        }
        out.result(text.trim_end(), Value::Null);
    }
    match (
        &seen.store.error,
        args.user.as_deref(),
        seen.users.is_empty(),
    ) {
        (Some((kind, message)), _, _) => Err(Failure::from(zoho_oauth::Error::new(
            *kind,
            message.clone(),
        ))),
        (None, Some(user), true) => Err(crate::session::no_tokens(&store, Some(user))),
        _ => Ok(()),
    }
}

fn store_json(s: &StoreStatus) -> Value {
    json!({
        "where": s.describe,
        "reachable": s.reachable,
        "round_trip_ms": s.round_trip.as_secs_f64() * 1000.0,
        "error_kind": s.error.as_ref().map(|(k, _)| k.name()),
        "error": s.error.as_ref().map(|(_, m)| m),
    })
}

fn user_json(u: &UserStatus, dc: Option<String>, now_ms: i64) -> Value {
    let mut value = history_json(u, now_ms);
    let fields = match &u.unreadable {
        Some((kind, message)) => json!({
            "tokens_readable": false,
            "tokens_error_kind": kind.name(),
            "tokens_error": message,
        }),
        None => json!({
            "tokens_readable": true,
            "access_token_expires_at": utc(u.expiry_time_ms),
            "access_token_remaining_s": u.access_remaining_ms / 1000,
            "refresh_token_present": u.has_refresh_token,
            "data_centre": dc,
            "scope": u.scope,
        }),
    };
    if let (Some(all), Value::Object(more)) = (value.as_object_mut(), fields) {
        all.extend(more);
    }
    value
}

/// The fields of `u` that do not come from its tokens: the history and the lock.
fn history_json(u: &UserStatus, now_ms: i64) -> Value {
    let h = &u.history;
    let (held_for, expires_in) = lock_times(u.lock);
    json!({
        "user": u.user,
        "refresh_token_issued_at": h.refresh_token_issued_ms.map(utc),
        "last_refresh_at": h.last_refresh_ms.map(utc),
        "last_refresh_ago_s": h.last_refresh_ms.map(|at| (now_ms - at) / 1000),
        "last_refresh_host": h.last_refresh_host,
        "last_refresh_pid": h.last_refresh_pid,
        "last_refresh_duration_ms": h.last_refresh_duration_ms,
        "refreshes_last_10m": u.refreshes_in_window,
        "refresh_cap_10m": REFRESH_CAP,
        "refreshes_total": h.refreshes_total,
        "consecutive_failures": h.consecutive_failures,
        "last_error_kind": h.last_error_kind,
        "last_failure_at": h.last_failure_ms.map(utc),
        "lock": u.lock.name(),
        "lock_held_for_ms": held_for,
        "lock_expires_in_ms": expires_in,
    })
}

fn lock_times(lock: LockState) -> (Option<u128>, Option<u128>) {
    match lock {
        LockState::Held {
            held_for,
            expires_in,
        } => (
            held_for.map(|d| d.as_millis()),
            expires_in.map(|d| d.as_millis()),
        ),
        _ => (None, None),
    }
}

fn store_text(s: &StoreStatus) -> String {
    let state = match &s.error {
        None => "reachable".to_string(),
        Some((kind, message)) => format!("NOT READABLE ({}): {message}", kind.name()),
    };
    format!(
        "store          {}\n               {state}, round trip {:.1} ms\n",
        s.describe,
        s.round_trip.as_secs_f64() * 1000.0
    )
}

fn user_text(u: &UserStatus, dc: Option<String>, seen: &Survey) -> String {
    let h = &u.history;
    let last = match h.last_refresh_ms {
        None => "none recorded".to_string(),
        Some(at) => format!(
            "{} ({} ago) on {} (pid {}), took {} ms",
            utc(at),
            relative(seen.now_ms - at).trim_start_matches("in "),
            h.last_refresh_host.as_deref().unwrap_or("?"),
            h.last_refresh_pid
                .map_or_else(|| "?".into(), |p| p.to_string()),
            h.last_refresh_duration_ms.unwrap_or(0)
        ),
    };
    let failures = match &h.last_error_kind {
        Some(kind) => format!("{} in a row (last: {kind})", h.consecutive_failures),
        None => format!("{} in a row", h.consecutive_failures),
    };
    let rows = token_rows(u, dc).into_iter().chain([
        ("last refresh", last),
        (
            "refreshes",
            format!(
                "{} in the last 10 min (Zoho allows {REFRESH_CAP})",
                u.refreshes_in_window
            ),
        ),
        ("failures", failures),
        ("refresh lock", lock_text(u.lock)),
    ]);
    let mut text = format!("\n{}\n", u.user);
    for (label, value) in rows {
        text.push_str(&format!("  {label:<15}{value}\n"));
    }
    text
}

/// The rows of `u` that come from its tokens, or the one that says why they cannot be read.
fn token_rows(u: &UserStatus, dc: Option<String>) -> Vec<(&'static str, String)> {
    if let Some((kind, message)) = &u.unreadable {
        return vec![(
            "tokens",
            format!("CANNOT BE READ ({}): {message}", kind.name()),
        )];
    }
    let refresh = match (u.has_refresh_token, u.history.refresh_token_issued_ms) {
        (false, _) => "NONE (consent again)".to_string(),
        (true, Some(at)) => format!("present, issued {}", utc(at)),
        (true, None) => "present".to_string(),
    };
    vec![
        (
            "access token",
            format!(
                "expires {} ({})",
                utc(u.expiry_time_ms),
                relative(u.access_remaining_ms)
            ),
        ),
        ("refresh token", refresh),
        ("data centre", dc.unwrap_or_else(|| "-".into())),
        ("scope", u.scope.clone().unwrap_or_else(|| "-".into())),
    ]
}

fn lock_text(lock: LockState) -> String {
    match lock {
        LockState::Free => "free".into(),
        LockState::Unknown => "unknown (this store cannot tell)".into(),
        LockState::Held {
            held_for,
            expires_in,
        } => {
            let mut text = "HELD".to_string();
            if let Some(d) = held_for {
                text.push_str(&format!(" for {:.1} s", d.as_secs_f64()));
            }
            if let Some(d) = expires_in {
                text.push_str(&format!(", lease ends in {:.1} s", d.as_secs_f64()));
            }
            text
        }
    }
}
