//! The environment variables the tool reads, each setting an SDK configuration key.

/// Environment variables and the SDK key each one sets.
pub const ENV_VARS: &[(&str, &str)] = &[
    ("ZOHO_CLIENT_ID", "client_id"),
    ("ZOHO_CLIENT_SECRET", "client_secret"),
    ("ZOHO_REDIRECT_URI", "redirect_uri"),
    ("ZOHO_DATA_CENTRE", "data_centre"),
    ("ZOHO_DATA_CENTER", "data_centre"),
    ("ZOHO_ACCOUNTS_URL", "accounts_url"),
    ("ZOHO_TOKEN_DIR", "token_persistence_path"),
    ("ZOHO_STORE_FORMAT", "token_store_format"),
    ("ZOHO_CURRENT_USER_EMAIL", "currentUserEmail"),
    ("ZOHO_SCOPE", "scope"),
    ("ZOHO_DB_PASSWORD", "db_password"),
    (
        "ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE",
        "token_encryption_key_file",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_variable_sets_a_core_key_or_the_tools_own() {
        for (var, key) in ENV_VARS {
            assert!(
                zoho_oauth::config::is_known_key(key) || crate::config_file::CLI_KEYS.contains(key),
                "{var} sets {key}, which neither the core nor the tool reads"
            );
        }
    }
}
