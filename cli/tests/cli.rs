//! The `zoho-oauth` command-line tool, run as a process against the accounts emulator.
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
mod support;

use std::os::unix::fs::PermissionsExt;

use support::{
    ADA, CLIENT_ID, CLIENT_SECRET, Env, Login, SCOPES, assert_no_secrets, expected, fixture, http,
    printed, refresh_at_emulator, run_with_stdin, stored,
};
use zoho_accounts_emulator::{FaultKind, FaultSpec, UserSpec};
use zoho_oauth::TokenStore;

// ---- login -------------------------------------------------------------------------------

#[test]
fn login_full_flow_with_the_test_as_browser() {
    let env = Env::start();
    let login = Login::start(&env, &["--scope", "ZohoCRM.modules.ALL", "--timeout", "30"]);
    let url = url::Url::parse(&login.authorize_url).unwrap();
    let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    let get = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    assert_eq!(get("client_id"), Some(CLIENT_ID));
    assert_eq!(get("access_type"), Some("offline"));
    assert_eq!(get("prompt"), Some("consent"));
    assert_eq!(get("redirect_uri"), Some(env.redirect_uri.as_str()));
    assert_eq!(
        get("scope"),
        Some("ZohoCRM.modules.ALL,AaaServer.profile.READ")
    );
    assert_eq!(get("state").map(str::len), Some(32));
    assert!(!login.authorize_url.contains(CLIENT_SECRET));

    let location = login.consent("");
    assert!(location.starts_with(&env.redirect_uri), "{location}");
    let (status, page) = login.land(&location);
    assert_eq!(status, 200);
    assert!(page.contains("Signed in as ada@example.com"), "{page}");
    let run = login.finish().expect(0);
    let result = run.json();
    assert_eq!(result["user"], ADA);
    assert_eq!(result["store_format"], "php");
    assert_eq!(result["token_file"], env.token_file().display().to_string());
    assert_eq!(result["has_refresh_token"], true);
    assert_eq!(env.counter("token.authorization_code"), 1);

    // Saved in the SDK's file, owner-only, and the token works at the API.
    let entries = stored(&env);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user.as_deref(), Some(ADA));
    let mode = std::fs::metadata(env.token_file())
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let token = env.run(&["token", "--user", ADA]).expect(0).stdout;
    assert_eq!(token, format!("{}\n", entries[0].access_token.expose()));
    assert_no_secrets(&env, &format!("{}{}", run.stdout, run.stderr));
}

#[test]
fn login_rejects_a_redirect_with_another_state_and_exchanges_nothing() {
    let env = Env::start();
    let login = Login::start(&env, &["--timeout", "30"]);
    let location = login.consent("");
    let state = url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == "state")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let forged = location.replace(&format!("state={state}"), "state=forged0123");
    let (status, page) = login.land(&forged);
    assert_eq!(status, 400);
    assert!(page.contains("state"), "{page}");
    let run = login.finish().expect(8);
    assert_eq!(run.json()["error"]["class"], "login");
    assert!(
        run.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("state does not match")
    );
    assert_eq!(env.counter("token"), 0);
    assert!(!env.token_file().exists());
}

#[test]
fn login_never_sends_the_secret_to_a_forged_accounts_server() {
    let env = Env::start();
    let login = Login::start(&env, &["--timeout", "30"]);
    let location = login.consent("");
    let server =
        url::form_urlencoded::byte_serialize(env.emulator.url().as_bytes()).collect::<String>();
    let evil = url::form_urlencoded::byte_serialize(b"https://accounts.zoho.com.evil.example")
        .collect::<String>();
    assert!(location.contains(&server), "{location}");
    let (status, _) = login.land(&location.replace(&server, &evil));
    assert_eq!(status, 400);
    let run = login.finish().expect(8);
    let message = run.json()["error"]["message"].as_str().unwrap().to_string();
    assert!(message.contains("not one of Zoho's"), "{message}");
    assert_eq!(env.counter("token"), 0);
}

#[test]
fn login_times_out_with_a_clear_message() {
    let env = Env::start();
    let started = std::time::Instant::now();
    let login = Login::start(&env, &["--timeout", "1"]);
    // A stray request to another path is answered 404 and does not end the wait.
    let other = env.redirect_uri.replace("/callback", "/favicon.ico");
    assert_eq!(login.land(&other).0, 404);
    let run = login.finish().expect(8);
    assert!(started.elapsed().as_secs() < 10);
    let error = &run.json()["error"];
    assert_eq!(error["exit_code"], 8);
    assert!(
        error["message"].as_str().unwrap().contains("within 1 s"),
        "{error}"
    );
    assert!(run.stderr.contains("Waiting up to 1 s"), "{run:?}");
}

#[test]
fn login_reports_refused_consent() {
    let env = Env::start();
    let login = Login::start(&env, &["--timeout", "30"]);
    let location = login.consent("&emulator_consent=deny");
    assert!(location.contains("error=access_denied"), "{location}");
    assert_eq!(login.land(&location).0, 400);
    let run = login.finish().expect(8);
    assert_eq!(run.json()["error"]["zoho_code"], "access_denied");
    assert_eq!(env.counter("token"), 0);
}

