//! The coordinator: sets the world up, runs the workers, checks while they run, reports.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::args::{Options, WorkerArgs};
use crate::checker::Checker;
use crate::refresh_check;
use crate::report::{self, Outcome};
use crate::setup;
use crate::stats::Stats;

/// How often the token file is checked while the workers run.
const CHECK_EVERY: Duration = Duration::from_millis(250);
/// How long past its run time a worker may take to finish before it is killed.
const GRACE: Duration = Duration::from_secs(120);
/// Id of the memory-check process (its output files only; it writes no progress log).
const MEMORY_ID: usize = usize::MAX;

/// A spawned worker.
struct Proc {
    label: String,
    child: Child,
    out: PathBuf,
    err: PathBuf,
    deadline: Instant,
    killed: bool,
}

/// Runs the soak; returns whether every check passed.
pub fn run(o: &Options) -> Result<bool, String> {
    let mut temp = None;
    let dir: PathBuf = match &o.dir {
        Some(d) => {
            std::fs::create_dir_all(d).map_err(|e| format!("{}: {e}", d.display()))?;
            d.clone()
        }
        None => {
            let t = tempfile::Builder::new()
                .prefix("zoho-oauth-soak-")
                .tempdir()
                .map_err(|e| e.to_string())?;
            let path = t.path().to_path_buf();
            temp = Some(t);
            path
        }
    };
    let emu = setup::emulator(o)?;
    setup::token_store(&dir, o.users)?;
    setup::world_file(&dir, o.users, o.workers)?;
    eprintln!(
        "soak: {} {} workers, {} users, {} s, faults {:.1}%, tokens live {} s (margin {} s), dir {}",
        o.workers,
        if o.php { "PHP" } else { "Rust" },
        o.users,
        o.seconds,
        o.fault_rate * 100.0,
        o.ttl,
        o.margin,
        dir.display()
    );
    let started = Instant::now();
    let mut procs = spawn_all(o, &dir, &emu.url())?;
    let mut checker = Checker::new(&dir, o.workers, o.users);
    while !all_exited(&mut procs) {
        checker.check();
        std::thread::sleep(CHECK_EVERY);
    }
    checker.finish();
    let elapsed = started.elapsed();
    let (workers, memory) = collect(&procs);
    let refresh = refresh_check::check(
        &emu.refresh_history(),
        &checker.events,
        o.users,
        o.ttl,
        o.margin,
        o.timeout,
    );
    let outcome = Outcome {
        options: o,
        elapsed,
        workers,
        memory,
        checker: &checker,
        refresh,
        counters: emu.counters(),
    };
    let ok = report::print(&outcome, o.summary.as_deref())?;
    if o.keep {
        if let Some(t) = temp {
            let _ = t.keep();
        }
        eprintln!("soak: kept {}", dir.display());
    } else if o.dir.is_some() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(ok)
}

fn spawn_all(o: &Options, dir: &Path, url: &str) -> Result<Vec<Proc>, String> {
    let run_for = Duration::from_secs(o.seconds);
    let mut procs = Vec::new();
    for id in 0..o.workers {
        let args = WorkerArgs {
            dir: dir.to_path_buf(),
            url: url.to_string(),
            id,
            users: o.users,
            amount: o.seconds,
            margin: o.margin,
            timeout: o.timeout,
        };
        procs.push(spawn(o, "worker", &args, run_for)?);
    }
    if o.memory_calls > 0 {
        let args = WorkerArgs {
            dir: dir.to_path_buf(),
            url: url.to_string(),
            id: MEMORY_ID,
            users: o.users,
            amount: o.memory_calls,
            margin: o.margin,
            timeout: o.timeout,
        };
        // About 20 µs a call under load, plus the warm-up.
        let budget = Duration::from_micros(o.memory_calls * 40) + run_for;
        procs.push(spawn(o, "memory", &args, budget)?);
    }
    Ok(procs)
}

fn spawn(o: &Options, mode: &str, a: &WorkerArgs, run_for: Duration) -> Result<Proc, String> {
    let label = if a.id == MEMORY_ID {
        "memory".to_string()
    } else {
        format!("worker-{}", a.id)
    };
    let out = a.dir.join(format!("{label}.out"));
    let err = a.dir.join(format!("{label}.err"));
    let mut command = if o.php {
        php_command(o)?
    } else {
        Command::new(std::env::current_exe().map_err(|e| e.to_string())?)
    };
    command
        .arg(mode)
        .args(a.to_args())
        .stdin(Stdio::null())
        .stdout(File::create(&out).map_err(|e| e.to_string())?)
        .stderr(File::create(&err).map_err(|e| e.to_string())?);
    let child = command
        .spawn()
        .map_err(|e| format!("cannot start {label}: {e}"))?;
    Ok(Proc {
        label,
        child,
        out,
        err,
        deadline: Instant::now() + run_for + GRACE,
        killed: false,
    })
}

/// `php -d extension=<ext> tests/soak/php/worker.php`.
fn php_command(o: &Options) -> Result<Command, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let ext = match &o.php_ext {
        Some(p) => p.clone(),
        None => std::env::var_os("CARGO_TARGET_DIR")
            .map_or_else(|| root.join("target"), PathBuf::from)
            .join("debug/libzoho_oauth_php.so"),
    };
    if !ext.exists() {
        return Err(format!(
            "the PHP extension {} is missing: cargo build -p zoho-oauth-php",
            ext.display()
        ));
    }
    let mut command = Command::new("php");
    command
        .arg("-d")
        .arg(format!("extension={}", ext.display()))
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("php/worker.php"));
    Ok(command)
}

/// Reaps finished workers, kills those past their deadline; true when none is left.
fn all_exited(procs: &mut [Proc]) -> bool {
    let mut running = false;
    for p in procs.iter_mut() {
        match p.child.try_wait() {
            Ok(Some(_)) => {}
            Ok(None) if Instant::now() > p.deadline => {
                let _ = p.child.kill();
                p.killed = true;
                running = true;
            }
            _ => running = true,
        }
    }
    !running
}

/// What the processes reported: the workers' summed stats (with failures of processes that
/// crashed, hung or wrote to stderr) and the memory check's stats.
fn collect(procs: &[Proc]) -> (report::Workers, Option<Stats>) {
    let mut workers = report::Workers::default();
    let mut memory = None;
    for p in procs {
        let output = std::fs::read_to_string(&p.out).unwrap_or_default();
        let stderr = std::fs::read_to_string(&p.err).unwrap_or_default();
        let stats = Stats::from_output(&output);
        let ok = !p.killed && stats.is_some();
        if !ok {
            workers.crashed.push(format!(
                "{}: {}",
                p.label,
                if p.killed {
                    "killed after its deadline"
                } else {
                    "no DONE line (crashed)"
                }
            ));
        }
        if !stderr.trim().is_empty() && workers.stderr.len() < 10 {
            let first: String = stderr.lines().take(3).collect::<Vec<_>>().join(" | ");
            workers.stderr.push(format!("{}: {first}", p.label));
        }
        match (p.label.as_str(), stats) {
            ("memory", Some(s)) => memory = Some(s),
            (_, Some(s)) => {
                workers.count += 1;
                workers.stats.add(&s);
            }
            _ => {}
        }
    }
    (workers, memory)
}
