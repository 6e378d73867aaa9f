//! Grant redemption, token minting and Zoho's three limits (refresh rate, active access
//! tokens per refresh token, refresh tokens per user and client), plus revocation.

use std::collections::VecDeque;

use crate::ids::zoho_token;
use crate::spec::Settings;
use crate::state::{Grant, Owner, State};

/// A refresh token and its rate-limit window.
#[derive(Clone, Debug)]
pub struct RefreshToken {
    /// Owner.
    pub owner: Owner,
    /// Creation order, for evicting the oldest.
    pub seq: u64,
    /// Start of the current refresh window.
    pub window_start_ms: i64,
    /// Access tokens minted in the current window.
    pub window_count: u32,
    /// Live access tokens minted from it, oldest first.
    pub access: VecDeque<String>,
}

/// An access token.
#[derive(Clone, Debug)]
pub struct AccessToken {
    /// Owner.
    pub owner: Owner,
    /// Expiry on the emulator clock.
    pub expires_at_ms: i64,
    /// The refresh token it came from.
    pub refresh: Option<String>,
}

/// Tokens handed out by one successful token request.
#[derive(Clone, Debug)]
pub struct Issued {
    /// The new access token.
    pub access_token: String,
    /// A new refresh token, for offline code exchanges.
    pub refresh_token: Option<String>,
    /// Granted scopes.
    pub scopes: Vec<String>,
    /// Data centre of the tokens.
    pub dc: String,
}

/// Why a token request failed after client authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// `invalid_code`: unknown, used, expired, foreign or revoked code or refresh token.
    InvalidCode,
    /// `invalid_redirect_uri`.
    InvalidRedirectUri,
    /// `Access Denied`: too many access tokens from one refresh token in the window.
    Throttled,
}

fn ttl_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

impl State {
    /// Checks and consumes a grant code. A redirect-URI mismatch does not consume it.
    pub fn redeem_code(
        &mut self,
        code: &str,
        client_id: &str,
        dc: &str,
        redirect_uri: Option<&str>,
        now_ms: i64,
    ) -> Result<Grant, TokenError> {
        let grant = self.grants.get(code).ok_or(TokenError::InvalidCode)?;
        if grant.owner.client_id != client_id || grant.owner.dc != dc {
            return Err(TokenError::InvalidCode);
        }
        if now_ms >= grant.expires_at_ms {
            self.grants.remove(code);
            return Err(TokenError::InvalidCode);
        }
        let redirect_ok = match (&grant.redirect_uri, redirect_uri) {
            (Some(bound), sent) => sent == Some(bound.as_str()),
            (None, None) => true,
            (None, Some(sent)) => self
                .client(client_id)
                .is_some_and(|c| c.redirect_uris.iter().any(|r| r == sent)),
        };
        if !redirect_ok {
            return Err(TokenError::InvalidRedirectUri);
        }
        self.grants.remove(code).ok_or(TokenError::InvalidCode)
    }

    /// Mints the tokens for a redeemed grant.
    pub fn issue_for_grant(&mut self, grant: Grant, settings: &Settings, now_ms: i64) -> Issued {
        let refresh = grant.give_refresh.then(|| {
            let token = zoho_token();
            self.insert_refresh(token.clone(), grant.owner.clone(), settings, now_ms);
            token
        });
        let access = zoho_token();
        let ttl = ttl_ms(settings.access_token_ttl_secs);
        self.insert_access(
            access.clone(),
            grant.owner.clone(),
            refresh.clone(),
            ttl,
            settings,
            now_ms,
        );
        Issued {
            access_token: access,
            refresh_token: refresh,
            scopes: grant.owner.scopes,
            dc: grant.owner.dc,
        }
    }

