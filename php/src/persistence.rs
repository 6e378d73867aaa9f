//! `zcrmsdk\oauth\persistence\ZohoOAuthPersistenceInterface` and the SDK's custom store
//! contract: `persistence_handler_class` (a PHP file) + `persistence_handler_class_name` (the
//! class) make the extension call that PHP object's `saveOAuthData`, `getOAuthTokens` and
//! `deleteOAuthTokens`.
//!
//! The core keeps a [`PhpHandlerStore`] for the process, but it holds only the file and class
//! names. The PHP object is created on first use within one extension call (the SDK creates
//! one per token operation), kept in a thread-local slot for that call only, and released when
//! the call returns, so no PHP value outlives the request. Exceptions thrown by the handler
//! stay pending and reach the caller unchanged; a bailout (`exit()`, fatal error) inside the
//! handler is caught, the Rust frames unwind (releasing locks), and it is then resumed.

use std::cell::{Cell, RefCell};
use std::panic::AssertUnwindSafe;

use ext_php_rs::args::Arg;
use ext_php_rs::builders::{ClassBuilder, FunctionBuilder};
use ext_php_rs::convert::IntoZval;
use ext_php_rs::flags::{ClassFlags, DataType, MethodFlags};
use ext_php_rs::types::{ZendClassObject, ZendObject, Zval};
use ext_php_rs::zend::{ClassEntry, ExecutorGlobals};
use zoho_oauth::{Error, ErrorKind, Result, TokenStore, Tokens};

use crate::engine::call::{self, Stopped};
use crate::engine::class::{self, ClassSlot};
use crate::tokens::ZohoOAuthTokens;

/// The interface's fully qualified name.
pub const INTERFACE_NAME: &str = "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceInterface";

thread_local! {
    /// The handler object of the extension call in progress.
    static HANDLER: RefCell<Option<Zval>> = const { RefCell::new(None) };
    /// Set while a handler method runs (the core may hold the user's lock meanwhile).
    static IN_HANDLER: Cell<bool> = const { Cell::new(false) };
}

/// True while a persistence handler method is running: a token operation started from there
/// would wait for the lock its caller holds, so the client refuses it.
pub fn inside_handler() -> bool {
    IN_HANDLER.with(Cell::get)
}

/// Registers the interface (untyped parameters, no return types, as the SDK declares it, so
/// handlers written for the SDK implement it unchanged). Must run in MINIT.
pub fn register_interface() -> ext_php_rs::error::Result<()> {
    let method = |name: &str, param: &str| {
        FunctionBuilder::new_abstract(name).arg(Arg::new(param, DataType::Mixed))
    };
    let flags = MethodFlags::Public | MethodFlags::Abstract;
    ClassBuilder::new(INTERFACE_NAME)
        .flags(ClassFlags::Interface)
        .method(method("saveOAuthData", "zohoOAuthTokens"), flags)
        .method(method("getOAuthTokens", "userEmailId"), flags)
        .method(method("deleteOAuthTokens", "userEmailId"), flags)
        .registration(|ce, _| {
            crate::sdk_types::untype(ce, INTERFACE_NAME);
            INTERFACE.set(ce);
        })
        .register()
}

/// The interface's class entry, once registered.
static INTERFACE: ClassSlot = ClassSlot::new();

/// `ZohoOAuthPersistenceInterface`'s class entry (for classes implementing it). Falls back to
/// `\Stringable` only if called before MINIT registered the interface, which never happens.
pub fn interface() -> &'static ClassEntry {
    INTERFACE.get_or(ext_php_rs::zend::ce::stringable)
}

/// Scopes the handler object to one extension call: entering saves the slot (calls can nest
/// when a handler calls the extension), leaving releases this call's object.
pub struct HandlerScope {
    outer: Option<Zval>,
}

impl HandlerScope {
    /// Starts a call with no handler object yet.
    pub fn enter() -> HandlerScope {
        HandlerScope {
            outer: HANDLER.with(RefCell::take),
        }
    }
}

impl Drop for HandlerScope {
    fn drop(&mut self) {
        let ours = HANDLER.with(|slot| slot.replace(self.outer.take()));
        drop(ours);
    }
}

/// A token store that calls a PHP object implementing the SDK's persistence interface.
pub struct PhpHandlerStore {
    file: String,
    class: String,
}

impl PhpHandlerStore {
    /// A store for `class`, defined in the PHP file `file` (empty: loaded by autoloading).
    pub fn new(file: &str, class: &str) -> PhpHandlerStore {
        PhpHandlerStore {
            file: file.trim().to_string(),
            class: class.trim().trim_start_matches('\\').to_string(),
        }
    }

    /// A new object of the handler class (the file is `require_once`d first when the class is
    /// not known yet), as the SDK's `getPersistenceHandlerInstance()` creates it.
    pub fn new_object(&self) -> Result<Zval> {
        self.instantiate()
    }

    fn error(&self, message: impl Into<String>) -> Error {
        Error::new(ErrorKind::StoreIo, message.into()).with_hint(format!(
            "check persistence_handler_class ({}) and persistence_handler_class_name ({})",
            self.file, self.class
        ))
    }

    /// The handler object of this call, created on first use.
    fn handler(&self) -> Result<Zval> {
        if let Some(handler) = HANDLER.with(|slot| slot.borrow().as_ref().map(Zval::shallow_clone))
        {
            return Ok(handler);
        }
        let handler = self.instantiate()?;
        HANDLER.with(|slot| *slot.borrow_mut() = Some(handler.shallow_clone()));
        Ok(handler)
    }

