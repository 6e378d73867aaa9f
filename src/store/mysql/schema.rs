//! The tables' layouts: the SDK's four columns, the current SDKs' `oauthtoken` table, their
//! sizes as the server reports them, and the `CREATE` statements for a missing database or
//! table. A leaf of the module graph: every other module of the MySQL store may use it.

use mysql::prelude::Queryable;

use super::settings::MysqlSettings;
use crate::error::{Error, ErrorKind, Remedy, Result};

/// The SDK's columns, in the order its `SELECT *` reads them.
pub const COLUMNS: [&str; 4] = [
    "useridentifier",
    "accesstoken",
    "refreshtoken",
    "expirytime",
];

/// The SDK documentation's column width for the three text columns.
pub const SDK_VARCHAR: usize = 100;

/// The table name that selects the current SDKs' layout (`oauthtoken`).
pub const OAUTHTOKEN_TABLE: &str = "oauthtoken";

/// The `oauthtoken` table's columns, in the SDK's order: the same names as the SDK's `sdk_tokens.txt` header.
pub const OAUTHTOKEN_COLUMNS: [&str; 10] = crate::store::sdk_csv::format::HEADER;

/// The SDK README's table, with `user_name` nullable (the SDK writes NULL with
/// `findUser(false)`, which the README's `NOT NULL` refuses in strict mode). `zoho-oauth
/// mysql-create --to-set mysql_table=oauthtoken` runs it.
pub fn create_oauthtoken_table(qualified: &str) -> String {
    format!(
        "CREATE TABLE IF NOT EXISTS {qualified} (id varchar(10) NOT NULL, user_name varchar(255), \
         client_id varchar(255), client_secret varchar(255), refresh_token varchar(255), \
         access_token varchar(255), grant_token varchar(255), expiry_time varchar(20), \
         redirect_url varchar(255), api_domain varchar(255), PRIMARY KEY (id))"
    )
}

/// How long each text column may be, in characters (or bytes for `*TEXT`/`BLOB` columns).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// `useridentifier`.
    pub user: Limit,
    /// `accesstoken`.
    pub access: Limit,
    /// `refreshtoken`.
    pub refresh: Limit,
}

/// The capacity of one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// The maximum length.
    pub max: u64,
    /// Whether `max` counts bytes (binary and `TEXT` columns) rather than characters.
    pub bytes: bool,
}

impl Limit {
    /// The length of `value` as this column counts it.
    pub fn length(&self, value: &str) -> usize {
        if self.bytes {
            value.len()
        } else {
            value.chars().count()
        }
    }

    /// Whether `value` fits.
    pub fn fits(&self, value: &str) -> bool {
        self.length(value) as u64 <= self.max
    }
}

/// Reads the table's column sizes; a missing database or table, or a missing column, is an
/// error that says how to create it.
pub fn read_limits(conn: &mut impl Queryable, s: &MysqlSettings) -> mysql::Result<Result<Limits>> {
    let rows: Vec<(String, Option<u64>, String)> = conn.exec(
        "SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH, DATA_TYPE FROM information_schema.COLUMNS \
         WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
        (&s.database, &s.table),
    )?;
    if rows.is_empty() {
        return Ok(Err(missing(s, "use the token table")));
    }
    let limit = |name: &str| {
        rows.iter()
            .find(|(column, _, _)| column.eq_ignore_ascii_case(name))
            .map(|(_, max, kind)| Limit {
                max: max.unwrap_or(u64::MAX),
                bytes: kind.contains("text") || kind.contains("blob") || kind.contains("binary"),
            })
    };
    let has_expiry = rows
        .iter()
        .any(|(c, _, _)| c.eq_ignore_ascii_case(COLUMNS[3]));
    // A single-byte connection character set (latin1, as the SDK gets on a latin1 server)
    // hands the server every byte as one character: lengths then count bytes.
    let single_byte: Option<u64> = conn.query_first(
        "SELECT MAXLEN FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME = @@SESSION.character_set_connection",
    )?;
    let per_byte = |limit: Limit| Limit {
        bytes: limit.bytes || single_byte == Some(1),
        ..limit
    };
    match (
        limit(COLUMNS[0]),
        limit(COLUMNS[1]),
        limit(COLUMNS[2]),
        has_expiry,
    ) {
        (Some(user), Some(access), Some(refresh), true) => Ok(Ok(Limits {
            user: per_byte(user),
            access: per_byte(access),
            refresh: per_byte(refresh),
        })),
        _ => Ok(Err(wrong_columns(s, "use the token table"))),
    }
}

/// `CREATE DATABASE` and `CREATE TABLE` for the configured names: the SDK's columns in its
/// order, utf8mb4, exact (binary) comparison of identifiers, and a primary key so the
/// server itself keeps one row per user.
pub fn create_statements(s: &MysqlSettings) -> [String; 2] {
    [
        format!(
            "CREATE DATABASE IF NOT EXISTS `{}` CHARACTER SET utf8mb4",
            s.database
        ),
        if s.table.eq_ignore_ascii_case(OAUTHTOKEN_TABLE) {
            create_oauthtoken_table(&s.qualified_table())
        } else {
            format!(
                "CREATE TABLE IF NOT EXISTS {} (useridentifier varchar(255) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL, accesstoken varchar(255), refreshtoken varchar(255), expirytime bigint, PRIMARY KEY (useridentifier)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
                s.qualified_table()
            )
        },
    ]
}

/// The error for a missing database or table, with the statements that create them (the
/// current SDKs' layout for a table named `oauthtoken`).
pub fn missing(s: &MysqlSettings, action: &str) -> Error {
    let [db, table] = create_statements(s);
    Error::new(
        ErrorKind::StoreIo,
        format!(
            "cannot {action}: the table {} does not exist on the MySQL server {}",
            s.qualified_table(),
            s.endpoint()
        ),
    )
    .with_remedy(Remedy::CreateSchema)
    .with_hint(format!("create it: {db}; {table};"))
}

/// The error for a table without the SDK's columns (the old SDK's four, or the current
/// SDKs' ten for a table named `oauthtoken`).
pub fn wrong_columns(s: &MysqlSettings, action: &str) -> Error {
    let [_, table] = create_statements(s);
    let columns = if s.table.eq_ignore_ascii_case(OAUTHTOKEN_TABLE) {
        OAUTHTOKEN_COLUMNS.join(", ")
    } else {
        COLUMNS.join(", ")
    };
    Error::new(
        ErrorKind::StoreIo,
        format!(
            "cannot {action}: the table {} lacks the columns {columns}",
            s.qualified_table()
        ),
    )
    .with_hint(format!("the SDK's layout is: {table};"))
}
