//! `zoho-oauth`: get, keep and use Zoho OAuth tokens from the command line, in the same token
//! store the PHP extension and the C library read. See `docs/cli.md` and `zoho-oauth --help`.

mod args;
mod browser;
mod commands;
mod config;
mod exit;
mod help;
mod login;
mod loopback;
mod migrate;
mod mysql_create;
mod output;
mod prompt;
mod servers;
mod session;
mod unsaved;
mod users;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use args::{Args, Command};
use config::Settings;
use exit::{Class, Failure};
use output::Output;

fn main() -> ExitCode {
    quiet_panics();
    let raw: Vec<_> = std::env::args_os().skip(1).collect();
    let json = raw.iter().any(|a| a == "--json");
    let out = Output { json };
    let outcome = catch_unwind(AssertUnwindSafe(|| run(raw, out))).unwrap_or_else(|_| {
        Err(Failure::new(
            Class::Internal,
            "zoho-oauth crashed; please report this",
        ))
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            out.failure(&failure);
            ExitCode::from(failure.class.code())
        }
    }
}

/// A panic prints only where it happened, never its payload (which could quote data), and
/// then ends as exit code 70 through `main`'s `catch_unwind`.
fn quiet_panics() {
    use std::io::Write;
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map_or_else(String::new, |l| format!(" at {}:{}", l.file(), l.line()));
        let _ = writeln!(std::io::stderr(), "zoho-oauth: internal error{place}");
    }));
}

fn run(raw: Vec<std::ffi::OsString>, out: Output) -> Result<(), Failure> {
    // Debug builds only: lets the tests see a crash end as exit code 70.
    #[cfg(debug_assertions)]
    if std::env::var_os("ZOHO_OAUTH_DEBUG_PANIC").is_some() {
        panic!("ZOHO_OAUTH_DEBUG_PANIC is set");
    }
    let args = args::parse(raw)?;
    if args.version {
        out.result(
            &format!("zoho-oauth {}", zoho_oauth::VERSION),
            serde_json::json!({ "version": zoho_oauth::VERSION }),
        );
        return Ok(());
    }
    let command = match (args.help, args.command) {
        (true, Some(c)) => return print(help::command(c)),
        (true, None) => return print(help::general()),
        (false, Some(c)) => c,
        (false, None) => {
            return Err(Failure::usage("no command given").with_hint("see zoho-oauth --help"));
        }
    };
    let settings = Settings::load(&args)?;
    dispatch(command, &args, &settings, out)
}

fn dispatch(
    command: Command,
    args: &Args,
    settings: &Settings,
    out: Output,
) -> Result<(), Failure> {
    match command {
        Command::Login => login::login(args, settings, out),
        Command::Exchange => commands::exchange(args, settings, out),
        Command::Token => commands::token(args, settings, out),
        Command::Refresh => commands::refresh(args, settings, out),
        Command::Revoke => commands::revoke(args, settings, out),
        Command::Users => users::users(settings, out),
        Command::AuthorizeUrl => commands::authorize_url(args, settings, out),
        Command::Migrate => migrate::migrate(args, settings, out),
        Command::MysqlCreate => mysql_create::mysql_create(args, settings, out),
    }
}

fn print(text: String) -> Result<(), Failure> {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}
