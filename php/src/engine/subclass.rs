//! Lets PHP code extend a Rust class: after `class MyTokens extends ZohoOAuthTokens {}`,
//! `new MyTokens` is an object of class `MyTokens` (`get_class`, `instanceof`, its own methods
//! and properties) that carries the parent's Rust state, so every inherited method works and
//! the extension accepts it wherever it takes the parent class.
//!
//! ext-php-rs 0.16.4 does not do this by itself. For a class with `Default`, its
//! `create_object` handler allocates every object with the registered class entry, ignoring the
//! subclass PHP asks for, and its `clone_obj` handler does the same and then copies the
//! subclass's declared properties into an object that has no room for them. This module
//! installs two replacements that use the object's real class: `create_object` on the class
//! entry (PHP copies it to every subclass), and `clone_obj` in ext-php-rs's handler table for
//! the class. That table must stay the one ext-php-rs made, because ext-php-rs recognises its
//! objects by the table's address. If the table cannot be reached safely, the class is made
//! final instead, so that declaring a subclass fails with PHP's own error rather than
//! producing objects of the wrong class.

use std::mem::size_of;
use std::ptr;

use ext_php_rs::class::{ClassMetadata, RegisteredClass};
use ext_php_rs::ffi::{zend_class_entry, zend_object, zend_objects_clone_members};
use ext_php_rs::types::ZendClassObject;
use ext_php_rs::zend::{ClassEntry, ZendObjectHandlers};

/// Makes `ce` (class `T`'s entry, being registered) extendable from PHP, or final when that
/// is not possible. Returns whether subclasses are supported. Must run in the class's
/// registration function, in MINIT. New objects hold `T::default()`; clones a `T::clone()`.
pub fn enable<T: RegisteredClass + Default + Clone>(ce: &mut ClassEntry) -> bool {
    if install_clone_handler::<T>() {
        ce.__bindgen_anon_2.create_object = Some(create_object::<T>);
        true
    } else {
        super::class::make_final(ce);
        false
    }
}

/// Replaces `clone_obj` in ext-php-rs's handler table for `T`. Returns false (and changes
/// nothing) if the table does not lie inside the class's metadata.
fn install_clone_handler<T: RegisteredClass + Default + Clone>() -> bool {
    let metadata: &'static ClassMetadata<T> = T::get_metadata();
    let start = ptr::from_ref(metadata).cast::<u8>();
    let table = ptr::from_ref(metadata.handlers()).cast::<u8>();
    let Some(offset) = (table as usize).checked_sub(start as usize) else {
        return false;
    };
    let end = offset.checked_add(size_of::<ZendObjectHandlers>());
    if end.is_none_or(|end| end > size_of::<ClassMetadata<T>>()) {
        return false;
    }
    // The table lives in the metadata static, inside a `OnceCell` (an `UnsafeCell`): a pointer
    // derived from the shared reference to the whole metadata may write there, as the cell's
    // own `set` does. A pointer derived from `handlers()`'s `&ZendObjectHandlers` could not.
    // (ext-php-rs 0.16.4: `ClassMetadata::handlers` is a `OnceCell<ZendObjectHandlers>`;
    // re-check this when upgrading ext-php-rs.)
    let writable = start
        .cast_mut()
        .wrapping_add(offset)
        .cast::<ZendObjectHandlers>();
    // SAFETY: `writable` points at the initialised handler table (inside the metadata, checked
    // above) with write permission (see above). This runs in MINIT, single-threaded, before
    // any object of the class exists, and no reference to the table is alive; the engine and
    // ext-php-rs only read the table later.
    unsafe { (*writable).clone_obj = Some(clone_object::<T>) };
    true
}

/// `create_object` of `T` and of every PHP class extending it: an object of the class PHP
/// asks for, holding `T::default()` until a constructor or `__unserialize` fills it.
///
/// # Safety
///
/// Called by the engine with the class being instantiated.
unsafe extern "C" fn create_object<T: RegisteredClass + Default>(
    ce: *mut zend_class_entry,
) -> *mut zend_object {
    // SAFETY: the engine passes the live class being instantiated (ours or a subclass); the
    // object keeps it as the engine's own objects do, and the class outlives its objects.
    let class: Option<&'static ClassEntry> = unsafe { ce.as_ref() };
    // SAFETY: the object is initialised right below, before anything can reach it.
    let mut object = unsafe { ZendClassObject::<T>::new_uninit(class) };
    object.initialize(T::default());
    let raw = object.into_raw();
    // SAFETY: `into_raw` gives the valid object, which the engine now owns.
    unsafe { &raw mut (*raw).std }
}

/// `clone_obj` of `T` and its subclasses: a new object of the same class, with a copy of the
/// Rust state and of the PHP properties (then `__clone()` runs, as PHP does).
///
/// # Safety
///
/// Called by the engine with the live object being cloned.
unsafe extern "C" fn clone_object<T: RegisteredClass + Default + Clone>(
    old: *mut zend_object,
) -> *mut zend_object {
    // SAFETY: the engine passes a live object of this class or a subclass.
    let old_ref = unsafe { old.as_ref() };
    let state = old_ref
        .and_then(ZendClassObject::<T>::from_zend_obj)
        .map(|object| -> T { T::clone(object) })
        .unwrap_or_default();
    // SAFETY: as in `create_object`: the class outlives its objects.
    let class: Option<&'static ClassEntry> = old_ref.and_then(|o| unsafe { o.ce.as_ref() });
    // SAFETY: the object is initialised right below, before anything can reach it.
    let mut copy = unsafe { ZendClassObject::<T>::new_uninit(class) };
    copy.initialize(state);
    let raw = copy.into_raw();
    // SAFETY: `into_raw` gives the valid new object, which the engine now owns.
    let new = unsafe { &raw mut (*raw).std };
    if old_ref.is_some() {
        // SAFETY: `new` was allocated for the same class as `old`, so it has a slot for every
        // declared property this copies.
        unsafe { zend_objects_clone_members(new, old) };
    }
    new
}
