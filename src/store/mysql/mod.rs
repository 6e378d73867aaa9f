//! The MySQL/MariaDB token store: Zoho's SDK default, shared by a whole fleet.
//!
//! Rows keep the SDK's layout (`useridentifier, accesstoken, refreshtoken, expirytime`), so
//! the SDK and this library read each other's rows. Every statement is prepared (tokens and
//! identifiers travel as bound parameters, never in SQL text); every save is one transaction
//! that removes the user's rows (the SDK's duplicates included) and inserts one, and a
//! refresh's save checks, in the same transaction, that the row still holds the refresh
//! token the refresh used. Every call is bounded by `store_timeout_secs` (`call`, `session`)
//! and holds no connection after it returns; refreshes are serialized across machines with
//! a leased `GET_LOCK` (`lock`). Nothing connects until the first call; see `settings` for
//! the configuration keys.

mod call;
mod deadline;
mod errors;
mod history;
mod lock;
pub mod oauthtoken;
mod rows;
pub mod schema;
mod session;
pub(crate) mod settings;
#[allow(unsafe_code)] // libc: setsockopt (the socket timeouts of an open connection)
mod socket;

use std::sync::Mutex;

use mysql::TxOpts;
use mysql::prelude::Queryable;

pub use history::SideTable;
pub use settings::{Bounds, MysqlSettings};

use super::entry::{OpenFromConfig, StoreClass, StoreEntry};
use super::{RefreshSave, TokenStore, find_user};
use crate::config::Config;
use crate::error::Result;
use crate::secret::Secret;
use crate::token::Tokens;
use schema::Limits;

/// The [`TokenStore`] methods both table layouts implement alike, from their `settings` and
/// `history` fields: the refresh lock (`GET_LOCK`), the history side table, the lock probe.
macro_rules! side_table_methods {
    () => {
        fn lock_user(
            &self,
            user: &str,
            wait: std::time::Duration,
        ) -> $crate::error::Result<$crate::store::LockGuard> {
            $crate::store::mysql::lock::lock_guard(&self.settings, user, wait)
        }

        fn read_history(&self, user: &str) -> $crate::error::Result<Option<String>> {
            self.history.read(&self.settings, user)
        }

        fn write_history(&self, user: &str, encoded: &str) -> $crate::error::Result<()> {
            self.history.write(&self.settings, user, encoded)
        }

        fn probe_lock(&self, user: &str) -> $crate::error::Result<$crate::store::LockState> {
            $crate::store::mysql::history::probe_lock(&self.settings, user)
        }
    };
}
use side_table_methods;

/// A MySQL/MariaDB table in the old SDK's layout (`oauthtokens`, four columns):
/// `token_store=mysql` (or `mariadb`) with any other `mysql_table`.
pub(crate) static ENTRY: StoreEntry =
    StoreEntry::new::<MysqlStore>("mysql", "mysql", StoreClass::Shared)
        .also_parsed_from(&["mariadb"])
        .also_selected_by(&["mariadb"]);

impl OpenFromConfig for MysqlStore {
    fn open_from(config: &Config) -> Result<MysqlStore> {
        MysqlStore::open(config)
    }
}

/// The token table on a MySQL or MariaDB server.
pub struct MysqlStore {
    settings: MysqlSettings,
    /// The refresh histories' side table.
    history: SideTable,
    /// The column sizes, read once on first use.
    limits: Mutex<Option<Limits>>,
    select_user: String,
    select_user_ci: String,
    select_user_locked: String,
    select_all: String,
    delete_exact: String,
    insert: String,
}

impl MysqlStore {
    /// The store `config` describes (the SDK's keys and ours, see `settings`). Does not
    /// connect: the first call does.
    pub fn open(config: &Config) -> Result<MysqlStore> {
        Ok(MysqlStore::with_settings(MysqlSettings::from_config(
            config,
        )?))
    }

    /// The store for explicit settings.
    pub fn with_settings(settings: MysqlSettings) -> MysqlStore {
        let table = settings.qualified_table();
        let columns = schema::COLUMNS.join(", ");
        MysqlStore {
            select_user: format!("SELECT {columns} FROM {table} WHERE useridentifier = ?"),
            select_user_ci: format!(
                "SELECT {columns} FROM {table} WHERE LOWER(useridentifier) = LOWER(?)"
            ),
            select_user_locked: format!(
                "SELECT {columns} FROM {table} WHERE useridentifier = ? FOR UPDATE"
            ),
            select_all: format!("SELECT {columns} FROM {table}"),
            delete_exact: format!(
                "DELETE FROM {table} WHERE useridentifier = ? AND CONVERT(useridentifier USING utf8mb4) COLLATE utf8mb4_bin = ?"
            ),
            insert: format!("INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?)"),
            history: SideTable::of(&settings),
            settings,
            limits: Mutex::new(None),
        }
    }

    /// Where this store connects.
    pub fn settings(&self) -> &MysqlSettings {
        &self.settings
    }

    /// Creates the database and the table (with a primary key on `useridentifier`) when
    /// they do not exist; returns the statements it ran.
    pub fn create_schema(&self) -> Result<[String; 2]> {
        let statements = schema::create_statements(&self.settings);
        call::run(&self.settings, "create the token table", |conn| {
            statements.iter().try_for_each(|sql| conn.query_drop(sql))
        })?;
        if let Ok(mut limits) = self.limits.lock() {
            *limits = None;
        }
        Ok(statements)
    }