#[test]
fn login_follows_the_redirect_to_the_eu_data_centre_and_refreshes_there() {
    let env = Env::start();
    let eve = "eve@example.eu";
    env.emulator.register_user(UserSpec {
        email: eve.into(),
        data_centre: "eu".into(),
        ..UserSpec::default()
    });
    let login = Login::start(&env, &["--timeout", "30", "--store-format", "json"]);
    let location = login.consent(&format!("&emulator_user={eve}"));
    assert!(location.contains("location=eu"), "{location}");
    assert_eq!(login.land(&location).0, 200);
    let run = login.finish().expect(0);
    assert_eq!(run.json()["user"], eve);
    assert_eq!(run.json()["data_centre"], "eu");
    assert_eq!(run.json()["accounts_url"], env.emulator.dc_url("eu"));
    let dcs = |path: &str| -> Vec<String> {
        env.emulator
            .requests()
            .into_iter()
            .filter(|r| r.path.starts_with(path))
            .map(|r| r.data_centre)
            .collect()
    };
    assert_eq!(dcs("/oauth/v2/token"), ["eu"]);
    assert_eq!(dcs("/oauth/user/info"), ["eu"]);

    // The JSON store recorded the data centre: a refresh goes to eu, not the configured us.
    env.run(&["refresh", "--user", eve, "--store-format", "json"])
        .expect(0);
    assert_eq!(dcs("/oauth/v2/token"), ["eu", "eu"]);
    let users = env
        .run(&["users", "--json", "--store-format", "json"])
        .expect(0);
    assert_eq!(
        users.json()["users"][0]["accounts_url"],
        env.emulator.dc_url("eu")
    );
    assert_eq!(users.json()["users"][0]["data_centre_source"], "recorded");
    let text = env.run(&["users", "--store-format", "json"]).expect(0);
    assert!(!text.stdout.contains("(configured)"), "{text:?}");
}

#[test]
fn login_into_a_corrupt_token_file_hands_the_tokens_over() {
    let env = Env::start();
    std::fs::write(env.token_file(), b"a:1:{garbage").unwrap();
    let login = Login::start(&env, &["--timeout", "30"]);
    let location = login.consent("");
    let (status, page) = login.land(&location);
    assert_eq!(status, 400);
    assert!(page.contains("NOT saved"), "{page}");
    let run = login.finish().expect(6);
    let unsaved = &run.json()["error"]["unsaved_tokens"];
    assert_eq!(unsaved["user"], ADA);
    let refresh = unsaved["refresh_token"].as_str().unwrap();
    assert!(!page.contains(refresh) && !run.stderr.contains(refresh));
    assert!(refresh_at_emulator(&env, refresh)["access_token"].is_string());
    assert_eq!(std::fs::read(env.token_file()).unwrap(), b"a:1:{garbage");
}

#[test]
fn login_in_the_sdk_format_warns_that_the_data_centre_must_be_configured() {
    let env = Env::start();
    env.emulator.register_user(UserSpec {
        email: "eve@example.eu".into(),
        data_centre: "eu".into(),
        ..UserSpec::default()
    });
    let login = Login::start(&env, &["--timeout", "30"]);
    let location = login.consent("&emulator_user=eve@example.eu");
    login.land(&location);
    let run = login.finish().expect(0);
    assert!(run.stderr.contains("set accounts_url="), "{}", run.stderr);
}

// ---- exchange, token, refresh, revoke, users ---------------------------------------------

#[test]
fn exchange_then_token_refreshes_once_and_then_answers_without_requests() {
    let env = Env::start();
    env.set_token_ttl(30); // under the 60 s refresh margin: stale at once
    let run = env.exchange(ADA, &["--json"]);
    assert_eq!(run.json()["user"], ADA);
    assert_no_secrets(&env, &format!("{}{}", run.stdout, run.stderr));
    env.set_token_ttl(3600);

    let first = env.run(&["token", "--user", ADA]).expect(0);
    assert_eq!(env.counter("token.refresh_token"), 1);
    let fresh = stored(&env)[0].access_token.expose().to_string();
    assert_eq!(first.stdout, format!("{fresh}\n"));
    assert_eq!(first.stderr, "");

    let requests = env.requests();
    let second = env.run(&["token", "--user", ADA]).expect(0);
    assert_eq!(second.stdout, first.stdout);
    assert_eq!(env.requests(), requests, "the second call makes no request");

    let api = format!("{}/crm/v2/users?type=CurrentUser", env.emulator.url());
    let status = http()
        .get(api)
        .header("Authorization", format!("Zoho-oauthtoken {fresh}"))
        .send()
        .unwrap()
        .status();
    assert_eq!(status.as_u16(), 200);
}

#[test]
fn token_needs_no_client_secret_while_the_token_is_valid_and_defaults_to_the_only_user() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    let run = support::run({
        let mut cmd = env.cmd(&["token"]);
        cmd.env_remove("ZOHO_CLIENT_SECRET")
            .env_remove("ZOHO_CLIENT_ID");
        cmd
    })
    .expect(0);
    assert_eq!(run.stdout.trim(), stored(&env)[0].access_token.expose());
    let json = env.run(&["token", "--json"]).expect(0).json();
    assert_eq!(json["access_token"], stored(&env)[0].access_token.expose());
    assert_eq!(json["user"], ADA);
}

#[test]
fn refresh_replaces_the_access_token_and_prints_no_token() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    let before = stored(&env)[0].clone();
    let run = env.run(&["refresh", "--user", ADA]).expect(0);
    let after = stored(&env)[0].clone();
    assert_ne!(after.access_token, before.access_token);
    assert_eq!(after.refresh_token, before.refresh_token);
    assert_eq!(env.counter("token.refresh_token"), 1);
    assert!(run.stdout.contains("Refreshed ada@example.com"), "{run:?}");
    assert_no_secrets(&env, &format!("{}{}", run.stdout, run.stderr));
}

