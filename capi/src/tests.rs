//! A C caller never sees a PHP method name: the core carries typed remedies and the C door
//! words them (PHP's words are in php/src/remedy.rs; phpt 005 shows PHP's messages are
//! unchanged). Runs the C door through its exports against the accounts emulator.
//! (`tests/remedy_words.rs` reads the code of the core and of every door but PHP's for PHP
//! vocabulary.)
#![allow(clippy::unwrap_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;

use std::ffi::{CString, c_char};
use std::ptr;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, PHP_WORDS, REDIRECT_URI, TestEnv};

use crate::client::{
    zoho_client, zoho_client_free, zoho_client_generate_access_token, zoho_client_get_access_token,
    zoho_client_new_from_json,
};
use crate::last_error::zoho_last_error_message;
use crate::result::zoho_result;
use crate::tokens::zoho_tokens;

/// The call failed with `expected`, and its message names `c_words`, never PHP's words.
fn assert_c_failure(r: zoho_result, expected: zoho_result, c_words: &str) {
    assert_eq!(r, expected);
    let message = last_error_message();
    assert!(message.contains(c_words), "{message}");
    for word in PHP_WORDS {
        assert!(!message.contains(word), "PHP's {word} in: {message}");
    }
}

fn last_error_message() -> String {
    let mut len = 0usize;
    unsafe { zoho_last_error_message(ptr::null_mut(), 0, &mut len) };
    let mut buf = vec![0u8; len + 1];
    let r =
        unsafe { zoho_last_error_message(buf.as_mut_ptr().cast::<c_char>(), len + 1, &mut len) };
    assert_eq!(r, zoho_result::Ok);
    buf.truncate(len);
    String::from_utf8(buf).unwrap()
}

/// `zoho_client_new_from_json` on the emulator's client with `token_persistence_path`.
fn c_client(env: &TestEnv, token_path: &str) -> (zoho_result, *mut zoho_client) {
    let json = format!(
        r#"{{"client_id":"{CLIENT_ID}","client_secret":"{CLIENT_SECRET}","redirect_uri":"{REDIRECT_URI}","accounts_url":"{}","token_persistence_path":"{token_path}"}}"#,
        env.emulator.url(),
    );
    let json = CString::new(json).unwrap();
    let mut client = ptr::null_mut();
    let r = unsafe { zoho_client_new_from_json(json.as_ptr(), &mut client) };
    (r, client)
}

#[test]
fn c_messages_name_c_functions_not_php_methods() {
    let env = TestEnv::start();
    let (r, client) = c_client(&env, &env.dir.path().display().to_string());
    assert_eq!(r, zoho_result::Ok, "{}", last_error_message());
    let user = CString::new("nobody@example.com").unwrap();
    let mut token: *mut c_char = ptr::null_mut();
    let r = unsafe { zoho_client_get_access_token(client, user.as_ptr(), &mut token) };
    assert_c_failure(
        r,
        zoho_result::NoTokens,
        "zoho_client_generate_access_token",
    );

    // A grant without AaaServer.profile.READ: the tokens ride on the error.
    let grant = CString::new(env.grant(ADA, "ZohoCRM.modules.ALL")).unwrap();
    let mut tokens: *mut zoho_tokens = ptr::null_mut();
    let r = unsafe { zoho_client_generate_access_token(client, grant.as_ptr(), &mut tokens) };
    assert_c_failure(
        r,
        zoho_result::ScopeMissing,
        "zoho_last_error_take_unsaved_tokens",
    );
    unsafe { zoho_client_free(client) };

    // A relative token path without a base directory.
    let (r, _) = c_client(&env, "relative/dir");
    assert_c_failure(
        r,
        zoho_result::ConfigInvalid,
        "token_base_dir in the configuration",
    );
}
