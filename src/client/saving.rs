//! How the client saves what Zoho issued, so that nothing undoes a consent or a delete:
//!
//! - a grant's tokens (a consent) are saved under the user's refresh lock, so no refresh of
//!   that user reads, decides and saves in between; when the lock cannot be had in time the
//!   tokens are saved anyway (the grant is spent), and the refresh's conditional save below
//!   still keeps them;
//! - a refresh's tokens go through [`TokenStore::save_refreshed`](crate::TokenStore::save_refreshed):
//!   written only where the entry still holds the refresh token the refresh used and nothing
//!   newer; otherwise what is stored now is served (or a `no_tokens` error when the
//!   entry was deleted);
//! - a refresh whose save failed hands out the new access token and keeps it in this
//!   process's memory (Zoho's refresh does not rotate the refresh token, so the stored one
//!   still works); it is served while the store holds nothing newer.

use std::sync::Arc;

use super::{OAuthClient, no_tokens};
use crate::error::{Error, Result};
use crate::log::Level;
use crate::secret::Secret;
use crate::store::RefreshSave;
use crate::token::Tokens;

impl OAuthClient {
    /// Saves the tokens of a consent (a grant exchange) under their user's refresh lock,
    /// waiting at most `lock_timeout_secs` for it; then without it (logged). If the save
    /// fails, the error carries the tokens.
    pub(crate) fn save_granted(&self, tokens: Tokens) -> Result<Tokens> {
        let user = tokens.user.clone().unwrap_or_default();
        let _lock = match self.lock_user(&user) {
            Ok(lock) => Some(lock),
            Err(e) => {
                self.log(
                    Level::Warning,
                    &format!(
                        "{}; the new tokens of {user} are saved without the lock (a refresh in progress will not overwrite them)",
                        e.message()
                    ),
                );
                None
            }
        };
        let saved = self.save_new(tokens)?;
        self.record_issued(&saved);
        Ok(saved)
    }

    /// Saves freshly issued tokens; if that fails, the error carries them.
    pub(super) fn save_new(&self, tokens: Tokens) -> Result<Tokens> {
        let saved = self.store.save(&tokens);
        self.forget_cache();
        match saved {
            Ok(()) => Ok(tokens),
            Err(e) => Err(self.unsaved(e, tokens)),
        }
    }

    /// Saves `fresh`, which a refresh of `key` with `used` obtained, unless a consent, a
    /// delete or a later refresh came first; then what is stored now.
    pub(super) fn save_refreshed(
        &self,
        key: &str,
        fresh: Tokens,
        used: &Secret,
    ) -> Result<Arc<Tokens>> {
        let outcome = self.store.save_refreshed(&fresh, used);
        self.forget_cache();
        match outcome {
            Ok(RefreshSave::Saved) => {
                self.forget_unsaved(key);
                Ok(Arc::new(fresh))
            }
            Ok(skipped) => {
                self.forget_unsaved(key);
                self.log(
                    Level::Info,
                    &format!(
                        "the refreshed token of {key} was not saved: {}; the stored tokens are used",
                        match skipped {
                            RefreshSave::Newer => "another process saved a newer one",
                            _ => "new tokens were saved for this user, or they were deleted, meanwhile",
                        }
                    ),
                );
                self.store.get(key)?.map(Arc::new).ok_or_else(no_tokens)
            }
            Err(e) => Err(self.unsaved(e, fresh)),
        }
    }

    /// Logs a failed save and attaches the tokens Zoho issued to its error.
    fn unsaved(&self, error: Error, tokens: Tokens) -> Error {
        self.log(
            Level::Severe,
            &format!(
                "Exception occured while Saving OAuthTokens ({})",
                error.message()
            ),
        );
        error.with_unsaved_tokens(tokens)
    }

    /// A refresh of `key` was answered but not saved (`error` carries the new tokens): keeps
    /// them in this process's memory and hands them out.
    pub(super) fn keep_unsaved(&self, key: &str, mut error: Error) -> Result<Arc<Tokens>> {
        let Some(fresh) = error.take_unsaved_tokens() else {
            return Err(error);
        };
        self.log(
            Level::Warning,
            &format!(
                "{}; the new access token is used unsaved and kept in this process",
                error.message()
            ),
        );
        let fresh = Arc::new(fresh);
        if let Ok(mut unsaved) = self.unsaved.try_lock() {
            unsaved.insert(key.to_string(), Arc::clone(&fresh));
        }
        self.remember(key, &fresh);
        Ok(fresh)
    }

    /// `stored` (just read for `key`), or the unsaved tokens this process keeps for it when
    /// they are its refresh (same refresh token) and expire later.
    pub(super) fn prefer_unsaved(&self, key: &str, stored: Arc<Tokens>) -> Arc<Tokens> {
        let Ok(mut unsaved) = self.unsaved.try_lock() else {
            return stored;
        };
        if unsaved.is_empty() {
            return stored;
        }
        let Some(kept) = unsaved.get(key) else {
            return stored;
        };
        if kept.refresh_token == stored.refresh_token && kept.expiry_time_ms > stored.expiry_time_ms
        {
            return Arc::clone(kept);
        }
        // The store holds a newer refresh, a new consent, or other tokens: they win.
        unsaved.remove(key);
        stored
    }

    /// Forgets the unsaved tokens kept for `key` (the store has its tokens again).
    fn forget_unsaved(&self, key: &str) {
        if let Ok(mut unsaved) = self.unsaved.try_lock()
            && !unsaved.is_empty()
        {
            unsaved.remove(key);
        }
    }
}
