//! Class entries: registering `#[php_class]` classes from our own MINIT (in an order we
//! choose, with a hook that runs once the class entry exists; `ModuleBuilder::class` registers
//! after our MINIT code, and always), keeping hand-registered class entries, finding classes by
//! name, and adjusting registered methods.

use std::sync::atomic::{AtomicPtr, Ordering};

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{
    _ZEND_SEND_MODE_SHIFT, HashTable, ZEND_ACC_FINAL, ZEND_ACC_HAS_RETURN_TYPE,
    ZEND_ACC_HAS_TYPE_HINTS, ZEND_ACC_PRIVATE, ZEND_ACC_PROTECTED, ZEND_ACC_PUBLIC,
    ZEND_ACC_VARIADIC, ext_php_rs_compiler_globals, zend_class_entry, zend_function,
    zend_hash_str_del, zend_hash_str_find_ptr_lc, zend_internal_function, zend_lookup_class_ex,
};
use ext_php_rs::flags::ClassFlags;
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::{ClassEntry, ce};

/// A function that receives the new class entry (and the argument tables it must keep).
pub type Registration = fn(&'static mut ClassEntry, ArgInfoTables);

/// `ZEND_FETCH_CLASS_NO_AUTOLOAD`.
const NO_AUTOLOAD: u32 = 0x80;

unsafe extern "C" {
    /// `JsonSerializable`'s class entry, from PHP's always-present json extension.
    static php_json_serializable_ce: *mut zend_class_entry;
}

/// Stores the class entry and argument tables in `T`'s metadata, as `ModuleBuilder` does.
pub fn store<T: RegisteredClass>(ce: &'static mut ClassEntry, arg_info: ArgInfoTables) {
    T::get_metadata().set_ce(ce);
    T::get_metadata().set_arg_info(arg_info);
}

/// Registers class `T` (methods, parent, interfaces, flags, object handlers); `registration`
/// must end by calling [`store::<T>`]. Our classes declare no properties or constants.
/// Must run in MINIT.
pub fn register_class<T: RegisteredClass>(
    registration: Registration,
) -> ext_php_rs::error::Result<()> {
    let mut builder = ClassBuilder::new(T::CLASS_NAME);
    for (method, flags) in T::method_builders() {
        builder = builder.method(method, flags);
    }
    if let Some(parent) = T::EXTENDS {
        builder = builder.extends(parent);
    }
    for interface in T::IMPLEMENTS {
        builder = builder.implements(*interface);
    }
    builder
        .flags(T::FLAGS)
        .object_override::<T>()
        .registration(registration)
        .docs(T::DOC_COMMENTS)
        .register()
}

/// A class entry registered by hand in MINIT (an exception class, an interface), kept for the
/// module's lifetime.
pub struct ClassSlot(AtomicPtr<ClassEntry>);

impl ClassSlot {
    /// An empty slot.
    pub const fn new() -> Self {
        ClassSlot(AtomicPtr::new(std::ptr::null_mut()))
    }

    /// Keeps the class entry a registration function received.
    pub fn set(&self, ce: &'static mut ClassEntry) {
        self.0.store(ce, Ordering::Release);
    }

    /// The kept class entry, or `fallback()` before registration (which never happens once
    /// MINIT has succeeded).
    pub fn get_or(&self, fallback: fn() -> &'static ClassEntry) -> &'static ClassEntry {
        // SAFETY: the pointer is null or a class entry registered in MINIT, which lives until
        // the module shuts down.
        unsafe { self.0.load(Ordering::Acquire).as_ref() }.unwrap_or_else(fallback)
    }
}

impl Default for ClassSlot {
    fn default() -> Self {
        ClassSlot::new()
    }
}

/// `\JsonSerializable` (`\Stringable` if the json extension had not registered it, which
/// cannot happen on PHP 8, where json is always built in).
pub fn json_serializable() -> &'static ClassEntry {
    // SAFETY: the json extension is built into PHP 8 and registers the interface in its MINIT,
    // which runs before ours; the entry lives as long as the process.
    unsafe { php_json_serializable_ce.as_ref() }.unwrap_or_else(ce::stringable)
}

/// Finds a class by name at run time, autoloading it or not.
pub fn lookup(name: &str, autoload: bool) -> Option<&'static ClassEntry> {
    if name.is_empty() || name.contains('\0') {
        return None;
    }
    let mut zname = ZendStr::new(name, false);
    let flags = if autoload { 0 } else { NO_AUTOLOAD };
    // SAFETY: `zname` is a live string; the engine returns a class entry that lives for the
    // request (user classes) or the process (internal ones), or null.
    let ce = unsafe { zend_lookup_class_ex(&raw mut *zname, std::ptr::null_mut(), flags) };
    // SAFETY: non-null class entries returned by the engine are valid.
    unsafe { ce.as_ref() }
}