    /// Creates the refresh histories' side table when it does not exist; returns the
    /// statement.
    pub fn create_history_table(&self) -> Result<String> {
        self.history.create(&self.settings)
    }

    /// The column sizes, read from the server on first use.
    fn limits(&self) -> Result<Limits> {
        if let Ok(cached) = self.limits.lock()
            && let Some(limits) = *cached
        {
            return Ok(limits);
        }
        self.read_limits()
    }

    /// Reads the column sizes (the table exists, with the SDK's columns) and keeps them.
    fn read_limits(&self) -> Result<Limits> {
        let select_none = format!("{} LIMIT 0", self.select_all);
        let limits = call::run(&self.settings, "read the token table's layout", |conn| {
            let limits = schema::read_limits(conn, &self.settings)?;
            if limits.is_ok() {
                // Readable by this user, columns and all.
                conn.query_drop(&select_none)?;
            }
            Ok(limits)
        })??;
        if let Ok(mut cached) = self.limits.lock() {
            *cached = Some(limits);
        }
        Ok(limits)
    }

    /// The table, for messages.
    fn table(&self) -> String {
        self.settings.qualified_table()
    }

    /// The entries for `user`: exact (and, under a case-insensitive collation, case
    /// variants), then, when there are none and the identifier is an e-mail, any case variant.
    fn candidates(&self, user: &str) -> Result<Vec<rows::Entry>> {
        let action = format!("read the tokens of {user}");
        let found: Vec<rows::Row> = call::run(&self.settings, &action, |conn| {
            let found: Vec<rows::Row> = conn.exec(&self.select_user, (user,))?;
            // Under a case-insensitive collation the first query already returned the case
            // variants; only an exact (binary) collation needs the second, scanning, query.
            if user.contains('@') && found.is_empty() {
                return conn.exec(&self.select_user_ci, (user,));
            }
            Ok(found)
        })?;
        Ok(rows::decode_all(found, &self.table()))
    }

    /// In one transaction: locks `fresh.user`'s rows, decides ([`RefreshSave::decide`])
    /// against the row of exactly that user, and replaces it only when that says so.
    fn save_if_current(
        &self,
        conn: &mut mysql::Conn,
        encoded: &(String, String, String, i64),
        fresh: &Tokens,
        used_refresh: &Secret,
    ) -> mysql::Result<Result<RefreshSave>> {
        let (user, access, refresh, expiry) = encoded;
        let mut tx = conn.start_transaction(TxOpts::default())?;
        let locked: Vec<rows::Row> = tx.exec(&self.select_user_locked, (user,))?;
        let stored = rows::decode_all(locked, &self.table())
            .into_iter()
            .find(|e| e.user.as_deref() == Some(user.as_str()));
        let stored = match stored.map(|e| e.tokens).transpose() {
            Ok(stored) => stored,
            Err(e) => return Ok(Err(e)),
        };
        let outcome = RefreshSave::decide(stored.as_ref(), fresh, used_refresh);
        if outcome == RefreshSave::Saved {
            tx.exec_drop(&self.delete_exact, (user, user))?;
            tx.exec_drop(&self.insert, (user, access, refresh, *expiry))?;
        }
        tx.commit()?;
        Ok(Ok(outcome))
    }
}

impl TokenStore for MysqlStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let mut found = self.candidates(user)?;
        match find_user(&rows::users(&found), user) {
            Some(i) => found.swap_remove(i).tokens.map(Some),
            None => Ok(None),
        }
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let (user, access, refresh, expiry) = rows::encode(tokens, &self.limits()?)?;
        let action = format!("save the tokens of {user}");
        call::run(&self.settings, &action, |conn| {
            let mut tx = conn.start_transaction(TxOpts::default())?;
            tx.exec_drop(&self.delete_exact, (&user, &user))?;
            tx.exec_drop(&self.insert, (&user, &access, &refresh, expiry))?;
            tx.commit()
        })
    }

    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        if fresh.user.is_none() {
            return Ok(RefreshSave::Superseded);
        }
        let encoded = rows::encode(fresh, &self.limits()?)?;
        let action = format!("save the refreshed tokens of {}", encoded.0);
        call::run(&self.settings, &action, |conn| {
            self.save_if_current(conn, &encoded, fresh, used_refresh)
        })?
    }

    fn delete(&self, user: &str) -> Result<bool> {
        let found = self.candidates(user)?;
        let Some(i) = find_user(&rows::users(&found), user) else {
            return Ok(false);
        };
        let exact = found[i].user.clone().unwrap_or_default();
        let action = format!("delete the tokens of {user}");
        let deleted = call::run(&self.settings, &action, |conn| {
            conn.exec_drop(&self.delete_exact, (&exact, &exact))?;
            Ok(conn.affected_rows())
        })?;
        if deleted > 0 {
            self.history.forget(&self.settings, &exact);
        }
        Ok(deleted > 0)
    }

    /// Checks the token table; creates the history side table when it can (a user without
    /// the right goes without history, never without a consent).
    fn prepare(&self) -> Result<()> {
        self.read_limits()?;
        let _ = self.history.create(&self.settings);
        Ok(())
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        let found: Vec<rows::Row> = call::run(&self.settings, "list the stored tokens", |conn| {
            conn.exec(&self.select_all, ())
        })?;
        rows::decode_all(found, &self.table())
            .into_iter()
            .map(|e| e.tokens)
            .collect()
    }

    side_table_methods!();

    fn describe(&self) -> String {
        self.settings.describe()
    }
}

impl std::fmt::Debug for MysqlStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MysqlStore")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}
