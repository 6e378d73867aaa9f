//! `zcrmsdk\oauth\utility\ZohoOAuthConstants`: the SDK's class of constants (configuration
//! keys, OAuth parameter names, header names), with the SDK's names and values, so code that
//! reads them works without the SDK installed. With the SDK installed, the extension's class
//! is the one PHP uses (it is defined first) and holds the same values.

use ext_php_rs::builders::ClassBuilder;
use ext_php_rs::flags::ConstantFlags;

/// The class's fully qualified name.
pub const CLASS_NAME: &str = "zcrmsdk\\oauth\\utility\\ZohoOAuthConstants";

/// The SDK's string constants, in its order (2.x HEAD, `EXPIRES_IN_SEC` and
/// `PERSISTENCE_HANDLER_CLASS_NAME` included).
pub const STRINGS: [(&str, &str); 40] = [
    ("IAM_URL", "accounts_url"),
    ("SCOPES", "scope"),
    ("STATE", "state"),
    ("STATE_OBTAINING_GRANT_TOKEN", "OBTAIN_GRANT_TOKEN"),
    ("RESPONSE_TYPE", "response_type"),
    ("RESPONSE_TYPE_CODE", "code"),
    ("CLIENT_ID", "client_id"),
    ("CLIENT_SECRET", "client_secret"),
    ("REDIRECT_URL", "redirect_uri"),
    ("ACCESS_TYPE", "access_type"),
    ("ACCESS_TYPE_OFFLINE", "offline"),
    ("ACCESS_TYPE_ONLINE", "online"),
    ("PROMPT", "prompt"),
    ("PROMPT_CONSENT", "consent"),
    ("GRANT_TYPE", "grant_type"),
    ("GRANT_TYPE_AUTH_CODE", "authorization_code"),
    ("GRANT_TYPE_REFRESH", "refresh_token"),
    ("CODE", "code"),
    ("GRANT_TOKEN", "grant_token"),
    ("ACCESS_TOKEN", "access_token"),
    ("REFRESH_TOKEN", "refresh_token"),
    ("EXPIRES_IN", "expires_in"),
    ("EXPIRES_IN_SEC", "expires_in_sec"),
    ("EXPIRIY_TIME", "expiry_time"),
    ("PERSISTENCE_HANDLER_CLASS", "persistence_handler_class"),
    (
        "PERSISTENCE_HANDLER_CLASS_NAME",
        "persistence_handler_class_name",
    ),
    ("TOKEN", "token"),
    ("DISPATCH_TO", "dispatchTo"),
    ("OAUTH_TOKENS_PARAM", "oauth_tokens"),
    ("OAUTH_HEADER_PREFIX", "Zoho-oauthtoken "),
    ("AUTHORIZATION", "Authorization"),
    ("REQUEST_METHOD_GET", "GET"),
    ("REQUEST_METHOD_POST", "POST"),
    ("SANDBOX", "sandbox"),
    ("TOKEN_PERSISTENCE_PATH", "token_persistence_path"),
    ("DATABASE_NAME", "db_name"),
    ("DATABASE_PORT", "db_port"),
    ("DATABASE_USERNAME", "db_username"),
    ("DATABASE_PASSWORD", "db_password"),
    ("HOST_ADDRESS", "host_address"),
];

/// `RESPONSECODE_OK`, the SDK's one integer constant.
pub const RESPONSECODE_OK: i64 = 200;

/// Registers the class; must run in MINIT.
pub fn register() -> ext_php_rs::error::Result<()> {
    let mut builder = ClassBuilder::new(CLASS_NAME);
    for (name, value) in STRINGS {
        builder = builder.constant(name, value, &[], ConstantFlags::Public)?;
    }
    builder
        .constant(
            "RESPONSECODE_OK",
            RESPONSECODE_OK,
            &[],
            ConstantFlags::Public,
        )?
        .registration(|_, _| {})
        .register()
}
