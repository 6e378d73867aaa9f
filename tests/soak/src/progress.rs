//! Progress logs: each worker appends one line per event to `<dir>/progress-<id>.log`, one
//! `write` per line, so the coordinator can follow every worker while it runs.
//!
//! ```text
//! S <user> <seq>             a save of <user> with sequence number <seq> returned
//! D <user>                   a delete of <user> is about to start
//! R <user>                   <user> was restored after that delete
//! X <user> <start> <end>     an explicit refresh of <user> ran from <start> to <end> (ms)
//! T <user> <at>              a refresh for <user> timed out at <at> (ms)
//! L <user>                   <user> could not be restored: lost
//! ```

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The progress log of worker `id`.
pub fn path(dir: &Path, id: usize) -> PathBuf {
    dir.join(format!("progress-{id}.log"))
}

/// Appends events for one worker.
pub struct Writer(File);

impl Writer {
    /// Creates (or appends to) worker `id`'s log.
    pub fn open(dir: &Path, id: usize) -> Result<Writer, String> {
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(path(dir, id))
            .map(Writer)
            .map_err(|e| format!("cannot open the progress log: {e}"))
    }

    /// Writes one event line.
    pub fn event(&mut self, line: &str) {
        let _ = self.0.write_all(format!("{line}\n").as_bytes());
    }
}

/// Reads the new complete lines of one worker's log.
pub struct Follower {
    path: PathBuf,
    offset: u64,
    partial: String,
}

impl Follower {
    /// Follows worker `id`'s log from its start.
    pub fn new(dir: &Path, id: usize) -> Follower {
        Follower {
            path: path(dir, id),
            offset: 0,
            partial: String::new(),
        }
    }

    /// The lines written since the last call.
    pub fn new_lines(&mut self) -> Vec<String> {
        let Ok(mut file) = File::open(&self.path) else {
            return Vec::new();
        };
        let mut text = String::new();
        if file.seek(SeekFrom::Start(self.offset)).is_err()
            || file.read_to_string(&mut text).is_err()
        {
            return Vec::new();
        }
        self.offset += text.len() as u64;
        self.partial.push_str(&text);
        let Some(end) = self.partial.rfind('\n') else {
            return Vec::new();
        };
        let complete: String = self.partial.drain(..=end).collect();
        complete.lines().map(str::to_string).collect()
    }
}
