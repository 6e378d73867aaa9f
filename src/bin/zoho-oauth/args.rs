//! The command line: commands, options, and parsing. `--help` text lives in `help.rs`.

use std::ffi::OsString;
use std::path::PathBuf;

use crate::exit::Failure;

/// A command of the tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Command {
    /// Browser sign-in through a loopback redirect.
    Login,
    /// Exchange a grant token (self-client).
    Exchange,
    /// Print a valid access token.
    Token,
    /// Refresh now.
    Refresh,
    /// Revoke at Zoho and forget.
    Revoke,
    /// List stored users.
    Users,
    /// Print the authorization URL.
    AuthorizeUrl,
    /// Copy tokens between stores (token file formats, MySQL, Redis).
    Migrate,
    /// Create the MySQL database and token table.
    MysqlCreate,
}

/// Every command with its name and one-line summary.
pub const COMMANDS: &[(Command, &str, &str)] = &[
    (
        Command::Login,
        "login",
        "sign in with a browser; saves the tokens",
    ),
    (
        Command::Exchange,
        "exchange",
        "exchange a grant token (API console > Self Client); saves the tokens",
    ),
    (
        Command::Token,
        "token",
        "print a valid access token (refreshed if needed) and nothing else",
    ),
    (Command::Refresh, "refresh", "get a new access token now"),
    (
        Command::Revoke,
        "revoke",
        "revoke the refresh token at Zoho and delete the stored tokens",
    ),
    (
        Command::Users,
        "users",
        "list stored users, expiry and data centre (tokens redacted)",
    ),
    (
        Command::AuthorizeUrl,
        "authorize-url",
        "print the URL to send a person to for consent",
    ),
    (
        Command::Migrate,
        "migrate",
        "copy tokens between stores: the SDK's file, the JSON file, MySQL, Redis",
    ),
    (
        Command::MysqlCreate,
        "mysql-create",
        "create the MySQL/MariaDB database and token table (with a key)",
    ),
];

impl Command {
    /// The command's name on the command line.
    pub fn name(self) -> &'static str {
        COMMANDS
            .iter()
            .find(|row| row.0 == self)
            .map_or("", |row| row.1)
    }

    fn parse(name: &str) -> Option<Command> {
        COMMANDS.iter().find(|row| row.1 == name).map(|row| row.0)
    }
}

