//! The one selector: [`BuiltInStore`] names every store of this library, and
//! [`BuiltInStore::of`] is the only place that decides which of them a configuration means
//! ([`super::open`] opens it; the doors ask it for labels and sides). A new store is a new
//! folder under `src/store/` plus one variant here and one arm in [`super::open`].

use crate::config::{Config, StoreFormat, StoreKind};
use crate::error::{Error, ErrorKind, Result};

/// Every built-in token store.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BuiltInStore {
    /// The token file in the old PHP SDK's format (`zcrm_oauthtokens.txt`).
    PhpFile,
    /// The token file in our JSON format.
    JsonFile,
    /// The current SDKs' CSV token file (`sdk_tokens.txt`).
    SdkCsv,
    /// A MySQL/MariaDB table in the old SDK's layout (`oauthtokens`, four columns).
    Mysql,
    /// A MySQL/MariaDB table in the current SDKs' layout (`oauthtoken`, ten columns).
    MysqlOauthtoken,
    /// Redis, one key per user.
    Redis,
}

impl BuiltInStore {
    /// Every built-in store.
    pub const ALL: [BuiltInStore; 6] = [
        BuiltInStore::PhpFile,
        BuiltInStore::JsonFile,
        BuiltInStore::SdkCsv,
        BuiltInStore::Mysql,
        BuiltInStore::MysqlOauthtoken,
        BuiltInStore::Redis,
    ];

    /// The store `config` means: the CSV when `token_persistence_path` names `sdk_tokens.txt`
    /// (with the file store selected), else by [`StoreChoice::kind`](crate::config::StoreChoice::kind): the token file in
    /// `token_store_format`, MySQL (the `oauthtoken` layout when `mysql_table` is
    /// `oauthtoken`) or Redis. A configuration that names no store is an
    /// [`ErrorKind::ConfigMissing`] error (no store is guessed). (`token_store=file` without
    /// `token_persistence_path` means the token file; opening it is that error.)
    pub fn of(config: &Config) -> Result<BuiltInStore> {
        if super::sdk_csv::configured_path(config).is_some() {
            return Ok(BuiltInStore::SdkCsv);
        }
        match config.store().kind().ok_or_else(no_store)? {
            StoreKind::File => Ok(BuiltInStore::file(config.store().format())),
            StoreKind::Mysql if names_oauthtoken(config) => Ok(BuiltInStore::MysqlOauthtoken),
            StoreKind::Mysql => Ok(BuiltInStore::Mysql),
            StoreKind::Redis => Ok(BuiltInStore::Redis),
        }
    }

    /// The token file in `format`.
    pub fn file(format: StoreFormat) -> BuiltInStore {
        match format {
            StoreFormat::PhpSdk => BuiltInStore::PhpFile,
            StoreFormat::Json => BuiltInStore::JsonFile,
        }
    }

    /// The store a label names (a side of `migrate`): `csv` (or `sdk_tokens`), `mysql` (or
    /// `mariadb`; the table layout then comes from `mysql_table`, see [`BuiltInStore::of`]),
    /// `redis`, or a token file format as [`StoreFormat::parse`] reads it (`php`, `json`).
    pub fn parse(label: &str) -> Result<BuiltInStore> {
        match label.trim().to_ascii_lowercase().as_str() {
            "csv" | "sdk_tokens" => Ok(BuiltInStore::SdkCsv),
            "mysql" | "mariadb" => Ok(BuiltInStore::Mysql),
            "redis" => Ok(BuiltInStore::Redis),
            other => StoreFormat::parse(other).map(BuiltInStore::file),
        }
    }

    /// The stable label outputs show: `php`, `json`, `csv`, `mysql` (both table layouts) or
    /// `redis`; [`BuiltInStore::parse`] reads it back.
    pub fn label(self) -> &'static str {
        match self {
            BuiltInStore::PhpFile => StoreFormat::PhpSdk.name(),
            BuiltInStore::JsonFile => StoreFormat::Json.name(),
            BuiltInStore::SdkCsv => "csv",
            BuiltInStore::Mysql | BuiltInStore::MysqlOauthtoken => StoreKind::Mysql.name(),
            BuiltInStore::Redis => StoreKind::Redis.name(),
        }
    }

    /// The `token_store` value that selects it (`file` for the three token files).
    pub fn kind(self) -> StoreKind {
        match self {
            BuiltInStore::PhpFile | BuiltInStore::JsonFile | BuiltInStore::SdkCsv => {
                StoreKind::File
            }
            BuiltInStore::Mysql | BuiltInStore::MysqlOauthtoken => StoreKind::Mysql,
            BuiltInStore::Redis => StoreKind::Redis,
        }
    }

    /// The format of our token file, for [`BuiltInStore::PhpFile`] and
    /// [`BuiltInStore::JsonFile`].
    pub fn file_format(self) -> Option<StoreFormat> {
        match self {
            BuiltInStore::PhpFile => Some(StoreFormat::PhpSdk),
            BuiltInStore::JsonFile => Some(StoreFormat::Json),
            _ => None,
        }
    }

    /// Whether it is a file on this machine (our token file or the SDK's CSV).
    pub fn is_file(self) -> bool {
        self.kind() == StoreKind::File
    }

    /// Whether several machines share it (MySQL, Redis).
    pub fn is_shared(self) -> bool {
        self.kind().is_shared()
    }
}

