//! A token store in Redis, shared by every process and host that uses the same server and
//! key prefix. The key layout is in `keys`; each value is the JSON token file format
//! with one entry. Changes run as Lua scripts, so each is one atomic step; refreshes are
//! serialized by a lease per user (`lock`).
//!
//! The connection is made on first use, per process (so PHP-FPM workers forked after
//! start-up make their own), with the connect and request timeouts as bounds, and made
//! again after the server closed it.

mod conn;
mod errors;
mod keys;
#[allow(unsafe_code)] // libc::gethostname
mod lock;
mod scripts;
mod settings;
mod value;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use ::redis::{Client, Connection, RedisResult, cmd};

pub use settings::{DEFAULT_KEY_PREFIX, DEFAULT_URL, LEASE_MARGIN, RedisSettings};

use super::{LockGuard, TokenStore};
use crate::config::Config;
use crate::error::{Error, ErrorKind, Result};
use crate::token::Tokens;
use conn::Connector;
use keys::Keys;
use scripts::{DELETE, SAVE};

/// How long a recorded transient refresh failure is kept (longer than the client's
/// retry interval, short enough to leave no litter).
const FAILED_AT_TTL_MS: u64 = 60_000;
/// How many identifiers `list` asks for per `SSCAN` step and `MGET`.
const LIST_BATCH: usize = 500;

/// The tokens of many users in one Redis database, under a key prefix.
pub struct RedisStore {
    inner: Arc<Inner>,
}

/// What the store and its held leases share.
struct Inner {
    conn: Connector,
    keys: Keys,
    lease: Duration,
    held: lock::Held,
}

impl RedisStore {
    /// The store a configuration selects (`redis_url`, `redis_key_prefix`, the timeouts).
    /// Nothing is connected yet: a server that is down is reported by the first call.
    pub fn open(config: &Config) -> Result<RedisStore> {
        RedisStore::with_settings(RedisSettings::from_config(config)?)
    }

