//! Marks parameters that carry secrets with PHP 8.2's `#[\SensitiveParameter]`, so stack
//! traces (`getTrace()`, `getTraceAsString()`, uncaught-exception output) show a
//! `SensitiveParameterValue` instead of the token or the configuration array, even with
//! `zend.exception_ignore_args=Off`.
//!
//! The marking fails, naming `class::method`, when a listed class, method or parameter does
//! not exist (a renamed method would otherwise silently lose its protection); MINIT then fails
//! and PHP does not load the extension. Nothing is marked unless everything is found.

use std::fmt;

use ext_php_rs::ffi::{HashTable, zend_function, zend_string};
use ext_php_rs::types::ZendStr;
use ext_php_rs::zend::ClassEntry;

use super::class;

/// The parameters to mark: per class name, `(method, 0-based parameter index)` pairs. Names
/// are matched without regard to case, as PHP does.
pub type Parameters<'a> = [(&'a str, &'a [(&'a str, u32)])];

/// A listed parameter that does not exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkError {
    /// No class of this name is registered.
    NoClass {
        /// The class name as listed.
        class: String,
        /// The first method listed for it.
        method: String,
    },
    /// The class has no method of this name.
    NoMethod {
        /// The class name as listed.
        class: String,
        /// The method name as listed.
        method: String,
    },
    /// The method has fewer parameters.
    NoParameter {
        /// The class name as listed.
        class: String,
        /// The method name as listed.
        method: String,
        /// The listed 0-based index.
        index: u32,
        /// How many parameters the method declares.
        count: u32,
    },
}

impl fmt::Display for MarkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lead = "cannot mark a parameter #[\\SensitiveParameter]:";
        match self {
            MarkError::NoClass { class, method } => {
                write!(
                    f,
                    "{lead} {class}::{method}(): class {class} does not exist"
                )
            }
            MarkError::NoMethod { class, method } => {
                write!(f, "{lead} {class}::{method}(): no such method")
            }
            MarkError::NoParameter {
                class,
                method,
                index,
                count,
            } => write!(
                f,
                "{lead} {class}::{method}() has {count} parameter(s), not a parameter #{}",
                u64::from(*index) + 1
            ),
        }
    }
}

impl std::error::Error for MarkError {}

/// What the marking needs to find: classes by name, and methods (with their parameter
/// counts) by name. The engine's class and function tables in the extension, a fake in tests.
pub trait MethodTable {
    /// A class found by name.
    type Class;
    /// A method found by name.
    type Method;
    /// The class named `name`, if it exists.
    fn class(&self, name: &str) -> Option<Self::Class>;
    /// The method `name` of `class` and how many parameters it declares, if it exists.
    fn method(&self, class: &Self::Class, name: &str) -> Option<(Self::Method, u32)>;
}

/// Finds every listed parameter: the methods to mark with the parameter indexes, or the first
/// listed class, method or parameter that does not exist.
pub fn resolve<T: MethodTable>(
    table: &T,
    list: &Parameters<'_>,
) -> Result<Vec<(T::Method, u32)>, MarkError> {
    let mut found = Vec::new();
    for (class_name, methods) in list {
        let class = table.class(class_name);
        for (method_name, index) in *methods {
            let named = || (class_name.to_string(), method_name.to_string());
            let Some(class) = class.as_ref() else {
                let (class, method) = named();
                return Err(MarkError::NoClass { class, method });
            };
            let Some((method, count)) = table.method(class, method_name) else {
                let (class, method) = named();
                return Err(MarkError::NoMethod { class, method });
            };
            if *index >= count {
                let (class, method) = named();
                return Err(MarkError::NoParameter {
                    class,
                    method,
                    index: *index,
                    count,
                });
            }
            found.push((method, *index));
        }
    }
    Ok(found)
}

/// The engine's tables: internal classes registered so far, and their methods.
struct Engine;

impl MethodTable for Engine {
    type Class = &'static ClassEntry;
    type Method = *mut zend_function;

    fn class(&self, name: &str) -> Option<&'static ClassEntry> {
        class::registered(name)
    }

    fn method(&self, class: &&'static ClassEntry, name: &str) -> Option<(*mut zend_function, u32)> {
        let func = class::method(class, name);
        // SAFETY: a non-null entry is a live internal function; every member of the
        // `zend_function` union starts with `common`.
        let count = unsafe { func.as_ref() }.map(|f| unsafe { f.common.num_args })?;
        Some((func, count))
    }
}

/// `ZEND_ATTRIBUTE_PERSISTENT`.
const PERSISTENT: u32 = 1;

unsafe extern "C" {
    /// `zend_add_attribute` from the Zend engine.
    fn zend_add_attribute(
        attributes: *mut *mut HashTable,
        name: *mut zend_string,
        argc: u32,
        flags: u32,
        offset: u32,
        lineno: u32,
    ) -> *mut std::ffi::c_void;
}

