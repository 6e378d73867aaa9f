//! Plain data types of the public API: what tests register, mint, inject and read back.

use serde::{Deserialize, Serialize};

/// An OAuth client as registered in Zoho's API console.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct ClientSpec {
    /// The client id, e.g. `1000.GMB0YULZHJK411248S8I5GZ4CHUEX0`.
    pub client_id: String,
    /// The client secret (one secret for every data centre).
    pub client_secret: String,
    /// Registered redirect URIs; `/oauth/v2/auth` and the code exchange must use one of them.
    pub redirect_uris: Vec<String>,
    /// Data centres the client is enabled in; empty means `["us"]`.
    #[serde(default)]
    pub data_centres: Vec<String>,
    /// Scopes the client may ask for (case-insensitive); empty means any scope.
    #[serde(default)]
    pub scopes: Vec<String>,
}

/// A Zoho user account.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct UserSpec {
    /// The login e-mail, also the key of the user.
    pub email: String,
    /// `First_Name`; derived from the e-mail when empty.
    #[serde(default)]
    pub first_name: String,
    /// `Last_Name`; may stay empty.
    #[serde(default)]
    pub last_name: String,
    /// `Display_Name`; derived from the names when empty.
    #[serde(default)]
    pub display_name: String,
    /// The ZUID; 0 means "assign one".
    #[serde(default)]
    pub zuid: u64,
    /// The user's data centre; empty means `us`.
    #[serde(default)]
    pub data_centre: String,
}

/// A grant code to mint directly, without going through `/oauth/v2/auth`.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct GrantSpec {
    /// The client the code is issued to.
    pub client_id: String,
    /// The user's e-mail. Unknown users are created in the grant's data centre.
    pub user: String,
    /// Comma-separated scopes, e.g. `ZohoCRM.modules.ALL,AaaServer.profile.READ`.
    pub scope: String,
    /// `offline` (the default when empty) or `online`.
    #[serde(default)]
    pub access_type: String,
    /// The redirect URI the exchange must send; `None` is a self-client code that accepts
    /// any registered redirect URI, or none.
    #[serde(default)]
    pub redirect_uri: Option<String>,
    /// The data centre the code belongs to; `None` means the user's data centre.
    #[serde(default)]
    pub data_centre: Option<String>,
    /// Lifetime of the code; `None` means `Settings::grant_ttl_secs`.
    #[serde(default)]
    pub ttl_secs: Option<u64>,
}

/// A token with a fixed value to import, e.g. to replay recorded requests byte for byte.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct TokenSpec {
    /// The exact token value.
    pub token: String,
    /// The client the token belongs to.
    pub client_id: String,
    /// The user's e-mail. Unknown users are created in the token's data centre.
    pub user: String,
    /// Comma- or space-separated scopes.
    pub scope: String,
    /// The token's data centre; `None` means the user's data centre.
    #[serde(default)]
    pub data_centre: Option<String>,
    /// Access tokens only: lifetime; `None` means `Settings::access_token_ttl_secs`.
    #[serde(default)]
    pub ttl_secs: Option<u64>,
    /// Access tokens only: the refresh token it was minted from, if any.
    #[serde(default)]
    pub refresh_token: Option<String>,
}

/// The kind of an injected fault.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// HTTP 500 with a small HTML body.
    Http500,
    /// HTTP 200 with a `text/html` page, like a proxy or login page.
    Html,
    /// Close the connection without answering (TCP reset).
    Reset,
    /// Sleep `delay_ms`, then answer normally.
    Delay,
    /// The `Access Denied` throttle reply.
    Throttle,
    /// HTTP 200 with an empty body.
    Empty,
    /// Sleep `delay_ms`, then close the connection without answering; the endpoint never
    /// sees the request (a timeout that mints nothing, unlike [`FaultKind::Delay`]).
    Stall,
    /// Answer exactly the fault's `status` and `body`, as `application/json`: any reply
    /// Zoho might give, e.g. `{"error":"access_denied"}`.
    Reply,
}

impl FaultKind {
    /// Every kind, in declaration order.
    pub const ALL: [FaultKind; 8] = [
        FaultKind::Http500,
        FaultKind::Html,
        FaultKind::Reset,
        FaultKind::Delay,
        FaultKind::Throttle,
        FaultKind::Empty,
        FaultKind::Stall,
        FaultKind::Reply,
    ];

    /// The snake_case name used in JSON and in the `fault.<name>` counters.
    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Http500 => "http500",
            FaultKind::Html => "html",
            FaultKind::Reset => "reset",
            FaultKind::Delay => "delay",
            FaultKind::Throttle => "throttle",
            FaultKind::Empty => "empty",
            FaultKind::Stall => "stall",
            FaultKind::Reply => "reply",
        }
    }
}

fn one() -> u32 {
    1
}

fn status_ok() -> u16 {
    200
}

