//! The SDK's methods declare no types (its code targets PHP 5.6), so neither do ours: a class
//! extending one of ours and overriding a method the SDK way (untyped) must compile, and a
//! declared return type in the parent would make it a compile-time fatal error (so would an
//! optional parameter where the SDK's is required). This lists, per class, the methods the
//! SDK has, whose declared types (and defaults) registration drops; the methods that are ours
//! alone keep theirs. `__toString` keeps `string`, which PHP 8 declares
//! implicitly for the SDK's untyped `__toString()` too. Checked against the SDK's declarations
//! by phpt 081.

use ext_php_rs::zend::ClassEntry;

use crate::engine::class::drop_types;

/// A method of the SDK: its name (lower case) and how many parameters it requires (the SDK
/// declares no defaults but the exceptions' constructors', so a subclass overriding a setter
/// with a required parameter, as the SDK's code does, must be compatible).
type Method = (&'static str, u32);

/// Class (fully qualified) → the SDK's methods on it.
const SDK_METHODS: [(&str, &[Method]); 11] = [
    (
        "zcrmsdk\\oauth\\ZohoOAuth",
        &[
            ("initialize", 1),
            ("getconfigvalue", 1),
            ("getallconfigs", 0),
            ("getiamurl", 0),
            ("getgranturl", 0),
            ("gettokenurl", 0),
            ("getrefreshtokenurl", 0),
            ("getrevoketokenurl", 0),
            ("getuserinfourl", 0),
            ("getclientid", 0),
            ("getclientsecret", 0),
            ("getredirecturl", 0),
            ("getaccesstype", 0),
            ("getpersistencehandlerinstance", 0),
            ("getclientinstance", 0),
        ],
    ),
    (
        "zcrmsdk\\oauth\\ZohoOAuthClient",
        &[
            ("getinstance", 1),
            ("getinstancewithoutparam", 0),
            ("getaccesstoken", 1),
            ("generateaccesstoken", 1),
            ("generateaccesstokenfromrefreshtoken", 2),
            ("refreshaccesstoken", 2),
            ("getzohooauthparams", 0),
            ("setzohooauthparams", 1),
            ("getuseremailidfromiam", 1),
            ("processresponse", 1),
        ],
    ),
    ("zcrmsdk\\oauth\\utility\\ZohoOAuthTokens", &TOKENS),
    ("zcrmsdk\\oauth\\utility\\ZohoOAuthParams", &PARAMS),
    (
        "zcrmsdk\\oauth\\exception\\ZohoOAuthException",
        &[("__construct", 0)],
    ),
    (
        "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceInterface",
        &STORE,
    ),
    (
        "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceByFile",
        &[
            ("saveoauthdata", 1),
            ("getoauthtokens", 1),
            ("deleteoauthtokens", 1),
            ("gettokenpersistencepath", 0),
        ],
    ),
    (
        "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler",
        &[
            ("saveoauthdata", 1),
            ("getoauthtokens", 1),
            ("deleteoauthtokens", 1),
            ("getmysqlconnection", 0),
        ],
    ),
    (
        "zcrmsdk\\crm\\exception\\ZCRMException",
        &[
            ("__construct", 0),
            ("getexceptioncode", 0),
            ("setexceptioncode", 1),
            ("getexceptiondetails", 0),
            ("setexceptiondetails", 1),
        ],
    ),
    (
        "zcrmsdk\\crm\\setup\\restclient\\ZCRMRestClient",
        &[
            ("initialize", 1),
            ("setcurrentuseremailid", 1),
            ("getcurrentuseremailid", 0),
        ],
    ),
    ("zoho_oauth\\bridge\\Core", &[]),
];

const TOKENS: [Method; 10] = [
    ("getrefreshtoken", 0),
    ("setrefreshtoken", 1),
    ("getaccesstoken", 0),
    ("setaccesstoken", 1),
    ("getexpirytime", 0),
    ("setexpirytime", 1),
    ("isvalidaccesstoken", 0),
    ("getcurrenttimeinmillis", 0),
    ("getuseremailid", 0),
    ("setuseremailid", 1),
];

const PARAMS: [Method; 10] = [
    ("getclientid", 0),
    ("setclientid", 1),
    ("getclientsecret", 0),
    ("setclientsecret", 1),
    ("getredirecturl", 0),
    ("setredirecturl", 1),
    ("getaccesstype", 0),
    ("setaccesstype", 1),
    ("getscopes", 0),
    ("setscopes", 1),
];

const STORE: [Method; 3] = [
    ("saveoauthdata", 1),
    ("getoauthtokens", 1),
    ("deleteoauthtokens", 1),
];

/// Drops the declared types of the SDK's methods of `class` (registered as `ce`). Must run in
/// the class's registration function, in MINIT.
pub fn untype(ce: &mut ClassEntry, class: &str) {
    if let Some((_, methods)) = SDK_METHODS.iter().find(|(name, _)| *name == class) {
        drop_types(ce, methods);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn method_names_are_lower_case_and_unique_per_class() {
        for (class, methods) in SDK_METHODS {
            let mut seen = std::collections::HashSet::new();
            for (m, _) in methods {
                assert_eq!(*m, m.to_lowercase(), "{class}::{m}");
                assert!(seen.insert(*m), "{class}::{m} twice");
            }
        }
    }
}
