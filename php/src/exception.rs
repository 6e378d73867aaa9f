//! `zcrmsdk\oauth\exception\ZohoOAuthException`, and every error's way into PHP.
//!
//! The class is registered by hand in MINIT as a plain internal subclass of `\Exception`, so
//! PHP code can `new` it, extend it and throw it (a `#[php_class]` exception cannot be
//! constructed from PHP). Errors of the core become this exception with the core's message
//! (the SDK's text where the SDK has one), Zoho's error code and a hint, and the core's stable
//! numeric code as `getCode()`. Extras, each with a getter: `getZohoErrorCode()`, `getHint()`,
//! `getErrorKind()` and `getUnsavedTokens()` (tokens Zoho issued that could not be saved).
//!
//! The SDK's two methods are reproduced: `__construct($message = null, $code = 0)`, which, given
//! a falsy message, throws a new instance of the same class with the message `Unknown <class>`
//! (the SDK's `throw new $this('Unknown ' . get_class($this))`), and `__toString()`, which gives
//! `<class> Caused by:'<message>' in <file>(<line>)` followed by a newline and the trace string.
//! The constructor also takes `\Exception`'s `$previous` as a third argument.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

use ext_php_rs::args::Arg;
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::exception::{PhpException, throw_object};
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::{ZendClassObject, ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecuteData, ExecutorGlobals, ce};
use zoho_oauth::{Error, ErrorKind};

use crate::engine::class::ClassSlot;
use crate::engine::object::{construct_as, read_property, write_property};
use crate::tokens::ZohoOAuthTokens;

/// The exception's fully qualified class name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\exception\\ZohoOAuthException";

/// The message the SDK throws when the OAuth client is used before initialization.
pub const NOT_INITIALIZED_MESSAGE: &str =
    "ZCRMRestClient::initialize($configMap) must be called before this.";

static CLASS_ENTRY: ClassSlot = ClassSlot::new();

thread_local! {
    /// Set while the constructor builds the `Unknown <class>` instance it throws, so a
    /// subclass constructor that always passes a falsy message cannot recurse without end.
    static MAKING_UNKNOWN: Cell<bool> = const { Cell::new(false) };
}

/// The SDK's message for an exception created without one: `Unknown <class>`.
pub fn unknown_message(class: &str) -> String {
    format!("Unknown {class}")
}

/// The protected properties that carry the extras (each has a getter).
const EXTRAS: [&str; 4] = ["zohoErrorCode", "hint", "errorKind", "unsavedTokens"];

/// Registers the exception class; must run in MINIT.
pub fn register() -> ext_php_rs::error::Result<()> {
    let mut builder = ClassBuilder::new(CLASS_NAME).extends((ce::exception, "\\Exception"));
    for property in EXTRAS {
        builder = builder.property(null_property(property));
    }
    let text = DataType::String;
    let tokens = DataType::object(crate::tokens::CLASS_NAME);
    builder = builder
        .method(constructor(), MethodFlags::Public)
        .method(to_string_method(), MethodFlags::Public)
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
        .registration(|ce, _| {
            crate::sdk_types::untype(ce, CLASS_NAME);
            CLASS_ENTRY.set(ce);
        })
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

/// `__construct(mixed $message = null, mixed $code = 0, ?\Throwable $previous = null)`: the
/// SDK's two untyped parameters, plus `\Exception`'s `$previous`.
pub(crate) fn constructor() -> FunctionBuilder<'static> {
    FunctionBuilder::constructor(construct)
        .not_required()
        .arg(Arg::new("message", DataType::Mixed).default("null"))
        .arg(Arg::new("code", DataType::Mixed).default("0"))
        .arg(Arg::new("previous", DataType::object("Throwable")).allow_null())
}

/// Runs a method body, never letting a panic out (the body leaves `retval` as it is).
fn unwind_safe(body: impl FnOnce()) {
    // A panic cannot be turned into a ZohoOAuthException here (that would construct one);
    // the method then returns null, with no exception.
    let _ = catch_unwind(AssertUnwindSafe(body));
}

extern "C" fn construct(ex: &mut ExecuteData, _retval: &mut Zval) {
    unwind_safe(|| construct_now(ex));
}

/// The SDK's constructor: a falsy message throws a new instance of `$this`'s class with the
/// message `Unknown <class>`; otherwise `\Exception::__construct` gets the arguments as given.
fn construct_now(ex: &mut ExecuteData) {
    let mut message = Arg::new("message", DataType::Mixed);
    let mut code = Arg::new("code", DataType::Mixed);
    let mut previous = Arg::new("previous", DataType::Mixed);
    let (parser, this) = ex.parser_object();
    let parsed = parser
        .not_required()
        .arg(&mut message)
        .arg(&mut code)
        .arg(&mut previous)
        .parse();
    let Some(this) = this else {
        return;
    };
    if parsed.is_err() {
        return;
    }
    let mut args = given([&mut message, &mut code, &mut previous]);
    let falsy = args.first().is_none_or(|m| !m.coerce_to_bool());
    let class = this
        .get_class_name()
        .unwrap_or_else(|_| CLASS_NAME.to_string());
    if !falsy {
        exception_construct(this, &mut args);
    } else if MAKING_UNKNOWN.with(Cell::get) {
        // Already building the `Unknown` instance: give this one the message instead of
        // recursing (the SDK would recurse until PHP runs out of stack).
        let mut unknown = vec![string_zval(&unknown_message(&class)).unwrap_or_default()];
        exception_construct(this, &mut unknown);
    } else {
        throw_unknown(this.get_class_entry(), &class);
    }
}

