//! The MINIT guard: an error (or a panic) becomes `FAILURE` with a start-up warning that says
//! why, so PHP reports "Unable to start" and does not load the extension.

use std::fmt;

use ext_php_rs::error::php_error;
use ext_php_rs::ffi::{ZEND_RESULT_CODE_FAILURE, ZEND_RESULT_CODE_SUCCESS};
use ext_php_rs::flags::ErrorType;

use super::sensitive::MarkError;

/// Why start-up failed.
#[derive(Debug)]
pub enum StartupError {
    /// ext-php-rs refused a registration.
    Register(ext_php_rs::error::Error),
    /// A parameter to mark sensitive does not exist.
    Sensitive(MarkError),
}

impl fmt::Display for StartupError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StartupError::Register(error) => error.fmt(f),
            StartupError::Sensitive(error) => error.fmt(f),
        }
    }
}

impl From<ext_php_rs::error::Error> for StartupError {
    fn from(error: ext_php_rs::error::Error) -> Self {
        StartupError::Register(error)
    }
}

impl From<MarkError> for StartupError {
    fn from(error: MarkError) -> Self {
        StartupError::Sensitive(error)
    }
}

/// Runs MINIT's body: `SUCCESS`, or `FAILURE` after a core warning
/// `zoho_oauth: module startup failed: <why>`.
pub fn guard(body: impl FnOnce() -> Result<(), StartupError>) -> i32 {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(body));
    let why = match outcome {
        Ok(Ok(())) => return ZEND_RESULT_CODE_SUCCESS,
        Ok(Err(error)) => error.to_string(),
        Err(payload) => payload
            .downcast_ref::<&str>()
            .map(|s| (*s).to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .map_or_else(|| "a panic".to_string(), |m| format!("a panic: {m}")),
    };
    let message = format!("{}: module startup failed: {why}", crate::EXTENSION_NAME);
    php_error(&ErrorType::CoreWarning, &message);
    ZEND_RESULT_CODE_FAILURE
}
