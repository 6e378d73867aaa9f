//! TLS verification is always on: an accounts server whose certificate no trusted
//! authority signed is refused before anything is sent, even on loopback.
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use common::{CLIENT_ID, CLIENT_SECRET, REDIRECT_URI};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use zoho_oauth::{Config, ErrorKind, MemoryStore, OAuthClient};

/// What the fake server answers once a TLS handshake succeeds: a token reply.
const TOKEN_REPLY: &str =
    r#"{"access_token":"1000.aaaa.bbbb","refresh_token":"1000.cccc.dddd","expires_in":3600}"#;

/// An HTTPS server on loopback with a self-signed certificate for `localhost`. It serves
/// every connection whose handshake succeeds with [`TOKEN_REPLY`]; returns its port.
fn self_signed_server() -> u16 {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).unwrap();
    let cert = CertificateDer::from(certified.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        certified.signing_key.serialize_der(),
    ));
    let config = Arc::new(
        rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![cert], key)
            .unwrap(),
    );
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for tcp in listener.incoming().flatten() {
            let config = Arc::clone(&config);
            std::thread::spawn(move || serve(config, tcp));
        }
    });
    port
}

fn serve(config: Arc<rustls::ServerConfig>, tcp: std::net::TcpStream) {
    let _ = tcp.set_read_timeout(Some(Duration::from_secs(5)));
    let Ok(connection) = rustls::ServerConnection::new(config) else {
        return;
    };
    let mut tls = rustls::StreamOwned::new(connection, tcp);
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match tls.read(&mut buf) {
            Ok(0) | Err(_) => return, // the client gave up (it refused the certificate)
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let _ = write!(
        tls,
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{TOKEN_REPLY}",
        TOKEN_REPLY.len()
    );
    let _ = tls.flush();
}

#[test]
fn a_self_signed_accounts_server_is_refused() {
    let port = self_signed_server();
    let url = format!("https://localhost:{port}");
    // The server works: a client that skips verification gets the token reply.
    let insecure = reqwest::blocking::Client::builder()
        .danger_accept_invalid_certs(true)
        .build()
        .unwrap();
    let body = insecure
        .post(format!("{url}/oauth/v2/token"))
        .body("grant_type=authorization_code&code=x")
        .send()
        .unwrap()
        .text()
        .unwrap();
    assert_eq!(body, TOKEN_REPLY);
    // Ours refuses the certificate, so no grant token or secret is ever sent to it.
    let config = Config::new(CLIENT_ID, CLIENT_SECRET, REDIRECT_URI)
        .with_accounts_url(&url)
        .with_timeouts(Duration::from_secs(5), Duration::from_secs(10));
    let client = OAuthClient::new(config, Arc::new(MemoryStore::new())).unwrap();
    let err = client
        .generate_access_token("1000.grant.token")
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Connect, "{err}");
    assert!(
        err.message().to_lowercase().contains("certificate"),
        "{err}"
    );
    assert!(client.list_tokens().unwrap().is_empty());
}
