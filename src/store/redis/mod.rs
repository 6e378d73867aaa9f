//! A token store in Redis, shared by every process and host that uses the same server and
//! key prefix. The key layout is in `keys`; each value is the JSON token file format
//! with one entry. Changes run as Lua scripts that check every key before writing, so each
//! is one atomic step; refreshes are serialized by a lease per user (`lock`), and a
//! refresh's save is conditional on the refresh token it used (`save_refreshed`).
//!
//! The connection is made on first use, per process (so PHP-FPM workers forked after
//! start-up make their own), checked once to be a server that may hold tokens (`server`),
//! and made again after the server closed it. Every call is bounded by
//! `store_timeout_secs` (`conn`).

mod call;
mod conn;
mod errors;
mod keys;
mod list;
#[allow(unsafe_code)] // libc::gethostname
mod lock;
mod login;
mod scripts;
mod server;
mod settings;
mod shared;
mod value;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ::redis::{Client, RedisResult, cmd};

pub use list::Listing;
pub use settings::{DEFAULT_KEY_PREFIX, DEFAULT_URL, LEASE_MARGIN, RedisSettings};

use super::entry::{OpenFromConfig, StoreClass, StoreEntry};
use super::{LockGuard, RefreshSave, TokenStore};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::log::{Level, SdkLog};
use crate::secret::Secret;
use crate::token::Tokens;
use call::Call;
use conn::Connector;
use keys::Keys;
use scripts::{DELETE, Invocation, SAVE, SAVE_REFRESHED};
use server::Checker;
use shared::Inner;

/// Redis, one key per user: `token_store=redis`.
pub(crate) static ENTRY: StoreEntry =
    StoreEntry::new::<RedisStore>("redis", "redis", StoreClass::Shared);

impl OpenFromConfig for RedisStore {
    fn open_from(config: &Config) -> Result<RedisStore> {
        RedisStore::open(config)
    }
}

/// How long a recorded transient refresh failure is kept (longer than the client's
/// retry interval, short enough to leave no litter).
const FAILED_AT_TTL_MS: u64 = 60_000;

/// The tokens of many users in one Redis database, under a key prefix.
pub struct RedisStore {
    inner: Arc<Inner>,
}

impl RedisStore {
    /// The store a configuration selects (`redis_url`, `redis_key_prefix`,
    /// `store_timeout_secs`, the lease from the HTTP timeouts, the SDK log for warnings).
    /// Nothing is connected yet: a server that is down is reported by the first call.
    pub fn open(config: &Config) -> Result<RedisStore> {
        RedisStore::with_settings(RedisSettings::from_config(config)?)
    }

    /// The store for explicit settings; nothing is connected yet.
    pub fn with_settings(settings: RedisSettings) -> Result<RedisStore> {
        settings.check()?;
        let described = settings.redacted_url();
        let unusable = |e: ::redis::RedisError| {
            Error::new(
                ErrorKind::ConfigInvalid,
                format!("redis_url {described} is not a usable Redis URL ({})", e.category()),
            )
            .with_hint("use redis://[user:password@]host[:port][/db], rediss://... for TLS, or redis+unix:///path/to/socket?db=N")
        };
        let client = Client::open(settings.url.expose()).map_err(unusable)?;
        let checker = Checker::new(described.clone(), settings.log_file.clone());
        let conn = Connector::new(&client, described.clone(), settings.timeout, checker)
            .map_err(unusable)?;
        Ok(RedisStore {
            inner: Arc::new(Inner {
                conn,
                keys: Keys::new(&settings.key_prefix),
                lease: settings.lease,
                log: SdkLog::new(settings.log_file),
            }),
        })
    }

    /// The key prefix.
    pub fn key_prefix(&self) -> &str {
        self.inner.keys.prefix()
    }

    /// The key holding `user`'s tokens (for operators and tests).
    pub fn user_key(&self, user: &str) -> String {
        self.inner.keys.user(user)
    }

    /// The key of `user`'s refresh lease.
    pub fn lock_key(&self, user: &str) -> String {
        self.inner.keys.lock(user)
    }

    /// The key of the set of every stored identifier.
    pub fn users_key(&self) -> String {
        self.inner.keys.users()
    }

    /// How long a refresh lease lasts.
    pub fn lease(&self) -> Duration {
        self.inner.lease
    }

