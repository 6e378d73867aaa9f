//! The module entry PHP loads (`get_module`). A private module: the items the
//! `#[php_module]` macro generates are exported symbols, not Rust API.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;

use crate::{EXTENSION_NAME, EXTENSION_VERSION, info, startup, stats};

/// This process's counters (see [`stats::process_stats`]): calls served from memory, store
/// reads, refreshes, refresh-lock waits, errors by kind, the fleet cache's age.
#[php_function]
pub fn zoho_oauth_stats() -> PhpResult<ZBox<ZendHashTable>> {
    stats::process_stats()
}

/// The module entry. The crate's package name is replaced by [`EXTENSION_NAME`].
#[php_module]
pub fn get_module(_module: ModuleBuilder) -> ModuleBuilder {
    ModuleBuilder::new(EXTENSION_NAME, EXTENSION_VERSION)
        .startup_function(startup::minit)
        .request_startup_function(startup::rinit)
        .request_shutdown_function(startup::rshutdown)
        .info_function(info::module_info)
        .function(wrap_function!(zoho_oauth_stats))
}