/// Finds a class by name at run time, autoloading it, with its name and lower-case key made
/// once by the caller (the key keeps its hash, so the lookup neither lowers nor hashes again).
pub fn lookup_prehashed(name: &ZendStr, key: &ZendStr) -> Option<&'static ClassEntry> {
    // SAFETY: both are live strings that the engine only reads (the key's hash is cached in
    // it); it returns a class entry that lives for the request, or null.
    let ce = unsafe {
        zend_lookup_class_ex(
            std::ptr::from_ref::<ZendStr>(name).cast_mut(),
            std::ptr::from_ref::<ZendStr>(key).cast_mut(),
            0,
        )
    };
    // SAFETY: non-null class entries returned by the engine are valid.
    unsafe { ce.as_ref() }
}

/// A class registered so far in this MINIT (internal classes only), by name, any case.
pub fn registered(name: &str) -> Option<&'static ClassEntry> {
    // SAFETY: the engine's compiler globals, declared statically; read only (MINIT,
    // single-threaded).
    let globals = unsafe { ext_php_rs_compiler_globals().as_ref() }?;
    let table: *const HashTable = globals.class_table;
    if table.is_null() {
        return None;
    }
    // SAFETY: `CG(class_table)` is the live class table; the name is a valid buffer of the
    // given length. Internal class entries live until the module shuts down.
    unsafe {
        zend_hash_str_find_ptr_lc(table, name.as_ptr().cast(), name.len())
            .cast::<ClassEntry>()
            .as_ref()
    }
}

/// Takes an internal class registered in MINIT out of this process's class table, so PHP code
/// can declare (or autoload) a class of that name instead: a PHP-FPM pool that turns off one
/// of the extension's classes after the master registered it. The class entry itself is kept
/// (not destroyed: nothing refers to it by name any more, and freeing an internal class
/// outside MSHUTDOWN is not something the engine expects). Must run at request start-up,
/// before any PHP code of the request. Returns whether the class was there.
pub fn unregister(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    // SAFETY: the engine's compiler globals, declared statically; this runs at request
    // start-up, single-threaded (NTS), before any PHP code of the request.
    let Some(globals) = (unsafe { ext_php_rs_compiler_globals().as_mut() }) else {
        return false;
    };
    // SAFETY: `CG(class_table)` is the live class table (the executor's too).
    let Some(table) = (unsafe { globals.class_table.as_mut() }) else {
        return false;
    };
    let used = table.nNumUsed;
    let destructor = table.pDestructor.take();
    // SAFETY: a live table and a valid buffer of the given length. With the destructor
    // detached, deleting only empties the bucket; the class entry stays alive.
    let deleted = unsafe { zend_hash_str_del(table, lower.as_ptr().cast(), lower.len()) };
    table.pDestructor = destructor;
    // Deleting the last bucket shrinks `nNumUsed`; the executor's boundary between the
    // process's classes and a request's (`EG(persistent_classes_count)`, taken from
    // `nNumUsed` at request start) must not move, so the emptied slots stay counted.
    table.nNumUsed = table.nNumUsed.max(used);
    deleted == 0
}