#[test]
fn revoke_revokes_at_zoho_then_deletes_and_local_only_deletes() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    env.exchange("bob@example.com", &[]);
    let refresh = stored(&env)[0].refresh_token.clone().unwrap();
    env.run(&["revoke", "--user", ADA]).expect(0);
    assert_eq!(env.counter("revoke"), 1);
    let users: Vec<_> = stored(&env).into_iter().map(|t| t.user.unwrap()).collect();
    assert_eq!(users, ["bob@example.com"]);
    // The refresh token is dead at Zoho.
    let body = format!(
        "grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={}&refresh_token={}",
        url::form_urlencoded::byte_serialize(CLIENT_SECRET.as_bytes()).collect::<String>(),
        refresh.expose()
    );
    let reply = http()
        .post(format!("{}/oauth/v2/token", env.emulator.url()))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert!(reply.contains("invalid_code"), "{reply}");
    env.run(&["token", "--user", ADA]).expect(7);

    env.run(&["revoke", "--user", "bob@example.com", "--local"])
        .expect(0);
    assert_eq!(env.counter("revoke"), 1);
    assert!(stored(&env).is_empty());
    env.run(&["revoke", "--user", "bob@example.com", "--local"])
        .expect(7);
}

#[test]
fn users_shows_who_expiry_and_redacted_tokens_only() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    env.exchange("bob@example.com", &[]);
    let run = env.run(&["users"]).expect(0);
    assert!(run.stdout.contains("ada@example.com"), "{run:?}");
    assert!(run.stdout.contains("bob@example.com"));
    assert!(
        run.stdout.contains("(in 59 min)") || run.stdout.contains("(in 60 min)"),
        "{run:?}"
    );
    assert!(run.stdout.contains("1000."));
    assert!(
        run.stdout
            .contains(&format!("{} (configured)", env.emulator.url())),
        "{run:?}"
    );
    assert_no_secrets(&env, &run.stdout);
    let eu = env.run(&["users", "--dc", "eu"]).expect(0);
    let ada_row = eu.stdout.lines().find(|l| l.starts_with(ADA)).unwrap();
    assert!(ada_row.contains(" eu (configured) "), "{eu:?}");
    let unknown = env
        .run(&["users", "--json", "--dc", "mars"])
        .expect(0)
        .json();
    assert_eq!(unknown["users"][0]["data_centre"], serde_json::Value::Null);

    let json = env.run(&["users", "--json"]).expect(0).json();
    let list = json["users"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["user"], ADA);
    assert_eq!(list[0]["expired"], false);
    // The SDK file does not record the data centre: the configured one is shown, marked.
    let url = env.emulator.url();
    assert_eq!(list[0]["data_centre"], url);
    assert_eq!(list[0]["data_centre_source"], "configured");
    assert_eq!(list[0]["accounts_url"], url);
    assert!(list[0]["access_token"].as_str().unwrap().ends_with('…'));
    assert_no_secrets(&env, &json.to_string());

    // Many users: `token` needs --user.
    let run = env.run(&["token"]).expect(2);
    assert!(run.stderr.contains("--user is needed"), "{run:?}");
}

#[test]
fn exchange_without_the_profile_scope_keeps_the_tokens() {
    let env = Env::start();
    let code = env.grant(ADA, "ZohoCRM.modules.ALL");
    let run = env.run(&["exchange", "--grant-token", &code]).expect(4);
    assert!(run.stderr.contains("AaaServer.profile.READ"), "{run:?}");
    assert!(run.stderr.contains("unidentified-"), "{run:?}");
    let kept = stored(&env);
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0]
            .user
            .as_deref()
            .unwrap()
            .starts_with("unidentified-")
    );
    assert!(kept[0].refresh_token.is_some());

    let code = env.grant(ADA, "ZohoCRM.modules.ALL");
    env.run(&["exchange", "--grant-token", &code, "--user", ADA])
        .expect(0);
    assert_eq!(stored(&env)[1].user.as_deref(), Some(ADA));
}

