use super::*;
use crate::datacentre::DataCentre;
use std::path::{Path, PathBuf};

#[test]
fn the_accounts_server_and_the_data_centre_never_disagree() {
    let eu = Config::new("1000.ID", "s", "https://example.com/cb").with_data_centre(DataCentre::Eu);
    assert_eq!(eu.identity().server().data_centre(), Some(DataCentre::Eu));
    let moved = eu.clone().with_accounts_url("http://127.0.0.1:9");
    assert_eq!(
        (
            moved.identity().server().url(),
            moved.identity().server().data_centre()
        ),
        ("http://127.0.0.1:9", None)
    );
    let india = eu.with_accounts_url(format!("{}/", DataCentre::In.accounts_url()));
    assert_eq!(
        india.identity().server().data_centre(),
        Some(DataCentre::In),
        "recognised, trailing slash and all"
    );
    assert_eq!(
        india.crm_api_url(),
        format!(
            "https://{}",
            DataCentre::In.api_domain().trim_start_matches("https://")
        )
    );
}

fn base() -> Vec<(&'static str, &'static str)> {
    vec![
        ("client_id", "1000.ID"),
        ("client_secret", "s3cr3t"),
        ("redirect_uri", "https://example.com/cb"),
    ]
}

fn err_of(pairs: Vec<(&str, &str)>) -> Error {
    match Config::from_pairs(pairs) {
        Ok(_) => panic!("expected an error"),
        Err(e) => e,
    }
}

#[test]
fn sdk_messages_for_missing_and_empty_keys_in_sdk_order() {
    assert_eq!(err_of(vec![]).message(), "client_id is mandatory");
    assert_eq!(
        err_of(vec![("client_id", "x")]).message(),
        "client_secret is mandatory"
    );
    assert_eq!(
        err_of(vec![("client_id", "x"), ("client_secret", "y")]).message(),
        "redirect_uri is mandatory"
    );
    let e = err_of(vec![("client_id", ""), ("client_secret", "y")]);
    assert_eq!(e.message(), "client_id value is missing");
    assert_eq!(e.kind(), ErrorKind::ConfigMissing);
}

#[test]
fn defaults_and_unknown_keys() {
    let mut pairs = base();
    pairs.push(("db_port", "3306"));
    pairs.push(("something_else", "x"));
    let c = Config::from_pairs(pairs).expect("valid");
    assert_eq!(c.identity().server().url(), "https://accounts.zoho.com");
    assert_eq!(c.identity().access_type(), "offline");
    assert_eq!(c.policy().refresh_margin(), Duration::from_secs(60));
    assert!(c.store().token_file().is_none());
}

#[test]
fn data_centre_picks_accounts_url_and_accounts_url_wins() {
    let mut pairs = base();
    pairs.push(("data_centre", "eu"));
    let c = Config::from_pairs(pairs.clone()).expect("valid");
    assert_eq!(c.identity().server().url(), "https://accounts.zoho.eu");
    assert_eq!(c.crm_api_url(), "https://www.zohoapis.eu");
    pairs.push(("accounts_url", "https://accounts.zoho.in/"));
    let c = Config::from_pairs(pairs).expect("valid");
    assert_eq!(c.identity().server().url(), "https://accounts.zoho.in");
    assert_eq!(c.identity().server().data_centre(), Some(DataCentre::In));
}

#[test]
fn bad_accounts_urls_are_rejected() {
    for bad in [
        "accounts.zoho.com",
        "http://accounts.zoho.com",
        "ftp://x",
        "https://x/?a=1",
        "http://10.0.0.1:80",
    ] {
        let mut pairs = base();
        pairs.push(("accounts_url", bad));
        assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid, "{bad}");
    }
    for good in [
        "http://127.0.0.1:8088",
        "http://localhost:1/eu",
        "http://[::1]:9",
    ] {
        let mut pairs = base();
        pairs.push(("accounts_url", good));
        assert!(Config::from_pairs(pairs).is_ok(), "{good}");
    }
}

#[test]
fn credentials_in_accounts_url_are_refused_and_never_shown() {
    for bad in [
        "https://:hunter2pw@accounts.zoho.com",
        "https://u:hunter2pw@accounts.zoho.com",
        "https://accounts.zoho.com/?t=hunter2pw",
        "https://accounts.zoho.com/#hunter2pw",
        "hunter2pw",
    ] {
        let mut pairs = base();
        pairs.push(("accounts_url", bad));
        let e = err_of(pairs);
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{bad}");
        assert!(!e.to_string().contains("hunter2pw"), "{bad}: {e}");
        assert!(!format!("{e:?}").contains("hunter2pw"), "{bad}: {e:?}");
    }
    let mut pairs = base();
    pairs.push(("accounts_url", "https://u:pw@accounts.zoho.com/x"));
    assert!(
        err_of(pairs)
            .to_string()
            .contains("'https://accounts.zoho.com/x'")
    );
}

