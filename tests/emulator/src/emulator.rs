//! The public handle: start, address, and the same operations as the admin interface.

use std::collections::BTreeMap;
use std::io;
use std::net::{SocketAddr, TcpListener, ToSocketAddrs};
use std::sync::Arc;

use crate::server::Server;
use crate::shared::Shared;
use crate::spec::{
    ClientSpec, FaultSpec, GrantSpec, LoggedRequest, Options, Settings, TokenSpec, UserSpec,
};

/// A running emulator. Dropping it stops the server: the listener is closed, open
/// connections are shut down and every thread is joined.
pub struct Emulator {
    shared: Arc<Shared>,
    server: Server,
}

impl std::fmt::Debug for Emulator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Emulator")
            .field("url", &self.url())
            .finish()
    }
}

/// Resolves `listen`, refusing non-loopback addresses unless allowed.
fn resolve(options: &Options) -> io::Result<Vec<SocketAddr>> {
    let addrs: Vec<SocketAddr> = options.listen.to_socket_addrs()?.collect();
    if addrs.is_empty() {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "no address to listen on",
        ));
    }
    if !options.allow_non_loopback && addrs.iter().any(|a| !a.ip().is_loopback()) {
        return Err(io::Error::new(
            io::ErrorKind::PermissionDenied,
            format!(
                "refusing to listen on non-loopback address {}",
                options.listen
            ),
        ));
    }
    Ok(addrs)
}

impl Emulator {
    /// Binds `options.listen` and starts serving in background threads.
    pub fn start(options: Options) -> io::Result<Emulator> {
        let listener = TcpListener::bind(&resolve(&options)?[..])?;
        let addr = listener.local_addr()?;
        let host = if addr.ip().is_unspecified() || addr.ip().is_loopback() && addr.is_ipv4() {
            "127.0.0.1".to_string()
        } else if addr.is_ipv6() {
            format!("[{}]", addr.ip())
        } else {
            addr.ip().to_string()
        };
        let base_url = format!("http://{host}:{}", addr.port());
        let shared = Arc::new(Shared::new(base_url, options.settings));
        let server = Server::spawn(listener, shared.clone())?;
        Ok(Emulator { shared, server })
    }

    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.server.addr()
    }

    /// The US data centre's URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> String {
        self.shared.base_url.clone()
    }

    /// A data centre's accounts URL: the root for `us`, `<url>/<dc>` for the others.
    pub fn dc_url(&self, dc: &str) -> String {
        self.shared.dc_url(dc)
    }

    /// Registers (or replaces) a client. Invalid specs (empty id, unknown DC) are ignored;
    /// use [`Emulator::try_register_client`] to see the error.
    pub fn register_client(&self, client: ClientSpec) {
        let _ = self.try_register_client(client);
    }

    /// Registers (or replaces) a client, reporting invalid specs.
    pub fn try_register_client(&self, client: ClientSpec) -> Result<(), String> {
        self.shared.lock().state.add_client(client)
    }

    /// Registers (or replaces) a user. Invalid specs are ignored.
    pub fn register_user(&self, user: UserSpec) {
        let _ = self.shared.lock().state.add_user(user);
    }

    /// Mints a grant code directly and returns it.
    pub fn mint_grant(&self, grant: GrantSpec) -> Result<String, String> {
        self.shared.mint_grant(grant, None)
    }

    /// Mints a grant code with a chosen value (e.g. one from recorded requests).
    pub fn mint_grant_with_code(&self, grant: GrantSpec, code: &str) -> Result<String, String> {
        self.shared.mint_grant(grant, Some(code.to_string()))
    }

    /// Imports a refresh token with a fixed value. It counts toward the per-user cap.
    pub fn import_refresh_token(&self, token: TokenSpec) -> Result<(), String> {
        self.shared.import_refresh_token(token)
    }

    /// Imports an access token with a fixed value.
    pub fn import_access_token(&self, token: TokenSpec) -> Result<(), String> {
        self.shared.import_access_token(token)
    }

    /// Moves the emulator clock by `secs` seconds (negative goes back).
    pub fn advance_clock(&self, secs: i64) {
        self.shared.clock.advance_secs(secs);
    }

    /// Sets the emulator clock to `epoch_ms`; it keeps running from there.
    pub fn set_clock_ms(&self, epoch_ms: i64) {
        self.shared.clock.set_ms(epoch_ms);
    }

    /// The emulator clock, in milliseconds since the Unix epoch.
    pub fn now_ms(&self) -> i64 {
        self.shared.clock.now_ms()
    }

    /// Queues a fault for the next `fault.count` matching requests. An invalid fault (a
    /// `reply` whose status is not 200 to 599) is ignored; use
    /// [`Emulator::try_inject_fault`] to see the error.
    pub fn inject_fault(&self, fault: FaultSpec) {
        let _ = self.try_inject_fault(fault);
    }

    /// Queues a fault for the next `fault.count` matching requests, reporting an invalid one.
    pub fn try_inject_fault(&self, fault: FaultSpec) -> Result<(), String> {
        self.shared.lock().faults.push(fault)
    }

    /// Per-endpoint counters (see the README for the keys).
    pub fn counters(&self) -> BTreeMap<String, u64> {
        self.shared.lock().metrics.counters()
    }

    /// The logged non-admin requests, oldest first.
    pub fn requests(&self) -> Vec<LoggedRequest> {
        self.shared.lock().metrics.requests()
    }

    /// Emulator-clock times (epoch ms) of every successful refresh, per refresh token,
    /// recorded while `Settings::record_refreshes` is on.
    pub fn refresh_history(&self) -> BTreeMap<String, Vec<i64>> {
        let inner = self.shared.lock();
        inner
            .state
            .refresh_history
            .iter()
            .map(|(token, times)| (token.clone(), times.clone()))
            .collect()
    }

    /// Every grant code, access token and refresh token issued or imported so far, oldest
    /// first (the first 100,000): for tests that search output for leaked secrets.
    pub fn issued_tokens(&self) -> Vec<String> {
        self.shared.lock().state.issued.clone()
    }

    /// The current settings.
    pub fn settings(&self) -> Settings {
        self.shared.lock().settings.clone()
    }

    /// Replaces the settings.
    pub fn set_settings(&self, settings: Settings) {
        self.shared.lock().settings = settings;
    }

    /// Clears everything: clients, users (the default user `ada@example.com` is recreated),
    /// codes, tokens, consents, the request log, counters, faults and the clock offset;
    /// settings return to their defaults (not to the ones given at start).
    pub fn reset(&self) {
        self.shared.reset();
    }
}
