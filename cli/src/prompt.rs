//! Asking for a secret on the terminal without echoing it.
//!
//! Echo is turned off only while the prompt waits for its line. It comes back when the line
//! is read (or reading fails), and also when the process is interrupted or terminated
//! meanwhile (Ctrl-C, `kill`, a closed terminal): a handler for those signals, installed
//! only for the prompt's duration, restores the terminal and then lets the signal kill the
//! process as it would have.

use std::cell::UnsafeCell;
use std::io::{self, BufRead, IsTerminal, Write};
use std::mem::MaybeUninit;
use std::sync::atomic::{AtomicBool, Ordering};

/// The signals that would otherwise end the process with echo still off.
const SIGNALS: [libc::c_int; 4] = [libc::SIGINT, libc::SIGTERM, libc::SIGHUP, libc::SIGQUIT];

/// The terminal settings to restore from the signal handler.
struct SavedTermios(UnsafeCell<MaybeUninit<libc::termios>>);

// SAFETY: written only by `NoEcho::start` before `ARMED` is set (release), read only by the
// handler after it saw `ARMED` set (acquire); one prompt at a time (the CLI is one thread
// while prompting, and `PROMPTING` refuses a second one).
unsafe impl Sync for SavedTermios {}

static SAVED: SavedTermios = SavedTermios(UnsafeCell::new(MaybeUninit::uninit()));
static ARMED: AtomicBool = AtomicBool::new(false);
static PROMPTING: AtomicBool = AtomicBool::new(false);

/// Restores the saved terminal settings, ends the prompt's line, then re-raises the signal
/// with its default action (the handler was installed with `SA_RESETHAND`). Only
/// async-signal-safe calls: `tcsetattr`, `write`, `raise`.
extern "C" fn restore_and_reraise(signal: libc::c_int) {
    if ARMED.swap(false, Ordering::AcqRel) {
        // SAFETY: ARMED was set, so SAVED holds the settings read in `NoEcho::start`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, (*SAVED.0.get()).as_ptr());
            libc::write(libc::STDERR_FILENO, b"\n".as_ptr().cast(), 1);
        }
    }
    // SAFETY: raising a signal is async-signal-safe; it is blocked until this handler
    // returns, and its action is the default again by then.
    unsafe {
        libc::raise(signal);
    }
}

/// Turns terminal echo off on stdin, and restores it when dropped or on a signal.
struct NoEcho {
    saved: libc::termios,
    previous: [libc::sigaction; SIGNALS.len()],
}

impl NoEcho {
    fn start() -> io::Result<NoEcho> {
        if PROMPTING.swap(true, Ordering::AcqRel) {
            return Err(io::Error::other("another prompt is already waiting"));
        }
        NoEcho::quiet().inspect_err(|_| PROMPTING.store(false, Ordering::Release))
    }

    fn quiet() -> io::Result<NoEcho> {
        // SAFETY: termios is plain data; tcgetattr fills it or fails without touching memory
        // beyond it. fd 0 is stdin, which the caller checked is a terminal.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
            return Err(io::Error::last_os_error());
        }
        // SAFETY: no handler is armed yet (ARMED is false), so nothing reads SAVED now.
        unsafe { (*SAVED.0.get()).write(saved) };
        ARMED.store(true, Ordering::Release);
        let guard = NoEcho {
            saved,
            previous: install_handlers(),
        };
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: `quiet` is a valid termios copied from the terminal's own settings.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, &quiet) } != 0 {
            return Err(io::Error::last_os_error()); // `guard` drops: handlers uninstalled
        }
        Ok(guard)
    }
}

/// Installs `restore_and_reraise` for `SIGNALS` (leaving ignored ones ignored, e.g. SIGHUP
/// under `nohup`); returns the actions it replaced.
fn install_handlers() -> [libc::sigaction; SIGNALS.len()] {
    // SAFETY: sigaction structs are plain data; all-zero is a valid value for them.
    let mut previous: [libc::sigaction; SIGNALS.len()] = unsafe { std::mem::zeroed() };
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = restore_and_reraise as extern "C" fn(libc::c_int) as libc::sighandler_t;
    action.sa_flags = libc::SA_RESETHAND;
    // SAFETY: `action.sa_mask` is a valid sigset to empty.
    unsafe { libc::sigemptyset(&mut action.sa_mask) };
    for (signal, old) in SIGNALS.iter().zip(previous.iter_mut()) {
        // SAFETY: valid signal numbers and pointers to live sigaction structs; the handler
        // only makes async-signal-safe calls.
        unsafe {
            libc::sigaction(*signal, std::ptr::null(), old);
            if old.sa_sigaction != libc::SIG_IGN {
                libc::sigaction(*signal, &action, std::ptr::null_mut());
            }
        }
    }
    previous
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        // Restore first and disarm after: a signal in between restores once more, harmlessly.
        // SAFETY: restores the settings read in `start` on the same descriptor, then the
        // signal actions `install_handlers` replaced.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, &self.saved);
        }
        ARMED.store(false, Ordering::Release);
        for (signal, old) in SIGNALS.iter().zip(self.previous.iter()) {
            // SAFETY: `old` is the action read for this signal in `install_handlers`.
            unsafe { libc::sigaction(*signal, old, std::ptr::null_mut()) };
        }
        PROMPTING.store(false, Ordering::Release);
    }
}

/// Asks for a secret on stderr and reads one line from stdin without echo. `None` when
/// stdin is not a terminal (nobody to ask).
pub fn secret(label: &str) -> Option<io::Result<String>> {
    if !io::stdin().is_terminal() {
        return None;
    }
    Some(read_quietly(label))
}

fn read_quietly(label: &str) -> io::Result<String> {
    let mut stderr = io::stderr();
    write!(stderr, "{label}")?;
    stderr.flush()?;
    let _guard = NoEcho::start()?;
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// Reads one line from stdin (for `--grant-token -`).
pub fn line_from_stdin() -> io::Result<String> {
    let mut line = String::new();
    io::stdin().lock().read_line(&mut line)?;
    Ok(line.trim().to_string())
}