#[test]
fn sdk_quirks_fixed_sandbox_bool_and_api_base_url_scheme() {
    let mut pairs = base();
    pairs.push(("sandbox", "1"));
    pairs.push(("apiBaseUrl", "https://www.zohoapis.com.au"));
    let c = Config::from_pairs(pairs).expect("valid");
    assert!(c.crm().sandbox());
    assert_eq!(c.crm_api_url(), "https://sandbox.zohoapis.com.au");
}

#[test]
fn numbers_and_formats_are_checked() {
    let mut pairs = base();
    pairs.push(("timeout_secs", "0"));
    assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
    let mut pairs = base();
    pairs.push(("refresh_margin_secs", "abc"));
    assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
    let mut pairs = base();
    pairs.push(("token_store_format", "xml"));
    assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
    let mut pairs = base();
    pairs.push(("access_type", "sometimes"));
    assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
    let mut pairs = base();
    pairs.push(("token_persistence_path", "/tmp/x"));
    pairs.push(("token_store_format", "json"));
    pairs.push(("refresh_margin_secs", "0.5"));
    let c = Config::from_pairs(pairs).expect("valid");
    assert_eq!(
        c.store().token_file(),
        Some(PathBuf::from("/tmp/x/zoho_oauth_tokens.json"))
    );
    assert_eq!(c.policy().refresh_margin(), Duration::from_millis(500));
    let mut pairs = base();
    pairs.push(("refresh_margin_secs", "1801"));
    let e = err_of(pairs);
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(e.message().contains("at most 1800"), "{e}");
    let mut pairs = base();
    pairs.push(("refresh_margin_secs", "1800"));
    assert!(Config::from_pairs(pairs).is_ok());
}

#[test]
fn a_persistence_path_naming_the_token_file_is_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("zcrm_oauthtokens.txt");
    let with_path = |path: &std::path::Path| {
        let mut pairs: Vec<(String, String)> = base()
            .into_iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        pairs.push(("token_persistence_path".into(), path.display().to_string()));
        Config::from_pairs(pairs).expect("valid")
    };
    assert_eq!(with_path(&file).store().token_file(), Some(file.clone()));
    assert_eq!(
        with_path(dir.path()).store().token_file(),
        Some(file.clone()),
        "a directory gets the file inside"
    );
    std::fs::create_dir(&file).expect("a directory named like the file");
    assert_eq!(
        with_path(&file).store().token_file(),
        Some(file.join("zcrm_oauthtokens.txt")),
        "an existing directory of that name is still a directory"
    );
}

#[test]
fn only_zoho_servers_and_the_configured_loopback_origin_are_trusted() {
    let us = "https://accounts.zoho.com";
    assert_eq!(
        trusted_accounts_url("https://accounts.zoho.eu/", us).as_deref(),
        Some("https://accounts.zoho.eu")
    );
    for forged in [
        "https://accounts.zoho.eu.evil.example",
        "https://evil.example",
        "http://accounts.zoho.eu",
        "https://accounts.zoho.com@evil.example",
        "http://127.0.0.1:9/eu",
    ] {
        assert_eq!(trusted_accounts_url(forged, us), None, "{forged}");
    }
    let emulator = "http://127.0.0.1:4000";
    assert_eq!(
        trusted_accounts_url("http://127.0.0.1:4000/eu", emulator).as_deref(),
        Some("http://127.0.0.1:4000/eu")
    );
    assert_eq!(
        trusted_accounts_url("http://127.0.0.1:4001/eu", emulator),
        None
    );
    assert_eq!(
        trusted_accounts_url("http://localhost:4000/eu", emulator),
        None
    );
    assert_eq!(
        trusted_accounts_url("http://127.0.0.1:4000/eu?x=1", emulator),
        None
    );
    assert_eq!(StoreFormat::Json.name(), "json");
}

#[test]
fn nul_bytes_are_rejected() {
    let pairs = vec![
        ("client_id", "10\u{0}00"),
        ("client_secret", "y"),
        ("redirect_uri", "https://e/cb"),
    ];
    assert_eq!(err_of(pairs).kind(), ErrorKind::ConfigInvalid);
}

/// Whether the accounts URL and the data centre agree: the data centre is the one whose
/// server the URL is (none for any other server).
fn consistent(c: &Config) -> bool {
    c.identity().server().data_centre()
        == DataCentre::from_accounts_url(c.identity().server().url())
        && c.identity()
            .server()
            .data_centre()
            .is_none_or(|dc| dc.accounts_url() == c.identity().server().url())
}

