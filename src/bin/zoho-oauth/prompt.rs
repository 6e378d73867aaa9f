//! Asking for a secret on the terminal without echoing it.

use std::io::{self, BufRead, IsTerminal, Write};

/// Turns terminal echo off on stdin until dropped.
struct NoEcho {
    saved: libc::termios,
}

impl NoEcho {
    fn start() -> io::Result<NoEcho> {
        // SAFETY: termios is plain data; tcgetattr fills it or fails without touching memory
        // beyond it. fd 0 is stdin, which the caller checked is a terminal.
        let mut saved: libc::termios = unsafe { std::mem::zeroed() };
        if unsafe { libc::tcgetattr(libc::STDIN_FILENO, &mut saved) } != 0 {
            return Err(io::Error::last_os_error());
        }
        let mut quiet = saved;
        quiet.c_lflag &= !libc::ECHO;
        quiet.c_lflag |= libc::ECHONL;
        // SAFETY: `quiet` is a valid termios copied from the terminal's own settings.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, &quiet) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(NoEcho { saved })
    }
}

impl Drop for NoEcho {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `start` on the same descriptor.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSAFLUSH, &self.saved);
        }
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
