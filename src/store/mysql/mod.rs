//! The MySQL/MariaDB token store: Zoho's SDK default, shared by a whole fleet.
//!
//! Rows keep the SDK's layout (`useridentifier, accesstoken, refreshtoken, expirytime`), so
//! the SDK and this library read each other's rows. Every statement is prepared (tokens and
//! identifiers travel as bound parameters, never in SQL text); every save is one transaction
//! that removes the user's rows (the SDK's duplicates included) and inserts one. Refreshes
//! are serialized across machines with `GET_LOCK` on a connection of its own. Nothing
//! connects until the first call; see `settings` for the configuration keys.

mod errors;
mod lock;
pub mod oauthtoken;
mod pool;
mod rows;
pub mod schema;
pub(crate) mod settings;

use std::sync::Mutex;
use std::time::Duration;

use mysql::TxOpts;
use mysql::prelude::Queryable;

pub use settings::MysqlSettings;

use super::{LockGuard, TokenStore, find_user};
use crate::config::Config;
use crate::error::Result;
use crate::token::Tokens;
use schema::Limits;

/// The token table on a MySQL or MariaDB server.
pub struct MysqlStore {
    settings: MysqlSettings,
    /// The column sizes, read once on first use.
    limits: Mutex<Option<Limits>>,
    select_user: String,
    select_user_ci: String,
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
            select_all: format!("SELECT {columns} FROM {table}"),
            delete_exact: format!(
                "DELETE FROM {table} WHERE useridentifier = ? AND CONVERT(useridentifier USING utf8mb4) COLLATE utf8mb4_bin = ?"
            ),
            insert: format!("INSERT INTO {table} ({columns}) VALUES (?, ?, ?, ?)"),
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
        pool::run(&self.settings, "create the token table", |conn| {
            statements.iter().try_for_each(|sql| conn.query_drop(sql))
        })?;
        if let Ok(mut limits) = self.limits.lock() {
            *limits = None;
        }
        Ok(statements)
    }

    /// The column sizes, read from the server on first use.
    fn limits(&self) -> Result<Limits> {
        if let Ok(cached) = self.limits.lock()
            && let Some(limits) = *cached
        {
            return Ok(limits);
        }
        let limits = pool::run(&self.settings, "read the token table's layout", |conn| {
            schema::read_limits(conn, &self.settings)
        })??;
        if let Ok(mut cached) = self.limits.lock() {
            *cached = Some(limits);
        }
        Ok(limits)
    }

    /// The rows for `user`: exact (and, under a case-insensitive collation, case variants),
    /// then, when there are none and the identifier is an e-mail, any case variant.
    fn candidates(&self, user: &str) -> Result<Vec<Tokens>> {
        let action = format!("read the tokens of {user}");
        let rows: Vec<rows::Row> = pool::run(&self.settings, &action, |conn| {
            conn.exec(&self.select_user, (user,))
        })?;
        let mut found = rows::decode_all(rows);
        // Under a case-insensitive collation the first query already returned the case
        // variants; only an exact (binary) collation needs the second, scanning, query.
        if user.contains('@') && found.is_empty() {
            let rows: Vec<rows::Row> = pool::run(&self.settings, &action, |conn| {
                conn.exec(&self.select_user_ci, (user,))
            })?;
            found = rows::decode_all(rows);
        }
        Ok(found)
    }
}

impl TokenStore for MysqlStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let found = self.candidates(user)?;
        Ok(find_user(&found, user).map(|i| found[i].clone()))
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let (user, access, refresh, expiry) = rows::encode(tokens, &self.limits()?)?;
        let action = format!("save the tokens of {user}");
        pool::run(&self.settings, &action, |conn| {
            let mut tx = conn.start_transaction(TxOpts::default())?;
            tx.exec_drop(&self.delete_exact, (&user, &user))?;
            tx.exec_drop(&self.insert, (&user, &access, &refresh, expiry))?;
            tx.commit()
        })
    }

    fn delete(&self, user: &str) -> Result<bool> {
        let found = self.candidates(user)?;
        let Some(i) = find_user(&found, user) else {
            return Ok(false);
        };
        let exact = found[i].user_or_empty().to_string();
        let action = format!("delete the tokens of {user}");
        let deleted = pool::run(&self.settings, &action, |conn| {
            conn.exec_drop(&self.delete_exact, (&exact, &exact))?;
            Ok(conn.affected_rows())
        })?;
        Ok(deleted > 0)
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        let rows: Vec<rows::Row> = pool::run(&self.settings, "list the stored tokens", |conn| {
            conn.exec(&self.select_all, ())
        })?;
        Ok(rows::decode_all(rows))
    }

    fn lock_user(&self, user: &str, wait: Duration) -> Result<LockGuard> {
        lock::lock_guard(&self.settings, user, wait)
    }

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
