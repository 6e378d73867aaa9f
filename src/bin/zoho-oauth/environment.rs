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
];