#[test]
fn exchange_reads_the_grant_token_from_stdin() {
    use std::io::Write;
    let env = Env::start();
    let code = env.grant(ADA, SCOPES);
    let mut child = env
        .cmd(&["exchange", "--grant-token", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{code}").unwrap();
    assert!(child.wait().unwrap().success());
    assert_eq!(stored(&env)[0].user.as_deref(), Some(ADA));
}

#[test]
fn authorize_url_needs_no_secret_and_has_every_parameter() {
    let env = Env::start();
    let run = support::run({
        let mut cmd = env.cmd(&[
            "authorize-url",
            "--scope",
            "ZohoCRM.modules.ALL",
            "--state",
            "xyz",
        ]);
        cmd.env_remove("ZOHO_CLIENT_SECRET");
        cmd
    })
    .expect(0);
    let url = run.stdout.trim();
    assert!(
        url.starts_with(&format!("{}/oauth/v2/auth?", env.emulator.url())),
        "{url}"
    );
    for part in [
        "access_type=offline",
        "prompt=consent",
        "state=xyz",
        "response_type=code",
    ] {
        assert!(url.contains(part), "{url}");
    }
    let reply = http().get(url).send().unwrap();
    assert_eq!(reply.status().as_u16(), 302);
}

// ---- the secret prompt, on a real terminal -------------------------------------------------

/// `exchange` without ZOHO_CLIENT_SECRET on a pseudo-terminal: it asks for the secret.
fn prompting_for_the_secret(env: &Env) -> support::Pty {
    let code = env.grant(ADA, SCOPES);
    let mut cmd = env.cmd(&["exchange", "--grant-token", &code]);
    cmd.env_remove("ZOHO_CLIENT_SECRET");
    let pty = support::Pty::spawn(cmd);
    pty.wait_until("the prompt", |p| p.shown().contains("Client secret: "));
    pty.wait_until("echo off", |p| !p.echo());
    pty
}

#[test]
fn the_client_secret_prompt_does_not_echo_and_the_secret_is_used() {
    let env = Env::start();
    let mut pty = prompting_for_the_secret(&env);
    pty.type_text(&format!("{CLIENT_SECRET}\n"));
    let status = pty.wait();
    pty.wait_until("the result", |p| p.shown().contains("Saved tokens"));
    assert_eq!(status.code(), Some(0), "{:?}", pty.shown());
    assert!(
        !pty.shown().contains(CLIENT_SECRET),
        "echoed: {:?}",
        pty.shown()
    );
    assert_eq!(
        stored(&env)[0].user.as_deref(),
        Some(ADA),
        "the typed secret worked"
    );
    assert!(pty.echo(), "echo is back on");
}

#[test]
fn ctrl_c_or_sigterm_at_the_secret_prompt_restores_echo() {
    use std::os::unix::process::ExitStatusExt;
    let env = Env::start();
    let mut pty = prompting_for_the_secret(&env);
    pty.type_text("\u{3}"); // Ctrl-C: the terminal sends SIGINT
    assert_eq!(pty.wait().signal(), Some(libc::SIGINT), "{:?}", pty.shown());
    assert!(pty.echo(), "Ctrl-C left the terminal without echo");

    let mut pty = prompting_for_the_secret(&env);
    let pid = libc::pid_t::try_from(pty.child.id()).unwrap();
    // SAFETY: signalling our own child.
    assert_eq!(unsafe { libc::kill(pid, libc::SIGTERM) }, 0);
    assert_eq!(
        pty.wait().signal(),
        Some(libc::SIGTERM),
        "{:?}",
        pty.shown()
    );
    assert!(pty.echo(), "SIGTERM left the terminal without echo");
    assert!(!env.token_file().exists());
}

// ---- migrate -----------------------------------------------------------------------------

#[test]
fn migrate_php_to_json_and_back_reproduces_the_sdk_fixtures_byte_for_byte() {
    for name in ["three-users", "online-no-refresh"] {
        let env = Env::start();
        let original = std::fs::read(fixture(&format!("{name}.zcrm_oauthtokens.txt"))).unwrap();
        std::fs::write(env.token_file(), &original).unwrap();

        let run = env.run(&["migrate", "--to", "json", "--json"]).expect(0);
        assert_eq!(run.json()["from_format"], "php");
        let json = std::fs::read(env.json_file()).unwrap();
        assert_eq!(
            json,
            std::fs::read(expected(&format!("{name}.json"))).unwrap(),
            "{name}"
        );
        assert_eq!(
            std::fs::read(env.token_file()).unwrap(),
            original,
            "source kept"
        );

        let back = env.dir.path().join("back.txt");
        env.run(&[
            "migrate",
            "--to",
            "php",
            "--to-file",
            back.to_str().unwrap(),
        ])
        .expect(0);
        assert_eq!(std::fs::read(&back).unwrap(), original, "{name}");
        assert_eq!(std::fs::read(env.json_file()).unwrap(), json, "source kept");
    }
}

#[test]
fn migrate_json_to_php_keeps_the_json_and_never_overwrites_without_force() {
    let env = Env::start();
    env.exchange(ADA, &["--store-format", "json"]);
    let json = std::fs::read(env.json_file()).unwrap();
    let run = env.run(&["migrate", "--to", "php"]).expect(0);
    assert!(run.stderr.contains("cannot hold api_domain"), "{run:?}");
    assert_eq!(std::fs::read(env.json_file()).unwrap(), json);
    let php = stored(&env);
    assert_eq!(php.len(), 1);
    assert_eq!(php[0].user.as_deref(), Some(ADA));

    let run = env.run(&["migrate", "--to", "php"]).expect(6);
    assert!(run.stderr.contains("--force"), "{run:?}");
    env.run(&["migrate", "--to", "php", "--force"]).expect(0);
    // The PHP file serves `token` as well as the JSON one did.
    let token = env.run(&["token", "--user", ADA]).expect(0).stdout;
    assert_eq!(token.trim(), php[0].access_token.expose());
}

#[test]
fn migrate_checks_and_writes_under_one_lock_so_a_concurrent_save_is_not_overwritten() {
    use zoho_oauth::{Secret, Tokens};
    let env = Env::start();
    env.exchange(ADA, &["--store-format", "json"]);
    assert!(!env.token_file().exists());

    // Play a PHP process that holds the store's lock while it saves bob into the (still
    // empty) target; migrate starts meanwhile and must wait for the lock, then find bob.
    let lock_path = std::path::PathBuf::from(format!("{}.lock", env.token_file().display()));
    let lock = std::fs::File::create(&lock_path).unwrap();
    lock.lock().unwrap();
    let migrate = env
        .cmd(&["migrate", "--to", "php"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    support::wait_until_blocked_on_a_lock(migrate.id(), &lock_path);
    let bob = Tokens::new(
        Some("bob@example.com".into()),
        Secret::new("1000.bobaccess.0"),
        Some(Secret::new("1000.bobrefresh.0")),
        i64::MAX / 2,
    );
    let saved_by_php = zoho_oauth::store::php_format::encode(std::slice::from_ref(&bob));
    std::fs::write(env.token_file(), &saved_by_php).unwrap();
    drop(lock);

    let out = migrate.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(6), "{stderr}");
    assert!(
        stderr.contains("already holds tokens of 1 user"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read(env.token_file()).unwrap(), saved_by_php);
}

// ---- errors and exit codes ---------------------------------------------------------------

#[test]
fn usage_and_configuration_errors_exit_2() {
    let env = Env::start();
    let run = env.run(&["token", "--frobnicate"]).expect(2);
    assert!(
        run.stderr.contains("unknown option --frobnicate"),
        "{run:?}"
    );
    env.run(&["nonsense"]).expect(2);
    env.run(&["exchange", "--grant-token"]).expect(2);

    let no_id = support::run({
        let mut cmd = env.cmd(&["exchange", "--grant-token", "x"]);
        cmd.env_remove("ZOHO_CLIENT_ID");
        cmd
    })
    .expect(2);
    assert!(no_id.stderr.contains("client_id"), "{no_id:?}");

    // stdin is not a terminal: nobody to ask for the secret.
    let no_secret = support::run({
        let mut cmd = env.cmd(&["exchange", "--grant-token", "x"]);
        cmd.env_remove("ZOHO_CLIENT_SECRET");
        cmd
    })
    .expect(2);
    assert!(
        no_secret.stderr.contains("ZOHO_CLIENT_SECRET"),
        "{no_secret:?}"
    );
    assert!(
        no_secret
            .stderr
            .contains("never read from the command line")
    );

    let bad_dc = env.run(&["users", "--dc", "mars"]);
    assert_eq!(bad_dc.code, 0, "users needs no accounts server");
    env.run(&["refresh", "--user", ADA, "--dc", "mars"])
        .expect(2);
    env.run(&["login", "--redirect-uri", "https://example.com/cb"])
        .expect(2);

    // A token_store no store answers to is refused by every command, even one that opens
    // no store, with the values there are.
    let config = env.dir.path().join("postgres.conf");
    std::fs::write(&config, "token_store = Postgres\n").unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    for command in ["users", "authorize-url"] {
        let run = env
            .run(&[command, "--config", config.to_str().unwrap()])
            .expect(2);
        assert!(
            run.stderr
                .contains("token_store must be file, mysql or redis (not 'postgres')"),
            "{command}: {run:?}"
        );
    }
}

#[test]
fn a_blank_token_directory_is_refused_and_nothing_is_guessed() {
    let env = Env::start();
    let cwd = tempfile::tempdir().unwrap();
    // Without a store, the CLI keeps its tokens in its data directory (HOME's); a blank
    // directory names none, and no other store (MySQL on localhost, the working directory)
    // is guessed: the error says what to set.
    let run = support::run({
        let mut cmd = env.cmd(&["exchange", "--grant-token", "x", "--token-dir", ""]);
        cmd.current_dir(cwd.path());
        cmd
    })
    .expect(2);
    assert!(
        run.stderr.contains("no token store is configured"),
        "{run:?}"
    );
    assert!(run.stderr.contains("token_persistence_path"), "{run:?}");
    assert_eq!(
        env.counter("token.authorization_code"),
        0,
        "nothing was exchanged"
    );
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
    // With no directory given at all, the data directory is used.
    let home = support::run({
        let mut cmd = env.cmd(&["users"]);
        cmd.env_remove("ZOHO_TOKEN_DIR");
        cmd
    })
    .expect(0);
    assert!(
        home.stdout
            .contains(".local/share/zoho-oauth/zcrm_oauthtokens.txt"),
        "{home:?}"
    );
}

#[test]
fn transport_failures_exit_3() {
    let env = Env::start();
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Http500)
    });
    let code = env.grant(ADA, SCOPES);
    let run = env
        .run(&["exchange", "--grant-token", &code, "--json"])
        .expect(3);
    assert_eq!(run.json()["error"]["kind"], "server_error");
    let closed = format!("http://127.0.0.1:{}", support::free_port());
    env.run(&[
        "exchange",
        "--grant-token",
        &code,
        "--accounts-url",
        &closed,
    ])
    .expect(3);
}

#[test]
fn zoho_refusals_exit_4_with_zoho_code_and_hint() {
    let env = Env::start();
    let run = env
        .run(&[
            "exchange",
            "--grant-token",
            "1000.0123456789abcdef.0123456789abcdef",
        ])
        .expect(4);
    assert!(run.stderr.contains("invalid_code"), "{run:?}");
    assert!(run.stderr.contains("hint:"), "{run:?}");

    // A client not enabled in that data centre: Zoho says invalid_client.
    let code = env.grant(ADA, SCOPES);
    let india = env.emulator.dc_url("in");
    let run = env
        .run(&[
            "exchange",
            "--grant-token",
            &code,
            "--accounts-url",
            &india,
            "--json",
        ])
        .expect(4);
    let error = &run.json()["error"];
    assert_eq!(error["zoho_code"], "invalid_client");
    assert_eq!(error["class"], "refused");
    assert!(
        error["hint"]
            .as_str()
            .unwrap()
            .to_lowercase()
            .contains("data centre"),
        "{error}"
    );
    assert_no_secrets(&env, &format!("{}{}", run.stdout, run.stderr));
}

#[test]
fn throttling_exits_5() {
    let env = Env::start();
    env.exchange(ADA, &[]);
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::new(FaultKind::Throttle)
    });
    let run = env.run(&["refresh", "--user", ADA, "--json"]).expect(5);
    assert_eq!(run.json()["error"]["zoho_code"], "Access Denied");
}

