//! A look at a store and its users for operators: what `zoho-oauth status` shows and what
//! `check` and `metrics` judge. Reads only; never prints or keeps a secret.

use std::time::{Duration, Instant};

use super::{History, LockState, read};
use crate::error::{Error, ErrorKind};
use crate::store::{ListedEntry, TokenStore};
use crate::token::Tokens;

/// One user's state.
#[derive(Clone, Debug)]
pub struct UserStatus {
    /// The stored identifier.
    pub user: String,
    /// When the access token expires (epoch ms).
    pub expiry_time_ms: i64,
    /// How long the access token has left (ms; negative once expired).
    pub access_remaining_ms: i64,
    /// Whether a refresh token is stored.
    pub has_refresh_token: bool,
    /// The accounts server that issued the tokens, when the store recorded it.
    pub accounts_url: Option<String>,
    /// The granted scope, when recorded.
    pub scope: Option<String>,
    /// The refresh history (empty when the store keeps none).
    pub history: History,
    /// Refreshes in Zoho's 10-minute window before now.
    pub refreshes_in_window: usize,
    /// Whether the refresh lock is held now.
    pub lock: LockState,
    /// Why the stored tokens cannot be read (kind and message, never a secret), when they
    /// cannot: a sealed value whose key is not configured, or that was altered. The token
    /// fields above are then empty; the history and the lock are still read.
    pub unreadable: Option<(ErrorKind, String)>,
}

/// The store's state.
#[derive(Clone, Debug)]
pub struct StoreStatus {
    /// What and where it is ([`TokenStore::describe`]).
    pub describe: String,
    /// Whether it answered.
    pub reachable: bool,
    /// How long its answer took.
    pub round_trip: Duration,
    /// Why it did not answer: the kind and the message (never a secret).
    pub error: Option<(ErrorKind, String)>,
}

/// A store and its users, as seen at `now_ms`.
#[derive(Clone, Debug)]
pub struct Survey {
    /// The store.
    pub store: StoreStatus,
    /// Its users (only the one asked for, when one was).
    pub users: Vec<UserStatus>,
    /// When it was taken (epoch ms).
    pub now_ms: i64,
}

/// Looks at `store` (every user, or only `only`) at `now_ms`. An unreachable store gives a
/// survey without users; a user whose tokens cannot be read is listed with why
/// ([`UserStatus::unreadable`]), beside the others; a history or lock that cannot be read
/// shows as empty or unknown.
pub fn survey(store: &dyn TokenStore, only: Option<&str>, now_ms: i64) -> Survey {
    let started = Instant::now();
    let listed: Result<Vec<ListedEntry>, Error> = match only {
        Some(user) => store
            .get(user)
            .map(|t| t.into_iter().map(Ok).collect::<Vec<_>>()),
        None => store.list_each(),
    };
    let round_trip = started.elapsed();
    let (entries, error) = match listed {
        Ok(entries) => (entries, None),
        Err(e) => (Vec::new(), Some(described(&e))),
    };
    Survey {
        store: StoreStatus {
            describe: store.describe(),
            reachable: error.is_none(),
            round_trip,
            error,
        },
        users: entries
            .iter()
            .map(|entry| match entry {
                Ok(tokens) => user_status(store, tokens, now_ms),
                Err(bad) => unreadable_status(store, &bad.user, &bad.error, now_ms),
            })
            .collect(),
        now_ms,
    }
}

fn described(e: &Error) -> (ErrorKind, String) {
    (e.kind(), e.message().to_string())
}

fn user_status(store: &dyn TokenStore, tokens: &Tokens, now_ms: i64) -> UserStatus {
    let user = tokens.user_or_empty().to_string();
    let history = read(store, &user).unwrap_or_default();
    UserStatus {
        expiry_time_ms: tokens.expiry_time_ms,
        access_remaining_ms: tokens.remaining_ms(now_ms),
        has_refresh_token: tokens.refresh_token.is_some(),
        accounts_url: tokens.accounts_url.clone(),
        scope: tokens.scope.clone(),
        refreshes_in_window: history.refreshes_in_window(now_ms),
        lock: store.probe_lock(&user).unwrap_or(LockState::Unknown),
        history,
        user,
        unreadable: None,
    }
}

/// The state of a user whose stored tokens cannot be read: no token figure, the history and
/// the lock as stored.
fn unreadable_status(store: &dyn TokenStore, user: &str, error: &Error, now_ms: i64) -> UserStatus {
    let history = read(store, user).unwrap_or_default();
    UserStatus {
        user: user.to_string(),
        expiry_time_ms: 0,
        access_remaining_ms: 0,
        has_refresh_token: false,
        accounts_url: None,
        scope: None,
        refreshes_in_window: history.refreshes_in_window(now_ms),
        lock: store.probe_lock(user).unwrap_or(LockState::Unknown),
        history,
        unreadable: Some(described(error)),
    }
}
