//! The refresh histories of a token file's users ([`crate::history`]), kept in a side file
//! `<file>.history` beside it: never in the token file itself, whose format the SDKs read.
//!
//! The side file is opened like a lock file (created 0600 whatever the umask, never through
//! a symlink, checked to belong to a trusted user, owned like the token file when root
//! creates it) and rewritten in place while it is exclusively locked; readers lock it too,
//! so nobody sees half a rewrite. One line per user: a JSON array `["<user>", {record}]`.

use std::fs;
use std::io::{ErrorKind as IoKind, Read, Seek, SeekFrom, Write};
use std::path::Path;
use std::time::Duration;

use super::MAX_HISTORY_LEN as MAX_ENCODED_LEN;
use super::file_locks::{self, Owner};
use super::held_locks::LockFile;
use super::strict::Trust;
use crate::error::{Error, Result};

/// The longest a history read or write waits for the side file (held for a rewrite only).
const HISTORY_LOCK_WAIT: Duration = Duration::from_secs(2);

/// The most of the side file read: histories of this many users at their longest.
const MAX_SIDE_FILE_LEN: u64 = 20_000 * (MAX_ENCODED_LEN as u64 + 300);

/// `user`'s encoded history in the side file at `path`; `None` when there is none (or no file).
pub fn read(path: &Path, trust: &Trust, owner: Owner, user: &str) -> Result<Option<String>> {
    if fs::symlink_metadata(path).is_err_and(|e| e.kind() == IoKind::NotFound) {
        return Ok(None);
    }
    let mut file = file_locks::lock_file(path, trust, owner, HISTORY_LOCK_WAIT)?;
    let text = read_all(&mut file, path)?;
    Ok(text.lines().find_map(|line| {
        let (named, record) = parse_line(line)?;
        (named == user).then_some(record)
    }))
}

/// Replaces `user`'s line in the side file at `path` (created when missing) by `encoded`.
pub fn write(path: &Path, trust: &Trust, owner: Owner, user: &str, encoded: &str) -> Result<()> {
    let record: serde_json::Value = serde_json::from_str(encoded)
        .map_err(|e| Error::internal(format!("a refresh history is not JSON: {e}")))?;
    let line = serde_json::to_string(&(user, record))
        .map_err(|e| Error::internal(format!("cannot encode a refresh history line: {e}")))?;
    rewrite(path, trust, owner, user, Some(&line))
}

/// Removes `user`'s line from the side file at `path` (a deleted user's history goes with
/// its tokens); no side file, or no line, is nothing to do.
pub fn remove(path: &Path, trust: &Trust, owner: Owner, user: &str) -> Result<()> {
    if fs::symlink_metadata(path).is_err_and(|e| e.kind() == IoKind::NotFound) {
        return Ok(());
    }
    rewrite(path, trust, owner, user, None)
}

/// Rewrites the side file at `path` under its lock: every other user's line kept (lines
/// that are not one dropped), `user`'s replaced by `line` or left out.
fn rewrite(path: &Path, trust: &Trust, owner: Owner, user: &str, line: Option<&str>) -> Result<()> {
    let mut file = file_locks::lock_file(path, trust, owner, HISTORY_LOCK_WAIT)?;
    let text = read_all(&mut file, path)?;
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| parse_line(l).is_some_and(|(named, _)| named != user))
        .collect();
    lines.extend(line);
    let mut out = lines.join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    let io = |e: std::io::Error| Error::store_io("write", path, &e);
    file.set_len(0).map_err(io)?;
    file.seek(SeekFrom::Start(0)).map_err(io)?;
    file.write_all(out.as_bytes()).map_err(io)
}

/// The side file's text (at most [`MAX_SIDE_FILE_LEN`] bytes; invalid UTF-8 is replaced).
fn read_all(file: &mut LockFile, path: &Path) -> Result<String> {
    let mut bytes = Vec::new();
    file.seek(SeekFrom::Start(0))
        .and_then(|_| {
            (&mut **file)
                .take(MAX_SIDE_FILE_LEN)
                .read_to_end(&mut bytes)
        })
        .map_err(|e| Error::store_io("read", path, &e))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A line's user and encoded record; `None` for a line that is not one.
fn parse_line(line: &str) -> Option<(String, String)> {
    if line.len() > MAX_ENCODED_LEN * 2 {
        return None;
    }
    let (user, record): (String, serde_json::Value) = serde_json::from_str(line).ok()?;
    Some((user, record.to_string()))
}
