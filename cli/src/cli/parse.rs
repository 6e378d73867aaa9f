//! Parsing the command line: clap's verdict, worded as the tool's usage errors (exit 2),
//! which never repeat a word that could be a token.

use std::ffi::OsString;

use clap::FromArgMatches;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use super::{Cli, definition};
use crate::exit::Failure;

/// What the command line asks for.
pub enum Parsed {
    /// Run this.
    Run(Box<Cli>),
    /// Print this help text and stop.
    Help(String),
}

/// Parses the arguments after the program name.
pub fn parse(raw: Vec<OsString>) -> Result<Parsed, Failure> {
    let words = std::iter::once(OsString::from("zoho-oauth")).chain(raw);
    let matches = match definition().try_get_matches_from(words) {
        Ok(matches) => matches,
        Err(e) if e.kind() == ErrorKind::DisplayHelp => return Ok(Parsed::Help(e.to_string())),
        Err(e) => return Err(usage(&e)),
    };
    Cli::from_arg_matches(&matches)
        .map(|cli| Parsed::Run(Box::new(cli)))
        .map_err(|e| usage(&e))
}

/// A clap error in the tool's words.
fn usage(e: &clap::Error) -> Failure {
    let arg = context(e, ContextKind::InvalidArg);
    match e.kind() {
        ErrorKind::UnknownArgument => unknown(e, arg.unwrap_or_default()),
        ErrorKind::InvalidSubcommand => {
            let word = context(e, ContextKind::InvalidSubcommand).unwrap_or_default();
            Failure::usage(format!("unknown command {}", quoted(&word)))
                .with_hint("see zoho-oauth --help for the commands")
        }
        ErrorKind::InvalidValue if context(e, ContextKind::InvalidValue).as_deref() == Some("") => {
            let name = flag_name(arg.as_deref());
            Failure::usage(format!("{name} needs a value"))
        }
        ErrorKind::TooManyValues | ErrorKind::NoEquals => {
            Failure::usage(format!("{} takes no value", flag_name(arg.as_deref())))
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e).map_or_else(String::new, |s| s.to_string());
            Failure::usage(why)
        }
        ErrorKind::ArgumentConflict => Failure::usage(format!(
            "{} cannot be used with {}",
            flag_name(arg.as_deref()),
            flag_name(context(e, ContextKind::PriorArg).as_deref())
        )),
        ErrorKind::InvalidUtf8 => Failure::usage("an argument is not valid UTF-8"),
        ErrorKind::InvalidValue => match valid_values(e) {
            Some(valid) => Failure::usage(format!(
                "{} must be one of: {valid}",
                arg.unwrap_or_default()
            )),
            None => Failure::usage(first_line(e)).with_hint("see zoho-oauth COMMAND --help"),
        },
        ErrorKind::MissingRequiredArgument => {
            Failure::usage(format!("{} is required", arg.unwrap_or_default()))
                .with_hint("see zoho-oauth COMMAND --help")
        }
        _ => Failure::usage(first_line(e)).with_hint("see zoho-oauth --help"),
    }
}

/// An argument no command here takes: an unknown option, a value given to a switch
/// (`--json=yes`), or a stray word, which is not repeated when it looks like a token.
fn unknown(e: &clap::Error, word: String) -> Failure {
    if let Some((name, _)) = word.split_once('=')
        && known_switch(name)
    {
        return Failure::usage(format!("{name} takes no value"));
    }
    if word.starts_with('-') && word.len() > 1 {
        let name = word.split_once('=').map_or(word.as_str(), |(n, _)| n);
        if known_anywhere(name) {
            return match subcommand_of(e) {
                Some(command) => Failure::usage(format!("{command} does not take {name}"))
                    .with_hint(format!("see zoho-oauth {command} --help")),
                None => Failure::usage(format!(
                    "{name} is a command's option: give it after the command"
                ))
                .with_hint(
                    "e.g. zoho-oauth token --user ada@example.com; see zoho-oauth COMMAND --help",
                ),
            };
        }
        return Failure::usage(format!("unknown option {name}"))
            .with_hint("see zoho-oauth --help or zoho-oauth COMMAND --help");
    }
    if looks_like_a_token(&word) {
        return Failure::usage(format!("unexpected argument {}", quoted(&word)))
            .with_hint("tokens never go on the command line: use --grant-token -, --refresh-token - or the prompt");
    }
    Failure::usage(format!("unexpected argument {}", quoted(&word)))
        .with_hint("values go after their option, e.g. --user ada@example.com")
}

/// Zoho's grant, access and refresh tokens start with `1000.`.
fn looks_like_a_token(word: &str) -> bool {
    word.starts_with("1000.")
}

/// A word for a message in quotes, or `'1000.…'` when it may be a token (never repeated).
fn quoted(word: &str) -> String {
    if looks_like_a_token(word) {
        "'1000.…' (not repeated: it may be a token)".to_string()
    } else {
        format!("'{word}'")
    }
}

