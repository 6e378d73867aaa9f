use super::*;
#[cfg(all(feature = "mysql", feature = "redis"))]
use crate::config::StoreSettings;
use crate::store::entry::OpenFromConfig;
use crate::store::{MemoryStore, StoreDefaults};

fn base() -> Config {
    Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
}

/// The built-in store whose entry is called `name`.
#[cfg(all(feature = "mysql", feature = "redis"))]
fn named(name: &str) -> BuiltInStore {
    BuiltInStore::all()
        .find(|s| s.0.name == name)
        .unwrap_or_else(|| panic!("no entry {name}"))
}

#[cfg(all(feature = "mysql", feature = "redis"))]
fn kind(name: &'static str) -> StoreKind {
    StoreKind::named(name)
}

/// Needs every store in the build.
#[cfg(all(feature = "mysql", feature = "redis"))]
#[test]
fn each_configuration_means_one_store() {
    let dir = tempfile::tempdir().expect("dir");
    let table = |t: &str| StoreSettings::new().with("mysql_table", t).expect("set");
    let cases = [
        (
            base().with_token_persistence_path(dir.path()),
            BuiltInStore::file(StoreFormat::PhpSdk),
        ),
        (
            base()
                .with_token_persistence_path(dir.path())
                .with_token_store_format(StoreFormat::Json),
            BuiltInStore::file(StoreFormat::Json),
        ),
        (
            base().with_token_persistence_path(dir.path().join("sdk_tokens.txt")),
            BuiltInStore::sdk_csv(),
        ),
        (base().with_store_kind(kind("mysql")), named("mysql")),
        (
            base()
                .with_store_kind(kind("mysql"))
                .with_store_settings(table("OAuthToken")),
            named("mysql_oauthtoken"),
        ),
        (
            base()
                .with_store_kind(kind("mysql"))
                .with_store_settings(table("oauthtokens")),
            named("mysql"),
        ),
        (
            base()
                .with_token_persistence_path(dir.path().join("sdk_tokens.txt"))
                .with_store_kind(kind("redis")),
            named("redis"),
        ),
    ];
    for (config, expected) in cases {
        assert_eq!(BuiltInStore::of(&config).ok(), Some(expected), "{config:?}");
    }
    let mariadb = base().with_store_kind(StoreKind::parse(" MariaDB ").expect("word"));
    assert_eq!(BuiltInStore::of(&mariadb).ok(), Some(named("mysql")));
}

#[test]
fn no_store_is_refused_and_a_file_without_a_path_cannot_be_opened() {
    let e = BuiltInStore::of(&base()).expect_err("no store");
    assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
    let file = base().with_store_kind(StoreKind::FILE);
    assert_eq!(
        BuiltInStore::of(&file).ok(),
        Some(BuiltInStore::file(StoreFormat::PhpSdk))
    );
    let e = super::super::open(&file).err().expect("no path");
    assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
    assert!(e.message().contains("token_persistence_path"), "{e}");
}

#[test]
fn a_token_store_that_names_no_store_is_refused_with_the_ones_there_are() {
    let config = base().with_store_kind(StoreKind::parse("Postgres").expect("a word"));
    let e = BuiltInStore::of(&config).expect_err("refused");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("file, mysql or redis"), "{e}");
    assert!(e.message().contains("'postgres'"), "{e}");
    let e = super::super::open(&config).err().expect("refused");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
}

/// Needs every store in the build.
#[cfg(all(feature = "mysql", feature = "redis"))]
#[test]
fn labels_are_stable_and_parse_back() {
    let mut labels: Vec<_> = BuiltInStore::all().map(BuiltInStore::label).collect();
    labels.sort_unstable();
    assert_eq!(labels, ["csv", "json", "mysql", "mysql", "php", "redis"]);
    assert_eq!(
        BuiltInStore::labels(),
        ["csv", "php", "json", "mysql", "redis"]
    );
    for store in BuiltInStore::all() {
        let back = BuiltInStore::parse(store.label()).expect("parses");
        assert_eq!(back.label(), store.label());
        assert_eq!(back.kind(), store.kind());
        assert_eq!(back.class(), store.class());
    }
    assert_eq!(BuiltInStore::parse(" MariaDB ").ok(), Some(named("mysql")));
    assert_eq!(
        BuiltInStore::parse("sdk").ok(),
        Some(BuiltInStore::file(StoreFormat::PhpSdk))
    );
    assert_eq!(
        BuiltInStore::parse("SDK_TOKENS").ok(),
        Some(BuiltInStore::sdk_csv())
    );
    let e = BuiltInStore::parse("postgres").expect_err("refused");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
    assert!(e.message().contains("postgres"), "{e}");
    assert!(e.message().contains("csv, php, json, mysql, redis"), "{e}");
}

