//! Objects: reading and writing a property as a class's own code would (private and protected
//! ones included), and calling a class's constructor on an object.

use ext_php_rs::ffi::{
    zend_call_known_function, zend_class_entry, zend_object, zend_read_property, zval,
};
use ext_php_rs::types::{ZendObject, Zval};
use ext_php_rs::zend::ClassEntry;

unsafe extern "C" {
    /// `zend_update_property` from the Zend engine: writes a property as `scope` would.
    fn zend_update_property(
        scope: *mut zend_class_entry,
        object: *mut zend_object,
        name: *const std::ffi::c_char,
        name_length: usize,
        value: *mut zval,
    );
}

/// Sets property `name` of `object` as code of class `scope` would.
pub fn write_property(scope: &ClassEntry, object: &mut ZendObject, name: &str, mut value: Zval) {
    let scope = std::ptr::from_ref(scope).cast_mut();
    // SAFETY: `object` is a live object, `name` a valid buffer of the given length, and
    // `value` a live zval the engine copies (adding its own reference).
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

/// Property `name` of `object` as code of class `scope` sees it (a new reference), or `None`.
pub fn read_property(scope: &ClassEntry, object: &mut ZendObject, name: &str) -> Option<Zval> {
    let scope = std::ptr::from_ref(scope).cast_mut();
    let mut scratch = Zval::new();
    // SAFETY: `object` is a live object; the engine returns a pointer to the property or to
    // `scratch`, both valid until the value is copied below.
    let value = unsafe {
        zend_read_property(
            scope,
            std::ptr::from_mut(object),
            name.as_ptr().cast(),
            name.len(),
            true,
            &raw mut scratch,
        )
        .as_ref()
    };
    value.map(Zval::shallow_clone)
}

/// Calls `class`'s constructor (e.g. `\Exception::__construct`) on `this`, an object of
/// `class` or of a subclass, with `args` (PHP checks and converts them). Does nothing when
/// `class` has no constructor or `this` is not an instance of `class`.
pub fn construct_as(class: &ClassEntry, this: &mut ZendObject, args: &mut [Zval]) {
    let constructor = class.constructor;
    if constructor.is_null() || !this.instance_of(class) {
        return;
    }
    let Ok(count) = u32::try_from(args.len()) else {
        return;
    };
    let scope = this.ce;
    let mut result = Zval::new();
    // SAFETY: `constructor` is a live internal function of `class`; `this` is a live object
    // of that class (checked above); `args` are `count` initialised zvals, which the
    // engine copies (adding references) before the call.
    unsafe {
        zend_call_known_function(
            constructor,
            std::ptr::from_mut(this),
            scope,
            &raw mut result,
            count,
            args.as_mut_ptr(),
            std::ptr::null_mut(),
        );
    }
}
