//! Registers `#[php_class]` classes from our own MINIT, in an order we choose, with a hook that
//! runs once the class entry exists (`ModuleBuilder::class` registers after our MINIT code has
//! run, and always). This lets the extension skip `ZCRMRestClient` when an ini setting says so,
//! make `ZohoOAuthTokens` serializable, and mark secret parameters as sensitive.

use ext_php_rs::args::ArgInfoTables;
use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::class::RegisteredClass;
use ext_php_rs::ffi::{ZEND_ACC_PRIVATE, ZEND_ACC_PROTECTED, ZEND_ACC_PUBLIC};
use ext_php_rs::zend::ClassEntry;

/// A function that receives the new class entry (and the argument tables it must keep).
pub type Registration = fn(&'static mut ClassEntry, ArgInfoTables);

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

/// Removes the declared return type of the named methods (lower-case names), so PHP classes
/// extending this one may override them without a return type, as code written for the SDK's
/// untyped classes does. Must run in a registration function.
pub fn drop_return_types(ce: &mut ClassEntry, methods: &[&str]) {
    for method in methods {
        // SAFETY: the function table belongs to the class being registered (MINIT); the name is
        // a valid buffer of the given length.
        let func = unsafe {
            ext_php_rs::ffi::zend_hash_str_find_ptr_lc(
                &raw const ce.function_table,
                method.as_ptr().cast(),
                method.len(),
            )
            .cast::<ext_php_rs::ffi::zend_function>()
        };
        // SAFETY: a non-null entry is a live internal function of this class; every member
        // of the `zend_function` union starts with `common`.
        if let Some(func) = unsafe { func.as_mut() } {
            let flags = unsafe { &mut func.common.fn_flags };
            *flags &= !ext_php_rs::ffi::ZEND_ACC_HAS_RETURN_TYPE;
        }
    }
}