#[test]
fn entries_are_named_once_and_say_what_they_are() {
    // (A build without a store's feature lists it once per entry it left out.)
    let names: Vec<_> = BuiltInStore::all()
        .filter(|s| s.0.open.is_some())
        .map(|s| s.0.name)
        .collect();
    for (i, name) in names.iter().enumerate() {
        assert!(!names[i + 1..].contains(name), "{name} twice");
    }
    for store in BuiltInStore::all() {
        assert_eq!(store.is_shared(), !store.is_file(), "{store:?}");
        assert_eq!(
            store.is_shared(),
            BuiltInStore::shared_kind(store.kind().name()),
            "{store:?}"
        );
        let format = store.file_format();
        assert_eq!(format.map(BuiltInStore::file), format.map(|_| store));
    }
    assert_eq!(
        BuiltInStore::shared_kind(" MariaDB "),
        cfg!(feature = "mysql")
    );
    assert!(!BuiltInStore::shared_kind("file"));
    assert!(!BuiltInStore::shared_kind("postgres"));
}

/// A store of this test: a memory store, opened from any configuration.
impl OpenFromConfig for MemoryStore {
    fn open_from(_: &Config) -> Result<MemoryStore> {
        Ok(MemoryStore::new())
    }
}

/// A new store's entry, as its folder would declare it.
static MEMORY_ENTRY: StoreEntry =
    StoreEntry::new::<MemoryStore>("memory", "memory", StoreClass::Shared);

/// The selector's table with one more line.
static WITH_A_NEW_STORE: &[&StoreEntry] = &[
    &crate::store::sdk_csv::ENTRY,
    &crate::store::file::PHP_ENTRY,
    &crate::store::file::JSON_ENTRY,
    &MEMORY_ENTRY,
];

/// What CONTRIBUTING.md promises: a store declared in its folder plus one line in the table
/// is selected by its `token_store`, parsed from its label, opened with the built-in
/// defaults, and named in the error for an unknown store.
#[test]
fn a_new_store_is_its_entry_plus_one_line_in_the_table() {
    let config = base().with_store_kind(StoreKind::parse("memory").expect("a word"));
    assert!(BuiltInStore::of(&config).is_err(), "not in the real table");
    let chosen = select_in(WITH_A_NEW_STORE, &config).expect("selected");
    assert_eq!(chosen.label(), "memory");
    assert!(chosen.is_shared());
    let store = chosen.open(&config).expect("opens");
    assert_eq!(store.defaults(), StoreDefaults::BUILT_IN);
    assert_eq!(parse_in(WITH_A_NEW_STORE, " Memory ").ok(), Some(chosen));
    let other = base().with_store_kind(StoreKind::parse("redis").expect("a word"));
    let e = select_in(WITH_A_NEW_STORE, &other).expect_err("not in this table");
    assert!(e.message().contains("file or memory"), "{e}");
}

#[test]
fn a_store_left_out_of_the_build_is_refused_by_name() {
    let left_out = StoreEntry::left_out("redis");
    assert!(left_out.open.is_none());
    static LEFT_OUT: StoreEntry = StoreEntry::left_out("redis");
    let e = BuiltInStore(&LEFT_OUT)
        .open(&base())
        .err()
        .expect("left out");
    assert_eq!(e.kind(), ErrorKind::ConfigInvalid, "{e}");
    assert!(e.message().contains("has no redis store"), "{e}");
    assert!(
        e.hint().is_some_and(|h| h.contains("feature `redis`")),
        "{e}"
    );
}
