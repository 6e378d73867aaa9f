//! The man page's reference sections after COMMANDS: CONFIGURATION, ENVIRONMENT, FILES and
//! EXIT STATUS, written from the same tables as `--help` (the environment variables, the exit
//! codes) and the core's file names, so they cannot drift from the code.

use roff::{Roff, bold, italic, roman};
use zoho_oauth::config::{JSON_TOKEN_FILE_NAME, SDK_TOKEN_FILE_NAME};

use crate::cli::text;

/// The sections, in the order man pages put them.
pub fn sections() -> Roff {
    let mut roff = Roff::new();
    configuration(&mut roff);
    environment(&mut roff);
    files(&mut roff);
    exit_status(&mut roff);
    roff
}

/// CONFIGURATION: the sources of the configuration and their order, as `--help` says.
fn configuration(roff: &mut Roff) {
    roff.control("SH", ["CONFIGURATION"]);
    roff.control("nf", []);
    for line in text::SOURCES.lines().skip(1) {
        roff.text([roman(line)]);
    }
    roff.control("fi", []);
}

/// ENVIRONMENT: every variable the tool reads.
fn environment(roff: &mut Roff) {
    roff.control("SH", ["ENVIRONMENT"]);
    for (var, meaning) in text::environment() {
        roff.control("TP", []);
        roff.text([bold(var)]);
        let meaning = match meaning.contains(' ') {
            true => meaning.to_string(),
            false => format!("sets the configuration key {meaning}"),
        };
        roff.text([roman(meaning)]);
    }
    roff.control("TP", []);
    roff.text([
        bold("XDG_CONFIG_HOME"),
        roman(", "),
        bold("XDG_DATA_HOME"),
        roman(", "),
        bold("HOME"),
    ]);
    roff.text([roman(
        "where the configuration file and the token directory are by default (see FILES)",
    )]);
}

/// One FILES entry: a path (italic parts are placeholders) and what it is.
fn file(roff: &mut Roff, path: &[(&str, bool)], what: &str) {
    roff.control("TP", []);
    let path = path
        .iter()
        .map(|(part, placeholder)| match placeholder {
            true => italic(*part),
            false => bold(*part),
        })
        .collect::<Vec<_>>();
    roff.text(path);
    roff.text([roman(what)]);
}

/// FILES: the configuration file, the token directory and its files, the PHP extension's ini.
fn files(roff: &mut Roff) {
    roff.control("SH", ["FILES"]);
    file(
        roff,
        &[("~/.config/zoho-oauth/config", false)],
        "the configuration file (key=value lines; keep it mode 0600): $ZOHO_OAUTH_CONFIG or --config instead, else $XDG_CONFIG_HOME/zoho-oauth/config",
    );
    file(
        roff,
        &[("~/.local/share/zoho-oauth/", false)],
        "the token directory by default ($XDG_DATA_HOME/zoho-oauth); token_persistence_path, ZOHO_TOKEN_DIR or --token-dir name another, and a relative one is taken inside token_base_dir, else inside this directory",
    );
    let in_dir = |name| [("TOKEN_DIR", true), ("/", false), (name, false)];
    file(
        roff,
        &in_dir(SDK_TOKEN_FILE_NAME),
        "the tokens in the format of Zoho's PHP SDK (token_store_format php, the default), shared with the PHP extension and the C library",
    );
    file(
        roff,
        &in_dir(JSON_TOKEN_FILE_NAME),
        "the tokens in our JSON format (token_store_format json), which also keeps each user's data centre",
    );
    file(
        roff,
        &in_dir(zoho_oauth::store::sdk_csv::FILE_NAME),
        "the CSV of Zoho's current PHP SDKs, when token_persistence_path names it (see migrate --to csv)",
    );
    file(
        roff,
        &[("TOKEN_FILE", true), (".lock", false)],
        "the lock every process (this tool, the PHP extension, the C library) takes to change the token file; never delete it while they run",
    );
    file(
        roff,
        &[
            ("/etc/php/", false),
            ("VERSION", true),
            ("/mods-available/zoho_oauth.ini", false),
        ],
        "the PHP extension's ini (Debian package; enabled for every SAPI with phpenmod): its token base directory (the same key as token_base_dir here) and the switches for the classes it defines",
    );
}

/// EXIT STATUS: every exit code, from the CLI's table.
fn exit_status(roff: &mut Roff) {
    roff.control("SH", ["EXIT STATUS"]);
    for (code, name, meaning) in text::exit_codes() {
        roff.control("TP", []);
        roff.text([bold(code.to_string()), roman(format!(" ({name})"))]);
        roff.text([roman(meaning)]);
    }
}
