//! `zoho-oauth migrate` to and from the token file of Zoho's current SDKs (`sdk_tokens.txt`):
//! round trips without loss, the 9-column legacy file, a dry run that writes nothing, and bad
//! input (a corrupt CSV, a value the CSV cannot hold, a non-empty target) refused with
//! nothing changed.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "common/mod.rs"]
mod common;
#[path = "cli/support.rs"]
#[allow(dead_code)]
mod support;

use std::fs;

use support::{ADA, CLIENT_ID, CLIENT_SECRET, Env, fixture};
use zoho_oauth::store::sdk_csv::format::HEADER;

fn csv_file(env: &Env) -> std::path::PathBuf {
    env.token_dir().join("sdk_tokens.txt")
}

#[test]
fn old_sdk_file_to_csv_to_json_and_back_without_loss() {
    let env = Env::start();
    let original = fs::read(fixture("three-users.zcrm_oauthtokens.txt")).unwrap();
    fs::write(env.token_file(), &original).unwrap();

    let run = env.run(&["migrate", "--to", "csv", "--json"]).expect(0);
    assert_eq!(run.json()["from_format"], "php");
    assert_eq!(run.json()["users"], 3);
    let csv = fs::read_to_string(csv_file(&env)).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], HEADER.join(","));
    assert_eq!(lines.len(), 4);
    for (i, line) in lines[1..].iter().enumerate() {
        assert!(
            line.starts_with(&format!("{},", i + 1))
                && line.contains(&format!(",{CLIENT_ID},{CLIENT_SECRET},")),
            "ids from 1 and the configured client, so the SDK can refresh: {line}"
        );
    }
    assert_eq!(fs::read(env.token_file()).unwrap(), original, "source kept");

    env.run(&["migrate", "--from", "csv", "--to", "json"])
        .expect(0);
    let back = env.token_dir().join("back.txt");
    env.run(&[
        "migrate",
        "--from",
        "json",
        "--to",
        "php",
        "--to-file",
        back.to_str().unwrap(),
    ])
    .expect(0);
    assert_eq!(
        fs::read(&back).unwrap(),
        original,
        "php -> csv -> json -> php is lossless"
    );
    let direct = env.token_dir().join("direct.txt");
    env.run(&[
        "migrate",
        "--from",
        "csv",
        "--to",
        "php",
        "--to-file",
        direct.to_str().unwrap(),
    ])
    .expect(0);
    assert_eq!(
        fs::read(&direct).unwrap(),
        original,
        "csv -> php is lossless"
    );
}

#[test]
fn a_legacy_9_column_file_migrates() {
    let env = Env::start();
    fs::write(
        csv_file(&env),
        format!("id,user_mail,client_id,client_secret,refresh_token,access_token,grant_token,expiry_time,redirect_url\n1,{ADA},c,s,1000.r.x,1000.a.x,,4102444800000,https://example.com/cb"),
    )
    .unwrap();
    let run = env
        .run(&["migrate", "--from", "csv", "--to", "json", "--json"])
        .expect(0);
    assert_eq!(run.json()["added"][0], ADA);
    let json = fs::read_to_string(env.json_file()).unwrap();
    assert!(json.contains("1000.r.x") && json.contains("4102444800000"));
}

#[test]
fn a_dry_run_shows_the_changes_and_writes_nothing() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    env.exchange("bob@example.com", &[]);
    env.run(&["migrate", "--to", "csv"]).expect(0);
    env.exchange("carol@example.com", &[]);
    let csv_before = fs::read(csv_file(&env)).unwrap();
    let run = env
        .run(&["migrate", "--to", "csv", "--dry-run", "--json"])
        .expect(0);
    let json = run.json();
    assert_eq!(json["dry_run"], true);
    assert_eq!(json["added"], serde_json::json!(["carol@example.com"]));
    assert_eq!(json["unchanged"].as_array().unwrap().len(), 2);
    assert_eq!(
        fs::read(csv_file(&env)).unwrap(),
        csv_before,
        "nothing written"
    );
    let human = env.run(&["migrate", "--to", "csv", "--dry-run"]).expect(0);
    assert!(
        human.stdout.contains("add: carol@example.com"),
        "{}",
        human.stdout
    );
    support::assert_no_secrets(&env, &(human.stdout + &human.stderr));

    let refused = env.run(&["migrate", "--to", "csv"]);
    assert_ne!(refused.code, 0, "a non-empty target without --force");
    assert_eq!(
        fs::read(csv_file(&env)).unwrap(),
        csv_before,
        "nothing written"
    );
    env.run(&["migrate", "--to", "csv", "--force"]).expect(0);
    assert_eq!(
        fs::read_to_string(csv_file(&env)).unwrap().lines().count(),
        4
    );
}

#[test]
fn bad_input_is_a_clear_error_and_nothing_changes() {
    let env = Env::start();
    let corrupt = format!(
        "{}\n1,Doe, Ada,c,{CLIENT_SECRET},r,a,,1,,",
        HEADER.join(",")
    );
    fs::write(csv_file(&env), &corrupt).unwrap();
    let run = env.run(&["migrate", "--from", "csv", "--to", "json"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("line 2 has 11 fields"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains(CLIENT_SECRET));
    assert!(!env.json_file().exists(), "no target written");
    assert_eq!(fs::read_to_string(csv_file(&env)).unwrap(), corrupt);

    fs::remove_file(csv_file(&env)).unwrap();
    fs::write(
        env.json_file(),
        r#"{"format":"zoho-oauth-tokens","version":1,"tokens":[{"user":"Doe, Ada","access_token":"1000.a","refresh_token":"1000.r","expiry_time_ms":1}]}"#,
    )
    .unwrap();
    let run = env.run(&["migrate", "--from", "json", "--to", "csv"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("user_name contains a comma"),
        "{}",
        run.stderr
    );
    assert!(!csv_file(&env).exists() || fs::read_to_string(csv_file(&env)).unwrap().is_empty());

    let run = env.run(&["migrate", "--from", "csv", "--to", "csv"]);
    assert_eq!(run.code, 2, "csv to csv is a usage error: {run:?}");
    let run = env.run(&[
        "migrate",
        "--from",
        "csv",
        "--to",
        "json",
        "--from-file",
        "/nonexistent/sdk_tokens.txt",
    ]);
    assert_ne!(run.code, 0);
    assert!(
        run.stderr.contains("there is no csv token file"),
        "{}",
        run.stderr
    );
}