#[test]
fn no_sequence_of_builders_or_keys_makes_server_and_data_centre_disagree() {
    let urls = [
        "https://accounts.zoho.eu/",
        "http://127.0.0.1:9",
        "https://accounts.zoho.in",
    ];
    let mut config = Config::new("1000.ID", "s", "https://example.com/cb");
    assert!(consistent(&config));
    for dc in DataCentre::all() {
        for url in urls {
            config = config.with_data_centre(dc);
            assert!(consistent(&config), "{dc:?}");
            config = config.with_accounts_url(url);
            assert!(consistent(&config), "{dc:?} then {url}");
            config = config.with_accounts_server(AccountsServer::of(dc));
            assert!(consistent(&config), "{url} then {dc:?}");
        }
    }
    for dc in DataCentre::all() {
        for url in urls {
            let mut pairs = base();
            pairs.push(("data_centre", dc.code()));
            pairs.push(("accounts_url", url));
            let c = Config::from_pairs(pairs).expect("valid");
            assert!(consistent(&c), "data_centre={dc:?} accounts_url={url}");
            assert_eq!(c.identity().server().url(), url.trim_end_matches('/'));
        }
    }
}

#[test]
fn a_configuration_without_a_secret_is_valid_and_says_what_is_missing() {
    let c = Config::without_secret("1000.ID", "https://example.com/cb");
    assert!(c.validate().is_ok());
    assert!(c.client_secret().is_none());
    let e = c.require_client_secret().expect_err("no secret");
    assert_eq!(e.kind(), ErrorKind::ConfigMissing);
    assert!(e.message().contains("client_secret"), "{e}");
    let with = c.with_client_secret("s3cr3t");
    assert_eq!(
        with.require_client_secret().map(Secret::expose).ok(),
        Some("s3cr3t")
    );
    let empty = with.with_client_secret("");
    assert_eq!(
        empty.validate().map_err(|e| e.message().to_string()),
        Err("client_secret value is missing".to_string()),
        "a given secret must not be empty"
    );
}

#[test]
fn from_pairs_keeps_the_sdk_rule_and_the_secretless_variant_keeps_the_others() {
    let no_secret = vec![("client_id", "1000.ID"), ("redirect_uri", "https://e/cb")];
    assert_eq!(
        err_of(no_secret.clone()).message(),
        "client_secret is mandatory"
    );
    let c = Config::from_pairs_without_secret(&no_secret).expect("valid without secret");
    assert!(c.client_secret().is_none());
    let blank = vec![
        ("client_id", "1000.ID"),
        ("client_secret", ""),
        ("redirect_uri", "https://e/cb"),
        ("data_centre", "eu"),
    ];
    let c = Config::from_pairs_without_secret(&blank).expect("valid");
    assert!(c.client_secret().is_none());
    assert_eq!(c.identity().server().data_centre(), Some(DataCentre::Eu));
    let e = Config::from_pairs_without_secret(&[("redirect_uri", "https://e/cb")])
        .expect_err("no client_id");
    assert_eq!(e.message(), "client_id is mandatory");
    let c = Config::from_pairs_without_secret(&base()).expect("valid");
    assert_eq!(c.client_secret().map(Secret::expose), Some("s3cr3t"));
}

#[test]
fn one_list_of_keys() {
    let all: Vec<&str> = all_keys().collect();
    let aliases: usize = KEYS.iter().map(|k| k.aliases.len()).sum();
    assert_eq!(all.len(), KEYS.len() + aliases);
    assert!(all.iter().all(|k| is_known_key(k)));
    assert!(!is_known_key("persistence_handler_class"));
    let mut sorted = all.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), all.len(), "no key listed twice");
}

/// Every key of the table before it became one (the 21 known keys and the 12 store keys),
/// and the three of encryption at rest that came after.
const KEYS_BEFORE_THE_TABLE: [&str; 36] = [
    "client_id",
    "client_secret",
    "redirect_uri",
    "accounts_url",
    "data_centre",
    "data_center",
    "token_persistence_path",
    "token_store_format",
    "currentUserEmail",
    "access_type",
    "sandbox",
    "apiBaseUrl",
    "applicationLogFilePath",
    "connect_timeout_secs",
    "timeout_secs",
    "refresh_margin_secs",
    "token_store",
    "store_recheck_ms",
    "lock_timeout_secs",
    "store_timeout_secs",
    "token_base_dir",
    "host_address",
    "db_port",
    "db_username",
    "db_password",
    "db_name",
    "mysql_url",
    "mysql_database",
    "mysql_table",
    "mysql_socket",
    "mysql_ssl",
    "redis_url",
    "redis_key_prefix",
    "token_encryption",
    "token_encryption_key_file",
    "token_encryption_key",
];

