//! The `oauthtoken` table of Zoho's current SDKs (php-sdk 5.0 ... 8.0, and the Python and
//! Java SDKs' `DBStore`): one row per token, `id, user_name, client_id, client_secret,
//! refresh_token, access_token, grant_token, expiry_time, redirect_url, api_domain`.
//!
//! Selected with `token_store=mysql` and `mysql_table=oauthtoken`. Unmodified SDK processes
//! can share the table: each of their statements is one atomic `UPDATE` or
//! `INSERT ... ON DUPLICATE KEY UPDATE`; ours run in transactions, and refreshes are serialized
//! among our processes with `GET_LOCK` (as the MySQL store's); a refresh's save checks, in the
//! same transaction, that the row still holds the refresh token the refresh used. A row the
//! SDK saved without a user (`findUser(false)`) is found by its id. Every value travels as a
//! bound parameter; token values read are checked before use (see `rows`).

use mysql::prelude::Queryable;
use mysql::{TxOpts, Value};

use super::settings::MysqlSettings;
use super::{call, rows as checks};
use crate::config::Config;
use crate::error::Result;
use crate::secret::Secret;
use crate::store::entry::{OpenFromConfig, StoreClass, StoreEntry};
use crate::store::sdk_csv::{SdkRow, rows as csv_rows};
use crate::store::{RefreshSave, TokenStore};
use crate::token::Tokens;

pub use super::schema::{
    OAUTHTOKEN_COLUMNS as COLUMNS, OAUTHTOKEN_TABLE as TABLE,
    create_oauthtoken_table as create_table,
};

/// A MySQL/MariaDB table in the current SDKs' layout (`oauthtoken`, ten columns):
/// `token_store=mysql` (or `mariadb`) with `mysql_table` `oauthtoken` (any case).
pub(crate) static ENTRY: StoreEntry =
    StoreEntry::new::<OauthtokenStore>("mysql_oauthtoken", "mysql", StoreClass::Shared)
        .labelled("mysql")
        .also_selected_by(&["mariadb"])
        .selected_when(names_oauthtoken);

/// Whether `mysql_table` names the current SDKs' `oauthtoken` table.
fn names_oauthtoken(config: &Config) -> bool {
    config
        .store()
        .settings()
        .get("mysql_table")
        .is_some_and(|t| t.eq_ignore_ascii_case(TABLE))
}

impl OpenFromConfig for OauthtokenStore {
    fn open_from(config: &Config) -> Result<OauthtokenStore> {
        OauthtokenStore::open(config)
    }
}

/// The SDK's `oauthtoken` table as a token store.
pub struct OauthtokenStore {
    settings: MysqlSettings,
    /// The refresh histories' side table.
    history: super::SideTable,
    new_row: SdkRow,
    select_all: String,
    select_all_locked: String,
    update: String,
    insert: String,
    delete: String,
    max_id: String,
}

impl OauthtokenStore {
    /// The store for a configuration whose `mysql_table` is `oauthtoken`; new rows carry its
    /// client id, secret and redirect URI. Does not connect: the first call does.
    pub fn open(config: &Config) -> Result<OauthtokenStore> {
        Ok(OauthtokenStore::with_settings(
            config,
            MysqlSettings::from_config(config)?,
        ))
    }

    /// The store for explicit settings.
    pub fn with_settings(config: &Config, settings: MysqlSettings) -> OauthtokenStore {
        let table = settings.qualified_table();
        let columns = COLUMNS.join(", ");
        let marks = vec!["?"; COLUMNS.len()].join(", ");
        let new_row = SdkRow {
            client_id: config.identity().client_id().to_string(),
            client_secret: config.client_secret().cloned().unwrap_or_default(),
            redirect_url: config.identity().redirect_uri().to_string(),
            ..SdkRow::default()
        };
        OauthtokenStore {
            select_all: format!("SELECT {columns} FROM {table} ORDER BY LENGTH(id), id"),
            select_all_locked: format!(
                "SELECT {columns} FROM {table} ORDER BY LENGTH(id), id FOR UPDATE"
            ),
            update: format!(
                "UPDATE {table} SET access_token = ?, refresh_token = ?, expiry_time = ?, api_domain = ? WHERE id = ?"
            ),
            insert: format!("INSERT INTO {table} ({columns}) VALUES ({marks})"),
            delete: format!("DELETE FROM {table} WHERE id = ?"),
            max_id: format!(
                "SELECT COALESCE(MAX(CAST(id AS UNSIGNED)), 0) + 1 FROM {table} FOR UPDATE"
            ),
            history: super::SideTable::of(&settings),
            settings,
            new_row,
        }
    }

