//! Running PHP code from Rust: user code (a persistence handler's methods) and PHP source (the
//! handler's `require_once`). A bailout inside it (`exit()`, a fatal error) is caught and
//! recorded, so the Rust frames unwind normally (releasing locks); [`resume_bailout`] resumes
//! it once no Rust frame with state is left.

use std::cell::Cell;
use std::panic::UnwindSafe;

use ext_php_rs::ffi::{ext_php_rs_zend_compile_string, ext_php_rs_zend_execute};
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::{CatchError, try_catch};

thread_local! {
    /// Set when a bailout was caught inside PHP code the extension called.
    static BAILED_OUT: Cell<bool> = const { Cell::new(false) };
}

/// How PHP code called from Rust ended, when it did not return.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stopped {
    /// A Rust panic inside (its message).
    Panic(String),
    /// A bailout (`exit()`, a fatal error), recorded for [`resume_bailout`].
    Bailout,
}

/// Runs `code`, which calls into PHP; a bailout is recorded for [`resume_bailout`].
pub fn run_php<R>(code: impl FnOnce() -> R + UnwindSafe) -> Result<R, Stopped> {
    match try_catch(code) {
        Ok(value) => Ok(value),
        Err(CatchError::Panic(message)) => Err(Stopped::Panic(message)),
        Err(_) => {
            BAILED_OUT.with(|b| b.set(true));
            Err(Stopped::Bailout)
        }
    }
}

/// Compiles and runs PHP source (statements, no `<?php`), as `eval` would; a syntax error
/// runs nothing. `name` is what error messages call the code.
pub fn run_source(source: &str, name: &'static std::ffi::CStr) -> Result<(), Stopped> {
    let source = ZendStr::new(source, false);
    run_php(|| {
        // SAFETY: `source` is a live string and `name` a NUL-terminated string; compile
        // returns null on a syntax error, else an op array that execute frees.
        unsafe {
            let op_array =
                ext_php_rs_zend_compile_string(source.as_ptr().cast_mut(), name.as_ptr());
            if !op_array.is_null() {
                ext_php_rs_zend_execute(op_array);
            }
        }
    })
}

/// Resumes a bailout caught by [`run_php`]. Call it only when no Rust frame with state to clean
/// up is left above the PHP method handler frame (the panic guard, after the body returned).
pub fn resume_bailout() {
    if BAILED_OUT.with(|b| b.replace(false)) {
        // SAFETY: the caller has returned from every Rust frame of the call except the
        // handler ext-php-rs generated, which expects bailouts.
        unsafe { ext_php_rs::zend::bailout() };
    }
}