/// The table name that selects the current SDKs' layout.
const OAUTHTOKEN_TABLE: &str = "oauthtoken";

/// Whether `mysql_table` names the current SDKs' `oauthtoken` table.
fn names_oauthtoken(config: &Config) -> bool {
    config
        .store()
        .settings()
        .get("mysql_table")
        .is_some_and(|t| t.eq_ignore_ascii_case(OAUTHTOKEN_TABLE))
}

/// The error for a configuration that names no store.
fn no_store() -> Error {
    Error::new(
        ErrorKind::ConfigMissing,
        "no token store is configured: token_persistence_path or token_store is mandatory",
    )
    .with_hint(NO_STORE_HINT)
}

/// What to set when no store is configured.
const NO_STORE_HINT: &str = "set token_persistence_path to a directory the application owns (the token file zcrm_oauthtokens.txt is kept there), or token_store=mysql or token_store=redis with that store's keys";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::StoreSettings;

    fn base() -> Config {
        Config::new("1000.ID", "s3cr3t", "https://example.com/cb")
    }

    #[test]
    fn each_configuration_means_one_store() {
        let dir = tempfile::tempdir().expect("dir");
        let table = |t: &str| StoreSettings::new().with("mysql_table", t).expect("set");
        let cases = [
            (
                base().with_token_persistence_path(dir.path()),
                BuiltInStore::PhpFile,
            ),
            (
                base()
                    .with_token_persistence_path(dir.path())
                    .with_token_store_format(StoreFormat::Json),
                BuiltInStore::JsonFile,
            ),
            (
                base().with_token_persistence_path(dir.path().join("sdk_tokens.txt")),
                BuiltInStore::SdkCsv,
            ),
            (
                base().with_store_kind(StoreKind::Mysql),
                BuiltInStore::Mysql,
            ),
            (
                base()
                    .with_store_kind(StoreKind::Mysql)
                    .with_store_settings(table("OAuthToken")),
                BuiltInStore::MysqlOauthtoken,
            ),
            (
                base()
                    .with_store_kind(StoreKind::Mysql)
                    .with_store_settings(table("oauthtokens")),
                BuiltInStore::Mysql,
            ),
            (
                base()
                    .with_token_persistence_path(dir.path().join("sdk_tokens.txt"))
                    .with_store_kind(StoreKind::Redis),
                BuiltInStore::Redis,
            ),
        ];
        for (config, expected) in cases {
            assert_eq!(BuiltInStore::of(&config).ok(), Some(expected), "{config:?}");
        }
    }

    #[test]
    fn no_store_is_refused_and_a_file_without_a_path_cannot_be_opened() {
        let e = BuiltInStore::of(&base()).expect_err("no store");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
        let file = base().with_store_kind(StoreKind::File);
        assert_eq!(BuiltInStore::of(&file).ok(), Some(BuiltInStore::PhpFile));
        let e = super::super::open(&file).err().expect("no path");
        assert_eq!(e.kind(), ErrorKind::ConfigMissing, "{e}");
        assert!(e.message().contains("token_persistence_path"), "{e}");
    }

    #[test]
    fn labels_are_stable_and_parse_back() {
        let labels: Vec<_> = BuiltInStore::ALL.iter().map(|s| s.label()).collect();
        assert_eq!(labels, ["php", "json", "csv", "mysql", "mysql", "redis"]);
        for store in BuiltInStore::ALL {
            let back = BuiltInStore::parse(store.label()).expect("parses");
            assert_eq!(back.label(), store.label());
            assert_eq!(back.kind(), store.kind());
        }
        assert_eq!(
            BuiltInStore::parse(" MariaDB ").ok(),
            Some(BuiltInStore::Mysql)
        );
        assert_eq!(BuiltInStore::parse("sdk").ok(), Some(BuiltInStore::PhpFile));
        let e = BuiltInStore::parse("postgres").expect_err("refused");
        assert_eq!(e.kind(), ErrorKind::ConfigInvalid);
        assert!(e.message().contains("postgres"), "{e}");
    }

    #[cfg(feature = "mysql")]
    #[test]
    fn the_selector_and_the_mysql_store_agree_on_the_oauthtoken_table() {
        assert_eq!(OAUTHTOKEN_TABLE, super::super::mysql::oauthtoken::TABLE);
    }
}
