//! The help's prose: the general help around clap's lists, and each command's details.

use std::fmt::Write;

use crate::environment::env_vars;
use crate::exit;

/// What the tool is, first in the general help and the man page's NAME.
pub const ABOUT: &str = "Zoho OAuth 2.0 from the command line; tokens go to the same store the\n\
PHP extension and the C library read.";

/// The usage line of the general help.
pub const USAGE: &str = "zoho-oauth [OPTIONS] COMMAND [COMMAND OPTIONS]";

/// The layout of the general help.
pub const GENERAL_TEMPLATE: &str =
    "{bin}: {about}\n\n{usage-heading} {usage}\n\n{all-args}{after-help}";

/// The layout of a command's help (clap's `{bin}` would write `zoho-oauth-login`).
pub fn command_template(name: &str) -> String {
    format!(
        "zoho-oauth {name}: {{about}}\n\n{{usage-heading}} {{usage}}\n\n{{before-help}}{{all-args}}{{after-help}}"
    )
}

/// The last line of a command's help.
pub const COMMAND_AFTER: &str =
    "Configuration sources, environment and exit codes: zoho-oauth --help";

/// Where the configuration comes from (the general help and the man page).
pub const SOURCES: &str = "\
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

/// The general help after the lists of commands and options: configuration sources, the
/// environment variables, the exit codes and an example.
pub fn general_after() -> String {
    let mut s = String::from(SOURCES);
    s.push_str("\nEnvironment:\n");
    for (var, meaning) in environment() {
        let _ = writeln!(s, "  {var:<26} {meaning}");
    }
    s.push_str("\nExit codes:\n");
    for (code, name, meaning) in exit_codes() {
        let _ = writeln!(s, "  {code:<3} {name}: {meaning}");
    }
    s.push_str(
        "\nExample:\n  curl -H \"Authorization: Zoho-oauthtoken $(zoho-oauth token --user ada@example.com)\" \\\n       https://www.zohoapis.com/crm/v2/users",
    );
    s
}

/// Every environment variable the tool reads, with the key it sets (or what it names):
/// [`env_vars`], then `ZOHO_OAUTH_CONFIG`.
pub fn environment() -> Vec<(&'static str, &'static str)> {
    let mut vars: Vec<_> = env_vars().collect();
    vars.push(("ZOHO_OAUTH_CONFIG", "the configuration file"));
    vars
}

/// Every exit code with its name and meaning: 0, then the CLI's table (`exit::TABLE`).
pub fn exit_codes() -> Vec<(u8, &'static str, &'static str)> {
    std::iter::once((0, "success", "the command did what it was asked"))
        .chain(
            exit::TABLE
                .iter()
                .map(|(_, code, name, meaning)| (*code, *name, *meaning)),
        )
        .collect()
}

