//! `zcrmsdk\crm\exception\ZCRMException`: the exception Zoho's full SDK's CRM layer throws
//! (every API error, `APIExceptionHandler`, "current user should either be set ..."). The SDK's
//! own file redeclares `$file`/`$line` untyped, which PHP 8.1+ rejects with a compile-time fatal
//! error the first time the class loads; Zoho archived the SDK. Defined by the extension (unless
//! `zoho_oauth.define_crm_exception=0`), the class exists before Composer's autoloader could
//! load the SDK's file, so the SDK's CRM errors become catchable exceptions again.
//!
//! Compatible with the SDK's class: extends `\Exception`; `__construct($message = null,
//! $code = 0)` throws `Unknown <class>` for a falsy message; the SDK's `__toString()` format;
//! `getExceptionCode()`/`setExceptionCode($exceptionCode)` (default `"Unknown"`) and
//! `getExceptionDetails()`/`setExceptionDetails($exceptionDetails)` (default `array()`), kept
//! in private properties as in the SDK; PHP classes may extend it.

use std::panic::{AssertUnwindSafe, catch_unwind};

use ext_php_rs::args::Arg;
use ext_php_rs::builders::{ClassBuilder, ClassProperty, FunctionBuilder};
use ext_php_rs::flags::{DataType, MethodFlags, PropertyFlags};
use ext_php_rs::types::{ZendHashTable, Zval};
use ext_php_rs::zend::{ClassEntry, ExecuteData, ce};

use crate::engine::class::ClassSlot;
use crate::engine::object::{read_property, write_property};
use crate::exception::{constructor, to_string_method};

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\crm\\exception\\ZCRMException";

/// The private property behind `getExceptionCode()`.
const CODE_PROPERTY: &str = "exceptionCode";
/// The private property behind `getExceptionDetails()`.
const DETAILS_PROPERTY: &str = "exceptionDetails";
/// The SDK's default exception code.
pub const DEFAULT_CODE: &str = "Unknown";

static CLASS_ENTRY: ClassSlot = ClassSlot::new();

/// Registers the class; must run in MINIT.
pub fn register() -> ext_php_rs::error::Result<()> {
    let text = |name: &str| Arg::new(name, DataType::Mixed);
    let methods = [
        constructor(),
        to_string_method(),
        FunctionBuilder::new("getExceptionCode", get_code),
        FunctionBuilder::new("setExceptionCode", set_code).arg(text("exceptionCode")),
        FunctionBuilder::new("getExceptionDetails", get_details),
        FunctionBuilder::new("setExceptionDetails", set_details).arg(text("exceptionDetails")),
    ];
    let mut builder = ClassBuilder::new(CLASS_NAME)
        .extends((ce::exception, "\\Exception"))
        .property(private_property(CODE_PROPERTY, Some(DEFAULT_CODE)))
        .property(private_property(DETAILS_PROPERTY, None));
    for method in methods {
        builder = builder.method(method, MethodFlags::Public);
    }
    builder
        .registration(|ce, _| {
            crate::sdk_types::untype(ce, CLASS_NAME);
            CLASS_ENTRY.set(ce);
        })
        .register()
}

/// A private property with an interned-string default, or null (an internal class's
/// defaults cannot be refcounted; a null details property reads as `array()`).
fn private_property(name: &str, default: Option<&'static str>) -> ClassProperty {
    ClassProperty {
        name: name.to_string(),
        flags: PropertyFlags::Private,
        default: Some(Box::new(move || {
            let mut value = Zval::new();
            match default {
                Some(text) => value.set_interned_string(text, true)?,
                None => value.set_null(),
            }
            Ok(value)
        })),
        docs: &[],
        ty: None,
        nullable: true,
        readonly: false,
        default_stub: Some(default.map_or("null".to_string(), |t| format!("'{t}'"))),
    }
}

/// The class entry (`\Exception` before registration, which never happens when called).
fn class_entry() -> &'static ClassEntry {
    CLASS_ENTRY.get_or(ce::exception)
}

/// Runs a method body, never letting a panic out.
fn unwind_safe(body: impl FnOnce()) {
    let _ = catch_unwind(AssertUnwindSafe(body));
}

/// Copies private property `name` of `$this` into `retval` (`empty` when it is null).
fn read(ex: &mut ExecuteData, retval: &mut Zval, name: &str, empty: fn(&mut Zval)) {
    unwind_safe(|| {
        if ex.parser().parse().is_err() {
            return;
        }
        let value = ex
            .get_self()
            .and_then(|this| read_property(class_entry(), this, name))
            .filter(|value| !value.is_null());
        match value {
            Some(value) => *retval = value,
            None => empty(retval),
        }
    });
}

/// Sets private property `name` of `$this` to the first argument.
fn write(ex: &mut ExecuteData, name: &str) {
    unwind_safe(|| {
        let mut arg = Arg::new(name, DataType::Mixed);
        let (parser, this) = ex.parser_object();
        if parser.arg(&mut arg).parse().is_err() {
            return;
        }
        let (Some(this), Some(value)) = (this, arg.zval()) else {
            return;
        };
        let value = value.shallow_clone();
        write_property(class_entry(), this, name, value);
    });
}

extern "C" fn get_code(ex: &mut ExecuteData, retval: &mut Zval) {
    read(ex, retval, CODE_PROPERTY, Zval::set_null);
}

extern "C" fn set_code(ex: &mut ExecuteData, _retval: &mut Zval) {
    write(ex, CODE_PROPERTY);
}

extern "C" fn get_details(ex: &mut ExecuteData, retval: &mut Zval) {
    read(ex, retval, DETAILS_PROPERTY, |retval| {
        retval.set_hashtable(ZendHashTable::new());
    });
}

extern "C" fn set_details(ex: &mut ExecuteData, _retval: &mut Zval) {
    write(ex, DETAILS_PROPERTY);
}
