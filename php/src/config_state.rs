//! The configuration of the current request, as `ZCRMRestClient::initialize` /
//! `ZohoOAuth::initialize` set it, and the current user.
//!
//! Like the SDK's static properties, this lives for one request only: every request calls
//! `initialize` again (nothing here survives into the next request, so one request's
//! configuration or user can never leak into another). What does survive is the core client
//! built for a configuration (see [`crate::clients`]), and with it the token cache.

use std::cell::RefCell;
use std::sync::Arc;

use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::{ArrayKey, ZendHashTable, Zval};
use zoho_oauth::store::BuiltInStore;
use zoho_oauth::{Config, ErrorKind};

use crate::coerce::string_or_number;
use crate::initialized::{Initialized, SharedClient, StoreChoice};
use crate::{config_memo, exception};

/// The value of `persistence_handler_class` that means "the SDK's MySQL store".
pub const MYSQL_HANDLER: &str = "ZohoOAuthPersistenceHandler";

/// The SDK's MySQL handler by its full class name: applications that name it with its file
/// (`persistence_handler_class` = the path of the SDK's `ZohoOAuthPersistenceHandler.php`) and
/// this as `persistence_handler_class_name` mean the SDK's MySQL store, which is ours.
const MYSQL_HANDLER_CLASS: &str = "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler";

/// The keys the SDK's `ZohoOAuth` copies into its configuration, in its order.
const SDK_OAUTH_KEYS: [&str; 12] = [
    "client_id",
    "client_secret",
    "redirect_uri",
    "access_type",
    "persistence_handler_class",
    "accounts_url",
    "token_persistence_path",
    "db_port",
    "db_password",
    "db_username",
    "persistence_handler_class_name",
    "host_address",
];

/// The keys only the PHP door reads (the SDK's choice of persistence handler); every other
/// key the door reads is one of the core's ([`zoho_oauth::config::is_known_key`]).
const PHP_DOOR_KEYS: [&str; 2] = [
    "persistence_handler_class",
    "persistence_handler_class_name",
];

/// Our own keys (core keys, [`zoho_oauth::config::KEYS`]), shown by `getAllConfigs()`
/// when given.
const OUR_KEYS: [&str; 6] = [
    "data_centre",
    "data_center",
    "token_store_format",
    "connect_timeout_secs",
    "timeout_secs",
    "refresh_margin_secs",
];

#[derive(Default)]
struct Request {
    initialized: Option<Arc<Initialized>>,
    current_user: Option<String>,
}

thread_local! {
    static REQUEST: RefCell<Request> = RefCell::new(Request::default());
}

/// Forgets the request's configuration and user (request start and end).
pub fn reset() {
    REQUEST.with(|r| *r.borrow_mut() = Request::default());
    config_memo::forget_request();
}

/// The configuration set by `initialize()` in this request, or the SDK's exception.
pub fn current() -> PhpResult<Arc<Initialized>> {
    REQUEST
        .with(|r| r.borrow().initialized.clone())
        .ok_or_else(|| {
            exception::with_kind(
                exception::NOT_INITIALIZED_MESSAGE,
                ErrorKind::NotInitialized,
            )
        })
}

/// The configuration set in this request, if any.
pub fn current_opt() -> Option<Arc<Initialized>> {
    REQUEST.with(|r| r.borrow().initialized.clone())
}

/// Sets `ZCRMRestClient`'s current user (`None` clears it).
pub fn set_current_user(user: Option<String>) {
    REQUEST.with(|r| r.borrow_mut().current_user = user);
}

/// Sets `ZCRMRestClient`'s current user to `user`, copying it only when it differs from the
/// current one (every `initialize()` with `currentUserEmail` sets it again).
pub fn set_current_user_if_changed(user: &str) {
    REQUEST.with(|r| {
        let mut request = r.borrow_mut();
        if request.current_user.as_deref() != Some(user) {
            request.current_user = Some(user.to_string());
        }
    });
}

/// `ZCRMRestClient`'s current user.
pub fn current_user() -> Option<String> {
    REQUEST.with(|r| r.borrow().current_user.clone())
}