    fn instantiate(&self) -> Result<Zval> {
        let ce = match class::lookup(&self.class, false) {
            Some(ce) => ce,
            None => {
                if !self.file.is_empty() {
                    self.require_file()?;
                }
                class::lookup(&self.class, true).ok_or_else(|| {
                    self.error(format!(
                        "the persistence handler class {} was not found",
                        self.class
                    ))
                })?
            }
        };
        let not_instantiable = ClassFlags::Abstract | ClassFlags::Interface | ClassFlags::Trait;
        if ce.flags().intersects(not_instantiable) {
            return Err(self.error(format!("{} cannot be instantiated", self.class)));
        }
        let object = ZendObject::new(ce);
        let zval = object
            .into_zval(false)
            .map_err(|_| self.error("cannot create the persistence handler"))?;
        if !ce.constructor.is_null() {
            self.call(&zval, "__construct", vec![])?;
        }
        Ok(zval)
    }

    /// `require_once` of the handler's file, as the SDK does.
    fn require_file(&self) -> Result<()> {
        let path = std::path::Path::new(&self.file);
        if self.file.contains('\0') || !path.is_file() {
            return Err(self.error(format!(
                "persistence_handler_class {} is not a readable PHP file",
                self.file
            )));
        }
        let quoted = self.file.replace('\\', "\\\\").replace('\'', "\\'");
        let source = format!("require_once '{quoted}';");
        stopped_error(call::run_source(
            &source,
            c"zoho_oauth persistence handler loader",
        ))
        .map_err(|e| self.error(format!("loading {} failed: {}", self.file, e.message())))
    }

    /// Calls a method of the handler; a PHP exception stays pending and becomes an error.
    fn call(
        &self,
        handler: &Zval,
        method: &str,
        args: Vec<&dyn ext_php_rs::convert::IntoZvalDyn>,
    ) -> Result<Zval> {
        let object = handler
            .object()
            .ok_or_else(|| self.error("the persistence handler is not an object"))?;
        if ExecutorGlobals::has_exception() {
            return Err(self.error("an exception is pending"));
        }
        let outer = IN_HANDLER.with(|flag| flag.replace(true));
        let result = run_php(AssertUnwindSafe(|| object.try_call_method(method, args)));
        IN_HANDLER.with(|flag| flag.set(outer));
        let result = result?;
        match result {
            Ok(value) => Ok(value),
            Err(_) => Err(self.error(format!(
                "{}::{method}() does not exist; the class must implement {INTERFACE_NAME}",
                self.class
            ))),
        }
        .and_then(|value| match ExecutorGlobals::pending_exception_class() {
            Some(thrown) => Err(Error::new(
                ErrorKind::StoreIo,
                format!("{}::{method}() threw {thrown}", self.class),
            )),
            None => Ok(value),
        })
    }
}

/// Runs PHP code; a bailout is recorded for the panic guard to resume and becomes an error.
pub(crate) fn run_php<R>(code: impl FnOnce() -> R + std::panic::UnwindSafe) -> Result<R> {
    stopped_error(call::run_php(code))
}

/// The core's error for PHP code that did not return.
fn stopped_error<R>(outcome: std::result::Result<R, Stopped>) -> Result<R> {
    outcome.map_err(|stopped| match stopped {
        Stopped::Panic(message) => Error::new(
            ErrorKind::Panic,
            format!("a Rust panic inside the persistence handler call: {message}"),
        ),
        Stopped::Bailout => Error::new(
            ErrorKind::StoreIo,
            "PHP stopped (exit or fatal error) inside the persistence handler",
        ),
    })
}

/// The tokens a handler returned, or `None` for null/false/an empty tokens object.
fn tokens_from(value: &Zval) -> std::result::Result<Option<Tokens>, ()> {
    if value.is_null() || value.is_false() {
        return Ok(None);
    }
    let object = value.object().ok_or(())?;
    let tokens = ZendClassObject::<ZohoOAuthTokens>::from_zend_obj(object).ok_or(())?;
    Ok(tokens.to_core())
}

impl TokenStore for PhpHandlerStore {
    fn get(&self, user: &str) -> Result<Option<Tokens>> {
        let handler = self.handler()?;
        let value = self.call(&handler, "getOAuthTokens", vec![&user.to_string()])?;
        tokens_from(&value).map_err(|()| {
            self.error(format!(
                "{}::getOAuthTokens() must return a {} object",
                self.class,
                crate::tokens::CLASS_NAME
            ))
        })
    }

    fn save(&self, tokens: &Tokens) -> Result<()> {
        let handler = self.handler()?;
        let object = ZendClassObject::new(ZohoOAuthTokens::from_core(tokens))
            .into_zval(false)
            .map_err(|_| self.error("cannot create the tokens object"))?;
        self.call(&handler, "saveOAuthData", vec![&object])?;
        Ok(())
    }

    fn delete(&self, user: &str) -> Result<bool> {
        let handler = self.handler()?;
        let value = self.call(&handler, "deleteOAuthTokens", vec![&user.to_string()])?;
        Ok(!value.is_false())
    }

    fn list(&self) -> Result<Vec<Tokens>> {
        Err(Error::new(
            ErrorKind::StoreUnsupported,
            "a custom persistence handler cannot list its tokens (the SDK's interface has no such method)",
        ))
    }

    fn describe(&self) -> String {
        format!("persistence handler {}", self.class)
    }
}
