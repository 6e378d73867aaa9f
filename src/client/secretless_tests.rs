//! A client without a client secret: what needs none works, what needs one says so.

use std::sync::Arc;

use super::*;
use crate::authorize::authorization_url;
use crate::config::NO_CLIENT_SECRET_MESSAGE;
use crate::store::MemoryStore;

fn secretless() -> OAuthClient {
    // A closed loopback port: nothing may be sent anywhere.
    let config = Config::without_secret("1000.ID", "https://example.com/cb")
        .with_accounts_url("http://127.0.0.1:1");
    OAuthClient::new(config, Arc::new(MemoryStore::new())).expect("a secretless client")
}

#[test]
fn a_secretless_client_builds_the_authorization_url() {
    let client = secretless();
    let request = AuthorizationRequest {
        scopes: vec!["ZohoCRM.modules.ALL".into()],
        state: Some("s1".into()),
        ..AuthorizationRequest::default()
    };
    let url = client.authorization_url(&request).expect("url");
    assert!(
        url.starts_with("http://127.0.0.1:1/oauth/v2/auth?"),
        "{url}"
    );
    assert!(
        url.contains("client_id=1000.ID") && url.contains("state=s1"),
        "{url}"
    );
    assert_eq!(
        authorization_url(client.config().identity(), &request).ok(),
        Some(url),
        "the plain function and the client agree"
    );
}

#[test]
fn a_secretless_client_refuses_token_requests_naming_client_secret() {
    let client = secretless();
    let refused = [
        client.refresh_access_token("1000.refresh", "ada@example.com"),
        client.generate_access_token("1000.grant"),
    ];
    for result in refused {
        let e = result.expect_err("no secret, no token request");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
        assert_eq!(e.message(), NO_CLIENT_SECRET_MESSAGE);
        assert!(e.message().starts_with("client_secret "), "{e}");
    }
}