    /// Creates the refresh histories' side table when it does not exist; returns the
    /// statement.
    pub fn create_history_table(&self) -> Result<String> {
        self.history.create(&self.settings)
    }

    /// Creates the table when it does not exist.
    pub fn create_table(&self) -> Result<String> {
        let sql = create_table(&self.settings.qualified_table());
        call::run(&self.settings, "create the oauthtoken table", |conn| {
            conn.query_drop(&sql)
        })?;
        Ok(sql)
    }

    /// Every row, in id order.
    pub fn rows(&self) -> Result<Vec<SdkRow>> {
        let rows: Vec<mysql::Row> =
            call::run(&self.settings, "read the oauthtoken table", |conn| {
                conn.exec(&self.select_all, ())
            })?;
        Ok(rows.into_iter().map(decode).collect())
    }

    /// The tokens of `row`, once its values are checked (see [`checked`]).
    fn tokens_of(&self, row: &SdkRow) -> Result<Tokens> {
        checked(row, &self.settings.qualified_table())?;
        Ok(csv_rows::to_tokens(row))
    }

    /// Writes `tokens` into `rows` (read under `FOR UPDATE` in `tx`): updates the user's row
    /// (keeping its id and client columns) or inserts one with the next id.
    fn write(
        &self,
        tx: &mut mysql::Transaction<'_>,
        mut rows: Vec<SdkRow>,
        tokens: &Tokens,
    ) -> mysql::Result<()> {
        let user = tokens.user_or_empty();
        let existing = csv_rows::find(&rows, user).map(|i| rows[i].id.clone());
        csv_rows::upsert(&mut rows, tokens, || self.new_row.clone());
        let row = match &existing {
            Some(id) => rows.iter().find(|r| r.id == *id),
            None => rows.last(),
        };
        let Some(row) = row.cloned() else {
            return Ok(());
        };
        if let Some(id) = existing {
            let values = (
                row.access_token.expose(),
                null_if_empty(row.refresh_token.expose()),
                null_if_empty(&row.expiry_time),
                null_if_empty(&row.api_domain),
                id,
            );
            return tx.exec_drop(&self.update, values);
        }
        let next: Option<u64> = tx.exec_first(&self.max_id, ())?;
        let values: Vec<Value> = vec![
            next.unwrap_or(1).to_string().into(),
            null_if_empty(&row.user_name),
            null_if_empty(&row.client_id),
            null_if_empty(row.client_secret.expose()),
            null_if_empty(row.refresh_token.expose()),
            null_if_empty(row.access_token.expose()),
            Value::NULL,
            null_if_empty(&row.expiry_time),
            null_if_empty(&row.redirect_url),
            null_if_empty(&row.api_domain),
        ];
        tx.exec_drop(&self.insert, values)
    }

    /// Every row, read with `FOR UPDATE` in `tx`: our writers run one after the other, so a
    /// user is inserted once and ids are not allocated twice.
    fn locked_rows(&self, tx: &mut mysql::Transaction<'_>) -> mysql::Result<Vec<SdkRow>> {
        let rows: Vec<mysql::Row> = tx.exec(&self.select_all_locked, ())?;
        Ok(rows.into_iter().map(decode).collect())
    }
}

/// Checks the values of `row` of `table` that the library hands out or computes with: the
/// tokens (UTF-8, no control characters, at most [`checks::MAX_VALUE_BYTES`]) and the expiry
/// (a number, or empty).
fn checked(row: &SdkRow, table: &str) -> Result<()> {
    let user = csv_rows::key(row);
    checks::checked_user(table, user)?;
    for (column, value) in [
        ("access_token", row.access_token.expose()),
        ("refresh_token", row.refresh_token.expose()),
    ] {
        if value.contains('\u{fffd}') {
            return Err(checks::corrupt(table, user, column, "is not UTF-8 text"));
        }
        checks::checked_text(table, user, column, Value::Bytes(value.as_bytes().to_vec()))?;
    }
    if checks::number(Value::Bytes(row.expiry_time.as_bytes().to_vec())).is_none() {
        return Err(checks::corrupt(
            table,
            user,
            "expiry_time",
            "is not a number",
        ));
    }
    Ok(())
}

