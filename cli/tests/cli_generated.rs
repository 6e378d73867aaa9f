//! `zoho-oauth man` and `zoho-oauth completions bash|zsh|fish` against `--help`: every
//! command and every long option that `--help` (general and per command) lists appears in
//! the man page and in each completion script, and they name nothing else.

use std::collections::{BTreeMap, BTreeSet};
use std::process::Command;

type Set = BTreeSet<String>;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_zoho-oauth"))
        .args(args)
        .env("HOME", env!("CARGO_TARGET_TMPDIR"))
        .env_remove("ZOHO_OAUTH_CONFIG")
        .output()
        .expect("zoho-oauth runs");
    assert!(out.status.success(), "{args:?}: {out:?}");
    String::from_utf8(out.stdout).expect("UTF-8")
}

/// The lines of the section that starts with `heading` (up to the next blank line).
fn section<'a>(text: &'a str, heading: &str) -> Vec<&'a str> {
    text.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.is_empty())
        .collect()
}

/// The long options of a help's option lines (`  -h, --help ...`, `      --user <EMAIL> ...`).
fn long_options(lines: &[&str]) -> Set {
    lines
        .iter()
        .filter_map(|l| {
            let flags = l.trim_start().split("  ").next()?;
            flags
                .split([',', ' '])
                .find(|w| w.starts_with("--"))
                .map(str::to_string)
        })
        .collect()
}

/// What `--help` says: the commands, the global options, and each command's own options.
struct Help {
    commands: Set,
    global: Set,
    own: BTreeMap<String, Set>,
}

fn help() -> Help {
    let general = run(&["--help"]);
    let commands: Set = section(&general, "Commands:")
        .iter()
        .filter_map(|l| l.split_whitespace().next())
        .map(str::to_string)
        .collect();
    let global = long_options(&section(&general, "Options (every command):"));
    let mut own = BTreeMap::new();
    for command in commands.iter().filter(|c| *c != "help") {
        let text = run(&[command, "--help"]);
        let command_global = long_options(&section(&text, "Options (every command):"));
        assert_eq!(command_global, global, "{command} --help");
        own.insert(command.clone(), long_options(&section(&text, "Options:")));
    }
    own.insert("help".to_string(), Set::new());
    assert!(
        commands.len() >= 12 && global.contains("--json"),
        "{general}"
    );
    assert!(own["login"].contains("--timeout"), "{own:?}");
    Help {
        commands,
        global,
        own,
    }
}

fn all_options(help: &Help) -> Set {
    help.own
        .values()
        .flatten()
        .chain(&help.global)
        .cloned()
        .collect()
}

/// `\-\-name` in roff is `--name`.
fn roff_options(lines: &[&str]) -> Set {
    lines
        .iter()
        .flat_map(|l| l.split("\\fB").skip(1))
        .filter_map(|w| w.split("\\fR").next())
        .map(|w| w.replace("\\-", "-"))
        .filter(|w| w.starts_with("--"))
        .collect()
}

#[test]
fn the_man_page_documents_exactly_what_help_lists() {
    let help = help();
    let man = run(&["man"]);
    assert!(man.starts_with(".ie") || man.starts_with(".TH"), "not roff");
    let lines: Vec<&str> = man.lines().collect();
    // The global options, under their own heading.
    let global_start = lines
        .iter()
        .position(|l| *l == ".SH \"OPTIONS (EVERY COMMAND)\"")
        .expect("global options section");
    let global_end = lines[global_start + 1..]
        .iter()
        .position(|l| l.starts_with(".SH"))
        .map_or(lines.len(), |i| global_start + 1 + i);
    assert_eq!(roff_options(&lines[global_start..global_end]), help.global);
    // One subsection per command, with exactly its own options.
    let mut seen = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in &lines {
        if let Some(name) = line.strip_prefix(".SS \"zoho-oauth ") {
            current = Some(name.trim_end_matches('"').to_string());
            seen.insert(current.clone().unwrap_or_default(), Set::new());
        } else if line.starts_with(".SH") {
            current = None;
        } else if let Some(name) = &current {
            seen.get_mut(name)
                .expect("opened")
                .extend(roff_options(&[line]));
        }
    }
    assert_eq!(seen, help.own, "the COMMANDS section");
    assert_eq!(seen.keys().cloned().collect::<Set>(), help.commands);
    // Nothing else anywhere on the page.
    assert_eq!(roff_options(&lines), all_options(&help));
    // It renders.
    let rendered = Command::new("sh")
        .arg("-c")
        .arg("command -v groff >/dev/null || exit 77; groff -man -Tutf8 -ww 2>&1 >/dev/null")
        .stdin(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child
                .stdin
                .take()
                .expect("piped")
                .write_all(man.as_bytes())?;
            child.wait_with_output()
        })
        .expect("sh runs");
    if rendered.status.code() != Some(77) {
        assert!(rendered.status.success(), "{rendered:?}");
        assert_eq!(
            String::from_utf8_lossy(&rendered.stdout),
            "",
            "groff warnings"
        );
    }
}