    fn run<T>(&self, what: &str, op: impl FnMut(&mut Call<'_>) -> RedisResult<T>) -> Result<T> {
        self.inner.run(what, op)
    }

    /// The tokens stored under exactly `user`.
    fn get_exact(&self, user: &str) -> Result<Option<Tokens>> {
        let key = self.inner.keys.user(user);
        let raw = self.run("read tokens", |call| {
            match call.query::<Option<Vec<u8>>>(cmd("GET").arg(&key)) {
                Err(e) if e.code() == Some("WRONGTYPE") => Ok(Err(())),
                other => other.map(Ok),
            }
        })?;
        match raw {
            Ok(Some(bytes)) => value::decode(&bytes, &key, user).map(Some),
            Ok(None) => Ok(None),
            Err(()) => Err(value::wrong_type(&key, user)),
        }
    }

    /// The one identifier with `@` that differs from `user` only in case, if exactly one.
    fn folded_match(&self, user: &str) -> Result<Option<String>> {
        let Some(folded) = self.inner.keys.folded(user) else {
            return Ok(None);
        };
        let members = self.run("read tokens", |call| {
            match call.query::<Vec<String>>(cmd("SMEMBERS").arg(&folded)) {
                Err(e) if e.code() == Some("WRONGTYPE") => Ok(None),
                other => other.map(Some),
            }
        })?;
        let mut members = members.ok_or_else(|| value::wrong_type(&folded, user))?;
        Ok(match (members.pop(), members.is_empty()) {
            (Some(one), true) if one != user => Some(one),
            _ => None,
        })
    }

    /// `script` with the keys every change of `user` checks: the value, the users set and,
    /// for identifiers with `@`, the case-folded set.
    fn change_of(&self, script: &'static scripts::Lua, user: &str) -> Invocation<'static> {
        let keys = &self.inner.keys;
        let mut call = script.call().key(keys.user(user)).key(keys.users());
        if let Some(folded) = keys.folded(user) {
            call = call.key(folded);
        }
        call
    }

    /// Runs a change of `user` (built by [`RedisStore::change_of`]): its status, after
    /// turning `wrongtype` and `corrupt` answers into errors naming the key.
    fn change(&self, what: &str, user: &str, script: &Invocation<'_>) -> Result<String> {
        let (status, detail): (String, String) = self.run(what, |call| call.eval(script))?;
        let keys = &self.inner.keys;
        match status.as_str() {
            "wrongtype" => {
                let key = match detail.as_str() {
                    "1" => keys.user(user),
                    "2" => keys.users(),
                    _ => keys.folded(user).unwrap_or_else(|| keys.users()),
                };
                Err(value::wrong_type(&key, user))
            }
            "corrupt" => Err(value::corrupt(&keys.user(user), user, &detail)),
            _ => Ok(status),
        }
    }

    /// Removes exactly `user`; whether there was an entry.
    /// Deletes the tokens stored under exactly `user` and, when they went, its refresh
    /// history (best effort: a key left behind is harmless, the tokens are gone).
    fn delete_exact(&self, user: &str) -> Result<bool> {
        let script = self.change_of(&DELETE, user).arg("").arg(user);
        let deleted = self.change("delete tokens", user, &script)? == "deleted";
        if deleted {
            let key = self.inner.keys.history(user);
            let _ = self.run("forget the refresh history", |call| {
                call.query::<i64>(cmd("DEL").arg(&key))
            });
        }
        Ok(deleted)
    }

    /// The identifier of `tokens`, checked to be storable (what a read accepts).
    fn storable<'t>(&self, tokens: &'t Tokens) -> Result<&'t str> {
        let Some(user) = tokens.user.as_deref() else {
            return Err(Error::invalid_argument(
                "the Redis store keeps tokens by user identifier, and these have none",
            ));
        };
        value::check(tokens).map_err(|why| {
            Error::invalid_argument(format!("the tokens of {user} cannot be stored: {why}"))
        })?;
        Ok(user)
    }

    /// Every stored user, sorted by identifier, and the keys skipped because they do not
    /// hold valid tokens (each an error naming the key and the user). One stray or corrupt
    /// key never hides the others. Each step (`SSCAN` of 500 identifiers, then `MGET`) is
    /// one call within the store's bound.
    pub fn list_checked(&self) -> Result<Listing> {
        list::list(&self.inner)
    }
}

