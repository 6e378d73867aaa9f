//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use reqwest::blocking::Client;
use serde_json::Value;
use zoho_accounts_emulator::{ClientSpec, Emulator, GrantSpec, Options, Settings};

pub const CLIENT_ID: &str = "1000.TESTCLIENT0000000000000000000";
pub const SECRET: &str = "0123456789abcdef0123456789abcdef0123456789";
pub const REDIRECT: &str = "https://app.example.com/oauth/callback";
pub const PROFILE_SCOPES: &str = "ZohoCRM.modules.ALL,AaaServer.profile.READ";

/// A started emulator with one client (enabled in `us` and `eu`) and an HTTP client.
pub struct Env {
    pub emu: Emulator,
    pub http: Client,
}

pub fn client_spec() -> ClientSpec {
    ClientSpec {
        client_id: CLIENT_ID.into(),
        client_secret: SECRET.into(),
        redirect_uris: vec![REDIRECT.into()],
        data_centres: vec!["us".into(), "eu".into()],
        scopes: vec![],
    }
}

/// A client builder that works whatever TLS features the workspace unifies into reqwest:
/// when the core's `rustls-no-provider` is on, a crypto provider must be installed first,
/// even for plain-HTTP clients.
pub fn http_builder() -> reqwest::blocking::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    Client::builder()
}

pub fn http_client() -> Client {
    http_builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
}

pub fn setup_with(settings: Settings) -> Env {
    let emu = Emulator::start(Options {
        settings,
        ..Options::default()
    })
    .unwrap();
    emu.register_client(client_spec());
    Env {
        emu,
        http: http_client(),
    }
}

pub fn setup() -> Env {
    setup_with(Settings::default())
}

pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("not JSON ({e}): {text:?}"))
}

impl Env {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.url())
    }

    /// POSTs a form body; returns status and parsed JSON.
    pub fn post_form(&self, url: &str, body: &str) -> (u16, Value) {
        let r = self
            .http
            .post(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .body(body.to_string())
            .send()
            .unwrap();
        let status = r.status().as_u16();
        (status, parse(&r.text().unwrap()))
    }

    /// GETs with an optional `Authorization` value; returns status and parsed JSON.
    pub fn get(&self, url: &str, authorization: Option<&str>) -> (u16, Value) {
        let mut req = self.http.get(url);
        if let Some(a) = authorization {
            req = req.header("Authorization", a);
        }
        let r = req.send().unwrap();
        let status = r.status().as_u16();
        (status, parse(&r.text().unwrap()))
    }

    pub fn grant_spec(&self, scope: &str) -> GrantSpec {
        GrantSpec {
            client_id: CLIENT_ID.into(),
            user: "ada@example.com".into(),
            scope: scope.into(),
            ..GrantSpec::default()
        }
    }

    pub fn mint(&self, scope: &str) -> String {
        self.emu.mint_grant(self.grant_spec(scope)).unwrap()
    }

    /// Exchanges `code` at the accounts server `base`.
    pub fn exchange_at(&self, base: &str, code: &str) -> Value {
        let body = format!(
            "grant_type=authorization_code&client_id={CLIENT_ID}&client_secret={SECRET}&code={code}"
        );
        let (status, v) = self.post_form(&format!("{base}/oauth/v2/token"), &body);
        assert_eq!(status, 200);
        v
    }

    pub fn exchange(&self, code: &str) -> Value {
        self.exchange_at(&self.emu.url(), code)
    }

    pub fn refresh_at(&self, base: &str, refresh_token: &str) -> (u16, Value) {
        let body = format!(
            "grant_type=refresh_token&client_id={CLIENT_ID}&client_secret={SECRET}&refresh_token={refresh_token}"
        );
        self.post_form(&format!("{base}/oauth/v2/token"), &body)
    }

    pub fn refresh(&self, refresh_token: &str) -> Value {
        let (status, v) = self.refresh_at(&self.emu.url(), refresh_token);
        assert_eq!(status, 200);
        v
    }

    /// A fresh (access, refresh) pair for the default user with the profile scope.
    pub fn tokens(&self) -> (String, String) {
        let v = self.exchange(&self.mint(PROFILE_SCOPES));
        (
            v["access_token"].as_str().unwrap().to_string(),
            v["refresh_token"].as_str().unwrap().to_string(),
        )
    }

    /// Status of the protected resource for `access_token` at `base`.
    pub fn resource_status(&self, base: &str, access_token: &str) -> u16 {
        let url = format!("{base}/crm/v2/users?type=CurrentUser");
        self.get(&url, Some(&format!("Zoho-oauthtoken {access_token}")))
            .0
    }

    pub fn counter(&self, key: &str) -> u64 {
        self.emu.counters()[key]
    }
}

/// Sends raw bytes and reads until the server closes (or 5 s pass).
pub fn raw(addr: SocketAddr, bytes: &[u8]) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(bytes).unwrap();
    let mut out = Vec::new();
    let _ = s.read_to_end(&mut out);
    String::from_utf8_lossy(&out).into_owned()
}

/// The JSON body of a raw HTTP response.
pub fn raw_body(response: &str) -> &str {
    response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .unwrap_or("")
}

pub fn is_zoho_token(v: &Value) -> bool {
    let s = v.as_str().unwrap_or("");
    let parts: Vec<&str> = s.split('.').collect();
    parts.len() == 3
        && parts[0] == "1000"
        && parts[1..]
            .iter()
            .all(|p| p.len() == 32 && p.bytes().all(|b| b.is_ascii_hexdigit()))
}
