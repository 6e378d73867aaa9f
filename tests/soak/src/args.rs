//! Command-line options of the coordinator and of the worker processes.

use std::path::PathBuf;

/// `--help` text.
pub const USAGE: &str = "\
zoho-oauth-soak [OPTIONS]
  --seconds N        how long the workers run (default 60); --minutes N also works
  --workers N        worker processes (default 64)
  --users N          users with tokens in the one shared token file (default 1000)
  --php              workers are `php worker.php` processes using the PHP extension
  --php-ext PATH     the extension (default: $CARGO_TARGET_DIR or target, debug/libzoho_oauth_php.so)
  --fault-rate F     share of accounts-server requests that get a fault (default 0.05)
  --ttl SECS         access-token lifetime the emulator issues (default 8)
  --margin SECS      the clients' refresh margin (default 2)
  --timeout SECS     the clients' request timeout (default 3); stalls last 0.5 s longer
  --memory-calls N   get_access_token calls of the memory-check process (default 1000000; 0: none)
  --dir PATH         work directory (default: a new temporary directory, removed afterwards)
  --keep             keep the work directory
  --summary PATH     also write the report as JSON to PATH
";

/// The coordinator's options.
#[derive(Clone, Debug)]
pub struct Options {
    /// How long the workers run.
    pub seconds: u64,
    /// Worker processes.
    pub workers: usize,
    /// Users in the token file.
    pub users: usize,
    /// PHP workers instead of Rust ones.
    pub php: bool,
    /// The PHP extension.
    pub php_ext: Option<PathBuf>,
    /// Share of requests faulted.
    pub fault_rate: f64,
    /// Access-token lifetime in seconds.
    pub ttl: u64,
    /// Refresh margin in seconds.
    pub margin: u64,
    /// Request timeout in seconds.
    pub timeout: u64,
    /// Calls of the memory check (0: none).
    pub memory_calls: u64,
    /// Work directory.
    pub dir: Option<PathBuf>,
    /// Keep the work directory.
    pub keep: bool,
    /// Where to write the JSON report.
    pub summary: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            seconds: 60,
            workers: 64,
            users: 1000,
            php: false,
            php_ext: None,
            fault_rate: 0.05,
            ttl: 8,
            margin: 2,
            timeout: 3,
            memory_calls: 1_000_000,
            dir: None,
            keep: false,
            summary: None,
        }
    }
}

fn number<T: std::str::FromStr>(flag: &str, value: Option<&String>) -> Result<T, String> {
    value
        .and_then(|v| v.parse().ok())
        .ok_or_else(|| format!("{flag} needs a number"))
}

fn path(flag: &str, value: Option<&String>) -> Result<PathBuf, String> {
    value
        .map(PathBuf::from)
        .ok_or_else(|| format!("{flag} needs a path"))
}

impl Options {
    /// Parses the coordinator's arguments.
    pub fn parse(argv: &[String]) -> Result<Options, String> {
        let mut o = Options::default();
        let mut it = argv.iter();
        while let Some(flag) = it.next() {
            match flag.as_str() {
                "--seconds" => o.seconds = number(flag, it.next())?,
                "--minutes" => o.seconds = number::<u64>(flag, it.next())? * 60,
                "--workers" => o.workers = number(flag, it.next())?,
                "--users" => o.users = number(flag, it.next())?,
                "--php" => o.php = true,
                "--php-ext" => o.php_ext = Some(path(flag, it.next())?),
                "--fault-rate" => o.fault_rate = number(flag, it.next())?,
                "--ttl" => o.ttl = number(flag, it.next())?,
                "--margin" => o.margin = number(flag, it.next())?,
                "--timeout" => o.timeout = number(flag, it.next())?,
                "--memory-calls" => o.memory_calls = number(flag, it.next())?,
                "--dir" => o.dir = Some(path(flag, it.next())?),
                "--keep" => o.keep = true,
                "--summary" => o.summary = Some(path(flag, it.next())?),
                other => return Err(format!("unknown option {other}\n{USAGE}")),
            }
        }
        if o.margin >= o.ttl || o.workers == 0 || o.users == 0 || o.timeout == 0 {
            return Err("need --margin < --ttl and non-zero workers, users and timeout".into());
        }
        if !(0.0..=1.0).contains(&o.fault_rate) {
            return Err("--fault-rate is a share between 0 and 1".into());
        }
        Ok(o)
    }
}

/// What a worker (or the memory-check process) needs to know.
#[derive(Clone, Debug)]
pub struct WorkerArgs {
    /// The work directory holding the token file and the progress logs.
    pub dir: PathBuf,
    /// The emulator's URL.
    pub url: String,
    /// The worker's number.
    pub id: usize,
    /// Users in the token file.
    pub users: usize,
    /// Run time in seconds (workers), or calls (memory check).
    pub amount: u64,
    /// Refresh margin in seconds.
    pub margin: u64,
    /// Request timeout in seconds.
    pub timeout: u64,
}

impl WorkerArgs {
    /// The arguments for `worker` / `memory`, in [`WorkerArgs::parse`] order.
    pub fn to_args(&self) -> Vec<String> {
        vec![
            self.dir.display().to_string(),
            self.url.clone(),
            self.id.to_string(),
            self.users.to_string(),
            self.amount.to_string(),
            self.margin.to_string(),
            self.timeout.to_string(),
        ]
    }

    /// Parses `DIR URL ID USERS AMOUNT MARGIN TIMEOUT`.
    pub fn parse(argv: &[String]) -> Result<WorkerArgs, String> {
        let [dir, url, id, users, amount, margin, timeout] = argv else {
            return Err("worker arguments: DIR URL ID USERS AMOUNT MARGIN TIMEOUT".into());
        };
        Ok(WorkerArgs {
            dir: PathBuf::from(dir),
            url: url.clone(),
            id: number("ID", Some(id))?,
            users: number("USERS", Some(users))?,
            amount: number("AMOUNT", Some(amount))?,
            margin: number("MARGIN", Some(margin))?,
            timeout: number("TIMEOUT", Some(timeout))?,
        })
    }
}
