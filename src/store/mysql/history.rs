//! The refresh histories ([`crate::history`]) of a MySQL store's users, in a side table
//! `<table>_history` next to the token table (never in the SDK's own table, whose columns
//! the SDKs read). Created by `prepare` and `zoho-oauth mysql-create` when missing (and by
//! the first write that finds it missing); a user without the right to create it only goes
//! without history. A write under a user's refresh lock runs on that lock's connection.

use mysql::prelude::Queryable;

use super::call;
use super::lock;
use super::settings::MysqlSettings;
use crate::error::Result;
use crate::store::{LockState, MAX_HISTORY_LEN as MAX_ENCODED_LEN};

/// MySQL's error for a table that does not exist (`ER_NO_SUCH_TABLE`).
const NO_SUCH_TABLE: u16 = 1146;

/// The side table of one token table: its statements.
pub struct SideTable {
    create: String,
    select: String,
    upsert: String,
    delete: String,
}

impl SideTable {
    /// The side table of `s`'s token table.
    pub fn of(s: &MysqlSettings) -> SideTable {
        let table = format!("`{}`.`{}_history`", s.database, s.table);
        SideTable {
            create: format!(
                "CREATE TABLE IF NOT EXISTS {table} (useridentifier VARCHAR(255) NOT NULL PRIMARY KEY, history VARCHAR({MAX_ENCODED_LEN}) NOT NULL, updated_at BIGINT NOT NULL) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin"
            ),
            select: format!("SELECT history FROM {table} WHERE useridentifier = ?"),
            upsert: format!(
                "INSERT INTO {table} (useridentifier, history, updated_at) VALUES (?, ?, ?) ON DUPLICATE KEY UPDATE history = VALUES(history), updated_at = VALUES(updated_at)"
            ),
            delete: format!("DELETE FROM {table} WHERE useridentifier = ?"),
        }
    }

    /// Creates the side table when missing; returns the statement.
    pub fn create(&self, s: &MysqlSettings) -> Result<String> {
        call::run(s, "create the refresh history table", |conn| {
            conn.query_drop(&self.create)
        })?;
        Ok(self.create.clone())
    }

    /// `user`'s encoded history; `None` when there is none, or no side table.
    pub fn read(&self, s: &MysqlSettings, user: &str) -> Result<Option<String>> {
        let action = format!("read the refresh history of {user}");
        call::run(s, &action, |conn| {
            match conn.exec_first::<String, _, _>(&self.select, (user,)) {
                Err(mysql::Error::MySqlError(e)) if e.code == NO_SUCH_TABLE => Ok(None),
                other => other,
            }
        })
    }

    /// Replaces `user`'s history; creates the side table first when it is missing.
    pub fn write(&self, s: &MysqlSettings, user: &str, encoded: &str) -> Result<()> {
        let action = format!("record the refresh history of {user}");
        let now = crate::clock::system_now_ms();
        call::run(s, &action, |conn| {
            match conn.exec_drop(&self.upsert, (user, encoded, now)) {
                Err(mysql::Error::MySqlError(e)) if e.code == NO_SUCH_TABLE => {
                    conn.query_drop(&self.create)?;
                    conn.exec_drop(&self.upsert, (user, encoded, now))
                }
                other => other,
            }
        })
    }
}

impl SideTable {
    /// Forgets `user`'s history, after its tokens were deleted. Best effort: a row left
    /// behind (no side table, no right to delete, the server gone) is harmless, the tokens
    /// are gone.
    pub fn forget(&self, s: &MysqlSettings, user: &str) {
        let action = format!("forget the refresh history of {user}");
        let _ = call::run(s, &action, |conn| conn.exec_drop(&self.delete, (user,)));
    }
}

/// Whether some session holds `user`'s refresh lock now (`IS_USED_LOCK`); the server does
/// not say since when.
pub fn probe_lock(s: &MysqlSettings, user: &str) -> Result<LockState> {
    let name = lock::lock_name(s, user);
    let holder: Option<Option<u64>> = call::run(s, "look at a refresh lock", |conn| {
        conn.exec_first("SELECT IS_USED_LOCK(?)", (&name,))
    })?;
    Ok(match holder.flatten() {
        Some(_) => LockState::Held {
            held_for: None,
            expires_in: None,
        },
        None => LockState::Free,
    })
}
