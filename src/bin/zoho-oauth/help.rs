//! `--help` text, built from the command, option, environment and exit-code tables.

use std::fmt::Write;

use crate::args::{COMMANDS, Command, OPTIONS};
use crate::config::ENV_VARS;
use crate::exit;

const SOURCES: &str = "\
Configuration (later sources win):
  1. the configuration file: key=value lines with Zoho SDK keys (client_id, client_secret,
     redirect_uri, data_centre or accounts_url, token_persistence_path, token_store_format,
     currentUserEmail, scope, ...); keep it mode 0600
  2. environment variables (below)
  3. command-line flags
The client secret is never taken from the command line (others can read it in `ps`): put it
in the file or ZOHO_CLIENT_SECRET; when it is missing and stdin is a terminal it is asked for
without echo. Defaults: redirect_uri http://localhost:8910/callback, token directory
$XDG_DATA_HOME/zoho-oauth (~/.local/share/zoho-oauth), format php (Zoho SDK's
zcrm_oauthtokens.txt, which the PHP extension and the C library read).
";

/// The general help.
pub fn general() -> String {
    let mut s = String::from(
        "zoho-oauth: Zoho OAuth 2.0 from the command line; tokens go to the same store the\n\
         PHP extension and the C library read.\n\nUsage: zoho-oauth [OPTIONS] COMMAND [COMMAND OPTIONS]\n\nCommands:\n",
    );
    for (_, name, summary) in COMMANDS {
        let _ = writeln!(s, "  {name:<15} {summary}");
    }
    s.push_str("  help COMMAND    show a command's options\n\nOptions (every command):\n");
    options(&mut s, None);
    s.push('\n');
    s.push_str(SOURCES);
    s.push_str("\nEnvironment:\n");
    for (var, key) in ENV_VARS {
        let _ = writeln!(s, "  {var:<26} {key}");
    }
    let _ = writeln!(s, "  {:<26} the configuration file", "ZOHO_OAUTH_CONFIG");
    s.push_str("\nExit codes:\n  0   success\n");
    for (_, code, name, meaning) in exit::TABLE {
        let _ = writeln!(s, "  {code:<3} {name}: {meaning}");
    }
    s.push_str(
        "\nExample:\n  curl -H \"Authorization: Zoho-oauthtoken $(zoho-oauth token --user ada@example.com)\" \\\n       https://www.zohoapis.com/crm/v2/users\n",
    );
    s
}

/// The help of one command.
pub fn command(command: Command) -> String {
    let (_, name, summary) = COMMANDS
        .iter()
        .find(|row| row.0 == command)
        .copied()
        .unwrap_or((command, command.name(), ""));
    let mut s = format!(
        "zoho-oauth {name}: {summary}\n\nUsage: zoho-oauth {name} [OPTIONS]\n\n{}\n",
        details(command)
    );
    s.push_str("\nOptions:\n");
    options(&mut s, Some(command));
    s.push_str("\nConfiguration sources, environment and exit codes: zoho-oauth --help\n");
    s
}

/// Lists the options: for a command its own first, then the global ones.
fn options(s: &mut String, command: Option<Command>) {
    let own = OPTIONS
        .iter()
        .filter(|o| command.is_some() && !o.applies_to(None) && o.applies_to(command));
    let global = OPTIONS.iter().filter(|o| o.applies_to(None));
    for o in own.chain(global) {
        let flag = match o.value {
            Some(v) => format!("--{} {v}", o.name),
            None => format!("--{}", o.name),
        };
        let _ = writeln!(s, "  {flag:<30} {}", o.help);
    }
}

fn details(command: Command) -> &'static str {
    match command {
        Command::Login => {
            "Builds the authorization URL (your scopes plus AaaServer.profile.READ, access_type=offline,\n\
             prompt=consent, a random state), listens on the loopback redirect URI (http://127.0.0.1:PORT/...\n\
             or http://localhost:PORT/..., registered for your client in the API console), prints the URL\n\
             and opens a browser when it can. When Zoho redirects back it checks state, follows\n\
             accounts-server to your data centre (only Zoho's own servers), exchanges the code, finds\n\
             your e-mail and saves the tokens under it. With --json the first line is {\"authorize_url\":...}.\n\
             Tokens that cannot be saved are printed on stdout (exit 6); see zoho-oauth help exchange."
        }
        Command::Exchange => {
            "Exchanges a grant token made in the API console (Self Client > Generate Code) within its\n\
             lifetime, finds the user's e-mail (the scopes need AaaServer.profile.READ, or give --user)\n\
             and saves the tokens. Use --dc for a client in another data centre.\n\
             If the token file cannot be written (corrupt, unwritable), the tokens Zoho issued are\n\
             printed on stdout (exit 6) instead of lost; fix the file, then pipe them into\n\
             `zoho-oauth exchange --refresh-token -`, which refreshes and saves them."
        }
        Command::Token => {
            "Prints the user's access token and a newline, nothing else, refreshing it first when less\n\
             than a minute is left. A valid token is answered from the file, without a request.\n\
             curl -H \"Authorization: Zoho-oauthtoken $(zoho-oauth token --user ada@example.com)\" ..."
        }
        Command::Refresh => {
            "Gets a new access token from the stored refresh token now and saves it."
        }
        Command::Revoke => {
            "Revokes the stored refresh token at Zoho (its access tokens die with it), then deletes\n\
             the stored tokens. If Zoho refuses, nothing is deleted; --local only deletes."
        }
        Command::Users => {
            "Lists the users in the token file: access token expiry, data centre and redacted tokens.\n\
             The JSON format records the data centre that issued each user's tokens; for entries that\n\
             do not (the SDK format), the configured one is shown, marked `(configured)`: that is\n\
             where their refreshes go."
        }
        Command::AuthorizeUrl => {
            "Prints the authorization URL for the configured client and redirect URI, for a manual flow:\n\
             open it, consent, copy `code` from the redirect, then run `zoho-oauth exchange`."
        }
        Command::Migrate => {
            "Copies every entry between the SDK's zcrm_oauthtokens.txt (php) and zoho_oauth_tokens.json\n\
             (json). The source is kept. php -> json -> php gives back the same bytes; json -> php drops\n\
             api_domain, scope and accounts_url, which the SDK format cannot hold (the JSON file keeps\n\
             them). Point token_store_format at the new format afterwards.\n\
             --to/--from mysql or redis copy to or from a shared store, user by user under both\n\
             stores' refresh locks; each side takes the configured store keys, changed for that side\n\
             only by --from-set/--to-set KEY=VALUE (e.g. --to-set mysql_url=mysql://app@db/zohooauth).\n\
             A target that already holds tokens is refused unless --force."
        }
        Command::MysqlCreate => {
            "Creates the MySQL/MariaDB database and the token table when they do not exist, in the\n\
             SDK's column order (useridentifier, accesstoken, refreshtoken, expirytime), utf8mb4, with a\n\
             primary key on useridentifier. Uses the configured keys (host_address, db_port, db_username,\n\
             db_password, mysql_url, mysql_database, mysql_table, ...), changed by --to-set KEY=VALUE.\n\
             Prints the statements it ran."
        }
    }
}
