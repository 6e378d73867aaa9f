//! HTTP calls to Zoho's accounts server: grant exchange, refresh, revoke and user info.
//!
//! Parameters always travel form-encoded in a POST body, never in a URL. Redirects are not
//! followed, TLS is always verified, and every request has a connect and a total timeout.
//! The HTTP client is created lazily, once per process: a process that forks (PHP-FPM)
//! gets a fresh connection pool in each child instead of the parent's dead one.

pub mod reply;

use std::io::Read;
use std::sync::mpsc::RecvTimeoutError;
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

pub use reply::{Grant, TokenReply, UserInfo};
use reply::{RawReply, parse_revoke_reply, parse_token_reply, parse_user_info};

use crate::error::{Error, ErrorKind, Result};
use crate::process_owned::{self, ProcessOwned};
use crate::secret::Secret;

/// The largest reply body read; Zoho's replies are a few hundred bytes.
const MAX_REPLY_BYTES: u64 = 1 << 20;

/// The `User-Agent` sent with every request.
pub const USER_AGENT: &str = concat!("zoho-oauth/", env!("CARGO_PKG_VERSION"));

/// The client credentials sent with token requests.
#[derive(Clone, Copy, Debug)]
pub struct Credentials<'a> {
    /// `client_id`.
    pub client_id: &'a str,
    /// `client_secret`.
    pub client_secret: &'a Secret,
    /// `redirect_uri` (sent on refresh too, as the SDK does; Zoho ignores it there).
    pub redirect_uri: &'a str,
}

/// Talks to accounts servers; one connection pool per process, reused across calls.
pub struct AccountsClient {
    connect_timeout: Duration,
    request_timeout: Duration,
    http: Mutex<Option<ProcessOwned<reqwest::blocking::Client>>>,
}

impl AccountsClient {
    /// A client with these timeouts; no connection is made until the first request.
    pub fn new(connect_timeout: Duration, request_timeout: Duration) -> AccountsClient {
        AccountsClient {
            connect_timeout,
            request_timeout,
            http: Mutex::new(None),
        }
    }

    /// Exchanges a grant token (`grant_type=authorization_code`).
    pub fn exchange_grant(
        &self,
        accounts_url: &str,
        credentials: Credentials<'_>,
        grant_token: &Secret,
    ) -> Result<TokenReply> {
        self.token_request(
            accounts_url,
            credentials,
            Grant::AuthorizationCode,
            ("code", grant_token),
        )
    }

    /// Gets a new access token from a refresh token (`grant_type=refresh_token`).
    pub fn refresh(
        &self,
        accounts_url: &str,
        credentials: Credentials<'_>,
        refresh_token: &Secret,
    ) -> Result<TokenReply> {
        self.token_request(
            accounts_url,
            credentials,
            Grant::RefreshToken,
            ("refresh_token", refresh_token),
        )
    }

    fn token_request(
        &self,
        accounts_url: &str,
        credentials: Credentials<'_>,
        grant: Grant,
        token: (&str, &Secret),
    ) -> Result<TokenReply> {
        let grant_type = match grant {
            Grant::AuthorizationCode => "authorization_code",
            Grant::RefreshToken => "refresh_token",
        };
        // The SDK's parameter order, correctly encoded.
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("client_id", credentials.client_id)
            .append_pair("client_secret", credentials.client_secret.expose())
            .append_pair("redirect_uri", credentials.redirect_uri)
            .append_pair("grant_type", grant_type)
            .append_pair(token.0, token.1.expose())
            .finish();
        let url = format!("{accounts_url}/oauth/v2/token");
        let (status, content_type, bytes) =
            self.send(self.http()?.post(&url).form_body(body), accounts_url)?;
        parse_token_reply(
            grant,
            &RawReply {
                status,
                content_type: content_type.as_deref(),
                body: &bytes,
            },
        )
    }

    /// Revokes a refresh (or access) token at `/oauth/v2/token/revoke`.
    pub fn revoke(&self, accounts_url: &str, token: &Secret) -> Result<()> {
        let body = form_urlencoded::Serializer::new(String::new())
            .append_pair("token", token.expose())
            .finish();
        let url = format!("{accounts_url}/oauth/v2/token/revoke");
        let (status, content_type, bytes) =
            self.send(self.http()?.post(&url).form_body(body), accounts_url)?;
        parse_revoke_reply(&RawReply {
            status,
            content_type: content_type.as_deref(),
            body: &bytes,
        })
    }

    /// Finds the user behind an access token (`GET /oauth/user/info`).
    pub fn user_info(&self, accounts_url: &str, access_token: &Secret) -> Result<UserInfo> {
        let url = format!("{accounts_url}/oauth/user/info");
        let mut authorization = reqwest::header::HeaderValue::from_str(&format!(
            "Zoho-oauthtoken {}",
            access_token.expose()
        ))
        .map_err(|_| {
            Error::invalid_argument("the access token contains characters a header cannot hold")
        })?;
        // Kept out of reqwest's Debug output and HTTP/2 header compression tables.
        authorization.set_sensitive(true);
        let request = self
            .http()?
            .get(&url)
            .header(reqwest::header::AUTHORIZATION, authorization);
        let (status, content_type, bytes) = self.send(request, accounts_url)?;
        parse_user_info(&RawReply {
            status,
            content_type: content_type.as_deref(),
            body: &bytes,
        })
    }

