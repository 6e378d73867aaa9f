//! The shared world: client credentials, the users and their refresh tokens, the emulator
//! and the initial token file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use zoho_accounts_emulator::{ClientSpec, Emulator, Options as EmuOptions, Settings, TokenSpec};
use zoho_oauth::{Config, FileStore, Secret, StoreFormat, Tokens};

use crate::args::Options;

/// The OAuth client every worker uses.
pub const CLIENT_ID: &str = "1000.SOAKCLIENT000000000000000000001";
/// Its secret.
pub const CLIENT_SECRET: &str = "50ak-5ecret-0123456789abcdef0123456789";
/// Its redirect URI.
pub const REDIRECT_URI: &str = "https://example.com/soak/callback";
/// Scratch users per worker (saved and checked, never refreshed).
pub const SCRATCH_PER_WORKER: usize = 4;

/// The e-mail of user `i`.
pub fn user(i: usize) -> String {
    format!("soak{i:04}@example.com")
}

/// The refresh token of user `i` (imported into the emulator).
pub fn refresh_token(i: usize) -> String {
    let salt = (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    format!("1000.{:032x}.{salt:032x}", 0x5041_4b00_u64 + i as u64)
}

/// The identifier of scratch user `s` of worker `w`.
pub fn scratch_user(w: usize, s: usize) -> String {
    format!("w{w:03}-s{s}@scratch.example")
}

/// The refresh token of scratch user `s` of worker `w` (PHP workers save through it).
pub fn scratch_refresh_token(w: usize, s: usize) -> String {
    format!("1000.{:032x}.{s:032x}", 0x5343_5200_u64 + w as u64)
}

/// The token file in `dir`.
pub fn token_file(dir: &Path) -> PathBuf {
    dir.join(StoreFormat::PhpSdk.file_name())
}

/// The client configuration of a worker.
pub fn config(dir: &Path, url: &str, margin: u64, timeout: u64) -> Config {
    Config::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        .with_accounts_url(url)
        .with_token_persistence_path(dir)
        .with_refresh_margin(Duration::from_secs(margin))
        .with_timeouts(Duration::from_secs(timeout), Duration::from_secs(timeout))
}

/// Starts the emulator: short-lived access tokens, no throttling but injected faults,
/// refreshes recorded; every user's refresh token imported.
pub fn emulator(o: &Options) -> Result<Emulator, String> {
    let settings = Settings {
        access_token_ttl_secs: o.ttl,
        refresh_limit: u32::MAX,
        max_active_access_tokens: 1_000,
        random_fault_rate: o.fault_rate,
        random_fault_delay_ms: o.timeout * 1000 + 500,
        record_refreshes: true,
        ..Settings::default()
    };
    let emu = Emulator::start(EmuOptions {
        settings,
        ..EmuOptions::default()
    })
    .map_err(|e| format!("cannot start the emulator: {e}"))?;
    emu.try_register_client(ClientSpec {
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        redirect_uris: vec![REDIRECT_URI.into()],
        ..ClientSpec::default()
    })?;
    let import = |token: String, user: String| {
        emu.import_refresh_token(TokenSpec {
            token,
            client_id: CLIENT_ID.into(),
            user,
            scope: "ZohoCRM.modules.ALL".into(),
            ..TokenSpec::default()
        })
    };
    for i in 0..o.users {
        import(refresh_token(i), user(i))?;
    }
    for w in 0..o.workers {
        for s in 0..SCRATCH_PER_WORKER {
            import(scratch_refresh_token(w, s), scratch_user(w, s))?;
        }
    }
    Ok(emu)
}

/// Writes the initial token file: every user with an already expired access token.
pub fn token_store(dir: &Path, users: usize) -> Result<(), String> {
    let expired = zoho_oauth::clock::system_now_ms() - 1;
    let entries: Vec<Tokens> = (0..users)
        .map(|i| {
            Tokens::new(
                Some(user(i)),
                Secret::new(format!("1000.initial.{i}")),
                Some(Secret::new(refresh_token(i))),
                expired,
            )
        })
        .collect();
    FileStore::new(token_file(dir), StoreFormat::PhpSdk)
        .and_then(|store| store.replace_all(&entries))
        .map_err(|e| format!("cannot write the token file: {e}"))
}

/// Writes `<dir>/world.json` for the PHP workers: the client, every user with its refresh
/// token, and each worker's scratch users with theirs.
pub fn world_file(dir: &Path, users: usize, workers: usize) -> Result<(), String> {
    let world = serde_json::json!({
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uri": REDIRECT_URI,
        "users": (0..users).map(|i| [user(i), refresh_token(i)]).collect::<Vec<_>>(),
        "scratch": (0..workers)
            .map(|w| {
                (0..SCRATCH_PER_WORKER)
                    .map(|s| [scratch_user(w, s), scratch_refresh_token(w, s)])
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>(),
    });
    std::fs::write(dir.join("world.json"), world.to_string())
        .map_err(|e| format!("cannot write world.json: {e}"))
}

/// Maps every user's refresh token to the user's number.
pub fn refresh_token_owners(users: usize) -> HashMap<String, usize> {
    (0..users).map(|i| (refresh_token(i), i)).collect()
}