#[test]
fn a_corrupt_token_file_exits_6_is_left_untouched_and_the_issued_tokens_are_handed_over() {
    let env = Env::start();
    let garbage = b"a:1:{garbage";
    std::fs::write(env.token_file(), garbage).unwrap();
    let run = env.run(&["users"]).expect(6);
    assert!(run.stderr.contains("cannot be parsed"), "{run:?}");

    // The grant is spent by the time the save fails: the tokens go to stdout, not away.
    let run = env
        .run(&["exchange", "--grant-token", &env.grant(ADA, SCOPES)])
        .expect(6);
    assert_eq!(std::fs::read(env.token_file()).unwrap(), garbage);
    assert!(run.stderr.contains("NOT saved"), "{run:?}");
    assert!(run.stderr.contains("cannot be parsed"), "{run:?}");
    assert!(
        run.stderr.contains("zoho-oauth exchange --refresh-token -"),
        "{run:?}"
    );
    let refresh = printed(&run.stdout, "refresh_token").expect("refresh token printed");
    let access = printed(&run.stdout, "access_token").expect("access token printed");
    assert_eq!(printed(&run.stdout, "user").as_deref(), Some(ADA));
    assert!(printed(&run.stdout, "expires_at").is_some(), "{run:?}");
    for secret in [refresh.as_str(), access.as_str(), CLIENT_SECRET] {
        assert!(!run.stderr.contains(secret), "a secret on stderr: {run:?}");
    }
    assert_eq!(env.counter("token.refresh_token"), 0);

    // Once the file is fixed, the printed lines piped back in refresh at Zoho and are saved.
    std::fs::remove_file(env.token_file()).unwrap();
    let saved = run_with_stdin(env.cmd(&["exchange", "--refresh-token", "-"]), &run.stdout);
    let saved = saved.expect(0);
    assert!(
        saved.stdout.contains("Saved tokens for ada@example.com"),
        "{saved:?}"
    );
    assert_eq!(env.counter("token.refresh_token"), 1, "refreshed at Zoho");
    let entries = stored(&env);
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].user.as_deref(), Some(ADA));
    assert_eq!(
        entries[0].refresh_token.as_ref().map(|r| r.expose()),
        Some(refresh.as_str())
    );
    let token = env.run(&["token", "--user", ADA]).expect(0).stdout;
    assert_eq!(token.trim(), entries[0].access_token.expose());
    assert_no_secrets(&env, &format!("{}{}", saved.stdout, saved.stderr));
}

