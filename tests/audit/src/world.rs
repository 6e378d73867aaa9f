//! The audit run: one emulator, a client with a distinctive secret, each door's flows, then
//! the scan of everything in the work directory except the token stores and the inputs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;

use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options as EmuOptions};

use crate::scan::{self, Needles};
use crate::{Options, capi_flows, cli_flows, php_flows, rust_flows};

/// The audit's client id (not a secret).
pub const CLIENT_ID: &str = "1000.AUDITCLIENT00000000000000000001";
/// Scopes with the profile scope, so the user lookup works.
pub const PROFILE_SCOPES: &str = "ZohoCRM.modules.ALL,AaaServer.profile.READ";
/// Scopes without it: the user lookup fails and the tokens ride on the error.
pub const NO_PROFILE_SCOPES: &str = "ZohoCRM.modules.ALL";

/// What every door's flows share.
pub struct World {
    /// The emulator.
    pub emu: Emulator,
    /// The work directory; `<work>/secrets` holds inputs and is not scanned.
    pub work: PathBuf,
    /// The client secret.
    pub secret: String,
    /// The loopback redirect URI (the CLI's login listens there).
    pub redirect_uri: String,
    /// More secrets made up by the flows (wrong secrets, forged tokens).
    extra: Mutex<Vec<String>>,
}