/// Validates a configuration array and makes it the request's configuration. The same
/// array as the previous call's gives the previous result without parsing it again
/// ([`crate::config_memo`]).
pub fn initialize(configuration: &ZendHashTable) -> PhpResult<Arc<Initialized>> {
    let initialized = match config_memo::lookup(configuration) {
        Some(initialized) => {
            if initialized.shared_client.is_found() {
                crate::clients::note_reuse();
            }
            initialized
        }
        None => {
            config_memo::count_parse();
            let pairs = pairs_from_array(configuration)?;
            let initialized = Arc::new(parse(&with_token_base_dir(pairs.clone()))?);
            config_memo::remember(pairs, Arc::clone(&initialized));
            config_memo::remember_strings(configuration, &initialized);
            initialized
        }
    };
    REQUEST.with(|r| r.borrow_mut().initialized = Some(Arc::clone(&initialized)));
    Ok(initialized)
}

/// Parses and validates the pairs of a configuration array without making it the
/// request's configuration (the bridge for Zoho's current SDK passes one per call).
pub fn parse_pairs(pairs: &[(String, String)]) -> PhpResult<Initialized> {
    parse(pairs)
}

/// Parses and validates the pairs of a configuration array.
fn parse(pairs: &[(String, String)]) -> PhpResult<Initialized> {
    build(pairs).map_err(exception::from_error)
}

/// The pairs with `token_base_dir` from the ini setting `zoho_oauth.token_base_dir` when the
/// array does not give one: a relative `token_persistence_path` is resolved against it (and
/// refused without it). The setting is system-wide, so a memoised array stays valid.
fn with_token_base_dir(mut pairs: Vec<(String, String)>) -> Vec<(String, String)> {
    if value_of(&pairs, "token_base_dir").is_none()
        && let Some(base) = crate::ini::token_base_dir()
    {
        pairs.push(("token_base_dir".into(), base));
    }
    pairs
}

/// [`parse`] without the PHP exception.
fn build(pairs: &[(String, String)]) -> zoho_oauth::Result<Initialized> {
    let config = Config::from_pairs(pairs.iter().map(|(k, v)| (k, v)))?;
    BuiltInStore::check_requested(&config)?;
    Ok(Initialized {
        store: store_choice(pairs),
        sdk_view: sdk_view(pairs, &config),
        client_key: client_key(pairs),
        shared_client: SharedClient::default(),
        config,
    })
}

/// The configuration array as string pairs, as PHP would turn scalars into strings. Keys
/// that hold arrays or objects are skipped (the SDK ignores keys it does not know), except
/// the keys we read, which must be scalars.
pub fn pairs_from_array(configuration: &ZendHashTable) -> PhpResult<Vec<(String, String)>> {
    let mut pairs = Vec::with_capacity(configuration.len());
    for (key, value) in configuration {
        let key = match key {
            ArrayKey::Long(i) => i.to_string(),
            ArrayKey::String(s) => s,
            ArrayKey::Str(s) => s.to_string(),
            ArrayKey::ZendString(s) => s.as_str().unwrap_or_default().to_string(),
        };
        match scalar_text(value) {
            Some(text) => pairs.push((key, text)),
            None if is_read_key(&key) => {
                return Err(exception::with_kind(
                    format!("{key} must be a string"),
                    ErrorKind::ConfigInvalid,
                ));
            }
            None => {}
        }
    }
    Ok(pairs)
}

fn is_read_key(key: &str) -> bool {
    zoho_oauth::config::is_known_key(key) || PHP_DOOR_KEYS.contains(&key)
}

/// PHP's string conversion of a scalar (`true` → "1", `false`/`null` → "").
fn scalar_text(value: &Zval) -> Option<String> {
    if value.is_null() || value.is_false() {
        return Some(String::new());
    }
    if value.is_true() {
        return Some("1".to_string());
    }
    string_or_number(value)
}

fn value_of<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// The SDK's choice of store (`ZohoOAuth::getPersistenceHandlerInstance`).
fn store_choice(pairs: &[(String, String)]) -> StoreChoice {
    if value_of(pairs, "token_persistence_path").is_some_and(|p| !p.trim().is_empty()) {
        return StoreChoice::File;
    }
    let file = value_of(pairs, "persistence_handler_class").unwrap_or("");
    let class = value_of(pairs, "persistence_handler_class_name").unwrap_or("");
    if ((file.is_empty() || file == MYSQL_HANDLER) && class.is_empty())
        || names_the_sdk_mysql_handler(class)
    {
        return StoreChoice::MySql;
    }
    StoreChoice::Custom {
        file: if file == MYSQL_HANDLER { "" } else { file }.to_string(),
        class: class.to_string(),
    }
}

