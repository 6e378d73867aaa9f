//! The one table of error kinds (`src/error/kinds.rs`) against every place that shows it: the
//! committed C headers (`capi/include/`), the error table of docs/errors.md, the CLI's exit-code table (docs/cli.md) and
//! the CLI itself, run as a process. The PHP side (`getCode()` against docs/errors.md's table) is
//! `php/tests/phpt/070_error_codes_table.phpt`.
#![allow(clippy::unwrap_used, missing_docs, dead_code)]

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::collections::BTreeMap;
use std::path::Path;

use support::{ADA, Env, SCOPES};
use zoho_oauth::ErrorKind;

/// A file of the repository, named from its root.
fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The table as the tests expect to find it: (number, snake_case name), `ok` first.
fn expected() -> Vec<(u32, String)> {
    let mut rows = vec![(0, "ok".to_string())];
    rows.extend(
        ErrorKind::ALL
            .iter()
            .map(|k| (k.code(), k.name().to_string())),
    );
    rows
}

/// `ZOHO_RESULT_<NAME> = <n>,` lines of a header's `zoho_result` enum.
fn header_values(header: &str) -> Vec<(u32, String)> {
    let text = read(header);
    let start = text.find("ZOHO_RESULT_OK = 0").expect("enum zoho_result");
    let end = start + text[start..].find("} zoho_result;").expect("enum end");
    text[start..end]
        .lines()
        .filter_map(|line| line.trim().strip_prefix("ZOHO_RESULT_"))
        .map(|entry| {
            let (name, value) = entry.trim_end_matches(',').split_once(" = ").unwrap();
            (value.parse().unwrap(), name.to_ascii_lowercase())
        })
        .collect()
}

/// The rows of a Markdown table that follows `heading`: the first two cells of each.
fn markdown_rows(file: &str, heading: &str) -> Vec<(String, String)> {
    let text = read(file);
    let start = text
        .find(heading)
        .unwrap_or_else(|| panic!("{heading} in {file}"));
    text[start..]
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            (cells[1].to_string(), cells[2].trim_matches('`').to_string())
        })
        .collect()
}

#[test]
fn c_headers_list_exactly_the_table() {
    for header in ["capi/include/zoho_oauth.h", "capi/include/zoho_oauth_ffi.h"] {
        assert_eq!(header_values(header), expected(), "{header}");
    }
}

#[test]
fn docs_error_table_is_the_table() {
    let rows: Vec<(u32, String)> = markdown_rows("docs/errors.md", "## The table of error codes")
        .into_iter()
        .map(|(code, name)| (code.parse().unwrap(), name))
        .collect();
    assert_eq!(rows, expected());
}

/// The CLI's exit code of each category, from docs/cli.md's table (class name -> code).
fn documented_exit_codes() -> BTreeMap<String, i32> {
    markdown_rows("docs/cli.md", "## Exit codes")
        .into_iter()
        .filter(|(_, class)| !class.is_empty())
        .map(|(code, class)| (class, code.parse().unwrap()))
        .collect()
}

#[test]
fn every_category_has_a_documented_exit_code() {
    let codes = documented_exit_codes();
    for &kind in ErrorKind::ALL {
        let class = kind.category().name();
        assert!(
            codes.contains_key(class),
            "{kind:?}: class {class} not in docs/cli.md"
        );
    }
}

/// Runs the CLI into a library error and checks its `--json` report and exit code against
/// the table: kind and number, class of the kind's category, and that class's exit code.
fn check_cli(cmd: std::process::Command, kind: ErrorKind) {
    let run = support::run(cmd);
    let error = &run.json()["error"];
    assert_eq!(error["kind"], kind.name(), "{run:#?}");
    assert_eq!(error["code"], kind.code(), "{run:#?}");
    assert_eq!(error["class"], kind.category().name(), "{run:#?}");
    let exit = documented_exit_codes()[kind.category().name()];
    assert_eq!(run.code, exit, "{run:#?}");
    assert_eq!(error["exit_code"], exit, "{run:#?}");
}

#[test]
fn cli_reports_codes_and_exit_codes_of_the_table() {
    let env = Env::start();
    let cmd = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("--json");
        env.cmd(&all)
    };
    let forged = "1000.0000ffff0000ffff0000ffff0000ffff.1111eeee1111eeee1111eeee1111eeee";
    check_cli(
        cmd(&["exchange", "--grant-token", forged]),
        ErrorKind::InvalidCode,
    );
    let mut closed = cmd(&["exchange", "--grant-token", forged]);
    closed.env(
        "ZOHO_ACCOUNTS_URL",
        format!("http://127.0.0.1:{}", support::free_port()),
    );
    check_cli(closed, ErrorKind::Connect);
    let grant = env.grant(ADA, SCOPES);
    env.run(&["exchange", "--grant-token", &grant]).expect(0);
    let file = env.token_dir().join("zcrm_oauthtokens.txt");
    std::fs::write(&file, "a:1:{not serialized").unwrap();
    check_cli(cmd(&["token", "--user", ADA]), ErrorKind::StoreCorrupt);
}
