//! `zcrmsdk\crm\setup\restclient\ZCRMRestClient`: the SDK's entry point, reduced to what the
//! OAuth flow uses (initialization and the current user). Not defined when
//! `zoho_oauth.define_rest_client=0`, so Zoho's full SDK can load its own class.

// PHP parameter names are the Rust parameter names (named arguments use them), and the SDK
// spells them in camelCase: `$grantToken`, `$userEmailId`.
#![allow(non_snake_case)]

use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use crate::coerce::StrArg;
use crate::panic::guard;
use crate::{config_state, rest_client_sdk};

/// The SDK's `ZCRMRestClient` (static part).
#[php_class]
#[php(name = "zcrmsdk\\crm\\setup\\restclient\\ZCRMRestClient")]
pub struct ZCRMRestClient;

#[php_impl]
impl ZCRMRestClient {
    /// Checks the mandatory keys (`client_id`, `client_secret`, `redirect_uri`, with the
    /// SDK's messages), sets the current user from `currentUserEmail` when given, and
    /// initializes `ZohoOAuth`.
    pub fn initialize(configuration: &ZendHashTable) -> PhpResult<()> {
        guard(|| {
            crate::sdk_client::reset();
            let init = config_state::initialize(configuration)?;
            if let Some(user) = init.config.crm().current_user_email() {
                config_state::set_current_user_if_changed(user);
            }
            rest_client_sdk::initialize_sdk_config(configuration);
            Ok(())
        })
    }

    /// A static method of the full SDK's `ZCRMRestClient` (`getInstance()`, ...): throws an
    /// `\Error` naming `zoho_oauth.define_rest_client`, the setting that hands the class to
    /// the SDK.
    #[php(name = "__callStatic")]
    pub fn call_static(name: String, arguments: &ZendHashTable) -> PhpResult<()> {
        let _ = arguments;
        Err(rest_client_sdk::missing_method(&name))
    }

    /// Sets the user whose tokens CRM calls use, for this request.
    pub fn set_current_user_email_id(UserEmailId: StrArg) -> PhpResult<()> {
        config_state::set_current_user(UserEmailId.into_option()?.filter(|u| !u.is_empty()));
        Ok(())
    }

    /// The current user: set by `setCurrentUserEmailId()` or `currentUserEmail`; null if
    /// neither.
    #[php(name = "getCurrentUserEmailID")]
    pub fn get_current_user_email_id() -> Option<String> {
        config_state::current_user()
    }
}
