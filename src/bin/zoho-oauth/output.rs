//! What the tool prints: results on stdout (text, or one JSON object per line with
//! `--json`), progress, warnings and errors on stderr (errors on stdout with `--json`).

use std::io::Write;

use serde_json::{Value, json};

use crate::exit::Failure;
use crate::unsaved;

/// The output mode.
#[derive(Clone, Copy)]
pub struct Output {
    /// `--json`.
    pub json: bool,
}

impl Output {
    /// Prints a result: `human` as text, or `machine` as one JSON line.
    pub fn result(&self, human: &str, machine: Value) {
        if self.json {
            self.json_line(&machine);
        } else {
            stdout_line(&escape_controls(human));
        }
    }

    /// Prints one JSON line on stdout and flushes it (readers may be waiting on it).
    pub fn json_line(&self, value: &Value) {
        stdout_line(&value.to_string());
    }

    /// Prints progress for a person, on stderr.
    pub fn progress(&self, message: &str) {
        let _ = writeln!(std::io::stderr(), "{}", escape_controls(message));
    }

    /// Reports a failure. Tokens that were not saved go to stdout (as lines, or as the
    /// error's `unsaved_tokens` field), never to stderr.
    pub fn failure(&self, f: &Failure) {
        if self.json {
            let mut error = failure_json(f);
            if let Some(tokens) = &f.unsaved {
                error["unsaved_tokens"] = unsaved::json(tokens);
            }
            self.json_line(&json!({ "error": error }));
            return;
        }
        if let Some(tokens) = &f.unsaved {
            stdout_line(&unsaved::text(tokens));
        }
        let mut text = format!("error: {}", f.message);
        if let Some(code) = &f.zoho_code
            && !f.message.contains(code.as_str())
        {
            text.push_str(&format!(" (Zoho: {code})"));
        }
        if let Some(hint) = &f.hint {
            text.push_str(&format!("\nhint: {hint}"));
        }
        let _ = writeln!(std::io::stderr(), "{}", escape_controls(&text));
    }
}

/// Text for a terminal: control characters other than newline and tab (escape sequences
/// in a stored identifier, say) are shown as `\x1b` or `\u{9b}` instead of being obeyed.
pub fn escape_controls(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\n' | '\t' => c.to_string(),
            c if (c as u32) < 0x80 && c.is_control() => format!("\\x{:02x}", c as u32),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

fn failure_json(f: &Failure) -> Value {
    json!({
        "exit_code": f.class.code(),
        "class": f.class.name(),
        "kind": f.kind.map(|k| k.name()),
        "code": f.kind.map(|k| k.code()),
        "zoho_code": f.zoho_code,
        "message": f.message,
        "hint": f.hint,
    })
}

fn stdout_line(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
    let _ = out.flush();
}

/// Prints a warning on stderr.
pub fn warn(message: &str) {
    let _ = writeln!(std::io::stderr(), "warning: {}", escape_controls(message));
}

/// Epoch milliseconds as `YYYY-MM-DDTHH:MM:SSZ` (UTC).
pub fn utc(epoch_ms: i64) -> String {
    let secs = epoch_ms.div_euclid(1000);
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// "in 59 min" / "expired 2 h ago".
pub fn relative(remaining_ms: i64) -> String {
    let span = |ms: i64| {
        let s = ms / 1000;
        match s {
            0..=119 => format!("{s} s"),
            120..=7199 => format!("{} min", s / 60),
            7200..=172_799 => format!("{} h", s / 3600),
            _ => format!("{} days", s / 86_400),
        }
    };
    if remaining_ms > 0 {
        format!("in {}", span(remaining_ms))
    } else {
        format!("expired {} ago", span(-remaining_ms))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utc_and_relative() {
        assert_eq!(utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(utc(1_795_316_346_330), "2026-11-22T02:59:06Z");
        assert_eq!(utc(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(relative(3_540_000), "in 59 min");
        assert_eq!(relative(-7_200_000), "expired 2 h ago");
        assert_eq!(relative(30_000), "in 30 s");
    }
}