    /// This process's HTTP client, created on first use. After a fork the parent's client
    /// is deliberately leaked: its runtime thread does not exist in the child, and dropping
    /// it there would wait for that thread forever.
    fn http(&self) -> Result<reqwest::blocking::Client> {
        if let Some(client) = process_owned::current(&mut *self.http_slot()?) {
            return Ok(client.clone());
        }
        // Built without holding the lock, so the lock is only ever held for a moment and a
        // child forked meanwhile does not inherit it held.
        let client = build_http_client(self.connect_timeout, self.request_timeout)?;
        let mut slot = self.http_slot()?;
        if let Some(current) = process_owned::current(&mut slot) {
            return Ok(current.clone());
        }
        *slot = Some(ProcessOwned::new(client.clone()));
        Ok(client)
    }

    fn http_slot(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, Option<ProcessOwned<reqwest::blocking::Client>>>> {
        self.http
            .lock()
            .map_err(|_| Error::internal("the HTTP client lock was poisoned by a panic"))
    }

    /// Sends `request` and reads the reply, all within `request_timeout`: connect, send,
    /// headers and body together. reqwest's blocking client bounds each read only, so a
    /// server dripping its reply byte by byte would hold a call for as long as it likes;
    /// the exchange runs on a helper thread and is abandoned (its socket reads stay
    /// bounded, so the thread ends soon after) when the deadline passes.
    fn send(
        &self,
        request: reqwest::blocking::RequestBuilder,
        accounts_url: &str,
    ) -> Result<(u16, Option<String>, Vec<u8>)> {
        let (tx, rx) = std::sync::mpsc::sync_channel(1);
        let url = accounts_url.to_string();
        let deadline = Instant::now() + self.request_timeout;
        std::thread::Builder::new()
            .name("zoho-oauth-http".into())
            .spawn(move || {
                let _ = tx.send(exchange(request, &url, deadline));
            })
            .map_err(|e| Error::internal(format!("cannot start the HTTP thread: {e}")))?;
        match rx.recv_timeout(self.request_timeout) {
            Ok(result) => result,
            Err(RecvTimeoutError::Timeout) => {
                Err(total_timeout_error(accounts_url, self.request_timeout))
            }
            Err(RecvTimeoutError::Disconnected) => {
                Err(Error::internal("the HTTP thread ended without an answer"))
            }
        }
    }
}

/// One HTTP exchange: the request and the whole reply body (up to [`MAX_REPLY_BYTES`]).
/// Gives up reading once `deadline` has passed (the caller has stopped waiting by then).
fn exchange(
    request: reqwest::blocking::RequestBuilder,
    accounts_url: &str,
    deadline: Instant,
) -> Result<(u16, Option<String>, Vec<u8>)> {
    let response = request
        .send()
        .map_err(|e| transport_error(&e, accounts_url))?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let mut body = Vec::new();
    let mut reader = response.take(MAX_REPLY_BYTES);
    let mut chunk = [0u8; 8192];
    loop {
        let n = match reader.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(&e, accounts_url)),
        };
        if n == 0 {
            return Ok((status, content_type, body));
        }
        body.extend_from_slice(&chunk[..n]);
        if Instant::now() >= deadline {
            return Err(Error::new(
                ErrorKind::Timeout,
                "the reply did not finish in time",
            ));
        }
    }
}

/// The error when a whole exchange did not finish within `timeout_secs`.
fn total_timeout_error(accounts_url: &str, limit: Duration) -> Error {
    Error::new(
        ErrorKind::Timeout,
        format!(
            "the accounts server {accounts_url} did not complete its reply within {:.1} s",
            limit.as_secs_f64()
        ),
    )
    .with_hint("timeout_secs bounds the whole request (connect, send, headers and body); retry, or raise timeout_secs")
}

/// Adds a form body with its content type.
trait FormBody {
    fn form_body(self, body: String) -> Self;
}

impl FormBody for reqwest::blocking::RequestBuilder {
    fn form_body(self, body: String) -> Self {
        self.header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
    }
}

fn build_http_client(connect: Duration, total: Duration) -> Result<reqwest::blocking::Client> {
    static PROVIDER: Once = Once::new();
    PROVIDER.call_once(|| {
        // Fails only when another provider is already installed, which is fine too.
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
    reqwest::blocking::Client::builder()
        .connect_timeout(connect)
        .timeout(total)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .build()
        .map_err(|e| {
            Error::new(
                ErrorKind::Internal,
                format!("cannot create the HTTP client: {}", innermost(&e)),
            )
        })
}

/// The innermost cause of an error, which is the most specific ("connection refused").
fn innermost(err: &(dyn std::error::Error + 'static)) -> String {
    let mut current = err;
    while let Some(next) = current.source() {
        current = next;
    }
    current.to_string()
}

fn transport_error(err: &reqwest::Error, accounts_url: &str) -> Error {
    if err.is_timeout() {
        return Error::new(
            ErrorKind::Timeout,
            format!("the accounts server {accounts_url} did not answer in time"),
        )
        .with_hint("the request timed out; retry, or raise timeout_secs / connect_timeout_secs");
    }
    let reason = innermost(err);
    Error::new(
        ErrorKind::Connect,
        format!("cannot reach the accounts server {accounts_url}: {reason}"),
    )
    .with_hint("check the network, a proxy, and accounts_url")
}

fn read_error(err: &std::io::Error, accounts_url: &str) -> Error {
    if err.kind() == std::io::ErrorKind::TimedOut || innermost(err).contains("timed out") {
        return Error::new(
            ErrorKind::Timeout,
            format!("the accounts server {accounts_url} did not finish its reply in time"),
        );
    }
    Error::new(
        ErrorKind::Connect,
        format!(
            "the connection to {accounts_url} broke during the reply: {}",
            innermost(err)
        ),
    )
}
