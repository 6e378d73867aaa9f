//! The core's door-neutral policies against the accounts emulator: a grant exchange never
//! loses the tokens (saved under `unidentified-<ms>` when Zoho will not name the user, or
//! handed back when no store takes them).
#![allow(clippy::unwrap_used, missing_docs)]

mod common;

use common::{ADA, SCOPES, TestEnv};
use zoho_oauth::ErrorKind;
use zoho_oauth::TokenStore;
use zoho_oauth::policy::{self, Exchanged};

#[test]
fn an_identified_grant_is_saved_under_the_users_email() {
    let env = TestEnv::start();
    let client = env.client();
    match policy::exchange_keeping_tokens(&client, &env.grant(ADA, SCOPES)).unwrap() {
        Exchanged::Saved(tokens) => assert_eq!(tokens.user.as_deref(), Some(ADA)),
        other => panic!("{other:?}"),
    }
    assert!(client.store().get(ADA).unwrap().is_some());
}

#[test]
fn a_grant_without_the_profile_scope_is_saved_under_an_unidentified_name() {
    let env = TestEnv::start();
    let client = env.client();
    let before = client.now_ms();
    let code = env.grant(ADA, "ZohoCRM.modules.ALL");
    let Exchanged::SavedUnidentified { tokens, reason } =
        policy::exchange_keeping_tokens(&client, &code).unwrap()
    else {
        panic!("saved under the user's name without the profile scope");
    };
    assert_eq!(reason.kind(), ErrorKind::ScopeMissing);
    assert!(
        reason.unsaved_tokens().is_none(),
        "the reason carries no tokens"
    );
    let name = tokens.user.clone().unwrap();
    let ms: i64 = name
        .strip_prefix(policy::UNIDENTIFIED_PREFIX)
        .unwrap()
        .parse()
        .unwrap();
    assert!(ms >= before && ms <= client.now_ms(), "{name}");
    let stored = client.store().get(&name).unwrap().unwrap();
    assert!(stored.refresh_token.is_some());
    assert_eq!(client.store().list().unwrap().len(), 1);
}

#[test]
fn tokens_no_store_takes_come_back_on_the_error() {
    let env = TestEnv::start();
    std::fs::write(env.token_file(), "not a token file\n").unwrap();
    let client = env.client();
    for scope in [SCOPES, "ZohoCRM.modules.ALL"] {
        let mut error = policy::exchange_keeping_tokens(&client, &env.grant(ADA, scope))
            .err()
            .unwrap();
        assert_eq!(error.kind(), ErrorKind::StoreCorrupt, "{scope}: {error:?}");
        let tokens = error.take_unsaved_tokens().expect("handed back");
        assert!(tokens.refresh_token.is_some());
        // Named when Zoho named the user; never a made-up name that was not saved.
        let expected = (scope == SCOPES).then_some(ADA);
        assert_eq!(tokens.user.as_deref(), expected, "{scope}");
    }
    assert_eq!(
        std::fs::read_to_string(env.token_file()).unwrap(),
        "not a token file\n"
    );
}
