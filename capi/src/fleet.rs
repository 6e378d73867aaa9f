//! `zoho_client_metrics`: the fleet's figures for a client's token store (the refresh history
//! kept beside each user's tokens, the store's reachability and round trip), in Prometheus'
//! text format, as `zoho-oauth metrics` prints them.

use std::ffi::c_char;

use super::boundary::call;
use super::client::{client_ref, zoho_client};
use super::result::zoho_result;
use super::strings::{Out, c_string};
use zoho_oauth::history::metrics::render;
use zoho_oauth::history::survey::survey;
use zoho_oauth::{Clock, SystemClock};

/// Surveys the client's token store (every user's tokens and refresh history, the store's
/// reachability and round trip) and copies the figures, in Prometheus' text exposition
/// format (the same text `zoho-oauth metrics` prints; the metrics are listed in
/// `docs/operations.md`), into a new string (`*out_text`), freed with `zoho_string_free`.
/// `user_labels` false leaves the `user` label out (privacy, cardinality). No figure holds a
/// secret or a token. An unreachable store is not an error: its figures say so
/// (`zoho_oauth_store_up 0`).
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `out_text` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_metrics(
    client: *const zoho_client,
    user_labels: bool,
    out_text: *mut *mut c_char,
) -> zoho_result {
    call("zoho_client_metrics", || {
        // SAFETY: the caller's contract.
        let (client, out) = unsafe { (client_ref(client)?, Out::new(out_text, "out_text")?) };
        let seen = survey(client.store().as_ref(), None, SystemClock.now_ms());
        let text = render(&seen, user_labels);
        out.set(c_string(&text, "metrics")?.into_raw());
        Ok(())
    })
}
