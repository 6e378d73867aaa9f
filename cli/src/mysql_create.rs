//! `mysql-create`: creates the MySQL/MariaDB database and token table (the SDK runs no DDL),
//! with the configured store keys changed by `--to-set KEY=VALUE`. The password comes from
//! the configuration file, `ZOHO_DB_PASSWORD`, or the terminal (`--ask-password`); never from
//! the command line.

use serde_json::json;
use zoho_oauth::Secret;
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::store::MysqlStore;
use zoho_oauth::store::mysql::MysqlSettings;

use crate::cli::MysqlCreateArgs;
use crate::config::Settings;
use crate::exit::Failure;
use crate::output::Output;
use crate::{prompt, shared_side};

/// Runs `CREATE DATABASE/TABLE IF NOT EXISTS` and prints the statements.
pub fn mysql_create(
    args: &MysqlCreateArgs,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    let config = shared_side::config(settings, BuiltInStore::parse("mysql")?, &args.to_set)?;
    let mut mysql = MysqlSettings::from_config(&config)?;
    if args.ask_password {
        mysql.password = ask_password(&mysql.endpoint())?;
    }
    let store = MysqlStore::with_settings(mysql);
    let statements = store.create_schema()?;
    let history = store.create_history_table()?;
    let statements = [statements[0].clone(), statements[1].clone(), history];
    let s = store.settings();
    out.result(
        &format!(
            "Created (if missing) {} and its refresh history table on {}:\n{};\n{};\n{};",
            s.qualified_table(),
            s.endpoint(),
            statements[0],
            statements[1],
            statements[2]
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

/// The database password typed at the terminal (it replaces any configured one).
fn ask_password(endpoint: &str) -> Result<Secret, Failure> {
    match prompt::secret(&format!("MySQL password for {endpoint}: ")) {
        Some(Ok(password)) => Ok(Secret::new(password)),
        Some(Err(e)) => Err(Failure::usage(format!("cannot read the password: {e}"))),
        None => Err(Failure::usage("--ask-password needs a terminal on stdin")
            .with_hint("or put db_password in the configuration file, or set ZOHO_DB_PASSWORD")),
    }
}
