//! The command line, defined once with clap: commands, options and their help. The parser,
//! `--help`, the man page and the shell completions all come from this definition.

mod parse;
pub mod text;
mod values;

use std::path::PathBuf;

use clap::{ArgAction, Args, Parser, Subcommand, ValueEnum};

pub use parse::{Parsed, parse};

/// Everything the command line said.
#[derive(Parser, Debug)]
#[command(
    name = "zoho-oauth",
    bin_name = "zoho-oauth",
    about = text::ABOUT,
    version = zoho_oauth::VERSION,
    disable_version_flag = true,
    disable_help_flag = true,
    subcommand_value_name = "COMMAND",
    subcommand_help_heading = "Commands",
    help_template = text::GENERAL_TEMPLATE,
)]
pub struct Cli {
    /// The options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// The command; `None` is an error unless `--version` was given.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The options every command takes (before or after the command).
#[derive(Args, Debug)]
#[command(next_help_heading = "Options (every command)")]
pub struct Global {
    /// configuration file (default $ZOHO_OAUTH_CONFIG, else ~/.config/zoho-oauth/config)
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// client ID from the API console (client_id)
    #[arg(long, global = true, value_name = "ID")]
    pub client_id: Option<String>,
    /// registered redirect URI (redirect_uri)
    #[arg(long, global = true, value_name = "URI")]
    pub redirect_uri: Option<String>,
    /// data centre: us, eu, in, au, jp, ca, sa, uk, cn (data_centre)
    #[arg(
        long,
        global = true,
        value_name = "CODE",
        conflicts_with = "accounts_url",
        value_parser = values::data_centres(),
        hide_possible_values = true
    )]
    pub dc: Option<String>,
    /// accounts server, instead of --dc (accounts_url)
    #[arg(long, global = true, value_name = "URL")]
    pub accounts_url: Option<String>,
    /// directory of the token file (token_persistence_path)
    #[arg(long, global = true, value_name = "DIR")]
    pub token_dir: Option<String>,
    /// token file format (token_store_format)
    #[arg(
        long,
        global = true,
        value_name = "php|json",
        value_parser = values::store_formats(),
        hide_possible_values = true
    )]
    pub store_format: Option<String>,
    /// machine-readable output: one JSON object per line on stdout
    #[arg(long, global = true)]
    pub json: bool,
    /// show help (also -h)
    #[arg(short = 'h', long, global = true, action = ArgAction::Help)]
    pub help: Option<bool>,
    /// print the version and exit
    #[arg(long, global = true)]
    pub version: bool,
}

/// A command of the tool.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// sign in with a browser; saves the tokens
    #[command(before_help = text::LOGIN)]
    Login(LoginArgs),
    /// exchange a grant token (API console > Self Client); saves the tokens
    #[command(before_help = text::EXCHANGE)]
    Exchange(ExchangeArgs),
    /// print a valid access token (refreshed if needed) and nothing else
    #[command(before_help = text::TOKEN)]
    Token(UserArgs),
    /// get a new access token now
    #[command(before_help = text::REFRESH)]
    Refresh(UserArgs),
    /// revoke the refresh token at Zoho and delete the stored tokens
    #[command(before_help = text::REVOKE)]
    Revoke(RevokeArgs),
    /// list stored users, expiry and data centre (tokens redacted)
    #[command(before_help = text::USERS)]
    Users,
    /// each user's tokens, last refresh, refresh cap, failures and lock; the store's health
    #[command(before_help = text::STATUS)]
    Status(UserArgs),
    /// a monitoring check: exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN, one line of text
    #[command(before_help = text::CHECK)]
    Check(CheckArgs),
    /// print the tokens' figures in Prometheus' text format
    #[command(before_help = text::METRICS)]
    Metrics(MetricsArgs),
    /// print the URL to send a person to for consent
    #[command(before_help = text::AUTHORIZE_URL)]
    AuthorizeUrl(AuthorizeUrlArgs),
    /// copy tokens between stores: the SDK's file, the JSON file, sdk_tokens.txt, MySQL, Redis
    #[command(before_help = text::MIGRATE)]
    Migrate(MigrateArgs),
    /// create the MySQL/MariaDB database and token table (with a key)
    #[command(before_help = text::MYSQL_CREATE)]
    MysqlCreate(MysqlCreateArgs),
    /// write a new token encryption key to a new file (0600, never over a file)
    #[command(before_help = text::KEYGEN)]
    Keygen(KeygenArgs),
    /// reseal every user's tokens now with the first key (or open them, token_encryption=read)
    #[command(before_help = text::REKEY)]
    Rekey,
    /// print a shell completion script (bash, zsh or fish) on stdout
    #[command(before_help = text::COMPLETIONS)]
    Completions(CompletionsArgs),
    /// print the man page (roff) on stdout
    #[command(before_help = text::MAN)]
    Man,
}

/// `login`.
#[derive(Args, Debug)]
pub struct LoginArgs {
    /// save under EMAIL if Zoho cannot tell who the user is (currentUserEmail)
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// The scopes.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// do not try to open a browser; just print the URL
    #[arg(long)]
    pub no_browser: bool,
    /// how long to wait for Zoho's redirect (default 300)
    #[arg(long = "timeout", value_name = "SECS", value_parser = parse::seconds)]
    pub timeout_secs: Option<u64>,
}

/// `exchange`.
#[derive(Args, Debug)]
pub struct ExchangeArgs {
    /// save under EMAIL if Zoho cannot tell who the user is (currentUserEmail)
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// the grant token; `-` reads it from stdin; asked for when omitted
    #[arg(long, value_name = "CODE")]
    pub grant_token: Option<String>,
    /// instead: save tokens from a refresh token read from stdin (e.g. ones NOT saved)
    #[arg(long, value_name = "-")]
    pub refresh_token: Option<String>,
}

