//! `zoho-accounts-emulator`: runs the emulator until SIGTERM or SIGINT.
//!
//! Prints the base URL (e.g. `http://127.0.0.1:41234`) as the first line on stdout.

use std::io::Write;
use std::process::ExitCode;

use serde::Deserialize;
use zoho_accounts_emulator::{ClientSpec, Emulator, Options, Settings, UserSpec};

const USAGE: &str = "\
usage: zoho-accounts-emulator [--listen ADDR] [--allow-non-loopback] [--config FILE.json] [--legacy] [--help]

  --listen ADDR          address to listen on (default 127.0.0.1:8088; port 0 picks a free port)
  --allow-non-loopback   allow a listen address that is not loopback
  --config FILE.json     {\"clients\":[...],\"users\":[...],\"settings\":{...}}
  --legacy               answer the pre-2019 way (expires_in_sec, expires_in in ms)

The first line on stdout is the base URL (the US data centre); other data centres are
under /<dc>. The admin interface is under /_emulator/. SIGTERM or SIGINT stops it.";

/// The `--config` file.
#[derive(Deserialize, Default)]
#[serde(default)]
struct Config {
    clients: Vec<ClientSpec>,
    users: Vec<UserSpec>,
    settings: Option<Settings>,
}

struct Args {
    options: Options,
    config: Option<String>,
    legacy: bool,
}

fn parse_args() -> Result<Option<Args>, String> {
    let mut args = Args {
        options: Options {
            listen: "127.0.0.1:8088".to_string(),
            ..Options::default()
        },
        config: None,
        legacy: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--listen" => args.options.listen = it.next().ok_or("--listen needs an address")?,
            "--allow-non-loopback" => args.options.allow_non_loopback = true,
            "--config" => args.config = Some(it.next().ok_or("--config needs a file")?),
            "--legacy" => args.legacy = true,
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(Some(args))
}

fn load_config(path: &str) -> Result<Config, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("invalid config {path}: {e}"))
}

fn run(mut args: Args) -> Result<(), String> {
    let config = match &args.config {
        Some(path) => load_config(path)?,
        None => Config::default(),
    };
    if let Some(settings) = config.settings {
        args.options.settings = settings;
    }
    if args.legacy {
        args.options.settings.legacy_expiry = true;
    }
    let mut signals = signal_hook::iterator::Signals::new([
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGINT,
    ])
    .map_err(|e| format!("cannot install signal handlers: {e}"))?;
    let emulator = Emulator::start(args.options).map_err(|e| format!("cannot start: {e}"))?;
    for client in config.clients {
        emulator.try_register_client(client)?;
    }
    for user in config.users {
        emulator.register_user(user);
    }
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", emulator.url()).map_err(|e| e.to_string())?;
    out.flush().map_err(|e| e.to_string())?;
    drop(out);
    let _ = signals.forever().next();
    drop(emulator);
    Ok(())
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("zoho-accounts-emulator: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zoho-accounts-emulator: {e}");
            ExitCode::FAILURE
        }
    }
}