#[test]
fn exchange_json_into_a_corrupt_file_puts_the_unsaved_tokens_in_the_error() {
    let env = Env::start();
    std::fs::write(env.token_file(), b"a:1:{garbage").unwrap();
    let code = env.grant(ADA, SCOPES);
    let run = env
        .run(&["exchange", "--grant-token", &code, "--json"])
        .expect(6);
    assert_eq!(std::fs::read(env.token_file()).unwrap(), b"a:1:{garbage");
    let error = &run.json()["error"];
    assert_eq!(error["class"], "store");
    assert_eq!(error["kind"], "store_corrupt");
    assert!(
        error["message"].as_str().unwrap().contains("NOT saved"),
        "{error}"
    );
    let unsaved = &error["unsaved_tokens"];
    assert_eq!(unsaved["user"], ADA);
    assert_eq!(unsaved["accounts_url"], env.emulator.url());
    let refresh = unsaved["refresh_token"].as_str().unwrap();
    for text in [error["message"].as_str(), error["hint"].as_str()] {
        assert!(!text.unwrap().contains(refresh), "{error}");
    }
    assert!(!run.stderr.contains(refresh), "{run:?}");
    let reply = refresh_at_emulator(&env, refresh);
    assert!(
        reply["access_token"].is_string(),
        "a real refresh token: {reply}"
    );

    // A bare refresh token on stdin works too, with --user; never one in argv.
    std::fs::remove_file(env.token_file()).unwrap();
    let bad = env.run(&["exchange", "--refresh-token", refresh]).expect(2);
    assert!(!format!("{bad:?}").contains(refresh), "{bad:?}");
    let cmd = env.cmd(&["exchange", "--refresh-token", "-", "--user", ADA, "--json"]);
    let saved = run_with_stdin(cmd, &format!("{refresh}\n")).expect(0);
    assert_eq!(saved.json()["user"], ADA);
    assert_eq!(
        stored(&env)[0].refresh_token.as_ref().map(|r| r.expose()),
        Some(refresh)
    );
}

#[test]
fn an_unidentified_grant_into_a_corrupt_file_is_handed_over_without_a_user() {
    let env = Env::start();
    std::fs::write(env.token_file(), b"a:1:{garbage").unwrap();
    let code = env.grant(ADA, "ZohoCRM.modules.ALL");
    let run = env
        .run(&["exchange", "--grant-token", &code, "--json"])
        .expect(6);
    let error = &run.json()["error"];
    assert_eq!(error["unsaved_tokens"]["user"], serde_json::Value::Null);
    assert!(
        error["hint"].as_str().unwrap().contains("--user EMAIL"),
        "{error}"
    );
    let refresh = error["unsaved_tokens"]["refresh_token"].as_str().unwrap();
    assert!(refresh_at_emulator(&env, refresh)["access_token"].is_string());
    assert_eq!(std::fs::read(env.token_file()).unwrap(), b"a:1:{garbage");
}

