//! `zcrmsdk\oauth\exception\ZohoOAuthException`, and every error's way into PHP.
//!
//! The class is registered by hand in MINIT as a plain internal subclass of `\Exception`, so
//! PHP code can `new` it, extend it and throw it (a `#[php_class]` exception cannot be
//! constructed from PHP). Errors of the core become this exception with the core's message
//! (the SDK's text where the SDK has one), Zoho's error code and a hint, and the core's stable
//! numeric code as `getCode()`. Extras, each with a getter: `getZohoErrorCode()`, `getHint()`,
//! `getErrorKind()` and `getUnsavedTokens()` (tokens Zoho issued that could not be saved).

use std::ffi::c_char;
use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::PhpException;
use ext_php_rs::ffi::{zend_class_entry, zend_object, zend_read_property, zval};
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::{ZendClassObject, ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecuteData, ExecutorGlobals, ce};
use zoho_oauth::{Error, ErrorKind};

use crate::tokens::ZohoOAuthTokens;

/// The exception's fully qualified class name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\exception\\ZohoOAuthException";

/// The message the SDK throws when the OAuth client is used before initialization.
pub const NOT_INITIALIZED_MESSAGE: &str =
    "ZCRMRestClient::initialize($configMap) must be called before this.";

static CLASS_ENTRY: AtomicPtr<ClassEntry> = AtomicPtr::new(std::ptr::null_mut());

/// The protected properties that carry the extras (each has a getter).
const EXTRAS: [&str; 4] = ["zohoErrorCode", "hint", "errorKind", "unsavedTokens"];

unsafe extern "C" {
    /// `zend_update_property` from the Zend engine: writes a property as `scope` would.
    fn zend_update_property(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const c_char,
        name_length: usize,
        value: *mut zval,
    );
}

/// Registers the exception class; must run in MINIT.
pub fn register() -> ext_php_rs::error::Result<()> {
    let mut builder = ClassBuilder::new(CLASS_NAME).extends((ce::exception, "\\Exception"));
    for property in EXTRAS {
        builder = builder.property(null_property(property));
    }
    let text = DataType::String;
    let tokens = DataType::object(crate::tokens::CLASS_NAME);
    builder = builder
        .method(
            getter("getZohoErrorCode", get_zoho_error_code, text),
            MethodFlags::Public,
        )
        .method(getter("getHint", get_hint, text), MethodFlags::Public)
        .method(
            getter("getErrorKind", get_error_kind, text),
            MethodFlags::Public,
        )
        .method(
            getter("getUnsavedTokens", get_unsaved_tokens, tokens),
            MethodFlags::Public,
        );
    builder
        .registration(|ce, _| CLASS_ENTRY.store(ce, Ordering::Release))
        .register()
}

fn null_property(name: &str) -> ClassProperty {
    ClassProperty {
        name: name.to_string(),
        flags: PropertyFlags::Protected,
        default: Some(Box::new(|| {
            let mut value = Zval::new();
            value.set_null();
            Ok(value)
        })),
        docs: &[],
        ty: None,
        nullable: true,
        readonly: false,
        default_stub: Some("null".to_string()),
    }
}

/// A method handler (`zend_internal_function.handler`).
type Handler = extern "C" fn(&mut ExecuteData, &mut Zval);

fn getter(name: &str, handler: Handler, returns: DataType) -> FunctionBuilder<'static> {
    FunctionBuilder::new(name, handler).returns(returns, false, true)
}

/// The exception's class entry (`\Exception` if registration has not happened).
pub fn class_entry() -> &'static ClassEntry {
    // SAFETY: the pointer is null or a class entry registered in MINIT, which lives until the
    // module shuts down.
    unsafe { CLASS_ENTRY.load(Ordering::Acquire).as_ref() }.unwrap_or_else(ce::exception)
}

/// A `ZohoOAuthException` with a message and one of the core's error codes.
pub fn with_kind(message: impl Into<String>, kind: ErrorKind) -> PhpException {
    from_error(Error::new(kind, message))
}

/// True for the SDK's own messages, which PHP code may compare: they are kept exact (the hint
/// is still available from `getHint()`).
fn is_sdk_message(message: &str) -> bool {
    use zoho_oauth::client::{NO_GRANT_TOKEN_MESSAGE, NO_REFRESH_TOKEN_MESSAGE, NO_TOKENS_MESSAGE};
    [
        NO_TOKENS_MESSAGE,
        NO_GRANT_TOKEN_MESSAGE,
        NO_REFRESH_TOKEN_MESSAGE,
        NOT_INITIALIZED_MESSAGE,
        crate::tokens::EXPIRED_MESSAGE,
    ]
    .contains(&message)
        || message.ends_with(" is mandatory")
        || message.ends_with(" value is missing")
}