    /// The store for explicit settings; nothing is connected yet.
    pub fn with_settings(settings: RedisSettings) -> Result<RedisStore> {
        settings.check()?;
        let described = settings.redacted_url();
        let client = Client::open(settings.url.expose()).map_err(|e| {
            Error::new(
                ErrorKind::ConfigInvalid,
                format!("redis_url {described} is not a usable Redis URL ({})", e.category()),
            )
            .with_hint("use redis://[user:password@]host[:port][/db], rediss://... for TLS, or redis+unix:///path/to/socket?db=N")
        })?;
        let conn = Connector::new(
            client,
            described,
            settings.connect_timeout,
            settings.io_timeout,
        );
        Ok(RedisStore {
            inner: Arc::new(Inner {
                conn,
                keys: Keys::new(&settings.key_prefix),
                lease: settings.lease,
                held: lock::Held::default(),
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

    fn run<T>(&self, what: &str, op: impl FnMut(&mut Connection) -> RedisResult<T>) -> Result<T> {
        self.inner.conn.run(what, op)
    }

    /// The tokens stored under exactly `user`.
    fn get_exact(&self, user: &str) -> Result<Option<Tokens>> {
        let key = self.inner.keys.user(user);
        let raw = self.run("read tokens", |con| {
            match cmd("GET").arg(&key).query::<Option<Vec<u8>>>(con) {
                Err(e) if e.code() == Some("WRONGTYPE") => Ok(Err(())),
                other => other.map(Ok),
            }
        })?;
        match raw {
            Ok(Some(bytes)) => value::decode(&bytes, &key, user).map(Some),
            Ok(None) => Ok(None),
            Err(()) => Err(value::corrupt(&key, "it is not a string")),
        }
    }

    /// The one identifier with `@` that differs from `user` only in case, if exactly one.
    fn folded_match(&self, user: &str) -> Result<Option<String>> {
        let Some(folded) = self.inner.keys.folded(user) else {
            return Ok(None);
        };
        let mut members: Vec<String> =
            self.run("read tokens", |con| cmd("SMEMBERS").arg(&folded).query(con))?;
        Ok(match (members.pop(), members.is_empty()) {
            (Some(one), true) if one != user => Some(one),
            _ => None,
        })
    }

    /// Removes exactly `user`; whether there was an entry.
    fn delete_exact(&self, user: &str) -> Result<bool> {
        let keys = &self.inner.keys;
        let key = keys.user(user);
        let mut script = DELETE.key(&key);
        script.key(keys.users());
        if let Some(folded) = keys.folded(user) {
            script.key(folded);
        }
        script.arg(user);
        let outcome: String = self.run("delete tokens", |con| script.invoke(con))?;
        match outcome.as_str() {
            "deleted" => Ok(true),
            "absent" => Ok(false),
            _ => Err(value::corrupt(&key, "not deleted")),
        }
    }

    /// One batch of `list`: the tokens of `users` that still exist.
    fn fetch_batch(&self, users: &[String]) -> Result<Vec<Tokens>> {
        let keys: Vec<String> = users.iter().map(|u| self.inner.keys.user(u)).collect();
        let values: Vec<Option<Vec<u8>>> =
            self.run("list tokens", |con| cmd("MGET").arg(&keys).query(con))?;
        let mut out = Vec::with_capacity(users.len());
        for ((user, key), raw) in users.iter().zip(&keys).zip(values) {
            if let Some(bytes) = raw {
                out.push(value::decode(&bytes, key, user)?);
            }
        }
        Ok(out)
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

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let Some(user) = tokens.user.as_deref() else {
            return Err(Error::invalid_argument(
                "the Redis store keeps tokens by user identifier, and these have none",
            ));
        };
        let keys = &self.inner.keys;
        let key = keys.user(user);
        let owner = self.inner.held.owner(user).unwrap_or_default();
        let mut script = SAVE.key(&key);
        script.key(keys.users()).key(keys.lock(user));
        if let Some(folded) = keys.folded(user) {
            script.key(folded);
        }
        script
            .arg(value::encode(tokens))
            .arg(user)
            .arg(owner)
            .arg(tokens.expiry_time_ms);
        let outcome: String = self.run("save tokens", |con| script.invoke(con))?;
        match outcome.as_str() {
            // `newer`: this caller's lease ran out and someone stored tokens that expire
            // later; they are kept (the caller's own tokens stay valid for their life).
            "saved" | "newer" => Ok(()),
            _ => Err(value::corrupt(&key, "nothing was written")),
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

    /// Every stored user, sorted by identifier (`SSCAN` of the users set, then `MGET`).
    fn list(&self) -> Result<Vec<Tokens>> {
        let set = self.inner.keys.users();
        let mut cursor: u64 = 0;
        let mut out = Vec::new();
        loop {
            let (next, users): (u64, Vec<String>) = self.run("list tokens", |con| {
                cmd("SSCAN")
                    .arg(&set)
                    .arg(cursor)
                    .arg("COUNT")
                    .arg(LIST_BATCH)
                    .query(con)
            })?;
            for chunk in users.chunks(LIST_BATCH) {
                out.extend(self.fetch_batch(chunk)?);
            }
            if next == 0 {
                break;
            }
            cursor = next;
        }
        out.sort_by(|a, b| a.user.cmp(&b.user));
        out.dedup_by(|a, b| a.user == b.user);
        Ok(out)
    }

    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        let lease = lock::acquire(&self.inner, user, wait)?;
        let guard: LockGuard = Box::new(lease);
        Ok(guard)
    }

    /// Shared by every process through `<prefix>failed:<id>` (expires by itself).
    fn refresh_failed_at(&self, user: &str) -> Option<i64> {
        let key = self.inner.keys.failed(user);
        let raw: Option<String> = self
            .run("read the refresh failure time", |con| {
                cmd("GET").arg(&key).query(con)
            })
            .ok()?;
        raw?.parse().ok()
    }

    fn set_refresh_failed_at(&self, user: &str, at_ms: Option<i64>) -> Result<()> {
        let key = self.inner.keys.failed(user);
        self.run("record the refresh failure time", |con| match at_ms {
            Some(at) => cmd("SET")
                .arg(&key)
                .arg(at)
                .arg("PX")
                .arg(FAILED_AT_TTL_MS)
                .query(con),
            None => cmd("DEL").arg(&key).query::<()>(con),
        })
    }

    fn describe(&self) -> String {
        format!(
            "Redis {} (key prefix {})",
            self.inner.conn.described(),
            self.inner.keys.prefix()
        )
    }
}

impl fmt::Debug for RedisStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}
