//! `rekey`: every user rewritten now in the form the configuration writes (the core's
//! `zoho_oauth::seal::rekey`), then checked: a user still in another form is a failure.

use serde_json::json;
use zoho_oauth::TokenStore;
use zoho_oauth::config::EncryptionMode;
use zoho_oauth::seal::rekey::{is_current, rekey as rekey_all};

use crate::config::Settings;
use crate::exit::{Class, Failure};
use crate::output::Output;

/// Runs `rekey` on the configured store.
pub fn rekey(settings: &Settings, out: Output) -> Result<(), Failure> {
    let store = settings.sealed_store()?;
    let wait = settings.config_without_secret()?.policy().lock_timeout();
    let done = rekey_all(&store, wait)?;
    let left = store
        .inner()
        .list()?
        .iter()
        .filter(|t| !is_current(&store, t))
        .count();
    let form = match store
        .keys()
        .sealing_id()
        .filter(|_| store.mode() == EncryptionMode::On)
    {
        Some(id) => format!("sealed with key {id}"),
        None => "in clear".to_string(),
    };
    if left > 0 {
        return Err(Failure::new(
            Class::Store,
            format!("{left} user(s) of {} are not {form} yet: they changed while rekey ran", store.describe()),
        )
        .with_hint("run zoho-oauth rekey again; check that every host has the same token_encryption_key_file"));
    }
    out.result(
        &format!(
            "Rewrote {} user(s) of {}, {form}; {} already were.",
            done.rewritten.len(),
            store.describe(),
            done.already
        ),
        json!({
            "rewritten": done.rewritten,
            "already": done.already,
            "store": store.describe(),
            "mode": store.mode().name(),
            "key_id": store.keys().sealing_id().map(|id| id.hex()),
        }),
    );
    Ok(())
}