/// A random hex string of `n` bytes.
pub fn random_hex(n: usize) -> String {
    let mut bytes = vec![0u8; n];
    let _ = getrandom::fill(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl World {
    /// A new distinctive secret, remembered for the scan.
    pub fn made_up_secret(&self, prefix: &str) -> String {
        let s = format!("{prefix}-{}", random_hex(20));
        if let Ok(mut extra) = self.extra.lock() {
            extra.push(s.clone());
        }
        s
    }

    /// A directory for a door's output (scanned).
    pub fn dir(&self, name: &str) -> PathBuf {
        let d = self.work.join(name);
        let _ = std::fs::create_dir_all(&d);
        d
    }

    /// The not-scanned directory for inputs that hold secrets.
    pub fn secrets_dir(&self) -> PathBuf {
        self.dir("secrets")
    }

    /// A grant code for `user`.
    pub fn grant(&self, user: &str, scope: &str) -> Result<String, String> {
        self.emu.mint_grant(GrantSpec {
            client_id: CLIENT_ID.into(),
            user: user.into(),
            scope: scope.into(),
            ..GrantSpec::default()
        })
    }
}

/// A free loopback port for the redirect URI.
fn free_port() -> Result<u16, String> {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| e.to_string())
}

/// Runs `command` with stdout and stderr captured to `<dir>/<label>.out` / `.err`; returns
/// its exit code (-1 when killed by a signal).
pub fn run_captured(dir: &Path, label: &str, command: &mut Command) -> Result<i32, String> {
    let out = std::fs::File::create(dir.join(format!("{label}.out"))).map_err(|e| e.to_string())?;
    let err = std::fs::File::create(dir.join(format!("{label}.err"))).map_err(|e| e.to_string())?;
    let status = command
        .stdin(Stdio::null())
        .stdout(out)
        .stderr(err)
        .status()
        .map_err(|e| format!("{label}: {e}"))?;
    Ok(status.code().unwrap_or(-1))
}

/// Sets up a door driven by a script: its output directory `<work>/<name>` with `store/`
/// and `log/`, and its input file (the emulator URL, the client, a made-up wrong secret and
/// forged token tagged with `tag`, the directories) in the not-scanned secrets directory.
/// Returns the output directory and the input file.
pub fn script_door(world: &World, name: &str, tag: &str) -> Result<(PathBuf, PathBuf), String> {
    let out = world.dir(name);
    for d in ["store", "log"] {
        let _ = std::fs::create_dir_all(out.join(d));
    }
    let input = serde_json::json!({
        "url": world.emu.url(),
        "client_id": CLIENT_ID,
        "client_secret": world.secret,
        "wrong_secret": world.made_up_secret(&format!("AUDIT{tag}WRONG")),
        "forged": world.made_up_secret(&format!("1000.AUDIT{tag}FORGED")),
        "redirect_uri": world.redirect_uri,
        "store": out.join("store"),
        "log": out.join("log"),
    });
    let input_path = world.secrets_dir().join(format!("{name}-input.json"));
    std::fs::write(&input_path, input.to_string()).map_err(|e| e.to_string())?;
    Ok((out, input_path))
}

/// How one door went.
pub enum Door {
    /// Its flows ran: how many steps.
    Ran(usize),
    /// Its program is missing: not verified.
    Missing(String),
}

/// Token stores and inputs are not scanned: they hold the secrets by design.
fn scanned(work: &Path, path: &Path) -> bool {
    if path.starts_with(work.join("secrets")) {
        return false;
    }
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    let store = name == "zcrm_oauthtokens.txt"
        || name == "zoho_oauth_tokens.json"
        || name.ends_with(".tmp")
        || name.ends_with(".lock")
        || name.ends_with(".locks")
        || name.ends_with(".intended");
    !store
}

/// The whole audit; returns whether it passed.
pub fn run(o: &Options) -> Result<bool, String> {
    let temp = tempfile::Builder::new()
        .prefix("zoho-oauth-audit-")
        .tempdir()
        .map_err(|e| e.to_string())?;
    let work = o.work.clone().unwrap_or_else(|| temp.path().to_path_buf());
    std::fs::create_dir_all(&work).map_err(|e| e.to_string())?;
    let emu = Emulator::start(EmuOptions::default()).map_err(|e| e.to_string())?;
    let redirect_uri = format!("http://127.0.0.1:{}/callback", free_port()?);
    let world = World {
        secret: format!("AUDITSECRET-{}", random_hex(20)),
        emu,
        work: work.clone(),
        redirect_uri,
        extra: Mutex::new(Vec::new()),
    };
    world.emu.try_register_client(ClientSpec {
        client_id: CLIENT_ID.into(),
        client_secret: world.secret.clone(),
        redirect_uris: vec![world.redirect_uri.clone()],
        data_centres: vec!["us".into(), "eu".into()],
        scopes: vec![],
    })?;
    let doors = vec![
        ("Rust API", rust_flows::run(&world)?),
        ("CLI", cli_flows::run(&world, o.cli.as_deref())?),
        (
            "PHP extension",
            php_flows::run(&world, o.php_ext.as_deref())?,
        ),
        ("C API", capi_flows::run(&world, o.capi_lib.as_deref())?),
    ];
    let ok = verdict(&world, &doors, o.require_all)?;
    if !ok || o.work.is_some() {
        let _ = temp.keep();
        println!("audit: work directory kept: {}", work.display());
    }
    Ok(ok)
}

/// Collects the secrets, scans, prints the report and `N passed, M failed`.
fn verdict(world: &World, doors: &[(&str, Door)], require_all: bool) -> Result<bool, String> {
    let mut secrets = vec![world.secret.clone()];
    secrets.extend(world.extra.lock().map(|e| e.clone()).unwrap_or_default());
    secrets.extend(world.emu.issued_tokens());
    let mut list = std::fs::File::create(world.secrets_dir().join("secrets.txt"))
        .map_err(|e| e.to_string())?;
    for s in &secrets {
        let _ = writeln!(list, "{s}");
    }
    let needles = Needles::new(&secrets);
    let work = world.work.clone();
    // A planted 12-byte piece of the secret proves the scan finds what it looks for.
    let canary = world.dir("canary").join("canary.txt");
    let piece = &world.secret[10..10 + scan::WINDOW];
    std::fs::write(&canary, format!("text around {piece} a planted piece"))
        .map_err(|e| e.to_string())?;
    let mut result = scan::scan(&needles, std::slice::from_ref(&work), &|p| {
        scanned(&work, p)
    });
    let caught = result.hits.iter().filter(|h| h.file == canary).count();
    result.hits.retain(|h| h.file != canary);
    let mut passed = 0;
    let mut failed = 0;
    if caught == 1 {
        passed += 1;
        println!("PASS: the scanner finds a planted 12-byte piece of the client secret");
    } else {
        failed += 1;
        println!("FAIL: the scanner missed a planted 12-byte piece of the client secret");
    }
    for (name, door) in doors {
        match door {
            Door::Ran(steps) => {
                passed += 1;
                println!("PASS: {name}: {steps} steps ran");
            }
            Door::Missing(why) if require_all => {
                failed += 1;
                println!("FAIL: {name}: not verified ({why})");
            }
            Door::Missing(why) => println!("SKIP: {name}: not verified ({why})"),
        }
    }
    for hit in &result.hits {
        println!(
            "LEAK: secret #{} ({}...) in {} at byte {}",
            hit.secret,
            secrets[hit.secret].chars().take(5).collect::<String>(),
            hit.file.display(),
            hit.offset
        );
    }
    let clean = result.hits.is_empty() && result.files > 0;
    if clean {
        passed += 1;
    } else {
        failed += 1;
    }
    println!(
        "{}: scanned {} files ({} bytes) for {} secrets and every 12-byte piece of them: {} hits",
        if clean { "PASS" } else { "FAIL" },
        result.files,
        result.bytes,
        needles.count,
        result.hits.len()
    );
    println!("audit: {passed} passed, {failed} failed");
    Ok(failed == 0)
}
