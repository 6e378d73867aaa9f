//! Every flow and error path through the Rust API, with the SDK log on. Each result is
//! written with both `Display` and `Debug` to `<work>/rust/out.txt` (and errors to stderr's
//! file), which the scan then searches.

use std::fmt::Debug;
use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use zoho_accounts_emulator::{FaultKind, FaultSpec, GrantSpec};
use zoho_oauth::{
    AuthorizationRequest, Config, FileStore, OAuthClient, OffsetClock, Secret, StoreFormat,
    TokenStore, Tokens,
};

use crate::world::{CLIENT_ID, Door, NO_PROFILE_SCOPES, PROFILE_SCOPES, World};

#[path = "redis_flows.rs"]
mod redis_flows;

#[path = "mysql_flows.rs"]
mod mysql_flows;

const ADA: &str = "audit.ada@example.com";

struct Flows<'a> {
    world: &'a World,
    out: File,
    err: File,
    steps: usize,
}

impl Flows<'_> {
    /// Writes a step's result the ways a careless caller would print it.
    fn show<T: Debug>(&mut self, step: &str, result: &zoho_oauth::Result<T>) {
        self.steps += 1;
        match result {
            Ok(v) => {
                let _ = writeln!(self.out, "{step}: ok: {v:?}");
            }
            Err(e) => {
                let _ = writeln!(self.out, "{step}: error {}: {e}\n  debug: {e:?}", e.code());
                let _ = writeln!(self.err, "{step}: {e} / {:?}", e.unsaved_tokens());
            }
        }
    }

    fn config(&self, dir: &Path) -> Config {
        Config::new(
            CLIENT_ID,
            self.world.secret.as_str(),
            self.world.redirect_uri.as_str(),
        )
        .with_accounts_url(self.world.emu.url())
        .with_token_persistence_path(dir.join("store"))
        .with_log_directory(dir.join("log"))
        .with_timeouts(Duration::from_secs(1), Duration::from_secs(1))
    }

    fn client(&self, config: Config, clock: &Arc<OffsetClock>) -> zoho_oauth::Result<OAuthClient> {
        let dir = config.store().path();
        if let Some(d) = dir {
            let _ = std::fs::create_dir_all(d);
        }
        if let Some(d) = &config.crm().log_directory() {
            let _ = std::fs::create_dir_all(d);
        }
        Ok(OAuthClient::from_config(config)?.with_clock(clock.clone()))
    }
}

/// Runs the Rust flows.
pub fn run(world: &World) -> Result<Door, String> {
    let dir = world.dir("rust");
    let file = |name: &str| File::create(dir.join(name)).map_err(|e| e.to_string());
    let mut f = Flows {
        world,
        out: file("out.txt")?,
        err: file("err.txt")?,
        steps: 0,
    };
    let clock = Arc::new(OffsetClock::new());
    let client = f
        .client(f.config(&dir), &clock)
        .map_err(|e| e.to_string())?;
    happy_path(&mut f, &client, &clock)?;
    zoho_refusals(&mut f, &dir, &clock)?;
    transport_faults(&mut f, &client)?;
    local_errors(&mut f, &dir, &clock);
    redis_flows::run(&mut f, &dir.join("redis"), &clock)?;
    mysql_flows::run(&mut f, &dir.join("mysql"), &clock)?;
    Ok(Door::Ran(f.steps))
}