/// The values of the arguments the caller gave (new references), in order.
fn given<const N: usize>(args: [&mut Arg<'_>; N]) -> Vec<Zval> {
    args.into_iter()
        .map_while(|arg| arg.zval().map(|value| value.shallow_clone()))
        .collect()
}

/// Calls `\Exception::__construct` on `this` with `args` (PHP checks and converts them).
fn exception_construct(this: &mut ZendObject, args: &mut [Zval]) {
    construct_as(ce::exception(), this, args);
}

/// `throw new $this('Unknown ' . get_class($this))`, as the SDK's constructor does.
fn throw_unknown(ce: &'static ClassEntry, class: &str) {
    let fresh = ZendObject::new(ce);
    let message = unknown_message(class);
    MAKING_UNKNOWN.with(|flag| flag.set(true));
    let constructed = fresh.try_call_method("__construct", vec![&message]);
    MAKING_UNKNOWN.with(|flag| flag.set(false));
    if constructed.is_err() || ExecutorGlobals::has_exception() {
        return;
    }
    if let Ok(object) = fresh.into_zval(false) {
        let _ = throw_object(object);
    }
}

/// The SDK's `__toString(): string` (see [`to_string_now`]), for any exception class.
pub(crate) fn to_string_method() -> FunctionBuilder<'static> {
    FunctionBuilder::new("__toString", to_string).returns(DataType::String, false, false)
}

extern "C" fn to_string(ex: &mut ExecuteData, retval: &mut Zval) {
    unwind_safe(|| to_string_now(ex, retval));
}

/// The SDK's `__toString()`:
/// `get_class($this) . " Caused by:'{$this->message}' in {$this->file}({$this->line})\n"
/// . $this->getTraceAsString()`.
fn to_string_now(ex: &mut ExecuteData, retval: &mut Zval) {
    if ex.parser().parse().is_err() {
        return;
    }
    let Some(this) = ex.get_self() else {
        return;
    };
    let class = this
        .get_class_name()
        .unwrap_or_else(|_| CLASS_NAME.to_string());
    let mut text = |name: &str| {
        read_property(ce::exception(), this, name)
            .and_then(|value| value.coerce_to_string())
            .unwrap_or_default()
    };
    let (message, file, line) = (text("message"), text("file"), text("line"));
    let trace = this
        .try_call_method("getTraceAsString", vec![])
        .ok()
        .and_then(|value| value.str().map(str::to_string))
        .unwrap_or_default();
    let shown = format!("{class} Caused by:'{message}' in {file}({line})\n{trace}");
    if retval.set_string(&shown, false).is_err() {
        retval.set_null();
    }
}

/// The exception's class entry (`\Exception` if registration has not happened).
pub fn class_entry() -> &'static ClassEntry {
    CLASS_ENTRY.get_or(ce::exception)
}

/// A `ZohoOAuthException` with a message and one of the core's error codes.
pub fn with_kind(message: impl Into<String>, kind: ErrorKind) -> PhpException {
    from_error(Error::new(kind, message))
}

/// The exception's message: the core's message, plus the hint in PHP's terms unless the
/// message is one of the SDK's exact texts.
fn message_of(error: &Error) -> String {
    if crate::remedy::keeps_sdk_message(error.kind()) {
        return error.message().to_string();
    }
    error.message_with_hint(crate::remedy::hint(error).as_deref())
}

/// The `ZohoOAuthException` for an error of the core: the message (with the hint, except for
/// the SDK's exact messages), the stable numeric code, and the extras (Zoho's code, hint, kind,
/// unsaved tokens).
pub fn from_error(error: Error) -> PhpException {
    let mut message = message_of(&error);
    if message.is_empty() {
        message = unknown_message(CLASS_NAME);
    }
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
    if let Some(hint) = crate::remedy::hint(error) {
        set_extra(&mut object, "hint", string_zval(&hint)?);
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

fn set_extra(object: &mut ZendObject, name: &str, value: Zval) {
    write_property(class_entry(), object, name, value);
}

/// What an extra's getter declares it returns (besides null).
#[derive(Clone, Copy)]
enum Declared {
    /// `?string`
    Text,
    /// `?ZohoOAuthTokens`
    Tokens,
}

impl Declared {
    /// Whether a property value is of the declared type. The properties are protected, so a
    /// subclass or `unserialize()` may have put anything there; the getter then gives null.
    fn admits(self, value: &Zval) -> bool {
        match self {
            Declared::Text => value.is_string(),
            Declared::Tokens => value
                .object()
                .and_then(ZendClassObject::<ZohoOAuthTokens>::from_zend_obj)
                .is_some(),
        }
    }
}

/// Copies the protected property `name` of `$this` into `retval` when it holds the declared
/// type (null otherwise), never letting a panic out.
fn read_extra(ex: &mut ExecuteData, retval: &mut Zval, name: &str, declared: Declared) {
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_extra_now(ex, retval, name, declared)
    }));
    if read.is_err() {
        retval.set_null();
    }
}

fn read_extra_now(ex: &mut ExecuteData, retval: &mut Zval, name: &str, declared: Declared) {
    if ex.parser().parse().is_err() {
        return;
    }
    let Some(this) = ex.get_self() else {
        retval.set_null();
        return;
    };
    match read_property(class_entry(), this, name) {
        Some(value) if declared.admits(&value) => *retval = value,
        _ => retval.set_null(),
    }
}

extern "C" fn get_zoho_error_code(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[0], Declared::Text);
}

extern "C" fn get_hint(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[1], Declared::Text);
}

extern "C" fn get_error_kind(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[2], Declared::Text);
}

extern "C" fn get_unsaved_tokens(ex: &mut ExecuteData, retval: &mut Zval) {
    read_extra(ex, retval, EXTRAS[3], Declared::Tokens);
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