/// Which commands accept an option.
#[derive(Clone, Copy)]
pub enum Scope {
    /// Every command.
    Global,
    /// Only these.
    Only(&'static [Command]),
}

/// One option: `--name [VALUE]`.
pub struct OptSpec {
    /// The name without dashes.
    pub name: &'static str,
    /// The value's placeholder, or `None` for a switch.
    pub value: Option<&'static str>,
    /// Which commands take it.
    pub scope: Scope,
    /// One line of help.
    pub help: &'static str,
}

use Command::{AuthorizeUrl, Exchange, Login, Migrate, MysqlCreate, Refresh, Revoke, Token};

/// Every option.
pub const OPTIONS: &[OptSpec] = &[
    OptSpec {
        name: "config",
        value: Some("FILE"),
        scope: Scope::Global,
        help: "configuration file (default $ZOHO_OAUTH_CONFIG, else ~/.config/zoho-oauth/config)",
    },
    OptSpec {
        name: "client-id",
        value: Some("ID"),
        scope: Scope::Global,
        help: "client ID from the API console (client_id)",
    },
    OptSpec {
        name: "redirect-uri",
        value: Some("URI"),
        scope: Scope::Global,
        help: "registered redirect URI (redirect_uri)",
    },
    OptSpec {
        name: "dc",
        value: Some("CODE"),
        scope: Scope::Global,
        help: "data centre: us, eu, in, au, jp, ca, sa, uk, cn (data_centre)",
    },
    OptSpec {
        name: "accounts-url",
        value: Some("URL"),
        scope: Scope::Global,
        help: "accounts server, instead of --dc (accounts_url)",
    },
    OptSpec {
        name: "token-dir",
        value: Some("DIR"),
        scope: Scope::Global,
        help: "directory of the token file (token_persistence_path)",
    },
    OptSpec {
        name: "store-format",
        value: Some("php|json"),
        scope: Scope::Global,
        help: "token file format (token_store_format)",
    },
    OptSpec {
        name: "json",
        value: None,
        scope: Scope::Global,
        help: "machine-readable output: one JSON object per line on stdout",
    },
    OptSpec {
        name: "help",
        value: None,
        scope: Scope::Global,
        help: "show help (also -h)",
    },
    OptSpec {
        name: "version",
        value: None,
        scope: Scope::Global,
        help: "print the version and exit",
    },
    OptSpec {
        name: "user",
        value: Some("EMAIL"),
        scope: Scope::Only(&[Token, Refresh, Revoke]),
        help: "the stored user (default: currentUserEmail, else the only stored user)",
    },
    OptSpec {
        name: "user",
        value: Some("EMAIL"),
        scope: Scope::Only(&[Login, Exchange]),
        help: "save under EMAIL if Zoho cannot tell who the user is (currentUserEmail)",
    },
    OptSpec {
        name: "scope",
        value: Some("SCOPES"),
        scope: Scope::Only(&[Login, AuthorizeUrl]),
        help: "comma-separated scopes, repeatable (default ZohoCRM.modules.ALL; scope)",
    },
    OptSpec {
        name: "no-browser",
        value: None,
        scope: Scope::Only(&[Login]),
        help: "do not try to open a browser; just print the URL",
    },
    OptSpec {
        name: "timeout",
        value: Some("SECS"),
        scope: Scope::Only(&[Login]),
        help: "how long to wait for Zoho's redirect (default 300)",
    },
    OptSpec {
        name: "grant-token",
        value: Some("CODE"),
        scope: Scope::Only(&[Exchange]),
        help: "the grant token; `-` reads it from stdin; asked for when omitted",
    },
    OptSpec {
        name: "refresh-token",
        value: Some("-"),
        scope: Scope::Only(&[Exchange]),
        help: "instead: save tokens from a refresh token read from stdin (e.g. ones NOT saved)",
    },
    OptSpec {
        name: "local",
        value: None,
        scope: Scope::Only(&[Revoke]),
        help: "only delete the stored tokens; do not call Zoho",
    },
    OptSpec {
        name: "state",
        value: Some("VALUE"),
        scope: Scope::Only(&[AuthorizeUrl]),
        help: "the state parameter (default: random)",
    },
    OptSpec {
        name: "access-type",
        value: Some("offline|online"),
        scope: Scope::Only(&[AuthorizeUrl]),
        help: "offline gives a refresh token (default offline)",
    },
    OptSpec {
        name: "no-consent",
        value: None,
        scope: Scope::Only(&[AuthorizeUrl]),
        help: "leave out prompt=consent (Zoho then issues no new refresh token)",
    },
    OptSpec {
        name: "to",
        value: Some("php|json|mysql|redis"),
        scope: Scope::Only(&[Migrate]),
        help: "the store to write (required)",
    },
    OptSpec {
        name: "from",
        value: Some("php|json|mysql|redis"),
        scope: Scope::Only(&[Migrate]),
        help: "the store to read (default: the other file format for php/json, else the configured file)",
    },
    OptSpec {
        name: "from-set",
        value: Some("KEY=VALUE"),
        scope: Scope::Only(&[Migrate]),
        help: "a store key for the source only (mysql_url, mysql_table, redis_url, ...); repeatable",
    },
    OptSpec {
        name: "to-set",
        value: Some("KEY=VALUE"),
        scope: Scope::Only(&[Migrate, MysqlCreate]),
        help: "a store key for the target only (host_address, mysql_url, mysql_table, ...); repeatable",
    },
    OptSpec {
        name: "from-file",
        value: Some("FILE"),
        scope: Scope::Only(&[Migrate]),
        help: "source file (default: the other format's file in the token dir)",
    },
    OptSpec {
        name: "to-file",
        value: Some("FILE"),
        scope: Scope::Only(&[Migrate]),
        help: "target file (default: the --to format's file in the token dir)",
    },
    OptSpec {
        name: "force",
        value: None,
        scope: Scope::Only(&[Migrate]),
        help: "overwrite a target file that already holds tokens",
    },
];

impl OptSpec {
    /// True if `command` (or no command, for global options) takes this option.
    pub fn applies_to(&self, command: Option<Command>) -> bool {
        match (self.scope, command) {
            (Scope::Global, _) => true,
            (Scope::Only(list), Some(c)) => list.contains(&c),
            (Scope::Only(_), None) => false,
        }
    }
}

/// Everything the command line said.
#[derive(Debug, Default)]
pub struct Args {
    /// The command; `None` with `help` shows the general help.
    pub command: Option<Command>,
    /// `--help`, `-h` or `help [COMMAND]`.
    pub help: bool,
    /// `--version`.
    pub version: bool,
    /// `--config`.
    pub config: Option<PathBuf>,
    /// `--json`.
    pub json: bool,
    /// SDK configuration keys set by flags, in order.
    pub settings: Vec<(&'static str, String)>,
    /// `--user`.
    pub user: Option<String>,
    /// `--scope`, each split at commas.
    pub scopes: Vec<String>,
    /// `--grant-token`.
    pub grant_token: Option<String>,
    /// `--refresh-token` (only `-`, stdin, is accepted: never a token in argv).
    pub refresh_token: Option<String>,
    /// `--no-browser`.
    pub no_browser: bool,
    /// `--timeout`.
    pub timeout_secs: Option<u64>,
    /// `--local`.
    pub local: bool,
    /// `--state`.
    pub state: Option<String>,
    /// `--access-type`.
    pub access_type: Option<String>,
    /// `--no-consent`.
    pub no_consent: bool,
    /// `--to`.
    pub to: Option<String>,
    /// `--from`.
    pub from: Option<String>,
    /// `--from-set KEY=VALUE`, in order.
    pub from_set: Vec<String>,
    /// `--to-set KEY=VALUE`, in order.
    pub to_set: Vec<String>,
    /// `--from-file`.
    pub from_file: Option<PathBuf>,
    /// `--to-file`.
    pub to_file: Option<PathBuf>,
    /// `--force`.
    pub force: bool,
}

/// Parses the arguments after the program name.
pub fn parse(raw: impl IntoIterator<Item = OsString>) -> Result<Args, Failure> {
    let words = raw
        .into_iter()
        .map(|w| {
            w.into_string()
                .map_err(|_| Failure::usage("an argument is not valid UTF-8"))
        })
        .collect::<Result<Vec<String>, Failure>>()?;
    let mut args = Args::default();
    let mut pending: Vec<(String, Option<String>)> = Vec::new();
    let mut iter = words.into_iter();
    let mut options_done = false;
    while let Some(word) = iter.next() {
        if !options_done && word == "--" {
            options_done = true;
        } else if !options_done && (word == "-h" || word == "--help") {
            args.help = true;
        } else if !options_done && word == "--version" {
            args.version = true;
        } else if !options_done && word.starts_with("--") {
            pending.push(take_option(&word, &mut iter)?);
        } else if !options_done && word.starts_with('-') && word.len() > 1 {
            return Err(unknown_option(&word));
        } else {
            positional(&mut args, &word)?;
        }
    }
    for (name, value) in pending {
        apply(&mut args, &name, value)?;
    }
    Ok(args)
}

/// Splits `--name=value`, or takes the value from the next word when the option needs one.
fn take_option(
    word: &str,
    rest: &mut impl Iterator<Item = String>,
) -> Result<(String, Option<String>), Failure> {
    let body = &word[2..];
    let (name, inline) = match body.split_once('=') {
        Some((n, v)) => (n, Some(v.to_string())),
        None => (body, None),
    };
    let spec = OPTIONS
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| unknown_option(word))?;
    match (spec.value, inline) {
        (None, Some(_)) => Err(Failure::usage(format!("--{name} takes no value"))),
        (None, None) => Ok((name.to_string(), None)),
        (Some(_), Some(v)) => Ok((name.to_string(), Some(v))),
        (Some(placeholder), None) => match rest.next() {
            Some(v) => Ok((name.to_string(), Some(v))),
            None => Err(Failure::usage(format!(
                "--{name} needs a value ({placeholder})"
            ))),
        },
    }
}

fn unknown_option(word: &str) -> Failure {
    Failure::usage(format!("unknown option {word}"))
        .with_hint("see zoho-oauth --help or zoho-oauth COMMAND --help")
}

fn positional(args: &mut Args, word: &str) -> Result<(), Failure> {
    if args.command.is_none() && word == "help" && !args.help {
        args.help = true;
        return Ok(());
    }
    if args.command.is_none() {
        return match Command::parse(word) {
            Some(c) => {
                args.command = Some(c);
                Ok(())
            }
            None => Err(Failure::usage(format!("unknown command '{word}'"))
                .with_hint("see zoho-oauth --help for the commands")),
        };
    }
    // A stray word may be a token pasted in the wrong place: never repeat one on stderr.
    if word.starts_with("1000.") {
        return Err(Failure::usage("unexpected argument '1000.…' (not repeated: it may be a token)")
            .with_hint("tokens never go on the command line: use --grant-token -, --refresh-token - or the prompt"));
    }
    Err(Failure::usage(format!("unexpected argument '{word}'"))
        .with_hint("values go after their option, e.g. --user ada@example.com"))
}

/// Records one option, once the command is known (so command-only options can be checked).
fn apply(args: &mut Args, name: &str, value: Option<String>) -> Result<(), Failure> {
    let allowed = OPTIONS
        .iter()
        .any(|o| o.name == name && o.applies_to(args.command));
    if !allowed {
        let which = args.command.map_or("zoho-oauth", Command::name);
        return Err(Failure::usage(format!("{which} does not take --{name}"))
            .with_hint(format!("see zoho-oauth {which} --help")));
    }
    let value = value.unwrap_or_default();
    match name {
        "config" => args.config = Some(PathBuf::from(value)),
        "client-id" => args.settings.push(("client_id", value)),
        "redirect-uri" => args.settings.push(("redirect_uri", value)),
        "dc" => args.settings.push(("data_centre", value)),
        "accounts-url" => args.settings.push(("accounts_url", value)),
        "token-dir" => args.settings.push(("token_persistence_path", value)),
        "store-format" => args.settings.push(("token_store_format", value)),
        "json" => args.json = true,
        "help" => args.help = true,
        "version" => args.version = true,
        "user" => args.user = Some(value),
        "scope" => args.scopes.extend(split_scopes(&value)),
        "no-browser" => args.no_browser = true,
        "timeout" => args.timeout_secs = Some(parse_secs(&value)?),
        "grant-token" => args.grant_token = Some(value),
        "refresh-token" => args.refresh_token = Some(value),
        "local" => args.local = true,
        "state" => args.state = Some(value),
        "access-type" => args.access_type = Some(value),
        "no-consent" => args.no_consent = true,
        "to" => args.to = Some(value),
        "from" => args.from = Some(value),
        "from-set" => args.from_set.push(value),
        "to-set" => args.to_set.push(value),
        "from-file" => args.from_file = Some(PathBuf::from(value)),
        "to-file" => args.to_file = Some(PathBuf::from(value)),
        "force" => args.force = true,
        _ => return Err(unknown_option(&format!("--{name}"))),
    }
    Ok(())
}

/// Splits a comma- or space-separated scope list, dropping empty items.
pub fn split_scopes(value: &str) -> impl Iterator<Item = String> + '_ {
    value
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn parse_secs(value: &str) -> Result<u64, Failure> {
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=86_400).contains(&n) => Ok(n),
        _ => Err(Failure::usage(format!(
            "--timeout '{value}' is not a number of seconds between 1 and 86400"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_words(words: &[&str]) -> Result<Args, Failure> {
        parse(words.iter().map(OsString::from))
    }

    #[test]
    fn options_before_and_after_the_command() {
        let a = parse_words(&["--json", "token", "--user=ada@example.com", "--dc", "eu"])
            .expect("valid");
        assert_eq!(a.command, Some(Command::Token));
        assert!(a.json);
        assert_eq!(a.user.as_deref(), Some("ada@example.com"));
        assert_eq!(a.settings, vec![("data_centre", "eu".to_string())]);
    }

    #[test]
    fn scopes_split_and_repeat() {
        let a = parse_words(&["login", "--scope", "A.b,C.d", "--scope=E.f"]).expect("valid");
        assert_eq!(a.scopes, ["A.b", "C.d", "E.f"]);
    }

    #[test]
    fn mistakes_are_usage_errors() {
        for words in [
            &["token", "--grant-token", "x"][..],
            &["frobnicate"],
            &["token", "--user"],
            &["users", "--json=yes"],
            &["token", "extra"],
            &["-x"],
            &["login", "--timeout", "0"],
        ] {
            let e = parse_words(words).err().map(|f| f.class);
            assert_eq!(e, Some(crate::exit::Class::Usage), "{words:?}");
        }
    }

    #[test]
    fn a_stray_token_is_not_repeated() {
        let f = parse_words(&["exchange", "--refresh-token", "-", "1000.abc.def"])
            .err()
            .map(|f| f.message)
            .unwrap_or_default();
        assert!(
            f.contains("unexpected argument") && !f.contains("abc"),
            "{f}"
        );
    }

    #[test]
    fn help_forms() {
        assert!(parse_words(&["help"]).expect("valid").help);
        let a = parse_words(&["help", "login"]).expect("valid");
        assert!(a.help);
        assert_eq!(a.command, Some(Command::Login));
        assert!(parse_words(&["users", "-h"]).expect("valid").help);
    }
}