/// A fault to apply to the next `count` matching requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaultSpec {
    /// What goes wrong.
    pub kind: FaultKind,
    /// How many matching requests it applies to (default 1).
    #[serde(default = "one")]
    pub count: u32,
    /// Only requests whose path (without the data-centre prefix) starts with this;
    /// `None` matches any non-admin request.
    #[serde(default)]
    pub path: Option<String>,
    /// For [`FaultKind::Delay`] and [`FaultKind::Stall`]: how long to sleep first.
    #[serde(default)]
    pub delay_ms: u64,
    /// For [`FaultKind::Reply`]: the HTTP status, 200 to 599 (default 200).
    #[serde(default = "status_ok")]
    pub status: u16,
    /// For [`FaultKind::Reply`]: the body, sent as is (default empty).
    #[serde(default)]
    pub body: String,
}

impl FaultSpec {
    /// A fault of `kind` for the next request to any path, with the defaults: count 1,
    /// no delay, status 200, empty body.
    pub fn new(kind: FaultKind) -> FaultSpec {
        FaultSpec {
            kind,
            count: one(),
            path: None,
            delay_ms: 0,
            status: status_ok(),
            body: String::new(),
        }
    }

    /// A [`FaultKind::Reply`] fault answering `status` and `body` to the next request.
    pub fn reply(status: u16, body: impl Into<String>) -> FaultSpec {
        FaultSpec {
            status,
            body: body.into(),
            ..FaultSpec::new(FaultKind::Reply)
        }
    }

    /// Checks the fields the kind uses: a reply's status must be 200 to 599.
    pub fn validate(&self) -> Result<(), String> {
        if self.kind == FaultKind::Reply && !(200..=599).contains(&self.status) {
            return Err(format!(
                "status {} is not an HTTP status from 200 to 599",
                self.status
            ));
        }
        Ok(())
    }
}

/// One non-admin request as the emulator received it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct LoggedRequest {
    /// HTTP method.
    pub method: String,
    /// Path with query string, without the data-centre prefix.
    pub path: String,
    /// The data centre addressed (`us` for the root).
    pub data_centre: String,
    /// Headers in the order received.
    pub headers: Vec<(String, String)>,
    /// The body as lossy UTF-8, truncated to 64 KiB.
    pub body: String,
    /// Emulator clock when it arrived.
    pub at_ms: i64,
}

/// Tunable behaviour; every Zoho limit is configurable here.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Settings {
    /// Answer the pre-2019 way: `expires_in_sec` in seconds and `expires_in` in milliseconds.
    pub legacy_expiry: bool,
    /// Access-token lifetime.
    pub access_token_ttl_secs: u64,
    /// Grant-code lifetime.
    pub grant_ttl_secs: u64,
    /// Access tokens one refresh token may mint per window.
    pub refresh_limit: u32,
    /// Length of the refresh window.
    pub refresh_window_secs: u64,
    /// HTTP status of the `Access Denied` throttle reply (Zoho: 200).
    pub throttle_status: u16,
    /// Active access tokens per refresh token; the oldest is silently evicted.
    pub max_active_access_tokens: u32,
    /// Refresh tokens per user and client; the oldest is evicted with its access tokens.
    pub max_refresh_tokens_per_user: u32,
    /// `/oauth/v2/auth` consents without a person.
    pub auto_consent: bool,
    /// Value of `api_domain` in token replies instead of the data centre's URL.
    pub api_domain_override: Option<String>,
    /// Add Zoho's trailing `&` to the auth redirect.
    pub trailing_ampersand: bool,
    /// Probability (0.0 to 1.0) that a non-admin request without a queued fault gets a
    /// random fault of one of `random_fault_kinds`.
    pub random_fault_rate: f64,
    /// The kinds random faults are drawn from, uniformly; empty means every kind but
    /// `delay` (which still reaches the endpoint) and `reply` (random ones answer 200 with
    /// an empty body).
    pub random_fault_kinds: Vec<FaultKind>,
    /// `delay_ms` of random `delay` and `stall` faults.
    pub random_fault_delay_ms: u64,
    /// Only requests whose path (without the data-centre prefix) starts with this get
    /// random faults; `None` means any non-admin request.
    pub random_fault_path: Option<String>,
    /// Keep the emulator-clock time of every successful refresh, per refresh token (see
    /// `Emulator::refresh_history`). Off by default: the history grows without bound.
    pub record_refreshes: bool,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            legacy_expiry: false,
            access_token_ttl_secs: 3600,
            grant_ttl_secs: 120,
            refresh_limit: 10,
            refresh_window_secs: 600,
            throttle_status: 200,
            max_active_access_tokens: 15,
            max_refresh_tokens_per_user: 20,
            auto_consent: true,
            api_domain_override: None,
            trailing_ampersand: false,
            random_fault_rate: 0.0,
            random_fault_kinds: Vec::new(),
            random_fault_delay_ms: 0,
            random_fault_path: None,
            record_refreshes: false,
        }
    }
}

/// How to start an [`crate::Emulator`].
#[derive(Clone, Debug)]
pub struct Options {
    /// Address to listen on, e.g. `127.0.0.1:0` for a free port.
    pub listen: String,
    /// Allow a listen address that is not loopback.
    pub allow_non_loopback: bool,
    /// Initial settings.
    pub settings: Settings,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            listen: "127.0.0.1:0".to_string(),
            allow_non_loopback: false,
            settings: Settings::default(),
        }
    }
}
