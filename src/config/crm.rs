//! The CRM defaults the SDK reads from the same configuration: the current user, the
//! sandbox, the API host and the log directory.

use std::path::{Path, PathBuf};

use crate::datacentre::DataCentre;

/// The log file name Zoho's PHP SDK uses inside `applicationLogFilePath`.
pub const SDK_LOG_FILE_NAME: &str = "ZCRMClientLibrary.log";

/// `currentUserEmail`, `sandbox`, `apiBaseUrl` and `applicationLogFilePath`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrmDefaults {
    pub(super) current_user_email: Option<String>,
    pub(super) sandbox: bool,
    pub(super) api_base_url: Option<String>,
    pub(super) log_directory: Option<PathBuf>,
}

impl CrmDefaults {
    /// The user whose tokens the CRM calls use by default (`currentUserEmail`).
    pub fn current_user_email(&self) -> Option<&str> {
        self.current_user_email.as_deref()
    }

    /// True when the CRM sandbox is used (`sandbox` = `true`).
    pub fn sandbox(&self) -> bool {
        self.sandbox
    }

    /// The CRM API host (`apiBaseUrl`), without scheme, e.g. `www.zohoapis.eu`.
    pub fn api_base_url(&self) -> Option<&str> {
        self.api_base_url.as_deref()
    }

    /// The directory of the SDK-format log (`applicationLogFilePath`).
    pub fn log_directory(&self) -> Option<&Path> {
        self.log_directory.as_deref()
    }

    /// The path of the SDK-format log file, when a log directory is set.
    pub fn log_file(&self) -> Option<PathBuf> {
        self.log_directory
            .as_ref()
            .map(|dir| dir.join(SDK_LOG_FILE_NAME))
    }

    /// The CRM API base URL with scheme for a data centre, honouring `sandbox` as the SDK
    /// does (`www` becomes `sandbox`).
    pub fn crm_api_url(&self, dc: Option<DataCentre>) -> String {
        let host = self
            .api_base_url
            .clone()
            .unwrap_or_else(|| strip_scheme(dc.unwrap_or(DataCentre::Us).api_domain()));
        let host = if self.sandbox {
            host.replacen("www", "sandbox", 1)
        } else {
            host
        };
        format!("https://{host}")
    }
}

/// `url` without `https://` or `http://` and without a trailing slash.
pub(super) fn strip_scheme(url: &str) -> String {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    rest.trim_end_matches('/').to_string()
}
