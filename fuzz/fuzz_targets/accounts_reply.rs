//! Replies of the accounts server (token, user info, revoke): any status, content type and
//! body. No panic; a success always carries a non-empty access token and a sane lifetime;
//! an error is typed and its text is bounded whatever the body's size.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zoho_oauth::accounts::reply::{
    Grant, RawReply, parse_revoke_reply, parse_token_reply, parse_user_info,
};

#[derive(Arbitrary, Debug)]
enum Endpoint {
    Grant,
    Refresh,
    UserInfo,
    Revoke,
}

#[derive(Arbitrary, Debug)]
struct Reply<'a> {
    endpoint: Endpoint,
    status: u16,
    content_type: Option<&'a str>,
    body: &'a [u8],
}

fn check_error(e: &zoho_oauth::Error) {
    let shown = format!("{e} {e:?}");
    assert!(shown.len() < 2048, "error text grows with the body");
    assert!(e.code() >= 100);
}

fuzz_target!(|r: Reply<'_>| {
    let raw = RawReply {
        status: r.status,
        content_type: r.content_type,
        body: r.body,
    };
    match r.endpoint {
        Endpoint::Grant | Endpoint::Refresh => {
            let grant = match r.endpoint {
                Endpoint::Grant => Grant::AuthorizationCode,
                _ => Grant::RefreshToken,
            };
            match parse_token_reply(grant, &raw) {
                Ok(reply) => {
                    assert!(!reply.access_token.is_empty());
                    assert!((0..10_000_000_000_000).contains(&reply.expires_in_ms));
                }
                Err(e) => check_error(&e),
            }
        }
        Endpoint::UserInfo => match parse_user_info(&raw) {
            Ok(info) => assert!(!info.email.is_empty()),
            Err(e) => check_error(&e),
        },
        Endpoint::Revoke => {
            if let Err(e) = parse_revoke_reply(&raw) {
                check_error(&e);
            }
        }
    }
});
