//! The one table of configuration keys (`zoho_oauth::config::KEYS`, `src/config/key_table.rs`)
//! against every document that lists keys, as `cli/tests/error_table.rs` does for error kinds:
//! `docs/configuration.md` (its key table is generated from the table: run this test with
//! `UPDATE_KEY_DOCS=1` to rewrite it), the C header's key list (the doc comment of
//! `zoho_client_new`, which cbindgen copies from `capi/src/client.rs`), the key section of
//! `capi/include/README.md`, and the CLI's key table in `docs/cli.md`; and the defaults the
//! table documents against the code's.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::PathBuf;

use zoho_oauth::config::{KEYS, Key, Need, all_keys};

const BEGIN: &str =
    "<!-- key table: generated from src/config/key_table.rs by tests/config_keys.rs -->";
const END: &str = "<!-- end of key table -->";

fn path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn read(relative: &str) -> String {
    std::fs::read_to_string(path(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// `a`, `b` as code, or `none`.
fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let items: Vec<String> = items.into_iter().map(|i| format!("`{i}`")).collect();
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}

fn row(key: &Key) -> String {
    let name = match key.aliases {
        [] => format!("`{}`", key.name),
        aliases => format!("`{}` (or {})", key.name, code_list(aliases.iter().copied())),
    };
    let default = match (key.need, key.default) {
        (Need::Always, _) => "required".to_string(),
        (Need::ForTokens, _) => "required to exchange or refresh".to_string(),
        (Need::Optional, "") => "none".to_string(),
        (Need::Optional, text) => text.to_string(),
    };
    let secret = if key.secret { "**yes**" } else { "no" };
    format!(
        "| {name} | {} | {} | {default} | {secret} | {} | {} |",
        code_list(key.env.iter().copied()),
        code_list(key.flag),
        key.part.name(),
        key.meaning.replace('|', "\\|"),
    )
}

/// The generated key table, between its markers.
fn generated() -> String {
    let mut text = format!("{BEGIN}\n");
    text.push_str(
        "| key | CLI environment | CLI flag | default | secret | part of `Config` | meaning |\n",
    );
    text.push_str("|---|---|---|---|---|---|---|\n");
    for key in KEYS {
        text.push_str(&row(key));
        text.push('\n');
    }
    text.push_str(END);
    text
}

#[test]
fn docs_configuration_md_has_the_table_of_keys() {
    let file = "docs/configuration.md";
    let text = read(file);
    let start = text.find(BEGIN).expect("the begin marker");
    let end = text.find(END).expect("the end marker") + END.len();
    let now = &text[start..end];
    let want = generated();
    if now != want && std::env::var_os("UPDATE_KEY_DOCS").is_some() {
        let updated = format!("{}{want}{}", &text[..start], &text[end..]);
        std::fs::write(path(file), updated).unwrap();
        return;
    }
    assert!(
        now == want,
        "{file}'s key table differs from src/config/key_table.rs; run UPDATE_KEY_DOCS=1 cargo test --test config_keys"
    );
}

/// Every key name (and alias) written as code in `text`.
fn missing_keys(text: &str) -> Vec<&'static str> {
    all_keys()
        .filter(|k| !text.contains(&format!("`{k}`")))
        .collect()
}

/// The words written as code in `text` that look like a key of ours (snake_case or the
/// SDK's camelCase key names) but are not one.
fn unknown_keys<'t>(text: &'t str, allowed: &[&str]) -> Vec<&'t str> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|w| {
            let key_like = w.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && w.chars().any(|c| c == '_' || c.is_ascii_uppercase())
                && w.chars().next().is_some_and(|c| c.is_ascii_lowercase());
            key_like && !zoho_oauth::config::is_known_key(w) && !allowed.contains(w)
        })
        .collect()
}

/// The lines of `text` from the one starting with `from` up to the first one starting with
/// `to` (excluded).
fn section<'t>(text: &'t str, from: &str, to: &str) -> &'t str {
    let start = text.find(from).unwrap_or_else(|| panic!("{from}"));
    let len = text[start..].find(to).unwrap_or_else(|| panic!("{to}"));
    &text[start..start + len]
}

/// The secret keys, as the documents name them.
fn secret_sentence() -> String {
    let secret: Vec<&str> = KEYS.iter().filter(|k| k.secret).map(|k| k.name).collect();
    code_list(secret.iter().copied())
}

