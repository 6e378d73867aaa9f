//! `zoho-oauth`: get, keep and use Zoho OAuth tokens from the command line, in the same token
//! store the PHP extension and the C library read. See `docs/cli.md` and `zoho-oauth --help`.

mod browser;
mod check;
mod cli;
mod commands;
mod config;
mod config_file;
mod dirs;
mod environment;
mod exit;
mod generated;
mod keygen;
mod login;
mod loopback;
mod man_sections;
mod metrics;
mod migrate;
mod migrate_csv;
mod mysql_create;
mod output;
mod prompt;
mod rekey;
mod save_refresh;
mod sealing;
mod servers;
mod session;
mod settings;
mod shared_side;
mod status;
mod time;
mod unsaved;
mod users;

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;

use cli::{Command, Global, Parsed};
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
    let cli = match cli::parse(raw)? {
        Parsed::Run(cli) => cli,
        Parsed::Help(text) => return print(&text),
    };
    if cli.global.version {
        out.result(
            &format!("zoho-oauth {}", zoho_oauth::VERSION),
            serde_json::json!({ "version": zoho_oauth::VERSION }),
        );
        return Ok(());
    }
    let Some(command) = cli.command else {
        return Err(Failure::usage("no command given").with_hint("see zoho-oauth --help"));
    };
    dispatch(command, &cli.global, out)
}

/// Runs a command; the configuration is read only by the commands that use it.
fn dispatch(command: Command, global: &Global, out: Output) -> Result<(), Failure> {
    let settings = || Settings::load(global);
    match command {
        Command::Login(args) => login::login(&args, &settings()?, out),
        Command::Exchange(args) => commands::exchange(&args, &settings()?, out),
        Command::Token(args) => commands::token(&args, &settings()?, out),
        Command::Refresh(args) => commands::refresh(&args, &settings()?, out),
        Command::Revoke(args) => commands::revoke(&args, &settings()?, out),
        Command::Users => users::users(&settings()?, out),
        Command::Status(args) => status::status(&args, &settings()?, out),
        Command::Check(args) => check::check(&args, global),
        Command::Metrics(args) => metrics::metrics(&args, &settings()?),
        Command::AuthorizeUrl(args) => commands::authorize_url(&args, &settings()?, out),
        Command::Migrate(args) => migrate::migrate(&args, &settings()?, out),
        Command::MysqlCreate(args) => mysql_create::mysql_create(&args, &settings()?, out),
        Command::Keygen(args) => keygen::keygen(&args, out),
        Command::Rekey => rekey::rekey(&settings()?, out),
        Command::Completions(args) => print(&generated::completions(args.shell)),
        Command::Man => print(&generated::man()?),
    }
}

fn print(text: &str) -> Result<(), Failure> {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
    Ok(())
}