#[test]
fn the_table_reads_the_same_keys_as_before_and_knows_its_secrets() {
    let mut all: Vec<&str> = all_keys().collect();
    let mut before = KEYS_BEFORE_THE_TABLE.to_vec();
    all.sort_unstable();
    before.sort_unstable();
    assert_eq!(all, before);
    let secret: Vec<&str> = all_keys().filter(|k| is_secret_key(k)).collect();
    assert_eq!(
        secret,
        [
            "client_secret",
            "db_password",
            "mysql_url",
            "redis_url",
            "token_encryption_key"
        ]
    );
    let store: Vec<&str> = store_keys().collect();
    assert_eq!(store.len(), 12);
    assert!(store.iter().all(|k| k.starts_with("db_")
        || k.starts_with("mysql_")
        || k.starts_with("redis_")
        || *k == "host_address"));
    assert_eq!(find_key("data_center").map(|k| k.name), Some("data_centre"));
    assert!(!is_secret_key("client_id") && !is_secret_key("no_such_key"));
}

#[test]
fn every_key_of_the_table_is_applied_by_its_parser() {
    let config = Config::from_pairs([
        ("client_id", "1000.ID"),
        ("client_secret", "s3cr3t"),
        ("redirect_uri", "https://e/cb"),
        ("data_center", "eu"),
        ("access_type", "online"),
        ("currentUserEmail", "ada@example.com"),
        ("sandbox", "yes"),
        ("apiBaseUrl", "https://www.zohoapis.eu"),
        ("applicationLogFilePath", "/var/log/z"),
        ("connect_timeout_secs", "2.5"),
        ("timeout_secs", "7"),
        ("refresh_margin_secs", "0"),
        ("store_recheck_ms", "250"),
        ("lock_timeout_secs", "9"),
        ("store_timeout_secs", "3"),
        ("token_persistence_path", "tokens"),
        ("token_base_dir", "/srv/z"),
        ("token_store_format", "json"),
        ("token_store", "redis"),
        ("redis_key_prefix", " app: "),
    ])
    .expect("valid");
    assert_eq!(
        config.identity().server().data_centre(),
        Some(DataCentre::Eu)
    );
    assert_eq!(config.identity().access_type(), "online");
    assert_eq!(config.crm().current_user_email(), Some("ada@example.com"));
    assert!(config.crm().sandbox());
    assert_eq!(config.crm().api_base_url(), Some("www.zohoapis.eu"));
    assert_eq!(config.crm().log_directory(), Some(Path::new("/var/log/z")));
    assert_eq!(
        config.policy().connect_timeout(),
        Duration::from_millis(2500)
    );
    assert_eq!(config.policy().request_timeout(), Duration::from_secs(7));
    assert_eq!(config.policy().refresh_margin(), Duration::ZERO);
    assert_eq!(
        config.policy().store_recheck(),
        Some(Duration::from_millis(250))
    );
    assert_eq!(config.policy().lock_timeout(), Duration::from_secs(9));
    assert_eq!(config.policy().store_timeout(), Duration::from_secs(3));
    assert_eq!(config.store().path(), Some(Path::new("/srv/z/tokens")));
    assert_eq!(config.store().format(), StoreFormat::Json);
    assert_eq!(
        config.store().requested_kind(),
        Some(StoreKind::named("redis"))
    );
    assert_eq!(
        config.store().settings().get("redis_key_prefix"),
        Some("app:")
    );
}

#[test]
fn key_values_build_what_pairs_build() {
    let pairs = [
        ("client_id", "1000.ID"),
        ("client_secret", " s3cr3t "),
        ("redirect_uri", "https://e/cb"),
        ("data_center", "in"),
        ("timeout_secs", " 12 "),
    ];
    let lookup = |key: &str| pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v);
    let from_values = Config::from_key_values(lookup, true).expect("valid");
    let from_pairs = Config::from_pairs(pairs).expect("valid");
    assert_eq!(format!("{from_values:?}"), format!("{from_pairs:?}"));
    assert_eq!(
        from_values.client_secret().map(Secret::expose),
        Some(" s3cr3t ")
    );
    assert_eq!(
        from_values.policy().request_timeout(),
        Duration::from_secs(12)
    );
    let none = |_: &str| None;
    let e = Config::from_key_values(none, false).expect_err("no client_id");
    assert_eq!(e.message(), "client_id is mandatory");
}
