//! [`KEYS`]: every configuration key, one entry each. The order is the order
//! [`crate::Config::from_pairs`] checks required keys and applies the others (a later key
//! wins over an earlier one: `accounts_url` over `data_centre`).

use std::path::PathBuf;

use super::crm::strip_scheme;
use super::keys::{ConfigPart as P, Key, Need, Parser};
use super::parsers::{flag, seconds, store_setting};
use super::store::{StoreKind, parse_recheck};
use super::{EncryptionMode, StoreFormat, split_list, token_path};
use crate::datacentre::DataCentre;
use crate::secret::Secret;

/// An optional key that is not secret and has no CLI environment variable or flag.
const fn key(
    name: &'static str,
    part: P,
    default: &'static str,
    meaning: &'static str,
    parse: Parser,
) -> Key {
    Key {
        name,
        aliases: &[],
        part,
        default,
        secret: false,
        need: Need::Optional,
        env: &[],
        flag: None,
        meaning,
        parse,
    }
}

/// Every configuration key the core reads.
pub const KEYS: &[Key] = &[
    Key {
        need: Need::Always,
        env: &["ZOHO_CLIENT_ID"],
        flag: Some("--client-id"),
        ..key(
            "client_id",
            P::Identity,
            "",
            "The client ID from Zoho's API console (`1000.XXXX`). Absent: `client_id is mandatory`; empty: `client_id value is missing` (the SDK's messages).",
            |c, g| Ok(c.with_client_id(g.value)),
        )
    },
    Key {
        need: Need::ForTokens,
        secret: true,
        env: &["ZOHO_CLIENT_SECRET"],
        ..key(
            "client_secret",
            P::ClientSecret,
            "",
            "The client secret. Required to exchange a grant token or refresh; an authorization URL, user info and the store need none. Never logged, never in an error, sent only form-encoded in POST bodies; the CLI never reads it from the command line.",
            |c, g| Ok(c.with_client_secret(Secret::new(g.value))),
        )
    },
    Key {
        need: Need::Always,
        env: &["ZOHO_REDIRECT_URI"],
        flag: Some("--redirect-uri"),
        ..key(
            "redirect_uri",
            P::Identity,
            "",
            "The redirect URI registered for the client (the CLI's default: `http://localhost:8910/callback`).",
            |c, g| Ok(c.with_redirect_uri(g.value)),
        )
    },
    Key {
        aliases: &["data_center"],
        env: &["ZOHO_DATA_CENTRE", "ZOHO_DATA_CENTER"],
        flag: Some("--dc"),
        ..key(
            "data_centre",
            P::Identity,
            "`us`",
            "`us`, `eu`, `in`, `au`, `jp`, `ca`, `sa`, `uk` or `cn`: picks the accounts server (`accounts.zoho.eu`, `accounts.zohocloud.ca`, ...).",
            |c, g| Ok(c.with_data_centre(DataCentre::from_code(g.value)?)),
        )
    },
    Key {
        env: &["ZOHO_ACCOUNTS_URL"],
        flag: Some("--accounts-url"),
        ..key(
            "accounts_url",
            P::Identity,
            "`https://accounts.zoho.com`",
            "The accounts server: `https://`, plain `http://` only to a loopback host (the emulator). Wins over `data_centre`.",
            |c, g| Ok(c.with_accounts_url(g.value)),
        )
    },
    key(
        "access_type",
        P::Identity,
        "`offline`",
        "`offline` (a refresh token is issued) or `online`; used by the authorization URL.",
        |c, g| Ok(c.with_access_type(g.value)),
    ),
    Key {
        env: &["ZOHO_CURRENT_USER_EMAIL"],
        ..key(
            "currentUserEmail",
            P::Crm,
            "",
            "The default user. After a grant exchange whose user lookup says the grant lacks `AaaServer.profile.READ`, the tokens are saved under it.",
            |mut c, g| {
                c.crm.current_user_email = Some(g.value.to_string());
                Ok(c)
            },
        )
    },
    key(
        "sandbox",
        P::Crm,
        "`false`",
        "`true`, `1`, `yes` or `on`: the CRM sandbox (`www` becomes `sandbox` in the CRM API host).",
        |mut c, g| {
            c.crm.sandbox = flag(g.value);
            Ok(c)
        },
    ),
    key(
        "apiBaseUrl",
        P::Crm,
        "the data centre's `www.zohoapis.*`",
        "The CRM API host; a scheme is accepted and stripped.",
        |mut c, g| {
            c.crm.api_base_url = Some(strip_scheme(g.value));
            Ok(c)
        },
    ),
    key(
        "applicationLogFilePath",
        P::Crm,
        "",
        "A directory; SDK-format log lines go to `ZCRMClientLibrary.log` there (UTC times, no secrets).",
        |mut c, g| {
            c.crm.log_directory = Some(PathBuf::from(g.value));
            Ok(c)
        },
    ),
    key(
        "connect_timeout_secs",
        P::Policy,
        "`10`",
        "Connect timeout for the accounts server, in seconds (fractions allowed, above 0, at most 86400).",
        |mut c, g| {
            c.policy.connect_timeout = seconds(g, false)?;
            Ok(c)
        },
    ),
    key(
        "timeout_secs",
        P::Policy,
        "`30`",
        "Total timeout of one request to the accounts server, in seconds: connect, send, headers and body together.",
        |mut c, g| {
            c.policy.request_timeout = seconds(g, false)?;
            Ok(c)
        },
    ),
    key(
        "refresh_margin_secs",
        P::Policy,
        "`60`",
        "Refresh an access token when less than this many seconds are left (0 to 1800).",
        |mut c, g| {
            c.policy.refresh_margin = seconds(g, true)?;
            Ok(c)
        },
    ),
    key(
        "store_recheck_ms",
        P::Policy,
        "`1000` with a built-in store, `0` with a custom one",
        "How long a cached, still-valid token is served from memory without asking the store, in whole milliseconds (0 to 300000).",
        |mut c, g| {
            c.policy.store_recheck = Some(parse_recheck(g.value)?);
            Ok(c)
        },
    ),
    key(
        "lock_timeout_secs",
        P::Policy,
        "`connect_timeout_secs` + `timeout_secs` + 5",
        "The longest a caller whose token has expired waits for another process's refresh of the same user; then `lock_timeout` (405).",
        |mut c, g| {
            c.policy.lock_timeout = Some(seconds(g, false)?);
            Ok(c)
        },
    ),
    key(
        "store_timeout_secs",
        P::Policy,
        "`5`",
        "The longest one call to a shared store (MySQL, Redis) may take, whatever happens inside it; then `store_unavailable` (404).",
        |mut c, g| {
            c.policy.store_timeout = seconds(g, false)?;
            Ok(c)
        },
    ),
    Key {
        env: &["ZOHO_TOKEN_DIR"],
        flag: Some("--token-dir"),
        ..key(
            "token_persistence_path",
            P::StoreChoice,
            "none (the CLI: its data directory)",
            "The directory of the token file (`zcrm_oauthtokens.txt`, or `zoho_oauth_tokens.json`); a path ending in the file's own name names the file, one naming `sdk_tokens.txt` the current SDKs' CSV. A relative path is resolved against `token_base_dir`, or refused.",
            |mut c, g| {
                c.store.path = token_path::resolve(Some(g.value), g.other("token_base_dir"))?;
                Ok(c)
            },
        )
    },
    key(
        "token_base_dir",
        P::StoreChoice,
        "set by each door: the PHP extension from its ini setting, the CLI from its data directory",
        "An absolute directory that a relative `token_persistence_path` is resolved against (read with that key).",
        |c, _| Ok(c),
    ),
    Key {
        env: &["ZOHO_STORE_FORMAT"],
        flag: Some("--store-format"),
        ..key(
            "token_store_format",
            P::StoreChoice,
            "`php`",
            "`php` (the SDK's `zcrm_oauthtokens.txt`) or `json` (`zoho_oauth_tokens.json`, which also keeps `api_domain`, `scope` and the accounts server).",
            |mut c, g| {
                c.store.format = StoreFormat::parse(g.value)?;
                Ok(c)
            },
        )
    },
    key(
        "token_store",
        P::StoreChoice,
        "`file` with a `token_persistence_path`; PHP: `mysql` without one",
        "`file`, `mysql` (or `mariadb`) or `redis`: where tokens live. A configuration naming no store is `config_missing` in Rust, C and the CLI.",
        |mut c, g| {
            c.store.kind = Some(StoreKind::parse(g.value)?);
            Ok(c)
        },
    ),
    key(
        "host_address",
        P::StoreSettings,
        "`localhost`",
        "MySQL: the SDK's server host (TCP, even for `localhost`).",
        store_setting,
    ),
    key(
        "db_port",
        P::StoreSettings,
        "`3306`",
        "MySQL: the SDK's server port.",
        store_setting,
    ),
    key(
        "db_username",
        P::StoreSettings,
        "`root`",
        "MySQL: the SDK's user.",
        store_setting,
    ),
    Key {
        secret: true,
        env: &["ZOHO_DB_PASSWORD"],
        ..key(
            "db_password",
            P::StoreSettings,
            "`\"\"`",
            "MySQL: the SDK's password. Never in errors, logs, `Debug`, `getAllConfigs()` (`[redacted]`) or SQL text.",
            store_setting,
        )
    },
    key(
        "db_name",
        P::StoreSettings,
        "",
        "Ignored, as the SDK ignores it: the database is `zohooauth`. Use `mysql_database`.",
        store_setting,
    ),
    Key {
        secret: true,
        ..key(
            "mysql_url",
            P::StoreSettings,
            "",
            "MySQL: `mysql://user:password@host:port/database`; what it names replaces the SDK keys. May hold a password.",
            store_setting,
        )
    },
    key(
        "mysql_database",
        P::StoreSettings,
        "`zohooauth`",
        "MySQL: the database.",
        store_setting,
    ),
    key(
        "mysql_table",
        P::StoreSettings,
        "`oauthtokens`",
        "MySQL: the table (`oauthtoken`: the current SDKs' layout).",
        store_setting,
    ),
    key(
        "mysql_socket",
        P::StoreSettings,
        "",
        "MySQL: a Unix socket path, used instead of TCP.",
        store_setting,
    ),
    key(
        "mysql_ssl",
        P::StoreSettings,
        "`off`",
        "MySQL: `on` (TLS checked against the public web roots) or the absolute path of a CA PEM file.",
        store_setting,
    ),
    Key {
        secret: true,
        ..key(
            "redis_url",
            P::StoreSettings,
            "`redis://127.0.0.1:6379/0`",
            "Redis: `redis://[user:password@]host[:port][/db]`, `rediss://...` or a Unix socket URL. May hold a password.",
            store_setting,
        )
    },
    key(
        "redis_key_prefix",
        P::StoreSettings,
        "`zoho_oauth:`",
        "Redis: put in front of every key, so several applications share one database.",
        store_setting,
    ),
    key(
        "token_encryption",
        P::Encryption,
        "`on` with a key, else `off`",
        "Encryption at rest of the stored access and refresh tokens (docs/encryption.md): `on` seals every value it saves and opens sealed ones; `read` opens sealed values but saves in clear (the first step of turning it off); `off` neither.",
        |mut c, g| {
            let mode = EncryptionMode::parse(g.value)?;
            c.encryption = std::mem::take(&mut c.encryption).with_mode(mode);
            Ok(c)
        },
    ),
    Key {
        env: &["ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE"],
        ..key(
            "token_encryption_key_file",
            P::Encryption,
            "`ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE`",
            "Comma-separated paths of key files (32 random bytes, raw or base64; `zoho-oauth keygen PATH` writes one), each 0600 or stricter and owned by the process's user or root. The first key seals; every key opens (rotation).",
            |mut c, g| {
                for path in split_list(Some(g.value)) {
                    c.encryption = std::mem::take(&mut c.encryption).with_key_file(path);
                }
                Ok(c)
            },
        )
    },
    Key {
        secret: true,
        ..key(
            "token_encryption_key",
            P::Encryption,
            "",
            "The key itself (base64), comma-separated for several, for a user who insists on a plain value; prefer `token_encryption_key_file`. Treated as a secret everywhere.",
            |mut c, g| {
                for value in split_list(Some(g.value)) {
                    c.encryption =
                        std::mem::take(&mut c.encryption).with_key_value(Secret::new(value));
                }
                Ok(c)
            },
        )
    },
];
