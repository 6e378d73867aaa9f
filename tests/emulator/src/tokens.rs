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

/// The access-token map is swept for expired tokens no earlier than at this size.
pub const SWEEP_MIN_ACCESS: usize = 1024;

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
    /// Expired tokens are dropped for good (from the parent's list and from the token map),
    /// so that moving the clock back never revives them.
    pub fn insert_access(
        &mut self,
        token: String,
        owner: Owner,
        parent: Option<String>,
        ttl_ms: i64,
        settings: &Settings,
        now_ms: i64,
    ) {
        self.sweep_expired_access(now_ms);
        if let Some(rt) = parent.as_ref().and_then(|p| self.refresh.get_mut(p)) {
            let access = &mut self.access;
            rt.access.retain(|t| {
                let live = access.get(t).is_some_and(|a| a.expires_at_ms > now_ms);
                if !live {
                    access.remove(t);
                }
                live
            });
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

    /// Drops every expired access token once the map has doubled since the last sweep
    /// (and holds at least [`SWEEP_MIN_ACCESS`]): the map stays within twice the live
    /// tokens, at an amortised constant cost per insert.
    fn sweep_expired_access(&mut self, now_ms: i64) {
        if self.access.len() < self.access_sweep_at.max(SWEEP_MIN_ACCESS) {
            return;
        }
        self.access.retain(|_, a| a.expires_at_ms > now_ms);
        let access = &self.access;
        for rt in self.refresh.values_mut() {
            rt.access.retain(|t| access.contains_key(t));
        }
        self.access_sweep_at = self.access.len().saturating_mul(2);
    }

    /// Removes a refresh token and every access token minted from it, whether or not its
    /// list still names them (e.g. an imported access token whose parent came later).
    fn remove_refresh(&mut self, token: &str) -> bool {
        if self.refresh.remove(token).is_none() {
            return false;
        }
        self.access
            .retain(|_, a| a.refresh.as_deref() != Some(token));
        true
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

#[cfg(test)]
mod tests {
    use super::*;

    fn owner() -> Owner {
        Owner {
            client_id: "1000.C".to_string(),
            user: "ada@example.com".to_string(),
            scopes: vec!["ZohoCRM.modules.ALL".to_string()],
            dc: "us".to_string(),
        }
    }

    /// Mints `n` one-second tokens from `parent`, each after the previous one expired.
    fn mint_expiring(state: &mut State, parent: Option<&str>, n: i64) {
        let settings = Settings::default();
        for i in 0..n {
            let parent = parent.map(str::to_string);
            state.insert_access(format!("a{i}"), owner(), parent, 1000, &settings, i * 2000);
        }
    }

    #[test]
    fn expired_tokens_of_a_refresh_token_leave_the_map() {
        let mut state = State::new();
        state.insert_refresh("r".to_string(), owner(), &Settings::default(), 0);
        mint_expiring(&mut state, Some("r"), 50);
        assert_eq!(state.access.len(), 1, "only the newest is live");
        assert_eq!(state.refresh["r"].access.len(), 1);
    }

    #[test]
    fn expired_tokens_without_a_refresh_token_are_swept() {
        let mut state = State::new();
        let n = i64::try_from(SWEEP_MIN_ACCESS * 5).unwrap_or(i64::MAX);
        mint_expiring(&mut state, None, n);
        assert!(
            state.access.len() <= SWEEP_MIN_ACCESS,
            "{} tokens kept",
            state.access.len()
        );
        assert!(state.access.contains_key(&format!("a{}", n - 1)));
    }

    #[test]
    fn live_tokens_survive_a_sweep() {
        let mut state = State::new();
        let settings = Settings::default();
        for i in 0..SWEEP_MIN_ACCESS * 3 {
            state.insert_access(format!("a{i}"), owner(), None, 60_000, &settings, 0);
        }
        assert_eq!(state.access.len(), SWEEP_MIN_ACCESS * 3);
    }

    #[test]
    fn removing_a_refresh_token_takes_access_tokens_its_list_does_not_name() {
        let mut state = State::new();
        let settings = Settings::default();
        // Imported before its parent existed, so the parent's list does not name it.
        state.insert_access(
            "early".to_string(),
            owner(),
            Some("r".into()),
            60_000,
            &settings,
            0,
        );
        state.insert_refresh("r".to_string(), owner(), &settings, 0);
        state.insert_access(
            "late".to_string(),
            owner(),
            Some("r".into()),
            60_000,
            &settings,
            0,
        );
        assert!(state.revoke("r", "us"));
        assert!(state.access.is_empty(), "{:?}", state.access.keys());
    }
}
