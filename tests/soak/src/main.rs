//! `zoho-oauth-soak`: many processes share one SDK-format token file and hammer the accounts
//! emulator, which injects faults into about 5% of requests and issues access tokens that
//! expire every few seconds. Invariants are checked while it runs and at the end.
//!
//! ```text
//! zoho-oauth-soak [--seconds N] [--workers N] [--users N] [--php] ...   coordinator
//! zoho-oauth-soak worker ...                                            (spawned)
//! zoho-oauth-soak memory ...                                            (spawned)
//! ```
//!
//! The coordinator runs the emulator in-process, writes the token file, spawns the workers
//! (this binary again, or `php worker.php` with the extension), checks the file while they
//! run, and prints a report ending with `N passed, M failed`.

mod args;
mod checker;
mod coordinator;
mod memory;
mod progress;
mod refresh_check;
mod report;
mod rng;
mod setup;
mod stats;
mod worker;

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let outcome = match argv.first().map(String::as_str) {
        Some("worker") => args::WorkerArgs::parse(&argv[1..]).and_then(|a| worker::run(&a)),
        Some("memory") => args::WorkerArgs::parse(&argv[1..]).and_then(|a| memory::run(&a)),
        Some("-h" | "--help") => {
            print!("{}", args::USAGE);
            Ok(true)
        }
        _ => args::Options::parse(&argv).and_then(|o| coordinator::run(&o)),
    };
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(message) => {
            eprintln!("zoho-oauth-soak: {message}");
            ExitCode::from(2)
        }
    }
}
