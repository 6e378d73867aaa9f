//! State shared by the server threads and the `Emulator` handle, and the operations on it
//! that both the Rust API and the admin interface use.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use crate::clock::Clock;
use crate::faults::Faults;
use crate::ids::zoho_token;
use crate::metrics::Metrics;
use crate::spec::{GrantSpec, Settings, TokenSpec};
use crate::state::{Grant, Owner, State, is_dc, split_scopes};

/// Everything behind the lock.
#[derive(Debug)]
pub struct Inner {
    /// Accounts data.
    pub state: State,
    /// Current settings.
    pub settings: Settings,
    /// Counters and log.
    pub metrics: Metrics,
    /// Pending faults.
    pub faults: Faults,
}

/// State shared between the server threads and the `Emulator` handle.
#[derive(Debug)]
pub struct Shared {
    inner: Mutex<Inner>,
    /// The emulator clock.
    pub clock: Clock,
    /// `http://127.0.0.1:PORT`.
    pub base_url: String,
    shutdown: AtomicBool,
}

impl Shared {
    /// New shared state for a server at `base_url`.
    pub fn new(base_url: String, settings: Settings) -> Shared {
        Shared {
            inner: Mutex::new(Inner {
                state: State::new(),
                settings,
                metrics: Metrics::default(),
                faults: Faults::default(),
            }),
            clock: Clock::default(),
            base_url,
            shutdown: AtomicBool::new(false),
        }
    }

    /// Locks the state (a poisoned lock is recovered: the data stays usable).
    pub fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The accounts URL of data centre `dc`.
    pub fn dc_url(&self, dc: &str) -> String {
        match dc {
            "us" | "" => self.base_url.clone(),
            other => format!("{}/{other}", self.base_url),
        }
    }

    /// Whether the server is stopping.
    pub fn is_shutdown(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Asks every thread to stop.
    pub fn begin_shutdown(&self) {
        self.shutdown.store(true, Ordering::SeqCst);
    }

    /// Sleeps `ms`, waking early when the server stops.
    pub fn sleep_ms(&self, ms: u64) {
        let mut left = ms;
        while left > 0 && !self.is_shutdown() {
            let step = left.min(20);
            std::thread::sleep(Duration::from_millis(step));
            left -= step;
        }
    }

    /// Clears everything: data, logs, counters, faults, clock offset; settings to defaults.
    pub fn reset(&self) {
        let mut inner = self.lock();
        *inner = Inner {
            state: State::new(),
            settings: Settings::default(),
            metrics: Metrics::default(),
            faults: Faults::default(),
        };
        self.clock.reset();
    }

    /// Mints a grant code (with a chosen value when `code` is given).
    pub fn mint_grant(&self, spec: GrantSpec, code: Option<String>) -> Result<String, String> {
        let now = self.clock.now_ms();
        let mut inner = self.lock();
        let ttl = spec.ttl_secs.unwrap_or(inner.settings.grant_ttl_secs);
        let owner = owner_for(
            &mut inner.state,
            &spec.client_id,
            &spec.user,
            &spec.scope,
            spec.data_centre.as_deref(),
        )?;
        let offline = match spec.access_type.to_ascii_lowercase().as_str() {
            "" | "offline" => true,
            "online" => false,
            other => return Err(format!("unknown access_type {other:?}")),
        };
        let code = code.filter(|c| !c.is_empty()).unwrap_or_else(zoho_token);
        let grant = Grant {
            owner,
            give_refresh: offline,
            redirect_uri: spec.redirect_uri,
            expires_at_ms: now
                .saturating_add(i64::try_from(ttl.saturating_mul(1000)).unwrap_or(i64::MAX)),
        };
        inner.state.add_grant(code.clone(), grant);
        Ok(code)
    }

    /// Imports a refresh token with a fixed value.
    pub fn import_refresh_token(&self, spec: TokenSpec) -> Result<(), String> {
        let now = self.clock.now_ms();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let owner = owner_for(
            &mut inner.state,
            &spec.client_id,
            &spec.user,
            &spec.scope,
            spec.data_centre.as_deref(),
        )?;
        nonempty_token(&spec.token)?;
        inner
            .state
            .insert_refresh(spec.token, owner, &inner.settings, now);
        Ok(())
    }

    /// Imports an access token with a fixed value.
    pub fn import_access_token(&self, spec: TokenSpec) -> Result<(), String> {
        let now = self.clock.now_ms();
        let mut guard = self.lock();
        let inner = &mut *guard;
        let owner = owner_for(
            &mut inner.state,
            &spec.client_id,
            &spec.user,
            &spec.scope,
            spec.data_centre.as_deref(),
        )?;
        nonempty_token(&spec.token)?;
        let ttl = spec
            .ttl_secs
            .unwrap_or(inner.settings.access_token_ttl_secs);
        let ttl_ms = i64::try_from(ttl.saturating_mul(1000)).unwrap_or(i64::MAX);
        inner.state.insert_access(
            spec.token,
            owner,
            spec.refresh_token,
            ttl_ms,
            &inner.settings,
            now,
        );
        Ok(())
    }
}

fn nonempty_token(token: &str) -> Result<(), String> {
    if token.is_empty() {
        return Err("token is required".to_string());
    }
    Ok(())
}

/// Validates client, DC and scopes and resolves (or creates) the user.
fn owner_for(
    state: &mut State,
    client_id: &str,
    user: &str,
    scope: &str,
    dc: Option<&str>,
) -> Result<Owner, String> {
    let client = state
        .client(client_id)
        .ok_or_else(|| format!("unknown client {client_id:?}"))?
        .clone();
    if user.trim().is_empty() {
        return Err("user is required".to_string());
    }
    let dc = dc.map(str::to_ascii_lowercase);
    if let Some(d) = dc.as_deref().filter(|d| !is_dc(d)) {
        return Err(format!("unknown data centre {d:?}"));
    }
    let existing = state.user(user).map(|u| u.dc.clone());
    let dc = dc.or(existing).unwrap_or_else(|| "us".to_string());
    let u = state.ensure_user(user, &dc)?;
    if !client.data_centres.contains(&dc) {
        return Err(format!("client is not enabled in data centre {dc:?}"));
    }
    let scopes = split_scopes(scope);
    if let Some(bad) = scopes.iter().find(|s| !scope_allowed(&client.scopes, s)) {
        return Err(format!("scope {bad:?} is not allowed for this client"));
    }
    Ok(Owner {
        client_id: client_id.to_string(),
        user: u.key,
        scopes,
        dc,
    })
}

/// Whether `scope` is in `allowed` (case-insensitive); an empty list allows anything.
pub fn scope_allowed(allowed: &[String], scope: &str) -> bool {
    allowed.is_empty() || allowed.iter().any(|a| a.eq_ignore_ascii_case(scope))
}