    /// Mints an access token from a refresh token, enforcing the refresh-rate limit.
    pub fn refresh(
        &mut self,
        token: &str,
        client_id: &str,
        dc: &str,
        settings: &Settings,
        now_ms: i64,
    ) -> Result<Issued, TokenError> {
        let rt = self.refresh.get_mut(token).ok_or(TokenError::InvalidCode)?;
        if rt.owner.client_id != client_id || rt.owner.dc != dc {
            return Err(TokenError::InvalidCode);
        }
        if now_ms.saturating_sub(rt.window_start_ms) >= ttl_ms(settings.refresh_window_secs) {
            rt.window_start_ms = now_ms;
            rt.window_count = 0;
        }
        if rt.window_count >= settings.refresh_limit {
            return Err(TokenError::Throttled);
        }
        rt.window_count += 1;
        let owner = rt.owner.clone();
        if settings.record_refreshes {
            self.refresh_history
                .entry(token.to_string())
                .or_default()
                .push(now_ms);
        }
        let access = zoho_token();
        let ttl = ttl_ms(settings.access_token_ttl_secs);
        self.insert_access(
            access.clone(),
            owner.clone(),
            Some(token.to_string()),
            ttl,
            settings,
            now_ms,
        );
        Ok(Issued {
            access_token: access,
            refresh_token: None,
            scopes: owner.scopes,
            dc: owner.dc,
        })
    }

    /// Stores a refresh token, evicting the user's oldest ones for this client over the cap.
    pub fn insert_refresh(
        &mut self,
        token: String,
        owner: Owner,
        settings: &Settings,
        now_ms: i64,
    ) {
        let max = settings.max_refresh_tokens_per_user.max(1) as usize;
        let mut mine: Vec<(u64, String)> = self
            .refresh
            .iter()
            .filter(|(_, r)| r.owner.user == owner.user && r.owner.client_id == owner.client_id)
            .map(|(k, r)| (r.seq, k.clone()))
            .collect();
        mine.sort();
        let excess = (mine.len() + 1).saturating_sub(max);
        for (_, old) in mine.into_iter().take(excess) {
            self.remove_refresh(&old);
        }
        self.remember_issued(&token);
        let seq = self.next_seq();
        let rt = RefreshToken {
            owner,
            seq,
            window_start_ms: now_ms,
            window_count: 0,
            access: VecDeque::new(),
        };
        self.refresh.insert(token, rt);
    }

    /// Stores an access token, silently evicting the parent's oldest ones over the cap.
    pub fn insert_access(
        &mut self,
        token: String,
        owner: Owner,
        parent: Option<String>,
        ttl_ms: i64,
        settings: &Settings,
        now_ms: i64,
    ) {
        if let Some(rt) = parent.as_ref().and_then(|p| self.refresh.get_mut(p)) {
            let access = &mut self.access;
            rt.access
                .retain(|t| access.get(t).is_some_and(|a| a.expires_at_ms > now_ms));
            rt.access.push_back(token.clone());
            let max = settings.max_active_access_tokens.max(1) as usize;
            while rt.access.len() > max {
                if let Some(old) = rt.access.pop_front() {
                    access.remove(&old);
                }
            }
        }
        self.remember_issued(&token);
        let at = AccessToken {
            owner,
            expires_at_ms: now_ms.saturating_add(ttl_ms),
            refresh: parent,
        };
        self.access.insert(token, at);
    }

    fn remove_refresh(&mut self, token: &str) -> bool {
        match self.refresh.remove(token) {
            Some(rt) => {
                for t in rt.access {
                    self.access.remove(&t);
                }
                true
            }
            None => false,
        }
    }

    /// A live access token of data centre `dc`.
    pub fn access_token(&self, token: &str, dc: &str, now_ms: i64) -> Option<&AccessToken> {
        self.access
            .get(token)
            .filter(|a| a.owner.dc == dc && a.expires_at_ms > now_ms)
    }

    /// Revokes a refresh token (with its access tokens) or one access token of `dc`.
    pub fn revoke(&mut self, token: &str, dc: &str) -> bool {
        if self.refresh.get(token).is_some_and(|r| r.owner.dc == dc) {
            return self.remove_refresh(token);
        }
        if self.access.get(token).is_none_or(|a| a.owner.dc != dc) {
            return false;
        }
        if let Some(parent) = self.access.remove(token).and_then(|a| a.refresh)
            && let Some(rt) = self.refresh.get_mut(&parent)
        {
            rt.access.retain(|t| t != token);
        }
        true
    }
}