#[test]
fn no_tokens_exits_7() {
    let env = Env::start();
    let run = env
        .run(&["token", "--user", "nobody@example.com"])
        .expect(7);
    assert!(
        run.stderr
            .contains("no tokens are stored for nobody@example.com"),
        "{run:?}"
    );
    env.run(&["token"]).expect(7);
    env.run(&["refresh", "--user", "nobody@example.com"])
        .expect(7);
}

// ---- configuration -----------------------------------------------------------------------

#[test]
fn configuration_file_then_environment_then_flags() {
    let env = Env::start();
    let dirs: Vec<_> = ["file", "env", "flag"]
        .iter()
        .map(|n| {
            let d = env.dir.path().join(n);
            std::fs::create_dir(&d).unwrap();
            d
        })
        .collect();
    let config = env.dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "# test\nclient_id = {CLIENT_ID}\nclient_secret = \"{CLIENT_SECRET}\"\ntoken_persistence_path={}\n",
            dirs[0].display()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let token_file = |extra_env: Option<&str>, flag: Option<&str>| {
        let mut args = vec!["users", "--json", "--config", config.to_str().unwrap()];
        if let Some(f) = flag {
            args.extend(["--token-dir", f]);
        }
        let mut cmd = env.cmd(&args);
        cmd.env_remove("ZOHO_TOKEN_DIR");
        if let Some(e) = extra_env {
            cmd.env("ZOHO_TOKEN_DIR", e);
        }
        let run = support::run(cmd).expect(0);
        assert_eq!(run.stderr, "", "a 0600 file gives no warning");
        run.json()["token_file"].as_str().unwrap().to_string()
    };
    let (f, e, l) = (dirs[0].to_str(), dirs[1].to_str(), dirs[2].to_str());
    assert!(token_file(None, None).starts_with(f.unwrap()));
    assert!(token_file(e, None).starts_with(e.unwrap()));
    assert!(token_file(e, l).starts_with(l.unwrap()));

    // The secret from the file is used; a readable file draws a warning.
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o644)).unwrap();
    let code = env.grant(ADA, SCOPES);
    let mut cmd = env.cmd(&[
        "exchange",
        "--config",
        config.to_str().unwrap(),
        "--grant-token",
        &code,
    ]);
    cmd.env_remove("ZOHO_CLIENT_SECRET")
        .env_remove("ZOHO_CLIENT_ID");
    let run = support::run(cmd).expect(0);
    assert!(run.stderr.contains("chmod 600"), "{run:?}");
    assert!(env.token_file().exists(), "ZOHO_TOKEN_DIR beats the file");
}

/// Every exit code, and the test that makes the binary exit with it.
const EXIT_CODE_TESTS: &[(i32, &str)] = &[
    (0, "login_full_flow_with_the_test_as_browser"),
    (2, "usage_and_configuration_errors_exit_2"),
    (3, "transport_failures_exit_3"),
    (4, "zoho_refusals_exit_4_with_zoho_code_and_hint"),
    (5, "throttling_exits_5"),
    (
        6,
        "a_corrupt_token_file_exits_6_is_left_untouched_and_the_issued_tokens_are_handed_over",
    ),
    (7, "no_tokens_exits_7"),
    (
        8,
        "login_rejects_a_redirect_with_another_state_and_exchanges_nothing",
    ),
    (70, "a_crash_exits_70_without_its_panic_message"),
];

/// The codes of the "Exit codes:" section of `--help`.
fn codes_in_help(help: &str) -> Vec<i32> {
    let section = help.split("Exit codes:\n").nth(1).unwrap();
    section
        .lines()
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next()?.parse().ok())
        .collect()
}

