//! `completions` and `man`: the shell completion scripts and the man page, generated from
//! the same clap definition as the parser and `--help`, so they cannot drift from them.

use roff::{Roff, bold, italic, roman};

use crate::cli::{Shell, definition};
use crate::exit::{Class, Failure};

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> String {
    let generator = match shell {
        Shell::Bash => clap_complete::Shell::Bash,
        Shell::Zsh => clap_complete::Shell::Zsh,
        Shell::Fish => clap_complete::Shell::Fish,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut definition(), "zoho-oauth", &mut script);
    String::from_utf8_lossy(&script).into_owned()
}

/// The man page, in roff: what `--help` says (name, synopsis, options, configuration,
/// environment, exit codes), then a COMMANDS section with each command's help.
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
    after_help_section(&command)
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

/// The general help's closing text (configuration, environment, exit codes, example), its
/// lines kept as they are.
fn after_help_section(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["CONFIGURATION, ENVIRONMENT AND EXIT CODES"]);
    roff.control("nf", []);
    let text = command
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    for line in text.lines() {
        roff.text([roman(line)]);
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