impl TokenStore for RedisStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        if let Some(tokens) = self.get_exact(user)? {
            return Ok(Some(tokens));
        }
        match self.folded_match(user)? {
            Some(other) => self.get_exact(&other),
            None => Ok(None),
        }
    }

    /// Saves whatever is stored for the user (a grant, a migration), unless the key holds
    /// something that is not this user's tokens, or a key has another type: then nothing is
    /// written.
    fn save(&self, tokens: &Tokens) -> Result<()> {
        let user = self.storable(tokens)?;
        let script = self
            .change_of(&SAVE, user)
            .arg(value::encode(tokens))
            .arg(user);
        self.change("save tokens", user, &script).map(|_| ())
    }

    /// One script: the check of [`RefreshSave::decide`] and the write, atomic against every
    /// other writer.
    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        let user = self.storable(fresh)?;
        let script = self
            .change_of(&SAVE_REFRESHED, user)
            .arg(value::encode(fresh))
            .arg(user)
            .arg(used_refresh.expose())
            .arg(fresh.access_token.expose())
            .arg(fresh.expiry_time_ms);
        match self
            .change("save refreshed tokens", user, &script)?
            .as_str()
        {
            "saved" => Ok(RefreshSave::Saved),
            "newer" => Ok(RefreshSave::Newer),
            _ => Ok(RefreshSave::Superseded),
        }
    }

    fn delete(&self, user: &str) -> Result<bool> {
        if self.delete_exact(user)? {
            return Ok(true);
        }
        match self.folded_match(user)? {
            Some(other) => self.delete_exact(&other),
            None => Ok(false),
        }
    }

    /// Connects (checking the server) and checks the users set's type, so a server that
    /// cannot keep tokens is reported before a grant is spent.
    fn prepare(&self) -> Result<()> {
        let users = self.inner.keys.users();
        let kind: String = self.run("check the token store", |call| {
            call.query(cmd("TYPE").arg(&users))
        })?;
        match kind.as_str() {
            "set" | "none" => Ok(()),
            _ => Err(value::wrong_type(&users, "every user")),
        }
    }

    /// Every stored user, sorted by identifier. Keys that do not hold valid tokens are
    /// skipped and logged (a warning naming each key); [`RedisStore::list_checked`] returns
    /// them.
    fn list(&self) -> Result<Vec<Tokens>> {
        let listing = self.list_checked()?;
        for skipped in &listing.skipped {
            self.inner.log.write(
                Level::Warning,
                &format!("list skipped a key: {}", skipped.message()),
                crate::clock::system_now_ms(),
            );
        }
        Ok(listing.tokens)
    }

    /// Exactly one `SET NX` attempt when `wait` is zero; see `lock`.
    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        let lease = lock::acquire(&self.inner, user, wait)?;
        let guard: LockGuard = Box::new(lease);
        Ok(guard)
    }

    /// Shared by every process through `<prefix>failed:<id>` (expires by itself).
    fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        let key = self.inner.keys.failed(user);
        let raw: Option<String> = self
            .run("read the refresh failure time", |call| {
                call.query(cmd("GET").arg(&key))
            })
            .ok()?;
        raw?.parse().ok()
    }

    fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        let key = self.inner.keys.failed(user);
        self.run("record the refresh failure time", |call| match at_ms {
            Some(at) => call.query(cmd("SET").arg(&key).arg(at).arg("PX").arg(FAILED_AT_TTL_MS)),
            None => call.query::<()>(cmd("DEL").arg(&key)),
        })
    }

    fn read_history(&self, user: &str) -> Result<Option<String>> {
        let key = self.inner.keys.history(user);
        self.run("read the refresh history", |call| {
            call.query(cmd("GET").arg(&key))
        })
    }

    /// Kept without expiry: a user's history is as long-lived as its tokens, and bounded.
    fn write_history(&self, user: &str, encoded: &str) -> Result<()> {
        let key = self.inner.keys.history(user);
        self.run("record the refresh history", |call| {
            call.query::<()>(cmd("SET").arg(&key).arg(encoded))
        })
    }

    /// `PTTL` of the user's lease: held while it lives; held for the lease less what is
    /// left (leases are never extended).
    fn probe_lock(&self, user: &str) -> Result<crate::store::LockState> {
        let key = self.inner.keys.lock(user);
        let left: i64 = self.run("look at the refresh lock", |call| {
            call.query(cmd("PTTL").arg(&key))
        })?;
        Ok(lease_state(left, self.inner.lease))
    }

    fn describe(&self) -> String {
        format!(
            "Redis {} (key prefix {})",
            self.inner.conn.described(),
            self.inner.keys.prefix()
        )
    }
}

/// What a lease's `PTTL` (`left` ms; -2 no key, -1 no expiry) says about the lock.
fn lease_state(left: i64, lease: Duration) -> crate::store::LockState {
    use crate::store::LockState;
    match u64::try_from(left) {
        Err(_) if left == -2 => LockState::Free,
        Err(_) => LockState::Held {
            held_for: None,
            expires_in: None,
        },
        Ok(ms) => {
            let expires_in = Duration::from_millis(ms);
            LockState::Held {
                held_for: lease.checked_sub(expires_in),
                expires_in: Some(expires_in),
            }
        }
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
