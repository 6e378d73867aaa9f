//! A C caller and a CLI user never see a PHP method name: the core carries typed remedies, and
//! each door words them (PHP's words are in php/src/remedy.rs; phpt 005 shows PHP's messages
//! are unchanged). Reads every non-test line of the core, the C door and the CLI for PHP
//! vocabulary; the C door's messages are checked through its exports in `capi/src/tests.rs`.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::path::Path;

use common::PHP_WORDS;

/// Every line of `dir`'s Rust files up to the first `#[cfg(test)]`, without comments.
fn code_lines(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            code_lines(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            out.extend(
                code.lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .map(|line| (path.display().to_string(), line.to_string())),
            );
        }
    }
}

#[test]
fn core_c_and_cli_code_has_no_php_vocabulary() {
    let mut lines = Vec::new();
    for door in ["src", "capi/src", "cli/src"] {
        code_lines(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join(door),
            &mut lines,
        );
    }
    assert!(lines.len() > 10_000, "read only {} lines", lines.len());
    for (file, line) in &lines {
        for word in PHP_WORDS {
            assert!(!line.contains(word), "{file}: {line}");
        }
    }
}