/// The words of a completion script that name long options or commands.
fn script_words(script: &str) -> Set {
    script
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
        .filter(|w| w.starts_with("--") && w.len() > 2)
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completion_offers_exactly_the_commands_and_options() {
    let help = help();
    let script = run(&["completions", "bash"]);
    let options = script_words(&script);
    assert_eq!(
        options,
        all_options(&help),
        "long options in the bash script"
    );
    // The first command's list: global options and the commands.
    let top = script
        .lines()
        .filter_map(|l| l.trim().strip_prefix("opts=\""))
        .find(|opts| *opts != "\"")
        .expect("opts line")
        .trim_end_matches('"');
    let words: Set = top.split_whitespace().map(str::to_string).collect();
    let expected: Set = help
        .global
        .iter()
        .chain(&help.commands)
        .cloned()
        .chain(["-h".to_string()])
        .collect();
    assert_eq!(words, expected);
}

#[test]
fn zsh_completion_offers_exactly_the_commands_and_options() {
    let help = help();
    let script = run(&["completions", "zsh"]);
    assert!(script.starts_with("#compdef zoho-oauth"), "{script}");
    assert_eq!(script_words(&script), all_options(&help));
    for command in &help.commands {
        assert!(
            script.contains(&format!("'{command}:")),
            "zsh lacks {command}"
        );
    }
    let described: Set = script
        .lines()
        .filter_map(|l| l.strip_prefix('\''))
        .filter_map(|l| l.split_once(':'))
        .map(|(name, _)| name.to_string())
        .filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .filter(|name| !name.is_empty() && !name.starts_with('-'))
        .collect();
    assert_eq!(described, help.commands, "zsh's command lists");
}

#[test]
fn fish_completion_offers_each_command_exactly_its_options() {
    let help = help();
    let script = run(&["completions", "fish"]);
    let mut per_command: BTreeMap<String, Set> = BTreeMap::new();
    let mut top_options = Set::new();
    let mut top_commands = Set::new();
    for line in script
        .lines()
        .filter(|l| l.starts_with("complete -c zoho-oauth"))
    {
        let long = line
            .split_once(" -l ")
            .and_then(|(_, rest)| rest.split_whitespace().next())
            .map(|l| format!("--{l}"));
        if line.contains("__fish_zoho_oauth_needs_command") {
            // A command's line offers its name with -a; an option's -a offers its values.
            let command_line = long.is_none();
            top_options.extend(long);
            if let Some((_, rest)) = line.split_once(" -a \"").filter(|_| command_line) {
                top_commands.insert(rest.split('"').next().unwrap_or_default().to_string());
            }
        } else if let Some((_, rest)) = line.split_once("__fish_zoho_oauth_using_subcommand ") {
            let command = rest.split(['"', ';', ' ']).next().unwrap_or_default();
            per_command
                .entry(command.to_string())
                .or_default()
                .extend(long);
        }
    }
    assert_eq!(top_options, help.global);
    assert_eq!(top_commands, help.commands);
    for (command, own) in &help.own {
        if command == "help" {
            continue; // `help COMMAND` completes command names, not options
        }
        let expected: Set = own.union(&help.global).cloned().collect();
        assert_eq!(per_command.get(command), Some(&expected), "fish: {command}");
    }
}

/// What `shell` offers at the end of `line` with the CLI's own completion script for it
/// (cli/tests/completion/complete.sh runs the real shell), run in an empty directory so that no
/// file name can pass for a value.
fn offered(shell: &str, line: &str) -> Set {
    let dir = tempfile::tempdir().expect("temporary directory");
    let script = dir.path().join(format!("zoho-oauth.{shell}"));
    std::fs::write(&script, run(&["completions", shell])).expect("script written");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("empty directory");
    let out = Command::new("bash")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/completion/complete.sh"
        ))
        .args([shell, script.to_str().expect("UTF-8 path"), line])
        .current_dir(&empty)
        .output()
        .expect("bash runs");
    assert!(
        out.status.success(),
        "{shell}: {line:?} (bash, zsh and fish: scripts/install-deps.sh): {out:?}"
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

fn set(words: &[&str]) -> Set {
    words.iter().map(|w| w.to_string()).collect()
}

/// The data centres the core knows: what `--dc` must offer.
fn data_centres() -> Set {
    zoho_oauth::DataCentre::all()
        .map(|dc| dc.code().to_string())
        .collect()
}

/// In bash, zsh and fish: a subcommand's options and an option's values complete after the
/// subcommand (bash completed nothing there before), and values complete at the top level.
#[test]
fn every_shell_completes_after_a_subcommand_and_option_values() {
    let cases: Vec<(&str, Set)> = vec![
        ("zoho-oauth login --ti", set(&["--timeout"])),
        ("zoho-oauth mysql-create --to-s", set(&["--to-set"])),
        ("zoho-oauth revoke --lo", set(&["--local"])),
        ("zoho-oauth login --dc ", data_centres()),
        ("zoho-oauth --dc ", data_centres()),
        ("zoho-oauth token --store-format ", set(&["php", "json"])),
        (
            "zoho-oauth migrate --to ",
            set(&["php", "json", "csv", "mysql", "redis"]),
        ),
        (
            "zoho-oauth authorize-url --access-type ",
            set(&["offline", "online"]),
        ),
        ("zoho-oauth mig", set(&["migrate"])),
    ];
    assert!(data_centres().contains("eu"));
    for shell in ["bash", "zsh", "fish"] {
        for (line, expected) in &cases {
            // Where a value is due, bash also lists the options: compare the values alone.
            let options_wanted = expected.iter().all(|w| w.starts_with('-'));
            let offered: Set = offered(shell, line)
                .into_iter()
                .filter(|w| options_wanted || !w.starts_with('-'))
                .collect();
            assert_eq!(&offered, expected, "{shell}: {line:?}");
        }
    }
}

/// The lines of the man page's section `heading` (its `.SH` line as written), up to the next.
fn man_section(man: &str, heading: &str) -> Vec<String> {
    man.lines()
        .skip_while(|l| *l != heading)
        .skip(1)
        .take_while(|l| !l.starts_with(".SH"))
        .map(str::to_string)
        .collect()
}

/// The bold words of roff lines (`\fBword\fR`), unescaped.
fn roff_bold(lines: &[String]) -> Vec<String> {
    lines
        .iter()
        .flat_map(|l| l.split("\\fB").skip(1))
        .filter_map(|w| w.split("\\fR").next())
        .map(|w| w.replace("\\-", "-"))
        .collect()
}

/// EXIT STATUS lists exactly the exit codes `--help` lists (both from the CLI's table), with
/// the same names, and a code for every category of the library's table of error kinds.
#[test]
fn the_man_pages_exit_status_is_the_clis_exit_code_table() {
    let help = run(&["--help"]);
    let from_help: BTreeMap<String, String> = section(&help, "Exit codes:")
        .iter()
        .filter_map(|l| {
            let (code, rest) = l.trim().split_once(' ')?;
            let name = rest.trim().split(':').next()?;
            Some((code.to_string(), name.to_string()))
        })
        .collect();
    let man = run(&["man"]);
    let lines = man_section(&man, ".SH \"EXIT STATUS\"");
    let from_man: BTreeMap<String, String> = lines
        .iter()
        .filter_map(|l| {
            let code = l.strip_prefix("\\fB")?.split("\\fR").next()?;
            let name = l.split_once('(')?.1.trim_end_matches(')');
            Some((code.to_string(), name.to_string()))
        })
        .collect();
    assert_eq!(from_man, from_help);
    assert_eq!(from_man.get("0").map(String::as_str), Some("success"));
    let names: Set = from_man.values().cloned().collect();
    for kind in zoho_oauth::ErrorKind::ALL {
        let category = kind.category().name();
        assert!(names.contains(category), "no exit code for {category}");
    }
}

/// ENVIRONMENT names every `ZOHO_*` variable the CLI's source reads, or the core's table of
/// keys names for it (and `--help` too).
#[test]
fn the_man_page_names_every_environment_variable_the_cli_reads() {
    let mut read = Set::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let key_table = concat!(env!("CARGO_MANIFEST_DIR"), "/../src/config/key_table.rs");
    let mut dirs = vec![std::path::PathBuf::from(dir)];
    let mut files = vec![std::path::PathBuf::from(key_table)];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("source directory").flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                files.push(path);
            }
        }
    }
    for path in files {
        let text = std::fs::read_to_string(&path).expect("source file");
        for piece in text.split("\"ZOHO_").skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || *c == '_')
                .collect();
            if !name.is_empty() {
                read.insert(format!("ZOHO_{name}"));
            }
        }
    }
    // Debug builds only: makes the CLI panic, for the exit-code test.
    read.remove("ZOHO_OAUTH_DEBUG_PANIC");
    assert!(read.contains("ZOHO_CLIENT_SECRET") && read.contains("ZOHO_OAUTH_CONFIG"));
    let man = run(&["man"]);
    let named: Set = roff_bold(&man_section(&man, ".SH ENVIRONMENT"))
        .into_iter()
        .collect();
    let help = run(&["--help"]);
    for var in &read {
        assert!(named.contains(var), "man ENVIRONMENT lacks {var}");
        assert!(help.contains(var.as_str()), "--help lacks {var}");
    }
}

/// FILES names the configuration file, the token directory and each token file, the lock and
/// the PHP extension's ini.
#[test]
fn the_man_page_has_a_files_section() {
    let man = run(&["man"]);
    let paths = roff_bold(&man_section(&man, ".SH FILES")).join(" ");
    for path in [
        "~/.config/zoho-oauth/config",
        "~/.local/share/zoho-oauth/",
        "zcrm_oauthtokens.txt",
        "zoho_oauth_tokens.json",
        "sdk_tokens.txt",
        ".lock",
        "/mods-available/zoho_oauth.ini",
    ] {
        assert!(paths.contains(path), "FILES lacks {path}: {paths}");
    }
}
