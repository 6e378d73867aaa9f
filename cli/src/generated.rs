//! `completions` and `man`: the shell completion scripts and the man page, generated from
//! the same clap definition as the parser and `--help`, so they cannot drift from them.

use roff::{Roff, bold, italic, roman};

use crate::cli::{Shell, definition, definition_named};
use crate::exit::{Class, Failure};

/// The command's name.
const BIN: &str = "zoho-oauth";
/// The name bash's script is generated under (see [`bash`]).
const BASH_BIN: &str = "zoho_oauth";

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    match shell {
        Shell::Bash => bash(),
        Shell::Zsh => generate(clap_complete::Shell::Zsh, BIN),
        Shell::Fish => fish(),
    }
}

fn generate(shell: clap_complete::Shell, bin: &str) -> String {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut definition_named(bin), bin, &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// bash's script. clap_complete names a subcommand's state `zoho__oauth__subcmd__login` where
/// it walks the words, but `zoho__subcmd__oauth__subcmd__login` where it offers that
/// subcommand's options, when the command's name has a hyphen: nothing would complete after
/// the subcommand. Generated for `zoho_oauth` the two agree; the script then registers its
/// function for the real name (its last lines: `complete -F _zoho_oauth ... zoho-oauth`).
fn bash() -> String {
    let script = generate(clap_complete::Shell::Bash, BASH_BIN);
    let generated_for = format!(" {BASH_BIN}");
    script
        .lines()
        .map(|line| match line.strip_suffix(generated_for.as_str()) {
            Some(start) if line.trim_start().starts_with("complete -F ") => {
                format!("{start} {BIN}\n")
            }
            _ => format!("{line}\n"),
        })
        .collect()
}

/// fish's script. Its `__fish_zoho_oauth_needs_command` parses the words so far with
/// `argparse`, which fails while a global option still waits for its value (`zoho-oauth --dc
/// <TAB>`); the generated function then answers "not at the command" and no value completes.
/// No command has been given at that point, so the answer is made "at the command".
fn fish() -> String {
    const PARSE_FAILED: &str =
        "    argparse -s (__fish_zoho_oauth_global_optspecs) -- $cmd 2>/dev/null\n    or return\n";
    let script = generate(clap_complete::Shell::Fish, BIN);
    script.replacen(
        PARSE_FAILED,
        &PARSE_FAILED.replace("or return\n", "or return 0\n"),
        1,
    )
}

/// The man page, in roff: what `--help` says (name, synopsis, options), a COMMANDS section
/// with each command's help, then CONFIGURATION, ENVIRONMENT, FILES, EXIT STATUS (see
/// `man_sections`) and an EXAMPLE.
pub fn man() -> Result<String, Failure> {
    let command = definition();
    let man = clap_mangen::Man::new(command.clone());
    let mut page = Vec::new();
    let failed = |e: std::io::Error| {
        Failure::new(Class::Internal, format!("cannot render the man page: {e}"))
    };
    man.render_title(&mut page).map_err(failed)?;
    man.render_name_section(&mut page).map_err(failed)?;
    man.render_synopsis_section(&mut page).map_err(failed)?;
    man.render_options_section(&mut page).map_err(failed)?;
    commands_section(&command)
        .to_writer(&mut page)
        .map_err(failed)?;
    crate::man_sections::sections()
        .to_writer(&mut page)
        .map_err(failed)?;
    example_section(&command)
        .to_writer(&mut page)
        .map_err(failed)?;
    man.render_version_section(&mut page).map_err(failed)?;
    Ok(String::from_utf8_lossy(&page).into_owned())
}

/// COMMANDS: per command its summary, details and own options (the global ones are in
/// OPTIONS (EVERY COMMAND)).
fn commands_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands() {
        let name = format!("zoho-oauth {}", sub.get_name());
        roff.control("SS", [name.as_str()]);
        if let Some(about) = sub.get_about() {
            roff.text([roman(format!("{about}."))]);
        }
        if let Some(details) = sub.get_before_help() {
            let details = details.to_string();
            roff.control("PP", []);
            roff.text([roman(details.lines().collect::<Vec<_>>().join(" "))]);
        }
        let own = sub
            .get_arguments()
            .filter(|a| !a.is_hide_set() && !a.is_global_set());
        for arg in own {
            roff.control("TP", []);
            roff.text(option_header(arg));
            let help = arg.get_help().map(ToString::to_string).unwrap_or_default();
            roff.text([roman(help)]);
        }
    }
    roff
}

/// EXAMPLE: the general help's closing example, its lines kept as they are.
fn example_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["EXAMPLE"]);
    roff.control("nf", []);
    let text = command
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    for line in text.lines().skip_while(|l| *l != "Example:").skip(1) {
        roff.text([roman(line.trim_start())]);
    }
    roff.control("fi", []);
    roff
}

/// `--name VALUE` (bold name, italic value), or a positional's `VALUE`.
fn option_header(arg: &clap::Arg) -> Vec<roff::Inline> {
    let value = arg
        .get_value_names()
        .and_then(|names| names.first())
        .map(ToString::to_string);
    let mut header = Vec::new();
    if let Some(long) = arg.get_long() {
        header.push(bold(format!("--{long}")));
        if value.is_some() && arg.get_action().takes_values() {
            header.push(roman(" "));
        }
    }
    if let Some(value) = value.filter(|_| arg.get_action().takes_values()) {
        header.push(italic(value));
    }
    header
}