/// The codes of the table under "## Exit codes" in docs/cli.md.
fn codes_in_docs() -> Vec<i32> {
    let docs =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/cli.md")).unwrap();
    let section = docs.split("## Exit codes\n").nth(1).unwrap();
    section
        .lines()
        .skip_while(|l| !l.starts_with('|'))
        .take_while(|l| l.starts_with('|'))
        .filter_map(|l| {
            l.trim_start_matches('|')
                .split('|')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn every_exit_code_in_help_and_docs_is_run_by_a_test() {
    let env = Env::start();
    let help = env.run(&["--help"]).expect(0).stdout;
    let tested: Vec<i32> = EXIT_CODE_TESTS.iter().map(|(code, _)| *code).collect();
    assert_eq!(codes_in_help(&help), tested, "{help}");
    assert_eq!(codes_in_docs(), tested, "docs/cli.md");
    let source = include_str!("cli.rs");
    for (code, test) in EXIT_CODE_TESTS {
        assert!(
            source.contains(&format!("fn {test}(")),
            "{code}: no test {test}"
        );
    }
}

#[test]
fn a_crash_exits_70_without_its_panic_message() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: ZOHO_OAUTH_DEBUG_PANIC exists only in debug builds");
        return;
    }
    let env = Env::start();
    let mut cmd = env.cmd(&["users"]);
    cmd.env("ZOHO_OAUTH_DEBUG_PANIC", "1"); // a debug build's hook for this test
    let run = support::run(cmd).expect(70);
    assert!(
        run.stderr
            .contains("zoho-oauth crashed; please report this"),
        "{run:?}"
    );
    assert!(run.stderr.contains("internal error at "), "{run:?}");
    assert!(
        !run.stderr.contains("ZOHO_OAUTH_DEBUG_PANIC is set"),
        "payload shown: {run:?}"
    );
    let mut cmd = env.cmd(&["users", "--json"]);
    cmd.env("ZOHO_OAUTH_DEBUG_PANIC", "1");
    let error = &support::run(cmd).expect(70).json()["error"];
    assert_eq!(error["class"], "internal");
    assert_eq!(error["exit_code"], 70);
}

#[test]
fn version_is_listed_in_help_and_printed() {
    let env = Env::start();
    let help = env.run(&["--help"]).expect(0).stdout;
    assert!(help.contains("  --version "), "{help}");
    let version = env.run(&["--version"]).expect(0);
    assert_eq!(
        version.stdout,
        format!("zoho-oauth {}\n", zoho_oauth::VERSION)
    );
    let json = env.run(&["--version", "--json"]).expect(0).json();
    assert_eq!(json["version"], zoho_oauth::VERSION);
    env.run(&["--version=1"]).expect(2);
}

#[test]
fn every_command_has_help_and_the_configuration_order_is_given() {
    let env = Env::start();
    let general = env.run(&["--help"]).expect(0).stdout;
    assert!(general.contains("later sources win"));
    for command in [
        "login",
        "exchange",
        "token",
        "refresh",
        "revoke",
        "users",
        "authorize-url",
        "migrate",
    ] {
        let help = env.run(&[command, "--help"]).expect(0).stdout;
        assert!(
            help.starts_with(&format!("zoho-oauth {command}:")),
            "{help}"
        );
        assert_eq!(env.run(&["help", command]).expect(0).stdout, help);
    }
    let exchange = env.run(&["help", "exchange"]).expect(0).stdout;
    assert!(exchange.contains("--refresh-token -"), "{exchange}");
}

// ---- issue 13: secrets and terminal output ---------------------------------------------

#[test]
fn the_browser_started_by_login_does_not_inherit_the_client_secret() {
    let env = Env::start();
    let dump = env.dir.path().join("browser.env");
    let script = env.dir.path().join("browser.sh");
    std::fs::write(&script, format!("#!/bin/sh\nenv > '{}'\n", dump.display())).unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut cmd = env.cmd(&["login", "--json", "--timeout", "2"]);
    cmd.env("BROWSER", &script);
    let run = support::run(cmd);
    assert_eq!(run.code, 8, "{run:?}");
    let seen = std::fs::read_to_string(&dump).expect("the browser ran");
    assert!(seen.contains("BROWSER="), "{seen}");
    assert!(!seen.contains(CLIENT_SECRET), "{seen}");
    assert!(!seen.contains("ZOHO_CLIENT_SECRET"), "{seen}");
}

#[test]
fn an_error_field_echoing_a_token_is_not_printed() {
    let env = Env::start();
    let echoed = "1000.7d1c2b3a4f5e6d7c8b9a0f1e2d3c4b5a.0a9b8c7d6e5f4a3b2c1d";
    env.emulator.inject_fault(FaultSpec {
        path: Some("/oauth/v2/token".into()),
        ..FaultSpec::reply(200, format!(r#"{{"error":"{echoed}"}}"#))
    });
    let code = env.grant(ADA, SCOPES);
    let run = env.run(&["exchange", "--json", "--grant-token", &code]);
    assert_ne!(run.code, 0);
    let shown = format!("{}{}", run.stdout, run.stderr);
    assert!(!shown.contains("7d1c2b3a"), "{shown}");
    assert_eq!(run.json()["error"]["zoho_code"], "unrecognised error");
}

#[test]
fn users_escapes_control_characters_in_stored_identifiers() {
    let env = Env::start();
    let store =
        zoho_oauth::FileStore::in_directory(env.token_dir(), zoho_oauth::StoreFormat::PhpSdk)
            .unwrap();
    let evil = "eve\u{1b}]0;owned\u{7}\u{1b}[2J\u{9b}31m@example.com";
    store
        .save(&zoho_oauth::Tokens::new(
            Some(evil.into()),
            "1000.access".into(),
            Some("1000.refresh".into()),
            4_000_000_000_000,
        ))
        .unwrap();
    let run = env.run(&["users"]).expect(0);
    assert!(!run.stdout.contains('\u{1b}'), "{run:?}");
    assert!(!run.stdout.contains('\u{7}') && !run.stdout.contains('\u{9b}'));
    assert!(
        run.stdout
            .contains("eve\\x1b]0;owned\\x07\\x1b[2J\\u{9b}31m@example.com"),
        "{run:?}"
    );
    // --json keeps the identifier exactly (JSON escapes it).
    let json = env.run(&["users", "--json"]).expect(0).json();
    assert_eq!(json["users"][0]["user"], evil);
    let run = env.run(&["token", "--user", evil]).expect(0);
    assert_eq!(run.stdout, "1000.access\n");
    let run = env
        .run(&["token", "--user", "eve\u{1b}[2J@nowhere"])
        .expect(7);
    assert!(!run.stderr.contains('\u{1b}'), "{run:?}");
}

#[test]
fn a_relative_token_dir_lands_in_the_data_directory_not_the_working_directory() {
    let env = Env::start();
    let cwd = tempfile::tempdir().unwrap();
    let data = env.dir.path().join("home/.local/share/zoho-oauth/tokens");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
    let mut cmd = env.cmd(&["users"]);
    cmd.env("ZOHO_TOKEN_DIR", "tokens").current_dir(cwd.path());
    let run = support::run(cmd).expect(0);
    assert!(
        run.stdout
            .contains(&data.join("zcrm_oauthtokens.txt").display().to_string()),
        "{run:?}"
    );
    assert_eq!(std::fs::read_dir(cwd.path()).unwrap().count(), 0);
}
