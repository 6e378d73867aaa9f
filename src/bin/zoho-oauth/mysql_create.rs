//! `mysql-create`: creates the MySQL/MariaDB database and token table (the SDK runs no DDL),
//! with the configured store keys changed by `--to-set KEY=VALUE`.

use serde_json::json;
use zoho_oauth::config::StoreKind;
use zoho_oauth::store::MysqlStore;

use crate::cli::MysqlCreateArgs;
use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Output;
use crate::shared_side;

/// Runs `CREATE DATABASE/TABLE IF NOT EXISTS` and prints the statements.
pub fn mysql_create(
    args: &MysqlCreateArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let config = shared_side::config(settings, StoreKind::Mysql, &args.to_set)?;
    let store = MysqlStore::open(&config)?;
    let statements = store.create_schema()?;
    let s = store.settings();
    out.result(
        &format!(
            "Created (if missing) {} on {}:\n{};\n{};",
            s.qualified_table(),
            s.endpoint(),
            statements[0],
            statements[1]
        ),
        json!({
            "database": s.database,
            "table": s.table,
            "server": s.endpoint(),
            "statements": statements,
        }),
    );
    Ok(())
}
