//! The SDK's log file: lines `<Y-m-d H:i:s> <LEVEL>: <message>` appended to
//! `<applicationLogFilePath>/ZCRMClientLibrary.log`. Times are UTC. Callers pass messages
//! that hold no secrets (user identifiers, Zoho error codes, paths).

use std::fs::OpenOptions;
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

use crate::clock::UtcTime;

/// Severity levels the SDK writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// `INFO`.
    Info,
    /// `WARNING`.
    Warning,
    /// `SEVERE`.
    Severe,
}

impl Level {
    fn name(self) -> &'static str {
        match self {
            Level::Info => "INFO",
            Level::Warning => "WARNING",
            Level::Severe => "SEVERE",
        }
    }
}

/// Appends SDK-format lines to a log file, or does nothing when no file is configured.
#[derive(Clone, Debug, Default)]
pub struct SdkLog {
    path: Option<PathBuf>,
}

impl SdkLog {
    /// A log writing to `path`, or a silent one for `None`.
    pub fn new(path: Option<PathBuf>) -> SdkLog {
        SdkLog { path }
    }

    /// Writes one line. A write failure is ignored, as in the SDK: logging must never
    /// break a token operation.
    pub fn write(&self, level: Level, message: &str, now_ms: i64) {
        let Some(path) = &self.path else { return };
        let line = format!(
            "{} {}: {}\n",
            format_utc(now_ms),
            level.name(),
            message.replace('\n', " ")
        );
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(path);
        if let Ok(mut file) = file {
            // One write call per line: O_APPEND keeps lines from several processes whole.
            let _ = file.write_all(line.as_bytes());
        }
    }
}

/// `Y-m-d H:i:s` of an epoch-milliseconds time, in UTC.
pub fn format_utc(epoch_ms: i64) -> String {
    let t = UtcTime::from_epoch_ms(epoch_ms);
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year, t.month, t.day, t.hour, t.minute, t.second
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_php_date() {
        assert_eq!(format_utc(0), "1970-01-01 00:00:00");
        assert_eq!(format_utc(1_795_316_346_330), "2026-11-22 02:59:06");
        assert_eq!(format_utc(951_782_400_000), "2000-02-29 00:00:00");
    }

    #[test]
    fn appends_lines_and_creates_private_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ZCRMClientLibrary.log");
        let log = SdkLog::new(Some(path.clone()));
        log.write(
            Level::Info,
            "Access Token has expired. Hence refreshing.",
            0,
        );
        log.write(Level::Severe, "two\nlines", 1000);
        let text = std::fs::read_to_string(&path).expect("log");
        assert_eq!(
            text,
            "1970-01-01 00:00:00 INFO: Access Token has expired. Hence refreshing.\n1970-01-01 00:00:01 SEVERE: two lines\n"
        );
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
