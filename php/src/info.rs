//! The extension's section in `phpinfo()` and `php -i`.

use ext_php_rs::zend::ModuleEntry;
use ext_php_rs::{info_table_end, info_table_row, info_table_start};

use crate::{clients, ini};

/// Prints the extension's `phpinfo()` table: support, versions, settings and this process's
/// counters (`zoho_oauth_stats()`).
///
/// Called by PHP with its module entry; it only prints.
pub extern "C" fn module_info(_module: *mut ModuleEntry) {
    let rest_client = if ini::defines_rest_client() { "1" } else { "0" };
    let crm_exception = if ini::defines_crm_exception() {
        "1"
    } else {
        "0"
    };
    let (kept, built, reused) = clients::statistics();
    info_table_start!();
    info_table_row!("zoho_oauth support", "enabled");
    info_table_row!("extension version", crate::EXTENSION_VERSION);
    info_table_row!("zoho-oauth core version", zoho_oauth::VERSION);
    info_table_row!("classes", "zcrmsdk\\oauth\\* (Zoho PHP SDK 2.x OAuth API)");
    info_table_row!(ini::DEFINE_REST_CLIENT, rest_client);
    info_table_row!(ini::DEFINE_CRM_EXCEPTION, crm_exception);
    let base = ini::token_base_dir().unwrap_or_else(|| "(not set)".into());
    info_table_row!(ini::TOKEN_BASE_DIR, base);
    info_table_row!("clients kept in this process", kept.to_string());
    info_table_row!("clients built in this process", built.to_string());
    info_table_row!("client re-uses in this process", reused.to_string());
    info_table_row!(
        "configurations parsed in this process",
        crate::config_memo::parsed().to_string()
    );
    for (name, value) in crate::stats::info_rows() {
        info_table_row!(name, value);
    }
    info_table_end!();
}
