//! The CLI (`zoho-oauth`): every command and its error paths, with stdout and stderr
//! captured. The `token` command's stdout is the access token by design (for
//! `$(zoho-oauth token ...)`), and so is the stdout of an `exchange` whose tokens could not be
//! saved (they are handed to the user); those files are named `*.intended` and not scanned;
//! their stderr is.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use zoho_accounts_emulator::{FaultKind, FaultSpec};

use crate::world::{CLIENT_ID, Door, NO_PROFILE_SCOPES, PROFILE_SCOPES, World, run_captured};

const ADA: &str = "audit.cli@example.com";

struct Cli<'a> {
    world: &'a World,
    bin: PathBuf,
    out: PathBuf,
    config: PathBuf,
    steps: usize,
}

impl Cli<'_> {
    fn command(&self, config: &Path, args: &[&str]) -> Command {
        let mut c = Command::new(&self.bin);
        c.arg("--config").arg(config).args(args);
        c.env_remove("ZOHO_CLIENT_SECRET")
            .env_remove("ZOHO_OAUTH_CONFIG");
        c
    }

    fn run(&mut self, label: &str, args: &[&str]) -> Result<i32, String> {
        self.steps += 1;
        let config = self.config.clone();
        run_captured(&self.out, label, &mut self.command(&config, args))
    }
}

/// Writes a CLI configuration file (0600, in the unscanned inputs directory).
fn write_config(world: &World, name: &str, secret: &str, out: &Path) -> Result<PathBuf, String> {
    let path = world.secrets_dir().join(name);
    let text = format!(
        "client_id={CLIENT_ID}\nclient_secret={secret}\nredirect_uri={}\naccounts_url={}\ntoken_persistence_path={}\napplicationLogFilePath={}\nscope=ZohoCRM.modules.ALL\n",
        world.redirect_uri,
        world.emu.url(),
        out.join("store").display(),
        out.join("log").display()
    );
    std::fs::write(&path, text).map_err(|e| e.to_string())?;
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    Ok(path)
}

/// Runs the CLI flows, or reports the CLI missing.
pub fn run(world: &World, bin: Option<&Path>) -> Result<Door, String> {
    let bin = bin
        .map(Path::to_path_buf)
        .unwrap_or_else(|| default_bin("zoho-oauth"));
    if !bin.exists() {
        return Ok(Door::Missing(format!("{} not built", bin.display())));
    }
    let out = world.dir("cli");
    let _ = std::fs::create_dir_all(out.join("store"));
    let _ = std::fs::create_dir_all(out.join("log"));
    let config = write_config(world, "cli.conf", &world.secret, &out)?;
    let mut cli = Cli {
        world,
        bin,
        out: out.clone(),
        config,
        steps: 0,
    };
    commands(&mut cli)?;
    let wrong = world.made_up_secret("AUDITCLIWRONG");
    let wrong_config = write_config(world, "cli-wrong.conf", &wrong, &out)?;
    let code = world.grant(ADA, PROFILE_SCOPES)?;
    cli.steps += 1;
    run_captured(
        &out,
        "exchange-wrong-secret",
        &mut cli.command(&wrong_config, &["exchange", "--grant-token", &code]),
    )?;
    login(&mut cli, true)?;
    login(&mut cli, false)?;
    Ok(Door::Ran(cli.steps))
}

fn commands(cli: &mut Cli<'_>) -> Result<(), String> {
    let code = cli.world.grant(ADA, PROFILE_SCOPES)?;
    cli.run("exchange", &["exchange", "--grant-token", &code])?;
    cli.run(
        "exchange-reused",
        &["--json", "exchange", "--grant-token", &code],
    )?;
    cli.run("token", &["token", "--user", ADA])?;
    let token_out = cli.out.join("token.out");
    let _ = std::fs::rename(&token_out, cli.out.join("token.out.intended"));
    cli.run(
        "token-unknown-user",
        &["token", "--user", "nobody@example.com"],
    )?;
    cli.run("refresh", &["refresh", "--user", ADA])?;
    cli.run("refresh-json", &["--json", "refresh", "--user", ADA])?;
    for kind in [
        FaultKind::Http500,
        FaultKind::Html,
        FaultKind::Reset,
        FaultKind::Throttle,
    ] {
        cli.world.emu.inject_fault(FaultSpec::new(kind));
        cli.run(
            &format!("refresh-fault-{}", kind.name()),
            &["refresh", "--user", ADA],
        )?;
    }
    fleet_views(cli, "after-faults")?;
    cli.run("users", &["users"])?;
    cli.run("users-json", &["--json", "users"])?;
    cli.run(
        "authorize-url",
        &[
            "authorize-url",
            "--scope",
            "ZohoCRM.modules.ALL",
            "--state",
            "s",
        ],
    )?;
    let no_profile = cli
        .world
        .grant("audit.cli.noprofile@example.com", NO_PROFILE_SCOPES)?;
    cli.run(
        "exchange-no-profile",
        &["exchange", "--grant-token", &no_profile],
    )?;
    exchange_into_a_corrupt_store(cli)?;
    cli.run("migrate-to-json", &["migrate", "--to", "json"])?;
    cli.run("revoke", &["revoke", "--user", ADA])?;
    cli.run("revoke-again", &["revoke", "--user", ADA])?;
    fleet_views(cli, "after-revoke")?;
    cli.run("help", &["--help"])?;
    Ok(())
}

