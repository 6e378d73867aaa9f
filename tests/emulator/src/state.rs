//! Accounts data: users, clients, grant codes and consents. Token logic lives in `tokens.rs`.

use std::collections::{HashMap, HashSet};

use crate::DATA_CENTRES;
use crate::spec::{ClientSpec, UserSpec};

/// The user every `/oauth/v2/auth` request logs in as unless `emulator_user` says otherwise.
pub const DEFAULT_USER: &str = "ada@example.com";

/// A user account.
#[derive(Clone, Debug)]
pub struct User {
    /// Lookup key: the e-mail in lowercase.
    pub key: String,
    /// Login e-mail as registered.
    pub email: String,
    /// `First_Name`.
    pub first_name: String,
    /// `Last_Name`.
    pub last_name: String,
    /// `Display_Name`.
    pub display_name: String,
    /// The ZUID.
    pub zuid: u64,
    /// Home data centre.
    pub dc: String,
}

/// Who a code or token belongs to and what it may do.
#[derive(Clone, Debug)]
pub struct Owner {
    /// Client id.
    pub client_id: String,
    /// User key (lowercase e-mail).
    pub user: String,
    /// Granted scopes, in request order.
    pub scopes: Vec<String>,
    /// Data centre the code or token belongs to.
    pub dc: String,
}

/// An unused grant code.
#[derive(Clone, Debug)]
pub struct Grant {
    /// Owner of the code.
    pub owner: Owner,
    /// The exchange returns a refresh token.
    pub give_refresh: bool,
    /// The redirect URI the exchange must repeat (`None`: self-client).
    pub redirect_uri: Option<String>,
    /// Expiry on the emulator clock.
    pub expires_at_ms: i64,
}

/// All accounts data of one emulator.
#[derive(Debug, Default)]
pub struct State {
    pub(crate) users: HashMap<String, User>,
    pub(crate) clients: HashMap<String, ClientSpec>,
    pub(crate) grants: HashMap<String, Grant>,
    pub(crate) refresh: HashMap<String, crate::tokens::RefreshToken>,
    pub(crate) access: HashMap<String, crate::tokens::AccessToken>,
    /// Size of `access` at which the next sweep of expired tokens runs.
    pub(crate) access_sweep_at: usize,
    /// (user, client) pairs with an offline consent.
    pub(crate) consents: HashSet<(String, String)>,
    pub(crate) next_zuid: u64,
    pub(crate) seq: u64,
    /// Emulator-clock times of successful refreshes, per refresh token, while
    /// `Settings::record_refreshes` is on.
    pub(crate) refresh_history: HashMap<String, Vec<i64>>,
    /// Every code and token issued or imported, oldest first (the first [`MAX_ISSUED`]).
    pub(crate) issued: Vec<String>,
}

/// How many issued codes and tokens [`State`] remembers for `Emulator::issued_tokens`.
pub const MAX_ISSUED: usize = 100_000;

/// Whether `dc` is a known data-centre code.
pub fn is_dc(dc: &str) -> bool {
    DATA_CENTRES.contains(&dc)
}

