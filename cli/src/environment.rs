//! The environment variables the tool reads, each setting a configuration key: the core's
//! table of keys names them ([`zoho_oauth::config::Key::env`]), then the tool's own.

use zoho_oauth::config::KEYS;

/// The tool's own variables (for its own keys, [`crate::config_file::CLI_KEYS`]).
const CLI_ENV_VARS: &[(&str, &str)] = &[("ZOHO_SCOPE", "scope")];

/// Every environment variable and the key it sets, in the core table's order (a later
/// variable for the same key wins), then the tool's own.
pub fn env_vars() -> impl Iterator<Item = (&'static str, &'static str)> {
    KEYS.iter()
        .flat_map(|key| key.env.iter().map(move |var| (*var, key.name)))
        .chain(CLI_ENV_VARS.iter().copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_sets_a_core_key_or_the_tools_own() {
        for (var, key) in env_vars() {
            assert!(var.starts_with("ZOHO_"), "{var}");
            assert!(
                zoho_oauth::config::is_known_key(key)
                    || crate::config_file::CLI_KEYS.contains(&key),
                "{var} sets {key}, which neither the core nor the tool reads"
            );
        }
        let vars: Vec<_> = env_vars().collect();
        for pair in [
            ("ZOHO_TOKEN_DIR", "token_persistence_path"),
            ("ZOHO_DATA_CENTER", "data_centre"),
            ("ZOHO_DB_PASSWORD", "db_password"),
            ("ZOHO_SCOPE", "scope"),
        ] {
            assert!(vars.contains(&pair), "{pair:?}");
        }
        let centre = vars.iter().position(|v| v.0 == "ZOHO_DATA_CENTRE");
        let center = vars.iter().position(|v| v.0 == "ZOHO_DATA_CENTER");
        assert!(centre < center, "ZOHO_DATA_CENTER wins, as before");
    }
}