/// `status`, `check` and `metrics` (issue 26), in every output form, after refreshes that
/// worked and failed (their history is kept beside the tokens) and after a revoke.
fn fleet_views(cli: &mut Cli<'_>, when: &str) -> Result<(), String> {
    let runs: [(&str, &[&str]); 7] = [
        ("status", &["status"]),
        ("status-json", &["--json", "status"]),
        ("status-user", &["status", "--user", ADA]),
        ("check", &["check", "--min-ttl", "99999"]),
        ("check-user", &["check", "--user", ADA]),
        ("metrics", &["metrics"]),
        ("metrics-no-users", &["metrics", "--no-user-labels"]),
    ];
    for (label, args) in runs {
        cli.run(&format!("{label}-{when}"), args)?;
    }
    Ok(())
}

/// `exchange` into a token file that cannot be parsed: the CLI exits 6 and hands the tokens
/// Zoho issued to the user on stdout (that file is `*.intended`, like `token`'s), while its
/// stderr, which is scanned, says only that they were not saved.
fn exchange_into_a_corrupt_store(cli: &mut Cli<'_>) -> Result<(), String> {
    let dir = cli.out.join("corrupt-store");
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join("zcrm_oauthtokens.txt"),
        b"a:1:{i:0;O:9:\"truncated",
    )
    .map_err(|e| e.to_string())?;
    let code = cli.world.grant(ADA, PROFILE_SCOPES)?;
    let dir_arg = dir.display().to_string();
    let exit = cli.run(
        "exchange-corrupt-store",
        &["exchange", "--grant-token", &code, "--token-dir", &dir_arg],
    )?;
    if exit != 6 {
        return Err(format!(
            "exchange into a corrupt store exited {exit}, not 6"
        ));
    }
    let handed_over = cli.out.join("exchange-corrupt-store.out");
    std::fs::rename(
        &handed_over,
        cli.out.join("exchange-corrupt-store.out.intended"),
    )
    .map_err(|e| e.to_string())
}

/// `login`: the CLI listens on the loopback redirect URI; the browser is played by fetching
/// the authorization URL (the emulator consents and redirects) and following the redirect,
/// or, with `genuine == false`, by a forged redirect with another state.
fn login(cli: &mut Cli<'_>, genuine: bool) -> Result<(), String> {
    cli.steps += 1;
    let label = if genuine { "login" } else { "login-forged" };
    let config = cli.config.clone();
    let mut child = cli
        .command(
            &config,
            &["--json", "login", "--no-browser", "--timeout", "20"],
        )
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(
            std::fs::File::create(cli.out.join(format!("{label}.err")))
                .map_err(|e| e.to_string())?,
        )
        .spawn()
        .map_err(|e| e.to_string())?;
    let mut stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
    let mut first = String::new();
    let _ = stdout.read_line(&mut first);
    let url = serde_json::from_str::<serde_json::Value>(&first)
        .ok()
        .and_then(|v| v["authorize_url"].as_str().map(str::to_string));
    if let Some(url) = url {
        let location = if genuine {
            http_get(&url).and_then(|reply| header(&reply, "location"))
        } else {
            Some(format!(
                "{}?code=1000.forged&state=forged&accounts-server=https%3A%2F%2Fevil.example",
                cli.world.redirect_uri
            ))
        };
        if let Some(location) = location {
            let _ = http_get(&location);
        }
    }
    let mut rest = String::new();
    let _ = stdout.read_to_string(&mut rest);
    let _ = child.wait();
    std::fs::write(
        cli.out.join(format!("{label}.out")),
        format!("{first}{rest}"),
    )
    .map_err(|e| e.to_string())
}

/// A GET over plain HTTP to a loopback URL; the whole reply.
fn http_get(url: &str) -> Option<String> {
    let rest = url.strip_prefix("http://")?;
    let (host, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(h, p)| (h, format!("/{p}")));
    let mut stream = TcpStream::connect(host).ok()?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(20)));
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut reply = String::new();
    let _ = stream.read_to_string(&mut reply);
    Some(reply)
}

fn header(reply: &str, name: &str) -> Option<String> {
    reply.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        k.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
    })
}

/// `$CARGO_TARGET_DIR/debug/<name>` (or the workspace's `target/debug`).
pub fn default_bin(name: &str) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(
            || Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target"),
            PathBuf::from,
        )
        .join("debug")
        .join(name)
}