/// Splits a scope list on commas and whitespace.
pub fn split_scopes(scope: &str) -> Vec<String> {
    scope
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl State {
    /// A fresh state holding only the default user.
    pub fn new() -> State {
        let mut state = State {
            next_zuid: 700_000_001,
            ..State::default()
        };
        let _ = state.add_user(UserSpec {
            email: DEFAULT_USER.to_string(),
            first_name: "Ada".to_string(),
            last_name: "Lovelace".to_string(),
            ..UserSpec::default()
        });
        state
    }

    /// Registers or replaces a client; an empty DC list means `us`.
    pub fn add_client(&mut self, mut spec: ClientSpec) -> Result<(), String> {
        if spec.client_id.is_empty() {
            return Err("client_id is required".to_string());
        }
        if spec.data_centres.is_empty() {
            spec.data_centres.push("us".to_string());
        }
        for dc in &mut spec.data_centres {
            *dc = dc.to_ascii_lowercase();
            if !is_dc(dc) {
                return Err(format!("unknown data centre {dc:?}"));
            }
        }
        self.clients.insert(spec.client_id.clone(), spec);
        Ok(())
    }

    /// A registered client.
    pub fn client(&self, id: &str) -> Option<&ClientSpec> {
        self.clients.get(id)
    }

    /// Registers or replaces a user, filling in missing names, ZUID and DC.
    pub fn add_user(&mut self, spec: UserSpec) -> Result<User, String> {
        let email = spec.email.trim().to_string();
        let key = email.to_ascii_lowercase();
        if email.is_empty() {
            return Err("email is required".to_string());
        }
        let dc = match spec.data_centre.to_ascii_lowercase() {
            d if d.is_empty() => "us".to_string(),
            d if is_dc(&d) => d,
            d => return Err(format!("unknown data centre {d:?}")),
        };
        let (first, last) = derive_names(&key, &spec);
        let display = match spec.display_name.as_str() {
            "" => format!("{first} {last}").trim().to_string(),
            d => d.to_string(),
        };
        let zuid = match spec.zuid {
            0 => self.take_zuid(),
            z => z,
        };
        let user = User {
            key: key.clone(),
            email,
            first_name: first,
            last_name: last,
            display_name: display,
            zuid,
            dc,
        };
        self.users.insert(key, user.clone());
        Ok(user)
    }

    fn take_zuid(&mut self) -> u64 {
        let z = self.next_zuid;
        self.next_zuid += 1;
        z
    }

    /// The user with this e-mail, created in `dc` when unknown.
    pub fn ensure_user(&mut self, email: &str, dc: &str) -> Result<User, String> {
        match self.users.get(&email.trim().to_ascii_lowercase()) {
            Some(u) => Ok(u.clone()),
            None => self.add_user(UserSpec {
                email: email.to_string(),
                data_centre: dc.to_string(),
                ..UserSpec::default()
            }),
        }
    }

    /// A registered user, by e-mail (any case).
    pub fn user(&self, email: &str) -> Option<&User> {
        self.users.get(&email.trim().to_ascii_lowercase())
    }

    /// Stores a grant code.
    pub fn add_grant(&mut self, code: String, grant: Grant) {
        self.remember_issued(&code);
        self.grants.insert(code, grant);
    }

    /// Records an `access_type=offline` consent; true when it is the first offline consent
    /// of this user to this client (online consents are not recorded).
    pub fn record_offline_consent(&mut self, user: &str, client_id: &str) -> bool {
        self.consents
            .insert((user.to_string(), client_id.to_string()))
    }

    /// Remembers a code or token for `Emulator::issued_tokens` (up to [`MAX_ISSUED`]).
    pub fn remember_issued(&mut self, value: &str) {
        if self.issued.len() < MAX_ISSUED {
            self.issued.push(value.to_string());
        }
    }

    /// Next sequence number (orders refresh tokens by age).
    pub fn next_seq(&mut self) -> u64 {
        self.seq += 1;
        self.seq
    }
}

/// First and last name from the spec, or from the e-mail's local part (`ada.lovelace@…`).
fn derive_names(email: &str, spec: &UserSpec) -> (String, String) {
    if !spec.first_name.is_empty() || !spec.last_name.is_empty() {
        return (spec.first_name.clone(), spec.last_name.clone());
    }
    let local = email.split('@').next().unwrap_or(email);
    let mut parts = local.split(['.', '_', '-']).filter(|p| !p.is_empty());
    let first = capitalise(parts.next().unwrap_or(local));
    let last = parts.map(capitalise).collect::<Vec<_>>().join(" ");
    (first, last)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn derived_user() {
        let mut s = State::new();
        let u = s.ensure_user("Grace.Hopper@Example.com", "eu").unwrap();
        assert_eq!(u.email, "Grace.Hopper@Example.com");
        assert_eq!(u.key, "grace.hopper@example.com");
        assert_eq!(
            (u.first_name.as_str(), u.last_name.as_str()),
            ("Grace", "Hopper")
        );
        assert_eq!(u.display_name, "Grace Hopper");
        assert_eq!(u.dc, "eu");
        assert_eq!(s.user(DEFAULT_USER).unwrap().display_name, "Ada Lovelace");
    }

    #[test]
    fn scopes_split() {
        assert_eq!(split_scopes("a,b c, d"), vec!["a", "b", "c", "d"]);
    }
}