fn text(value: Option<Value>) -> String {
    match value {
        Some(Value::Bytes(bytes)) => String::from_utf8_lossy(&bytes).into_owned(),
        Some(Value::Int(i)) => i.to_string(),
        Some(Value::UInt(u)) => u.to_string(),
        Some(Value::Double(d)) => format!("{d:.0}"),
        Some(Value::Float(f)) => format!("{f:.0}"),
        _ => String::new(),
    }
}

fn decode(mut row: mysql::Row) -> SdkRow {
    let mut take = |i: usize| text(row.take::<Value, usize>(i));
    SdkRow {
        id: take(0),
        user_name: take(1),
        client_id: take(2),
        client_secret: Secret::new(take(3)),
        refresh_token: Secret::new(take(4)),
        access_token: Secret::new(take(5)),
        grant_token: Secret::new(take(6)),
        expiry_time: take(7),
        redirect_url: take(8),
        api_domain: take(9),
    }
}

fn null_if_empty(value: &str) -> Value {
    if value.is_empty() {
        Value::NULL
    } else {
        Value::Bytes(value.as_bytes().to_vec())
    }
}

impl TokenStore for OauthtokenStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let rows = self.rows()?;
        csv_rows::find(&rows, user)
            .map(|i| self.tokens_of(&rows[i]))
            .transpose()
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        csv_rows::check_storable(tokens)?;
        let action = format!("save the tokens of {}", tokens.user_or_empty());
        call::run(&self.settings, &action, |conn| {
            let mut tx = conn.start_transaction(TxOpts::default())?;
            let rows = self.locked_rows(&mut tx)?;
            self.write(&mut tx, rows, tokens)?;
            tx.commit()
        })
    }

    fn save_refreshed(&self, fresh: &Tokens, used_refresh: &Secret) -> Result<RefreshSave> {
        csv_rows::check_storable(fresh)?;
        let Some(user) = fresh.user.as_deref() else {
            return Ok(RefreshSave::Superseded);
        };
        let action = format!("save the refreshed tokens of {user}");
        call::run(&self.settings, &action, |conn| {
            let mut tx = conn.start_transaction(TxOpts::default())?;
            let rows = self.locked_rows(&mut tx)?;
            let stored = rows.iter().find(|r| csv_rows::key(r) == user);
            let stored = match stored.map(|r| self.tokens_of(r)).transpose() {
                Ok(stored) => stored,
                Err(e) => return Ok(Err(e)),
            };
            let outcome = RefreshSave::decide(stored.as_ref(), fresh, used_refresh);
            if outcome == RefreshSave::Saved {
                self.write(&mut tx, rows, fresh)?;
            }
            tx.commit()?;
            Ok(Ok(outcome))
        })?
    }

    /// Checks the table; creates the history side table when it can.
    fn prepare(&self) -> Result<()> {
        let select_none = format!("{} LIMIT 0", self.select_all);
        call::run(&self.settings, "check the oauthtoken table", |conn| {
            conn.query_drop(&select_none)
        })?;
        let _ = self.history.create(&self.settings);
        Ok(())
    }

    fn delete(&self, user: &str) -> Result<bool> {
        let rows = self.rows()?;
        let Some(i) = csv_rows::find(&rows, user) else {
            return Ok(false);
        };
        let id = rows[i].id.clone();
        let stored = csv_rows::key(&rows[i]).to_string();
        let deleted = call::run(
            &self.settings,
            &format!("delete the tokens of {user}"),
            |conn| {
                conn.exec_drop(&self.delete, (&id,))?;
                Ok(conn.affected_rows())
            },
        )?;
        if deleted > 0 {
            self.history.forget(&self.settings, &stored);
        }
        Ok(deleted > 0)
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        self.rows()?.iter().map(|row| self.tokens_of(row)).collect()
    }

    super::side_table_methods!();

    fn describe(&self) -> String {
        self.settings.describe()
    }
}