#[test]
fn the_c_header_names_every_key() {
    for header in ["capi/include/zoho_oauth.h", "capi/include/zoho_oauth_ffi.h"] {
        let text = read(header);
        let keys = section(&text, "// Keys (every key", "// On `ZOHO_RESULT_OK`");
        assert_eq!(missing_keys(keys), Vec::<&str>::new(), "{header}");
        assert_eq!(unknown_keys(keys, &[]), Vec::<&str>::new(), "{header}");
        let secret = secret_sentence();
        let (last, secret_list) = secret.rsplit_once(", ").unwrap();
        let sentence = format!("{last} and {secret_list} are secret keys");
        assert!(
            keys.replace("\n// ", " ").contains(&sentence),
            "{header}: {sentence}"
        );
        assert!(
            !keys.to_ascii_lowercase().contains("unsupported"),
            "{header}"
        );
    }
}

#[test]
fn the_c_readme_names_every_key() {
    let text = read("capi/include/README.md");
    // The key list is the paragraph after `### Functions`, up to the next heading.
    let keys = section(&text, "Configuration keys (every key", "\n#");
    assert_eq!(missing_keys(keys), Vec::<&str>::new());
    assert_eq!(unknown_keys(keys, &[]), Vec::<&str>::new());
    let sentence = format!("Secret keys: {}.", secret_sentence());
    assert!(keys.replace('\n', " ").contains(&sentence), "{sentence}");
}

/// The CLI's own keys (`cli/src/config_file.rs`), which the CLI's table lists too.
const CLI_KEYS: [&str; 1] = ["scope"];

#[test]
fn the_clis_key_table_has_the_tables_variables_and_flags() {
    let text = read("docs/cli.md");
    let table = section(&text, "| key | environment | flag | default |", "\n\n");
    for line in table.lines().skip(2) {
        let cells: Vec<&str> = line
            .split(" | ")
            .map(|c| c.trim_matches(['|', ' ']))
            .collect();
        let name = cells[0].split('`').nth(1).unwrap();
        if CLI_KEYS.contains(&name) {
            continue;
        }
        let key = zoho_oauth::config::find_key(name).unwrap_or_else(|| panic!("{name}"));
        assert_eq!(
            cells[1],
            code_list(key.env.iter().copied()),
            "{name}: variables"
        );
        match key.flag {
            Some(flag) => assert_eq!(cells[2], format!("`{flag}`"), "{name}: flag"),
            None => assert!(
                !KEYS
                    .iter()
                    .filter_map(|k| k.flag)
                    .any(|f| cells[2].contains(&format!("`{f}`"))),
                "{name}: no flag of its own"
            ),
        }
    }
    for key in KEYS
        .iter()
        .filter(|k| !k.env.is_empty() || k.flag.is_some())
    {
        assert!(
            table.contains(&format!("| `{}`", key.name)),
            "{} in docs/cli.md",
            key.name
        );
    }
}

/// The default a key documents, without its backticks.
fn documented_default(name: &str) -> String {
    let key = zoho_oauth::config::find_key(name).unwrap();
    key.default.trim_matches('`').to_string()
}

#[test]
fn the_documented_defaults_are_the_codes() {
    let config = zoho_oauth::Config::from_pairs([
        ("client_id", "1000.ID"),
        ("client_secret", "s"),
        ("redirect_uri", "https://e/cb"),
    ])
    .unwrap();
    let secs = |d: std::time::Duration| d.as_secs().to_string();
    for (name, actual) in [
        (
            "connect_timeout_secs",
            secs(config.policy().connect_timeout()),
        ),
        ("timeout_secs", secs(config.policy().request_timeout())),
        (
            "refresh_margin_secs",
            secs(config.policy().refresh_margin()),
        ),
        ("store_timeout_secs", secs(config.policy().store_timeout())),
        ("access_type", config.identity().access_type().to_string()),
        ("accounts_url", config.identity().server().url().to_string()),
        (
            "token_store_format",
            config.store().format().name().to_string(),
        ),
        (
            "data_centre",
            config
                .identity()
                .server()
                .data_centre()
                .unwrap()
                .code()
                .to_string(),
        ),
    ] {
        assert_eq!(documented_default(name), actual, "{name}");
    }
    let recheck = zoho_oauth::config::DEFAULT_STORE_RECHECK
        .as_millis()
        .to_string();
    assert!(documented_default("store_recheck_ms").starts_with(&recheck));
    let slack = zoho_oauth::config::LOCK_TIMEOUT_SLACK.as_secs();
    assert!(documented_default("lock_timeout_secs").ends_with(&format!("+ {slack}")));
}

#[cfg(feature = "redis")]
#[test]
fn the_documented_redis_defaults_are_the_codes() {
    use zoho_oauth::store::redis::{DEFAULT_KEY_PREFIX, DEFAULT_URL};
    assert_eq!(documented_default("redis_url"), DEFAULT_URL);
    assert_eq!(documented_default("redis_key_prefix"), DEFAULT_KEY_PREFIX);
}
