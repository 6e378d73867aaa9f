//! decode(encode(tokens)) == tokens for both file formats, for any tokens the store accepts:
//! a save must never write a file that the next read rejects (that would lock every user
//! out of their tokens).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use zoho_oauth::store::{json_format, php_format};
use zoho_oauth::{Secret, Tokens};

/// Tokens as any caller of `TokenStore::save` could build them.
#[derive(Arbitrary, Debug)]
struct AnyTokens {
    user: Option<String>,
    access: String,
    refresh: Option<String>,
    expiry: i64,
    api_domain: Option<String>,
    scope: Option<String>,
    accounts_url: Option<String>,
}

impl AnyTokens {
    fn tokens(self) -> Tokens {
        Tokens {
            user: self.user,
            access_token: Secret::new(self.access),
            refresh_token: self.refresh.map(Secret::new),
            expiry_time_ms: self.expiry,
            api_domain: self.api_domain,
            scope: self.scope,
            accounts_url: self.accounts_url,
        }
    }
}

/// What the SDK format keeps: user, both tokens and the expiry.
fn sdk_fields(t: &Tokens) -> Tokens {
    Tokens::new(
        t.user.clone(),
        t.access_token.clone(),
        t.refresh_token.clone(),
        t.expiry_time_ms,
    )
}

fuzz_target!(|input: Vec<AnyTokens>| {
    let list: Vec<Tokens> = input.into_iter().map(AnyTokens::tokens).collect();
    let json = json_format::decode(&json_format::encode(&list));
    assert_eq!(json.as_ref().ok(), Some(&list), "JSON round trip");
    if list.iter().any(|t| php_format::check_storable(t).is_err()) {
        // The file store refuses these before writing (see `FileStore::save`).
        assert!(php_format::decode(&php_format::encode(&list)).is_err());
        return;
    }
    let sdk: Vec<Tokens> = list.iter().map(sdk_fields).collect();
    let php = php_format::decode(&php_format::encode(&list));
    assert_eq!(php.as_ref().ok(), Some(&sdk), "SDK-format round trip");
});
