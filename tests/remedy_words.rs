//! A C caller and a CLI user never see a PHP method name: the core carries typed remedies, and
//! each door words them (PHP's words are in php/src/remedy.rs; phpt 005 shows PHP's messages
//! are unchanged). Runs the C door through its exports against the accounts emulator, and reads
//! every non-test line of the core, the C door and the CLI for PHP vocabulary.
#![allow(clippy::unwrap_used, missing_docs, unsafe_code)]

mod common;

use std::ffi::{CString, c_char};
use std::path::Path;
use std::ptr;

use common::{ADA, CLIENT_ID, CLIENT_SECRET, REDIRECT_URI, TestEnv};
use zoho_oauth::capi::client::{
    zoho_client, zoho_client_free, zoho_client_generate_access_token, zoho_client_get_access_token,
    zoho_client_new_from_json,
};
use zoho_oauth::capi::last_error::zoho_last_error_message;
use zoho_oauth::capi::result::zoho_result;
use zoho_oauth::capi::tokens::zoho_tokens;

/// The PHP door's vocabulary: the SDK's method and class names, php.ini settings.
const PHP_WORDS: &[&str] = &[
    "generateAccessToken",
    "getAccessToken",
    "refreshAccessToken",
    "revokeRefreshToken",
    "getUserEmailId",
    "getClientInstance",
    "ZCRMRestClient",
    "ZohoOAuth::",
    "php.ini",
    "zoho_oauth.token_base_dir",
];

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

/// Every line of `dir`'s Rust files up to the first `#[cfg(test)]`, without comments.
fn code_lines(dir: &Path, out: &mut Vec<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            code_lines(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).unwrap();
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            out.extend(
                code.lines()
                    .filter(|line| !line.trim_start().starts_with("//"))
                    .map(|line| (path.display().to_string(), line.to_string())),
            );
        }
    }
}

#[test]
fn core_c_and_cli_code_has_no_php_vocabulary() {
    let mut lines = Vec::new();
    code_lines(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut lines,
    );
    assert!(lines.len() > 10_000, "read only {} lines", lines.len());
    for (file, line) in &lines {
        for word in PHP_WORDS {
            assert!(!line.contains(word), "{file}: {line}");
        }
    }
}