/// `login`'s details.
pub const LOGIN: &str = "\
Builds the authorization URL (your scopes plus AaaServer.profile.READ, access_type=offline,
prompt=consent, a random state), listens on the loopback redirect URI (http://127.0.0.1:PORT/...
or http://localhost:PORT/..., registered for your client in the API console), prints the URL
and opens a browser when it can. When Zoho redirects back it checks state, follows
accounts-server to your data centre (only Zoho's own servers), exchanges the code, finds
your e-mail and saves the tokens under it. With --json the first line is {\"authorize_url\":...}.
Tokens that cannot be saved are printed on stdout (exit 6); see zoho-oauth help exchange.";

/// `exchange`'s details.
pub const EXCHANGE: &str = "\
Exchanges a grant token made in the API console (Self Client > Generate Code) within its
lifetime, finds the user's e-mail (the scopes need AaaServer.profile.READ, or give --user)
and saves the tokens. Use --dc for a client in another data centre.
If the token file cannot be written (corrupt, unwritable), the tokens Zoho issued are
printed on stdout (exit 6) instead of lost; fix the file, then pipe them into
`zoho-oauth exchange --refresh-token -`, which refreshes and saves them.";

/// `token`'s details.
pub const TOKEN: &str = "\
Prints the user's access token and a newline, nothing else, refreshing it first when less
than a minute is left. A valid token is answered from the file, without a request.
curl -H \"Authorization: Zoho-oauthtoken $(zoho-oauth token --user ada@example.com)\" ...";

/// `refresh`'s details.
pub const REFRESH: &str = "Gets a new access token from the stored refresh token now and saves it.";

/// `revoke`'s details.
pub const REVOKE: &str = "\
Revokes the stored refresh token at Zoho (its access tokens die with it), then deletes
the stored tokens. If Zoho refuses, nothing is deleted; --local only deletes.";

/// `users`' details.
pub const USERS: &str = "\
Lists the users in the token file: access token expiry, data centre and redacted tokens.
The JSON format records the data centre that issued each user's tokens; for entries that
do not (the SDK format), the configured one is shown, marked `(configured)`: that is
where their refreshes go.";

/// `status`' details.
pub const STATUS: &str = "\
Shows each stored user (or --user): the access token's time left, whether a refresh token
is stored and when it was issued, data centre and scope, the last refresh (when, on which
host and process, how long it took), refreshes in the last 10 minutes against Zoho's cap of
10, failures in a row and the last error's kind, and whether the refresh lock is held now;
then the store: where, reachable, round trip. --json prints one JSON object per line (the
store first). Tokens are never shown. See docs/operations.md.";

/// `check`'s details.
pub const CHECK: &str = "\
A monitoring-plugin check (Nagios, Icinga, cron, a container health check): one line
`ZOHO-OAUTH STATE - text | perfdata` and exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
CRITICAL: a refresh token is gone or refused (revoked), refreshes keep failing (3 in a row),
or the store is unreachable. WARNING: a user made 8 or more of Zoho's 10 refreshes per 10
minutes, or its access token has less than --min-ttl left and its last refresh failed.";

/// `metrics`' details.
pub const METRICS: &str = "\
Prints the store's and users' figures in Prometheus' text format, for node_exporter's
textfile collector (zoho-oauth metrics > /var/lib/node_exporter/zoho_oauth.prom.tmp && mv ...):
zoho_oauth_refreshes_total, zoho_oauth_refresh_failures_total{kind},
zoho_oauth_access_token_expiry_seconds, zoho_oauth_lock_wait_seconds,
zoho_oauth_store_round_trip_seconds and more. --no-user-labels drops the user label.";

/// `authorize-url`'s details.
pub const AUTHORIZE_URL: &str = "\
Prints the authorization URL for the configured client and redirect URI, for a manual flow:
open it, consent, copy `code` from the redirect, then run `zoho-oauth exchange`.";

/// `migrate`'s details.
pub const MIGRATE: &str = "\
Copies every entry between the SDK's zcrm_oauthtokens.txt (php) and zoho_oauth_tokens.json
(json). The source is kept. php -> json -> php gives back the same bytes; json -> php drops
api_domain, scope and accounts_url, which the SDK format cannot hold (the JSON file keeps
them). Point token_store_format at the new format afterwards.
--to/--from mysql or redis copy to or from a shared store, user by user under both
stores' refresh locks; each side takes the configured store keys, changed for that side
only by --from-set/--to-set KEY=VALUE (e.g. --to-set mysql_url=mysql://app@db/zohooauth).
A target that already holds tokens is refused unless --force.";

/// `mysql-create`'s details.
pub const MYSQL_CREATE: &str = "\
Creates the MySQL/MariaDB database and the token table when they do not exist, in the
SDK's column order (useridentifier, accesstoken, refreshtoken, expirytime), utf8mb4, with a
primary key on useridentifier. Uses the configured keys (host_address, db_port, db_username,
db_password, mysql_url, mysql_database, mysql_table, ...), changed by --to-set KEY=VALUE.
Prints the statements it ran.";

/// `keygen`'s details.
pub const KEYGEN: &str = "\
Writes 32 random bytes, in base64, to a new file at PATH, mode 0600; an existing file or a
symlink is refused. Prints the key's id. Name the file first in token_encryption_key_file
(ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE) to seal tokens with it: see docs/encryption.md.";

/// `rekey`'s details.
pub const REKEY: &str = "\
Rewrites every stored user now in the form the configuration writes: sealed with the first
key of token_encryption_key_file (values sealed with an older key, or in clear, are resealed),
or in clear with token_encryption=read. Each user under its refresh lock, with a conditional
write: a refresh or a consent meanwhile is never undone; an interrupted run leaves every
value readable. Keep the old keys configured until it reports every user done.";

/// `help`'s summary.
pub const HELP: &str = "show the help, or a command's options: help COMMAND";

/// `completions`' details.
pub const COMPLETIONS: &str = "\
Prints the completion script for SHELL (bash, zsh or fish), generated from the same
definition as this help. E.g. zoho-oauth completions bash > /etc/bash_completion.d/zoho-oauth";

/// `man`'s details.
pub const MAN: &str = "\
Prints the manual page (roff), generated from the same definition as this help.
E.g. zoho-oauth man | man -l -";
