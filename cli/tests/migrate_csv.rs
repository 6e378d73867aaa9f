//! `zoho-oauth migrate` to and from the token file of Zoho's current SDKs (`sdk_tokens.txt`):
//! round trips without loss, the 9-column legacy file, a dry run that writes nothing, and bad
//! input (a corrupt CSV, a value the CSV cannot hold, a non-empty target) refused with
//! nothing changed.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
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

/// A fresh database on the MySQL test server with the current SDKs' `oauthtoken` table and
/// the old SDK's `oauthtokens`; its name.
fn mysql_database(url: &str) -> String {
    use mysql::prelude::Queryable;
    let db = format!("bridge_cli_{}", std::process::id());
    let opts =
        mysql::OptsBuilder::from_opts(mysql::Opts::from_url(url).unwrap()).db_name(None::<String>);
    let mut conn = mysql::Conn::new(opts).unwrap();
    conn.query_drop(format!("DROP DATABASE IF EXISTS {db}"))
        .unwrap();
    conn.query_drop(format!("CREATE DATABASE {db}")).unwrap();
    conn.query_drop(zoho_oauth::store::mysql::oauthtoken::create_table(
        &format!("{db}.oauthtoken"),
    ))
    .unwrap();
    conn.query_drop(format!(
        "CREATE TABLE {db}.oauthtokens (useridentifier varchar(100), accesstoken varchar(100), refreshtoken varchar(100), expirytime bigint)"
    ))
    .unwrap();
    db
}

#[test]
fn every_direction_through_both_sdks_tables_without_loss() {
    let Ok(url) = std::env::var("ZOHO_TEST_MYSQL_URL") else {
        eprintln!("skipped: ZOHO_TEST_MYSQL_URL is not set");
        return;
    };
    let env = Env::start();
    let db = mysql_database(&url);
    let original = fs::read(fixture("three-users.zcrm_oauthtokens.txt")).unwrap();
    fs::write(env.token_file(), &original).unwrap();
    let new_table = [
        format!("mysql_url={url}"),
        format!("mysql_database={db}"),
        "mysql_table=oauthtoken".to_string(),
    ];
    let old_table = [
        format!("mysql_url={url}"),
        format!("mysql_database={db}"),
        "mysql_table=oauthtokens".to_string(),
    ];
    let with = |flag: &'static str, sets: &[String]| -> Vec<String> {
        sets.iter()
            .flat_map(|s| [flag.to_string(), s.clone()])
            .collect()
    };
    let run = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        env.run(&args).expect(0)
    };
    // php file -> csv -> oauthtoken (today's SDK) -> oauthtokens (the old SDK) -> php file.
    run(vec!["migrate".into(), "--to".into(), "csv".into()]);
    let dry = run([
        vec![
            "migrate".into(),
            "--from".into(),
            "csv".into(),
            "--to".into(),
            "mysql".into(),
            "--dry-run".into(),
            "--json".into(),
        ],
        with("--to-set", &new_table),
    ]
    .concat());
    assert_eq!(
        dry.json()["added"].as_array().unwrap().len(),
        3,
        "{}",
        dry.stdout
    );
    run([
        vec![
            "migrate".into(),
            "--from".into(),
            "csv".into(),
            "--to".into(),
            "mysql".into(),
        ],
        with("--to-set", &new_table),
    ]
    .concat());
    run([
        vec![
            "migrate".into(),
            "--from".into(),
            "mysql".into(),
            "--to".into(),
            "mysql".into(),
        ],
        with("--from-set", &new_table),
        with("--to-set", &old_table),
    ]
    .concat());
    let back = env.token_dir().join("back.txt");
    run([
        vec![
            "migrate".into(),
            "--from".into(),
            "mysql".into(),
            "--to".into(),
            "php".into(),
            "--to-file".into(),
            back.display().to_string(),
        ],
        with("--from-set", &old_table),
    ]
    .concat());
    assert_eq!(
        fs::read(&back).unwrap(),
        original,
        "php -> csv -> oauthtoken -> oauthtokens -> php is lossless"
    );
    // And oauthtoken -> csv gives the same rows as the first csv.
    let again = env.token_dir().join("again/sdk_tokens.txt");
    fs::create_dir(again.parent().unwrap()).unwrap();
    run([
        vec![
            "migrate".into(),
            "--from".into(),
            "mysql".into(),
            "--to".into(),
            "csv".into(),
            "--to-file".into(),
            again.display().to_string(),
        ],
        with("--from-set", &new_table),
    ]
    .concat());
    assert_eq!(
        fs::read(&again).unwrap(),
        fs::read(csv_file(&env)).unwrap(),
        "oauthtoken -> csv matches php -> csv"
    );
}

#[test]
fn every_cli_command_works_on_sdk_tokens_txt() {
    let env = Env::start();
    let csv = csv_file(&env);
    let dir_flag = ["--token-dir", csv.to_str().unwrap()];
    env.exchange(ADA, &dir_flag);
    let text = fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with(&HEADER.join(",")), "{text}");
    assert!(text.contains(&format!("\n1,{ADA},{CLIENT_ID},{CLIENT_SECRET},1000.")));
    let users = env
        .run(&["users", "--json", "--token-dir", csv.to_str().unwrap()])
        .expect(0);
    assert!(
        users.stdout.contains(ADA) && users.stdout.contains("csv"),
        "{}",
        users.stdout
    );
    let token = env
        .run(&["token", "--user", ADA, "--token-dir", csv.to_str().unwrap()])
        .expect(0);
    assert!(token.stdout.trim().starts_with("1000."));
    env.run(&[
        "revoke",
        "--user",
        ADA,
        "--local",
        "--token-dir",
        csv.to_str().unwrap(),
    ])
    .expect(0);
    assert_eq!(fs::read_to_string(&csv).unwrap(), HEADER.join(","));
}
