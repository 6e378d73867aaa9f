//! The boundary every export goes through: panics are caught, and the outcome is recorded
//! in a thread-local last error that C reads with `zoho_last_error_message` (`last_error`).

use std::cell::RefCell;
use std::ffi::CString;
use std::panic::{AssertUnwindSafe, catch_unwind};

use super::result::zoho_result;
use zoho_oauth::Tokens;
use zoho_oauth::{Error, ErrorKind, Result};

/// What the last failing call on this thread left behind.
pub(super) struct LastError {
    /// The call's result.
    pub(super) result: zoho_result,
    /// The error's message and hint in C's terms.
    pub(super) message: CString,
    /// Tokens Zoho issued that could not be saved, until C takes them.
    pub(super) unsaved_tokens: Option<Tokens>,
}

thread_local! {
    static LAST_ERROR: RefCell<Option<LastError>> = const { RefCell::new(None) };
}

/// Runs the body of a fallible export: catches panics, and records the error (or clears the
/// last error on success). `name` is the export's name, for the panic message.
pub fn call(name: &'static str, body: impl FnOnce() -> Result<()>) -> zoho_result {
    let body = || {
        test_panic_hook();
        body()
    };
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => {
            set_last_error(None);
            zoho_result::Ok
        }
        Ok(Err(error)) => record(error),
        Err(_) => record(panic_error(name)),
    }
}

/// Runs the body of an export that cannot fail (`_free`, getters of static data): a panic
/// returns `default` and leaves the last error alone.
pub fn infallible<T>(default: T, body: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(body)).unwrap_or(default)
}

/// Debug builds only: `ZOHO_OAUTH_C_TEST_PANIC=1` in the environment makes every fallible
/// export panic inside its boundary, so the C tests can prove that a panic becomes
/// `ZOHO_RESULT_PANIC`, never a crash. Release builds have no such switch.
#[cfg(debug_assertions)]
fn test_panic_hook() {
    if std::env::var_os("ZOHO_OAUTH_C_TEST_PANIC").is_some_and(|v| v == "1") {
        panic!("test panic requested by ZOHO_OAUTH_C_TEST_PANIC");
    }
}

#[cfg(not(debug_assertions))]
fn test_panic_hook() {}

fn panic_error(name: &str) -> Error {
    Error::new(
        ErrorKind::Panic,
        format!("a panic was caught in {name}; this is a bug in zoho-oauth, please report it"),
    )
}

/// Records `error` as the thread's last error and returns its code. The message is the
/// error's message and its hint in C's terms, which never contain a secret.
fn record(mut error: Error) -> zoho_result {
    let result = zoho_result::from_kind(error.kind());
    let unsaved_tokens = error.take_unsaved_tokens();
    let text = error
        .message_with_hint(super::remedy::hint(&error).as_deref())
        .replace('\0', " ");
    let message = CString::new(text).unwrap_or_default();
    set_last_error(Some(LastError {
        result,
        message,
        unsaved_tokens,
    }));
    result
}

fn set_last_error(value: Option<LastError>) {
    // `try_with`: during thread teardown the slot may be gone; there is nothing to record then.
    let _ = LAST_ERROR.try_with(|slot| {
        if let Ok(mut slot) = slot.try_borrow_mut() {
            *slot = value;
        }
    });
}

/// Runs `f` on the calling thread's last error (`None` when the last call succeeded);
/// `None` when the slot is unavailable (thread teardown, a reentrant call).
pub(super) fn with_last_error<T>(f: impl FnOnce(Option<&mut LastError>) -> T) -> Option<T> {
    LAST_ERROR
        .try_with(|slot| {
            let mut slot = slot.try_borrow_mut().ok()?;
            Some(f(slot.as_mut()))
        })
        .ok()
        .flatten()
}