fn happy_path(
    f: &mut Flows<'_>,
    client: &OAuthClient,
    clock: &Arc<OffsetClock>,
) -> Result<(), String> {
    let code = f.world.grant(ADA, PROFILE_SCOPES)?;
    let tokens = client.generate_access_token(&code);
    f.show("grant exchange", &tokens);
    f.show(
        "config debug",
        &Ok::<_, zoho_oauth::Error>(client.config().clone()),
    );
    let access = client.get_access_token(ADA);
    f.show("get_access_token", &access);
    if let Ok(a) = &access {
        let _ = writeln!(f.out, "preview: {}", a.redacted_preview());
    }
    clock.advance_ms(3_600_000);
    f.world.emu.advance_clock(3600);
    f.show(
        "get_access_token after expiry (refresh)",
        &client.get_tokens(ADA),
    );
    f.show("refresh_user", &client.refresh_user(ADA));
    let stored = client.store().get(ADA).ok().flatten();
    if let Some(t) = &stored {
        f.show("user_info", &client.user_info(t.access_token.expose()));
        let refresh = t.refresh_token.as_ref().map_or("", Secret::expose);
        f.show(
            "generate from refresh token",
            &client.generate_access_token_from_refresh_token(refresh, "audit.other@example.com"),
        );
        f.show("reuse grant code", &client.generate_access_token(&code));
    }
    f.show("list_tokens", &client.list_tokens());
    let request = AuthorizationRequest {
        scopes: vec!["ZohoCRM.modules.ALL".into()],
        state: Some("audit-state".into()),
        prompt_consent: true,
        ..AuthorizationRequest::default()
    };
    f.show("authorization_url", &client.authorization_url(&request));
    f.show("revoke", &client.revoke(ADA));
    f.show("get after revoke", &client.get_access_token(ADA));
    f.show("revoke again", &client.revoke("audit.other@example.com"));
    f.show(
        "user_info with a revoked token",
        &client.user_info(stored.as_ref().map_or("x", |t| t.access_token.expose())),
    );
    Ok(())
}

/// Zoho says no: wrong secret, wrong client, redirect URI, throttle, missing scope.
fn zoho_refusals(f: &mut Flows<'_>, dir: &Path, clock: &Arc<OffsetClock>) -> Result<(), String> {
    let wrong = f.world.made_up_secret("AUDITWRONGSECRET");
    let config = f
        .config(&dir.join("wrong-secret"))
        .with_client_secret(Secret::new(wrong));
    let client = f.client(config, clock).map_err(|e| e.to_string())?;
    f.show(
        "wrong client secret",
        &client.generate_access_token(&f.world.grant(ADA, PROFILE_SCOPES)?),
    );
    let config = f
        .config(&dir.join("wrong-client"))
        .with_client_id("1000.NOSUCHCLIENT");
    let client = f.client(config, clock).map_err(|e| e.to_string())?;
    f.show(
        "unknown client",
        &client.generate_access_token(&f.world.grant(ADA, PROFILE_SCOPES)?),
    );
    let client = f
        .client(f.config(&dir.join("refusals")), clock)
        .map_err(|e| e.to_string())?;
    let bound = f.world.emu.mint_grant(GrantSpec {
        client_id: CLIENT_ID.into(),
        user: ADA.into(),
        scope: PROFILE_SCOPES.into(),
        redirect_uri: Some("https://elsewhere.example/cb".into()),
        ..GrantSpec::default()
    })?;
    f.show(
        "redirect URI mismatch",
        &client.generate_access_token(&bound),
    );
    let no_profile = client.generate_access_token(&f.world.grant(ADA, NO_PROFILE_SCOPES)?);
    f.show("no profile scope (tokens ride on the error)", &no_profile);
    let forged = f.world.made_up_secret("1000.AUDITFORGED");
    f.show(
        "refresh with a forged refresh token",
        &client.generate_access_token_from_refresh_token(&forged, ADA),
    );
    f.show("user_info with a forged token", &client.user_info(&forged));
    let mut settings = f.world.emu.settings();
    settings.refresh_limit = 1;
    f.world.emu.set_settings(settings.clone());
    let code = f
        .world
        .grant("audit.throttle@example.com", PROFILE_SCOPES)?;
    f.show("grant for throttling", &client.generate_access_token(&code));
    for _ in 0..2 {
        f.show(
            "throttled refresh",
            &client.refresh_user("audit.throttle@example.com"),
        );
    }
    settings.refresh_limit = 10;
    f.world.emu.set_settings(settings);
    Ok(())
}