/// `token` and `refresh`: which stored user.
#[derive(Args, Debug)]
pub struct UserArgs {
    /// the stored user (default: currentUserEmail, else the only stored user)
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
}

/// `check`.
#[derive(Args, Debug)]
pub struct CheckArgs {
    /// check only this user (default: every stored user)
    #[arg(long, value_name = "EMAIL")]
    pub user: Option<String>,
    /// access-token life below which a failing refresh is a warning (default 300)
    #[arg(long = "min-ttl", value_name = "SECS", value_parser = parse::seconds)]
    pub min_ttl_secs: Option<u64>,
}

/// `metrics`.
#[derive(Args, Debug)]
pub struct MetricsArgs {
    /// leave out the user label (sums and worst values over users instead)
    #[arg(long)]
    pub no_user_labels: bool,
}

/// `revoke`.
#[derive(Args, Debug)]
pub struct RevokeArgs {
    /// Which user.
    #[command(flatten)]
    pub who: UserArgs,
    /// only delete the stored tokens; do not call Zoho
    #[arg(long)]
    pub local: bool,
}

/// `--scope`, for `login` and `authorize-url`.
#[derive(Args, Debug)]
pub struct ScopeArgs {
    /// comma-separated scopes, repeatable (default ZohoCRM.modules.ALL; scope)
    #[arg(long = "scope", value_name = "SCOPES")]
    pub lists: Vec<String>,
}

impl ScopeArgs {
    /// Every scope given, each list split at commas and spaces.
    pub fn scopes(&self) -> Vec<String> {
        self.lists.iter().flat_map(|l| split_scopes(l)).collect()
    }
}

/// `authorize-url`.
#[derive(Args, Debug)]
pub struct AuthorizeUrlArgs {
    /// The scopes.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// the state parameter (default: random)
    #[arg(long, value_name = "VALUE")]
    pub state: Option<String>,
    /// offline gives a refresh token (default offline)
    #[arg(long, value_name = "offline|online", value_parser = values::access_types(), hide_possible_values = true)]
    pub access_type: Option<String>,
    /// leave out prompt=consent (Zoho then issues no new refresh token)
    #[arg(long)]
    pub no_consent: bool,
}

/// `migrate`.
#[derive(Args, Debug)]
pub struct MigrateArgs {
    /// the store to write (required; csv: the current SDKs' sdk_tokens.txt)
    #[arg(long, value_name = "php|json|csv|mysql|redis", value_parser = values::migrate_sides(), hide_possible_values = true)]
    pub to: Option<String>,
    /// the store to read (default: the other file format for php/json, else the configured file)
    #[arg(long, value_name = "php|json|csv|mysql|redis", value_parser = values::migrate_sides(), hide_possible_values = true)]
    pub from: Option<String>,
    /// a store key for the source only (mysql_url, mysql_table, redis_url, ...); repeatable
    #[arg(long, value_name = "KEY=VALUE")]
    pub from_set: Vec<String>,
    /// a store key for the target only (host_address, mysql_url, mysql_table, ...); repeatable
    #[arg(long, value_name = "KEY=VALUE")]
    pub to_set: Vec<String>,
    /// show what would change (users added, replaced, removed) and write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// seal the target's tokens (on) or write them in clear (off); default: token_encryption
    #[arg(long, value_name = "on|off")]
    pub to_encryption: Option<String>,
    /// source file (default: the other format's file in the token dir)
    #[arg(long, value_name = "FILE")]
    pub from_file: Option<PathBuf>,
    /// target file (default: the --to format's file in the token dir)
    #[arg(long, value_name = "FILE")]
    pub to_file: Option<PathBuf>,
    /// overwrite a target file that already holds tokens
    #[arg(long)]
    pub force: bool,
}

/// `mysql-create`.
#[derive(Args, Debug)]
pub struct MysqlCreateArgs {
    /// a store key for the target only (host_address, mysql_url, mysql_table, ...); repeatable;
    /// never a password
    #[arg(long, value_name = "KEY=VALUE")]
    pub to_set: Vec<String>,
    /// ask for the database password on the terminal, without echo
    #[arg(long)]
    pub ask_password: bool,
}

/// `keygen`.
#[derive(Args, Debug)]
pub struct KeygenArgs {
    /// the key file to create (it must not exist)
    #[arg(value_name = "PATH")]
    pub path: std::path::PathBuf,
}

/// `completions`.
#[derive(Args, Debug)]
pub struct CompletionsArgs {
    /// the shell: bash, zsh or fish
    #[arg(value_enum, value_name = "SHELL", hide_possible_values = true)]
    pub shell: Shell,
}

/// The shells `completions` writes for.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    /// GNU bash.
    Bash,
    /// Z shell.
    Zsh,
    /// fish.
    Fish,
}

/// Splits a comma- or space-separated scope list, dropping empty items.
pub fn split_scopes(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// The clap definition, for the parser, `--help`, the man page and the completions.
pub fn definition() -> clap::Command {
    definition_named("zoho-oauth")
}

/// The definition under another command name (bash's completion script is generated under
/// one without a hyphen; see `generated::bash`).
pub fn definition_named(bin: &str) -> clap::Command {
    let mut command = <Cli as clap::CommandFactory>::command()
        .bin_name(bin.to_string())
        .override_usage(text::USAGE)
        .after_help(text::general_after());
    command.build(); // adds clap's `help` command, worded below
    command.mut_subcommands(|c| {
        let template = text::command_template(c.get_name());
        let c = c.help_template(template).after_help(text::COMMAND_AFTER);
        match c.get_name() {
            "help" => c.about(text::HELP),
            _ => c,
        }
    })
}