/// The method `name` (any case) of `ce`, as a raw pointer into the class's method table.
pub(super) fn method(ce: &ClassEntry, name: &str) -> *mut zend_function {
    // SAFETY: the function table of a live class; the name is a valid buffer of the given
    // length. The engine returns a pointer to the function, or null.
    unsafe {
        zend_hash_str_find_ptr_lc(
            &raw const ce.function_table,
            name.as_ptr().cast(),
            name.len(),
        )
        .cast::<zend_function>()
    }
}

/// Makes the class's constructor private, as the SDK declares it for classes PHP code gets
/// from a factory (`ZohoOAuth::getClientInstance()`): `new` then fails with PHP's own
/// "Call to private ... from global scope" error. Must run in a registration function.
pub fn make_constructor_private(ce: &mut ClassEntry) {
    // SAFETY: the constructor, when set, is a live internal function of this class, which is
    // being registered (MINIT, single-threaded).
    if let Some(constructor) = unsafe { ce.constructor.as_mut() } {
        // SAFETY: every member of the `zend_function` union starts with `common`.
        let flags = unsafe { &mut constructor.common.fn_flags };
        *flags = (*flags & !(ZEND_ACC_PUBLIC | ZEND_ACC_PROTECTED)) | ZEND_ACC_PRIVATE;
    }
}

/// Removes the declared types (return and parameters) of the named methods and makes their
/// first `required` parameters required (no default), so PHP classes extending this one may
/// override them as code written for the SDK's untyped classes does, and reflection shows
/// them as the SDK declares them. The by-reference and variadic flags kept in the same words
/// stay. Must run in a registration function.
pub fn drop_types(ce: &mut ClassEntry, methods: &[(&str, u32)]) {
    for (name, required) in methods {
        // SAFETY: a non-null entry is a live internal function of this class, being
        // registered (MINIT, single-threaded); the class's methods are internal functions.
        if let Some(func) = unsafe { method(ce, name).as_mut() } {
            // SAFETY: as above: the `internal_function` member is the one in use.
            untype(unsafe { &mut func.internal_function }, *required);
        }
    }
}

/// [`drop_types`] for one internal function.
fn untype(internal: &mut zend_internal_function, required: u32) {
    let type_bits = (1u32 << _ZEND_SEND_MODE_SHIFT) - 1;
    internal.fn_flags &= !(ZEND_ACC_HAS_RETURN_TYPE | ZEND_ACC_HAS_TYPE_HINTS);
    if internal.arg_info.is_null() {
        return;
    }
    internal.required_num_args = required.min(internal.num_args);
    let variadic = u32::from(internal.fn_flags & ZEND_ACC_VARIADIC != 0);
    let count = isize::try_from(internal.num_args + variadic).unwrap_or(0);
    for i in -1..count {
        // SAFETY: `zend_register_functions` gave an internal function with argument
        // information a table of `num_args` (+1 if variadic) entries, preceded by the return
        // type's entry at -1; it is the engine's own (malloc'd) copy, written only here, in
        // MINIT, before any call.
        let info = unsafe { &mut *internal.arg_info.offset(i) };
        info.type_.ptr = std::ptr::null_mut();
        info.type_.type_mask &= !type_bits;
        if i >= 0 && i < isize::try_from(required).unwrap_or(0) {
            info.default_value = std::ptr::null();
        }
    }
}

/// Lets PHP `serialize()` objects of the class (ext-php-rs marks its classes not
/// serializable). Must run in a registration function.
pub fn make_serializable(ce: &mut ClassEntry) {
    ce.ce_flags &= !ClassFlags::NotSerializable.bits();
}

/// Makes the class final: declaring a subclass fails with PHP's own error.
pub(super) fn make_final(ce: &mut ClassEntry) {
    ce.ce_flags |= ZEND_ACC_FINAL;
}