/// 500, HTML, reset, a stall past the timeout, an empty body, the throttle reply.
fn transport_faults(f: &mut Flows<'_>, client: &OAuthClient) -> Result<(), String> {
    let code = f.world.grant("audit.faults@example.com", PROFILE_SCOPES)?;
    f.show("grant for faults", &client.generate_access_token(&code));
    for kind in [
        FaultKind::Http500,
        FaultKind::Html,
        FaultKind::Reset,
        FaultKind::Stall,
        FaultKind::Empty,
        FaultKind::Throttle,
        FaultKind::Delay,
    ] {
        f.world.emu.inject_fault(FaultSpec {
            delay_ms: 1500,
            ..FaultSpec::new(kind)
        });
        f.show(
            &format!("fault {}", kind.name()),
            &client.refresh_user("audit.faults@example.com"),
        );
    }
    f.world.emu.inject_fault(FaultSpec::new(FaultKind::Http500));
    f.show("user_info fault", &client.user_info("1000.x.y"));
    Ok(())
}

/// Errors before or after the network: config, arguments, store.
fn local_errors(f: &mut Flows<'_>, dir: &Path, clock: &Arc<OffsetClock>) {
    let secret = f.world.secret.clone();
    for (what, pairs) in [
        (
            "config without redirect_uri",
            vec![("client_id", "1000.X"), ("client_secret", secret.as_str())],
        ),
        (
            "config with a bad accounts_url",
            vec![
                ("client_id", "1000.X"),
                ("client_secret", secret.as_str()),
                ("redirect_uri", "https://e/cb"),
                ("accounts_url", "http://10.0.0.1"),
            ],
        ),
        (
            "config with a bad timeout",
            vec![
                ("client_id", "1000.X"),
                ("client_secret", secret.as_str()),
                ("redirect_uri", "https://e/cb"),
                ("timeout_secs", "forever"),
            ],
        ),
        (
            "config with a bad data centre",
            vec![
                ("client_id", "1000.X"),
                ("client_secret", secret.as_str()),
                ("redirect_uri", "https://e/cb"),
                ("data_centre", "mars"),
            ],
        ),
    ] {
        f.show(what, &Config::from_pairs(pairs));
    }
    f.show(
        "no store configured",
        &OAuthClient::from_config(Config::new(CLIENT_ID, secret.as_str(), "https://e/cb"))
            .map(|_| ()),
    );
    let unreachable = f
        .config(&dir.join("unreachable"))
        .with_accounts_url("http://127.0.0.1:1");
    if let Ok(client) = f.client(unreachable, clock) {
        let refresh = f.world.made_up_secret("1000.AUDITUNREACHABLE");
        f.show(
            "connection refused",
            &client.generate_access_token_from_refresh_token(&refresh, ADA),
        );
        f.show("empty grant token", &client.generate_access_token(""));
        f.show("NUL in user", &client.get_access_token("a\0b"));
        f.show("no tokens", &client.get_access_token("nobody@example.com"));
    }
    let corrupt = dir.join("corrupt");
    let _ = std::fs::create_dir_all(corrupt.join("store"));
    let _ = std::fs::write(
        corrupt.join("store/zcrm_oauthtokens.txt"),
        b"a:1:{i:0;O:3:\"bad\":0:{}}",
    );
    if let Ok(client) = f.client(f.config(&corrupt), clock) {
        f.show("corrupt token file", &client.get_access_token(ADA));
    }
    unsaved_after_store_failure(f, dir, clock);
}

/// The grant succeeds but the save fails: the tokens ride on the error.
fn unsaved_after_store_failure(f: &mut Flows<'_>, dir: &Path, clock: &Arc<OffsetClock>) {
    let broken = dir.join("broken-store");
    let Ok(client) = f.client(f.config(&broken), clock) else {
        return;
    };
    let file = broken.join("store").join(StoreFormat::PhpSdk.file_name());
    let _ = std::fs::create_dir_all(&file);
    let Ok(code) = f.world.grant(ADA, PROFILE_SCOPES) else {
        return;
    };
    f.show(
        "store failure after a grant",
        &client.generate_access_token(&code),
    );
    let _ = std::fs::remove_dir(&file);
    let store = FileStore::new(&file, StoreFormat::PhpSdk);
    let empty = Tokens::new(Some("x".into()), Secret::new(""), None, 0);
    f.show("unstorable tokens", &store.and_then(|s| s.save(&empty)));
}