/// Whether a class name is the SDK's MySQL handler (PHP class names ignore case and may
/// start with a backslash). Its file is then never loaded: the extension defines the class.
fn names_the_sdk_mysql_handler(class: &str) -> bool {
    class
        .trim()
        .trim_start_matches('\\')
        .eq_ignore_ascii_case(MYSQL_HANDLER_CLASS)
}

/// The SDK's MySQL defaults, filled in when there is no token path.
const SDK_DB_DEFAULTS: [(&str, &str); 5] = [
    ("db_port", "3306"),
    ("db_username", "root"),
    ("db_password", ""),
    ("db_name", "zohooauth"),
    ("host_address", "localhost"),
];

/// Sets `key` in the view, keeping its first position.
fn set_in(view: &mut Vec<(String, String)>, key: &str, value: &str) {
    match view.iter_mut().find(|(k, _)| k == key) {
        Some(entry) => entry.1 = value.to_string(),
        None => view.push((key.to_string(), value.to_string())),
    }
}

/// The SDK's `ZohoOAuth::$configProperties`: defaults, then the given keys, then the MySQL
/// defaults when there is no token path; the effective accounts URL and access type.
///
/// As in the SDK, `db_name` is never copied from the configuration (it is not in the SDK's
/// list of keys), and each MySQL default is filled in only for a key not already in the view,
/// so `db_name` is "zohooauth" without a token path and absent (`""`) with one.
fn sdk_view(pairs: &[(String, String)], config: &Config) -> Vec<(String, String)> {
    let mut view: Vec<(String, String)> = Vec::new();
    set_in(&mut view, "access_type", config.identity().access_type());
    set_in(&mut view, "persistence_handler_class", MYSQL_HANDLER);
    set_in(&mut view, "accounts_url", config.identity().server().url());
    for key in SDK_OAUTH_KEYS.iter().chain(OUR_KEYS.iter()) {
        let Some(value) = value_of(pairs, key) else {
            continue;
        };
        match *key {
            "access_type" => set_in(&mut view, key, config.identity().access_type()),
            "accounts_url" => set_in(&mut view, key, config.identity().server().url()),
            "persistence_handler_class" if value.is_empty() => {}
            _ => set_in(&mut view, key, value),
        }
    }
    if value_of(pairs, "token_persistence_path").is_none_or(str::is_empty) {
        for (key, default) in SDK_DB_DEFAULTS {
            if !view.iter().any(|(k, _)| k == key) {
                set_in(&mut view, key, default);
            }
        }
    }
    view
}

