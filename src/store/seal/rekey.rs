//! `rekey`: every user's values rewritten now in the form the configuration writes (sealed
//! with the first key, or in clear with `token_encryption=read`), each under the user's
//! lock and with the store's own conditional write, so a refresh or a consent that runs
//! meanwhile is never undone, and an interrupted run leaves every value readable.

use std::time::Duration;

use super::keyring::{is_sealed, key_id_of};
use super::store::Sealed;
use crate::config::EncryptionMode;
use crate::error::Result;
use crate::store::{RefreshSave, TokenStore};
use crate::token::Tokens;

/// How many times a user whose entry changed under a rewrite is tried again.
const TRIES: usize = 3;

/// What [`rekey`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Rekeyed {
    /// The users whose values were rewritten.
    pub rewritten: Vec<String>,
    /// How many users were already in the form written.
    pub already: usize,
    /// The users whose entry kept changing (or went away) under the rewrite; another
    /// writer wrote them meanwhile, in its own configuration's form.
    pub changed: Vec<String>,
}

/// Rewrites every user of `store` that is not yet in the form it writes, waiting at most
/// `wait` for each user's lock. A value that does not open stops the run with that error
/// (nothing of that user is written; users before it are done).
pub fn rekey<S: TokenStore>(store: &Sealed<S>, wait: Duration) -> Result<Rekeyed> {
    let mut done = Rekeyed::default();
    for raw in store.inner().list()? {
        if is_current(store, &raw) {
            done.already += 1;
            continue;
        }
        let user = raw.user_or_empty().to_string();
        match rewrite_user(store, &user, wait)? {
            true => done.rewritten.push(user),
            false => done.changed.push(user),
        }
    }
    Ok(done)
}

/// Whether `raw` (as stored) is already in the form `store` writes.
pub fn is_current<S: TokenStore>(store: &Sealed<S>, raw: &Tokens) -> bool {
    let sealing = store.keys().sealing_id();
    let current = |value: &str| match store.mode() {
        EncryptionMode::On => value.is_empty() || key_id_of(value) == sealing,
        _ => !is_sealed(value),
    };
    current(raw.access_token.expose())
        && raw
            .refresh_token
            .as_ref()
            .is_none_or(|r| current(r.expose()))
}

/// Rewrites `user` under its lock; false when the entry kept changing or went away.
fn rewrite_user<S: TokenStore>(store: &Sealed<S>, user: &str, wait: Duration) -> Result<bool> {
    let _lock = store.lock_user(user, wait)?;
    for _ in 0..TRIES {
        let Some((raw, opened)) = store.read_both(user)? else {
            return Ok(false);
        };
        if is_current(store, &raw) {
            return Ok(true);
        }
        let Some(stored_refresh) = raw.refresh_token.clone() else {
            // No refresh token: no conditional write to lean on; the lock is held.
            store.inner().save(&store.seal_tokens(&opened)?)?;
            return Ok(true);
        };
        // One millisecond later, so the store's own check (the same sealed refresh token,
        // an earlier expiry) lets exactly this rewrite through.
        let mut next = opened;
        next.expiry_time_ms = next.expiry_time_ms.saturating_add(1);
        let sealed = store.seal_tokens(&next)?;
        if store.inner().save_refreshed(&sealed, &stored_refresh)? == RefreshSave::Saved {
            return Ok(true);
        }
    }
    Ok(false)
}
