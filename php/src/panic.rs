//! The boundary between PHP and Rust: no panic crosses it, and a PHP bailout raised inside
//! user code that Rust called (a persistence handler calling `exit()`) is resumed only once
//! every Rust frame has been unwound, so no lock is left held.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ext_php_rs::exception::PhpResult;
use zoho_oauth::ErrorKind;

use crate::engine::call;
use crate::exception;

/// Runs a method body: a panic becomes a `ZohoOAuthException` (code 501) instead of a crash,
/// and a bailout recorded by [`call::run_php`] is resumed after the body has returned.
pub fn guard<T>(body: impl FnOnce() -> PhpResult<T>) -> PhpResult<T> {
    let result = catch_unwind(AssertUnwindSafe(|| {
        test_panic_hook();
        body()
    }));
    call::resume_bailout();
    match result {
        Ok(result) => result,
        Err(payload) => Err(exception::with_kind(
            format!(
                "zoho-oauth: internal error (a Rust panic was caught: {}); please report it",
                panic_text(payload.as_ref())
            ),
            ErrorKind::Panic,
        )),
    }
}

/// The text of a panic payload, shortened.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_string());
    text.chars().take(200).collect()
}

/// Debug builds only: `ZOHO_OAUTH_PHP_TEST_PANIC=1` in the environment makes every guarded
/// call panic, so the tests can prove that a panic becomes an exception, not a crash.
#[cfg(debug_assertions)]
fn test_panic_hook() {
    if std::env::var_os("ZOHO_OAUTH_PHP_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("test panic requested by ZOHO_OAUTH_PHP_TEST_PANIC");
    }
}

#[cfg(not(debug_assertions))]
fn test_panic_hook() {}