/// The pairs that decide the process-wide client: every key but the current user, sorted.
fn client_key(pairs: &[(String, String)]) -> Vec<(String, String)> {
    let mut key: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, _)| k != "currentUserEmail")
        .cloned()
        .collect();
    key.sort();
    key.dedup_by(|a, b| a.0 == b.0);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_the_door_lists_is_the_cores_or_the_doors_own() {
        use zoho_oauth::config::is_known_key;
        for key in SDK_OAUTH_KEYS {
            assert!(
                is_known_key(key) != PHP_DOOR_KEYS.contains(&key),
                "{key}: a core key or a PHP door key, not both"
            );
        }
        for key in OUR_KEYS {
            assert!(is_known_key(key), "{key} is not a core key");
        }
        assert!(is_read_key("currentUserEmail") && is_read_key("redis_url"));
        assert!(is_read_key("persistence_handler_class_name"));
        assert!(!is_read_key("no_such_key"));
    }

    fn pairs(extra: &[(&str, &str)]) -> Vec<(String, String)> {
        let mut all = vec![
            ("client_id", "1000.ID"),
            ("client_secret", "s3cr3t"),
            ("redirect_uri", "https://example.com/cb"),
        ];
        all.extend_from_slice(extra);
        all.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    fn config(p: &[(String, String)]) -> Config {
        Config::from_pairs(p.iter().map(|(k, v)| (k, v))).expect("valid")
    }

    #[test]
    fn store_is_chosen_as_the_sdk_chooses() {
        assert_eq!(store_choice(&pairs(&[])), StoreChoice::MySql);
        let path_wins = pairs(&[
            ("token_persistence_path", "/tmp"),
            ("persistence_handler_class", "/x.php"),
            ("persistence_handler_class_name", "X"),
        ]);
        assert_eq!(store_choice(&path_wins), StoreChoice::File);
        let custom = pairs(&[("persistence_handler_class", "/x.php")]);
        assert_eq!(
            store_choice(&custom),
            StoreChoice::Custom {
                file: "/x.php".into(),
                class: String::new()
            }
        );
        let by_name = pairs(&[
            ("persistence_handler_class", MYSQL_HANDLER),
            ("persistence_handler_class_name", "App\\Store"),
        ]);
        assert_eq!(
            store_choice(&by_name),
            StoreChoice::Custom {
                file: String::new(),
                class: "App\\Store".into()
            }
        );
    }

    #[test]
    fn the_sdk_handler_named_by_file_and_class_is_the_mysql_store() {
        for class in [
            "zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler",
            "\\zcrmsdk\\oauth\\persistence\\ZohoOAuthPersistenceHandler",
            "ZCRMSDK\\OAuth\\Persistence\\zohooauthpersistencehandler",
        ] {
            for file in [
                "/srv/app/vendor/zohocrm/php-sdk-archive/src/oauth/persistence/ZohoOAuthPersistenceHandler.php",
                MYSQL_HANDLER,
                "",
            ] {
                let p = pairs(&[
                    ("persistence_handler_class", file),
                    ("persistence_handler_class_name", class),
                ]);
                assert_eq!(store_choice(&p), StoreChoice::MySql, "{file} {class}");
            }
        }
        let own = pairs(&[(
            "persistence_handler_class_name",
            "App\\ZohoOAuthPersistenceHandler",
        )]);
        assert_ne!(
            store_choice(&own),
            StoreChoice::MySql,
            "a class of the app's own"
        );
    }

    #[test]
    fn sdk_view_has_the_sdk_defaults_and_order() {
        let p = pairs(&[("token_persistence_path", "/tmp"), ("access_type", "")]);
        let view = sdk_view(&p, &config(&p));
        let keys: Vec<&str> = view.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(
            keys,
            [
                "access_type",
                "persistence_handler_class",
                "accounts_url",
                "client_id",
                "client_secret",
                "redirect_uri",
                "token_persistence_path"
            ]
        );
        assert_eq!(view[0].1, "offline");
        assert_eq!(view[2].1, "https://accounts.zoho.com");
        let no_path = pairs(&[("db_port", "3307")]);
        let view = sdk_view(&no_path, &config(&no_path));
        let db_port = view
            .iter()
            .find(|(k, _)| k == "db_port")
            .map(|(_, v)| v.as_str());
        assert_eq!(db_port, Some("3307"));
        assert!(view.iter().any(|(k, v)| k == "db_name" && v == "zohooauth"));
    }

    fn value_in<'a>(view: &'a [(String, String)], key: &str) -> Option<&'a str> {
        view.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }

    #[test]
    fn debug_output_holds_no_secret() {
        let init = build(&pairs(&[("db_password", "hunter2-db")])).expect("parse");
        let shown = format!("{init:?}");
        assert!(
            shown.contains("client_secret") && shown.contains("db_password"),
            "{shown}"
        );
        for (key, value) in &init.client_key {
            if key == "client_secret" || key == "db_password" {
                assert!(!shown.contains(value.as_str()), "{key} shown: {shown}");
            }
        }
    }

    #[test]
    fn db_name_is_never_copied_from_the_configuration() {
        let no_path = pairs(&[("db_name", "mine")]);
        let view = sdk_view(&no_path, &config(&no_path));
        assert_eq!(value_in(&view, "db_name"), Some("zohooauth"));
        let with_path = pairs(&[("db_name", "mine"), ("token_persistence_path", "/tmp")]);
        let view = sdk_view(&with_path, &config(&with_path));
        assert_eq!(value_in(&view, "db_name"), None);
        let empty_port = pairs(&[("db_port", "")]);
        let view = sdk_view(&empty_port, &config(&empty_port));
        assert_eq!(
            value_in(&view, "db_port"),
            Some(""),
            "an explicit empty value stays"
        );
    }

    #[test]
    fn the_client_key_ignores_the_current_user_only() {
        let a = client_key(&pairs(&[("currentUserEmail", "a@x")]));
        let b = client_key(&pairs(&[("currentUserEmail", "b@x")]));
        let c = client_key(&pairs(&[("refresh_margin_secs", "5")]));
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