/// Adds `#[\SensitiveParameter]` to every listed parameter of the registered classes, or
/// changes nothing and names the first one that does not exist. Returns how many parameters
/// were marked. Must run in MINIT, after the classes are registered.
pub fn mark(list: &Parameters<'_>) -> Result<usize, MarkError> {
    let found = resolve(&Engine, list)?;
    let attribute = ZendStr::new_interned("SensitiveParameter", true);
    for (func, index) in &found {
        // SAFETY: `func` is a live internal function of a class registered in this MINIT
        // (single-threaded); its attribute table is persistent, as the flag says, and the
        // interned name outlives the process's requests. Offset 0 is the function itself,
        // so parameter `index` is `index + 1`.
        unsafe {
            zend_add_attribute(
                &raw mut (**func).common.attributes,
                attribute.as_ptr().cast_mut(),
                0,
                PERSISTENT,
                index + 1,
                0,
            );
        }
    }
    Ok(found.len())
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    /// Classes (lower-case names) with their methods (lower-case) and parameter counts.
    struct Fake(HashMap<&'static str, HashMap<&'static str, u32>>);

    impl MethodTable for Fake {
        type Class = &'static str;
        type Method = String;

        fn class(&self, name: &str) -> Option<&'static str> {
            let lower = name.to_lowercase();
            self.0.keys().copied().find(|k| *k == lower)
        }

        fn method(&self, class: &&'static str, name: &str) -> Option<(String, u32)> {
            let method = name.to_lowercase();
            let count = *self.0.get(class)?.get(method.as_str())?;
            Some((format!("{class}::{method}"), count))
        }
    }

    fn fake() -> Fake {
        let client = HashMap::from([("generateaccesstoken", 1), ("getaccesstoken", 1)]);
        let params = HashMap::from([("setclientsecret", 1)]);
        Fake(HashMap::from([
            ("zcrmsdk\\oauth\\zohooauthclient", client),
            ("zcrmsdk\\oauth\\zohooauthparams", params),
        ]))
    }

    #[test]
    fn every_listed_parameter_is_found_in_any_case() {
        let list: &Parameters<'_> = &[
            (
                "zcrmsdk\\oauth\\ZohoOAuthClient",
                &[("generateAccessToken", 0), ("getaccesstoken", 0)],
            ),
            ("zcrmsdk\\oauth\\ZohoOAuthParams", &[("setClientSecret", 0)]),
        ];
        let found = resolve(&fake(), list).expect("all exist");
        let names: Vec<_> = found.iter().map(|(m, i)| (m.as_str(), *i)).collect();
        assert_eq!(
            names,
            [
                ("zcrmsdk\\oauth\\zohooauthclient::generateaccesstoken", 0),
                ("zcrmsdk\\oauth\\zohooauthclient::getaccesstoken", 0),
                ("zcrmsdk\\oauth\\zohooauthparams::setclientsecret", 0),
            ]
        );
    }

    #[test]
    fn a_missing_method_fails_naming_class_and_method() {
        let list: &Parameters<'_> = &[(
            "zcrmsdk\\oauth\\ZohoOAuthClient",
            &[("generateAccessToken", 0), ("generateAccesToken", 0)],
        )];
        let error = resolve(&fake(), list).expect_err("a typo must fail");
        assert_eq!(
            error,
            MarkError::NoMethod {
                class: "zcrmsdk\\oauth\\ZohoOAuthClient".into(),
                method: "generateAccesToken".into(),
            }
        );
        assert!(
            error
                .to_string()
                .contains("zcrmsdk\\oauth\\ZohoOAuthClient::generateAccesToken(): no such method"),
            "{error}"
        );
    }

    #[test]
    fn a_missing_class_fails_naming_class_and_method() {
        let list: &Parameters<'_> = &[("zcrmsdk\\oauth\\NoSuchClass", &[("initialize", 0)])];
        let error = resolve(&fake(), list).expect_err("an unknown class must fail");
        assert!(
            error.to_string().contains(
                "zcrmsdk\\oauth\\NoSuchClass::initialize(): class zcrmsdk\\oauth\\NoSuchClass does not exist"
            ),
            "{error}"
        );
    }

    #[test]
    fn a_parameter_past_the_last_fails() {
        let list: &Parameters<'_> =
            &[("zcrmsdk\\oauth\\ZohoOAuthParams", &[("setClientSecret", 1)])];
        let error = resolve(&fake(), list).expect_err("index 1 of a one-parameter method");
        assert_eq!(
            error,
            MarkError::NoParameter {
                class: "zcrmsdk\\oauth\\ZohoOAuthParams".into(),
                method: "setClientSecret".into(),
                index: 1,
                count: 1,
            }
        );
        assert!(error.to_string().contains("not a parameter #2"), "{error}");
    }
}