/// The clap error's context of `kind`, as text.
fn context(e: &clap::Error, kind: ContextKind) -> Option<String> {
    match e.get(kind)? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(list) => list.first().cloned(),
        _ => None,
    }
}

/// The values clap would have accepted, comma-separated.
fn valid_values(e: &clap::Error) -> Option<String> {
    match e.get(ContextKind::ValidValue)? {
        ContextValue::Strings(list) => Some(list.join(", ")),
        _ => None,
    }
}

/// `--name` out of clap's `--name <VALUE>`.
fn flag_name(arg: Option<&str>) -> String {
    arg.and_then(|a| a.split_whitespace().next())
        .unwrap_or("an option")
        .to_string()
}

/// The subcommand named in clap's usage line, when the error is about one.
fn subcommand_of(e: &clap::Error) -> Option<String> {
    let usage = match e.get(ContextKind::Usage)? {
        ContextValue::StyledStr(s) => s.to_string(),
        _ => return None,
    };
    let name = usage.split_whitespace().nth(2)?.to_string();
    definition()
        .get_subcommands()
        .any(|c| c.get_name() == name)
        .then_some(name)
}

/// Whether some command takes `--name`.
fn known_anywhere(flag: &str) -> bool {
    some_option(flag, |_| true)
}

/// Whether `--name` is a switch (takes no value) of some command.
fn known_switch(flag: &str) -> bool {
    some_option(flag, |a| !a.get_action().takes_values())
}

/// Whether some command has an option `--name` for which `test` holds.
fn some_option(flag: &str, test: impl Fn(&clap::Arg) -> bool) -> bool {
    let name = flag.trim_start_matches('-');
    let root = definition();
    std::iter::once(&root)
        .chain(root.get_subcommands())
        .flat_map(clap::Command::get_arguments)
        .any(|a| a.get_long() == Some(name) && test(a))
}

/// The first line of clap's message, without its `error: ` prefix.
fn first_line(e: &clap::Error) -> String {
    let text = e
        .kind()
        .as_str()
        .map_or_else(|| e.to_string(), str::to_string);
    text.lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches("error: ")
        .to_string()
}

/// `--timeout`: whole seconds between 1 and 86400.
pub fn seconds(value: &str) -> Result<u64, String> {
    match value.trim().parse::<u64>() {
        Ok(n) if (1..=86_400).contains(&n) => Ok(n),
        _ => Err(format!(
            "--timeout '{value}' is not a number of seconds between 1 and 86400"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::Command;

    fn parse_words(words: &[&str]) -> Result<Parsed, Failure> {
        parse(words.iter().map(OsString::from).collect())
    }

    fn run(words: &[&str]) -> Cli {
        match parse_words(words) {
            Ok(Parsed::Run(cli)) => *cli,
            _ => panic!("{words:?} did not parse"),
        }
    }

    #[test]
    fn options_before_and_after_the_command() {
        let cli = run(&["--json", "token", "--user=ada@example.com", "--dc", "eu"]);
        assert!(cli.global.json);
        assert_eq!(cli.global.dc.as_deref(), Some("eu"));
        match cli.command {
            Some(Command::Token(args)) => assert_eq!(args.user.as_deref(), Some("ada@example.com")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn scopes_split_and_repeat() {
        let cli = run(&["login", "--scope", "A.b,C.d", "--scope=E.f"]);
        match cli.command {
            Some(Command::Login(args)) => assert_eq!(args.scope.scopes(), ["A.b", "C.d", "E.f"]),
            other => panic!("{other:?}"),
        }
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
            &["completions", "tcsh"],
            &["--version=1"],
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
    fn no_message_repeats_a_token() {
        for words in [
            &["1000.abc.def"][..],
            &["token", "1000.abc.def"],
            &["token", "--frob=1000.abc.def"],
        ] {
            let f = parse_words(words)
                .err()
                .map(|f| f.message)
                .unwrap_or_default();
            assert!(!f.is_empty() && !f.contains("abc"), "{words:?}: {f}");
        }
    }

    #[test]
    fn an_option_of_another_command_is_named_as_such() {
        let f = parse_words(&["token", "--grant-token", "x"]).err();
        assert_eq!(
            f.map(|f| f.message).as_deref(),
            Some("token does not take --grant-token")
        );
    }

    #[test]
    fn a_command_option_before_the_command_says_where_it_goes() {
        let f = parse_words(&["--user", "ada@example.com", "token"]).err();
        assert_eq!(
            f.map(|f| f.message).as_deref(),
            Some("--user is a command's option: give it after the command")
        );
    }

    #[test]
    fn help_forms() {
        let help = |words: &[&str]| match parse_words(words) {
            Ok(Parsed::Help(text)) => text,
            _ => panic!("{words:?} gave no help"),
        };
        assert!(help(&["help"]).starts_with("zoho-oauth: "));
        assert!(help(&["help", "login"]).starts_with("zoho-oauth login: "));
        assert_eq!(help(&["users", "-h"]), help(&["help", "users"]));
    }
}