/// The exception's message: the core's message, plus its hint unless it is one of the SDK's
/// exact messages.
fn message_of(error: &Error) -> String {
    match error.hint() {
        Some(hint) if !is_sdk_message(error.message()) => {
            format!("{} Hint: {hint}", error.message())
        }
        _ => error.message().to_string(),
    }
}

/// The `ZohoOAuthException` for an error of the core: the message (with the hint, except for
/// the SDK's exact messages), the stable numeric code, and the extras (Zoho's code, hint, kind,
/// unsaved tokens).
pub fn from_error(error: Error) -> PhpException {
    let message = message_of(&error);
    let code = i32::try_from(error.code()).unwrap_or(0);
    if ExecutorGlobals::has_exception() {
        // A PHP exception (e.g. from a persistence handler) is on its way to the caller and
        // wins; this one is never thrown.
        return PhpException::new(message, code, class_entry());
    }
    match build_object(&message, code, &error) {
        Some(object) => PhpException::new(message, code, class_entry()).with_object(object),
        None => PhpException::new(message, code, class_entry()),
    }
}

/// Creates the exception object (file, line and trace are taken now, as `throw new` would).
fn build_object(message: &str, code: i32, error: &Error) -> Option<Zval> {
    let ce = class_entry();
    let mut object = ZendObject::new(ce);
    object
        .try_call_method("__construct", vec![&message, &i64::from(code)])
        .ok()?;
    if let Some(zoho) = error.zoho_code() {
        set_extra(&mut object, "zohoErrorCode", string_zval(zoho)?);
    }
    if let Some(hint) = error.hint() {
        set_extra(&mut object, "hint", string_zval(hint)?);
    }
    set_extra(&mut object, "errorKind", string_zval(error.kind().name())?);
    if let Some(tokens) = error.unsaved_tokens() {
        let tokens = ZendClassObject::new(ZohoOAuthTokens::from_core(tokens));
        set_extra(&mut object, "unsavedTokens", tokens.into_zval(false).ok()?);
    }
    object.into_zval(false).ok()
}

fn string_zval(text: &str) -> Option<Zval> {
    let mut value = Zval::new();
    value.set_string(text, false).ok()?;
    Some(value)
}

fn set_extra(object: &mut ZendObject, name: &str, mut value: Zval) {
    let scope = std::ptr::from_ref(class_entry()).cast_mut();
    // SAFETY: `object` is a live exception object of this class, `name` a valid buffer of the
    // given length, and `value` a live zval the engine copies (adding its own reference).
    unsafe {
        zend_update_property(
            scope,
            std::ptr::from_mut(object),
            name.as_ptr().cast(),
            name.len(),
            &raw mut value,
        );
    }
}

/// Copies the protected property `name` of `$this` into `retval`, never letting a panic out.
fn read_extra(ex: &mut ExecuteData, retval: &mut Zval, name: &str) {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_extra_now(ex, retval, name)
    }));
    if read.is_err() {
        retval.set_null();
    }
}

fn read_extra_now(ex: &mut ExecuteData, retval: &mut Zval, name: &str) {
    if ex.parser().parse().is_err() {
        return;
    }
    let scope = std::ptr::from_ref(class_entry()).cast_mut();
    let Some(this) = ex.get_self() else {
        retval.set_null();
        return;
    };
    let mut scratch = Zval::new();
    // SAFETY: `this` is the live object the method was called on; the engine returns a
    // pointer to the property or to `scratch`, both valid until this function returns.
    let value = unsafe {
        zend_read_property(
            scope,
            std::ptr::from_mut(this),
            name.as_ptr().cast(),
            name.len(),
            true,
            &raw mut scratch,
        )
        .as_ref()
    };
    match value {
        Some(value) => *retval = value.shallow_clone(),
        None => retval.set_null(),
    }
}

extern "C" fn get_zoho_error_code(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[0]);
}

extern "C" fn get_hint(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[1]);
}

extern "C" fn get_error_kind(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[2]);
}

extern "C" fn get_unsaved_tokens(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[3]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdk_messages_stay_exact_and_others_get_their_hint() {
        let sdk = Error::new(ErrorKind::NoTokens, zoho_oauth::client::NO_TOKENS_MESSAGE)
            .with_hint("generate tokens first");
        assert_eq!(message_of(&sdk), zoho_oauth::client::NO_TOKENS_MESSAGE);
        let mandatory =
            Error::new(ErrorKind::ConfigMissing, "client_id is mandatory").with_hint("h");
        assert_eq!(message_of(&mandatory), "client_id is mandatory");
        let zoho = Error::new(
            ErrorKind::InvalidCode,
            "Exception while fetching access token from grant token - invalid_code",
        )
        .with_hint("make a new grant token");
        assert_eq!(
            message_of(&zoho),
            "Exception while fetching access token from grant token - invalid_code Hint: make a new grant token"
        );
    }
}
