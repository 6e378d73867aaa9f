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
