//! `zoho_client`: the C face of [`OAuthClient`].
#![allow(non_camel_case_types)]

use std::ffi::c_char;

use super::boundary::{call, infallible};
use super::config::{pairs_from_json, read_pairs};
use super::result::zoho_result;
use super::strings::{Out, arg_str, c_string, null_argument, opt_str};
use super::tokens::{zoho_token_list, zoho_tokens};
use zoho_oauth::Config;
use zoho_oauth::Result;
use zoho_oauth::{AuthorizationRequest, OAuthClient};

/// A Zoho OAuth client: one configuration and its token store.
///
/// Create it with `zoho_client_new` or `zoho_client_new_from_json`; free it with
/// `zoho_client_free` once no thread uses it any more.
///
/// Thread safety: one `zoho_client` may be shared by any number of threads and used
/// concurrently without locking. Refreshes are single-flight: when several threads (or
/// processes sharing the token file) need a refresh at once, one asks Zoho and the others
/// use its result.
pub struct zoho_client {
    inner: OAuthClient,
}

/// Borrows the client behind a C pointer.
///
/// # Safety
///
/// `client`, when not NULL, must be a live `zoho_client` that outlives `'a`.
pub(crate) unsafe fn client_ref<'a>(client: *const zoho_client) -> Result<&'a OAuthClient> {
    // SAFETY: the caller's contract.
    unsafe { client.as_ref() }
        .map(|c| &c.inner)
        .ok_or_else(|| null_argument("client"))
}

fn build(pairs: Vec<(String, String)>, out: Out<*mut zoho_client>) -> Result<()> {
    let inner = OAuthClient::from_config(Config::from_pairs(pairs)?)?;
    out.set(Box::into_raw(Box::new(zoho_client { inner })));
    Ok(())
}

/// Creates a client from the SDK's configuration keys, given as `n` key/value pairs in two
/// parallel arrays (`keys[i]` = `values[i]`).
///
/// Keys (every key the library reads; defaults and meanings in `docs/configuration.md`):
/// - required: `client_id`, `client_secret`, `redirect_uri` (a missing key is
///   `ZOHO_RESULT_CONFIG_MISSING` with the SDK's message `client_id is mandatory`);
/// - the store: `token_persistence_path` (the directory of the token file; a relative one is
///   resolved against `token_base_dir`, or refused with `ZOHO_RESULT_CONFIG_INVALID`),
///   `token_store_format` (`php`, the SDK's file `zcrm_oauthtokens.txt`, or `json`) and
///   `token_store` (`file`, `mysql` or `redis`); a configuration naming neither a path nor
///   `token_store` is `ZOHO_RESULT_CONFIG_MISSING` (no store is guessed, no server is
///   connected to);
/// - MySQL or MariaDB (`token_store` = `mysql`, supported): the SDK's `host_address`,
///   `db_port`, `db_username`, `db_password` and `db_name` (ignored, as the SDK ignores it:
///   the database is `zohooauth`), then `mysql_url`, `mysql_database`, `mysql_table`,
///   `mysql_socket`, `mysql_ssl`;
/// - Redis (`token_store` = `redis`): `redis_url`, `redis_key_prefix`;
/// - the accounts server: `data_centre` (or `data_center`: `us`, `eu`, `in`, `au`, `jp`,
///   `ca`, `sa`, `uk`, `cn`), `accounts_url` (https, or http to a loopback host only; wins
///   over `data_centre`), `access_type` (`offline` or `online`);
/// - timing: `connect_timeout_secs`, `timeout_secs`, `refresh_margin_secs` (default 60),
///   `store_recheck_ms`, `lock_timeout_secs`, `store_timeout_secs`;
/// - CRM defaults: `currentUserEmail`, `sandbox`, `apiBaseUrl`, `applicationLogFilePath`;
/// - encryption at rest (`docs/encryption.md`): `token_encryption` (`on`, `read`, `off`),
///   `token_encryption_key_file` (key files, the first seals; or the environment variable
///   `ZOHO_OAUTH_TOKEN_ENCRYPTION_KEY_FILE`), `token_encryption_key`.
///
/// `client_secret`, `db_password`, `mysql_url`, `redis_url` and `token_encryption_key` are
/// secret keys.
/// Unknown keys are ignored; a repeated key keeps its last value.
///
/// On `ZOHO_RESULT_OK`, `*out_client` is a new client that the caller frees with
/// `zoho_client_free`. `keys` and `values` may be NULL only when `n` is 0.
///
/// # Safety
///
/// When `n > 0`, `keys` and `values` must each point to `n` pointers, each NULL or a
/// NUL-terminated string; `out_client` must be NULL or point to a writable `zoho_client *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_new(
    keys: *const *const c_char,
    values: *const *const c_char,
    n: usize,
    out_client: *mut *mut zoho_client,
) -> zoho_result {
    call("zoho_client_new", || {
        // SAFETY: the caller's contract.
        let (out, pairs) = unsafe {
            (
                Out::new(out_client, "out_client")?,
                read_pairs(keys, values, n)?,
            )
        };
        build(pairs, out)
    })
}

/// Creates a client from a JSON object of the same keys as `zoho_client_new`, e.g.
/// `{"client_id":"1000.X","client_secret":"...","redirect_uri":"https://...",
/// "token_persistence_path":"/var/lib/app","refresh_margin_secs":60}`. Values may be
/// strings, numbers or booleans; `null` leaves a key out. Text that is not a JSON object is
/// `ZOHO_RESULT_CONFIG_INVALID`.
///
/// On `ZOHO_RESULT_OK`, `*out_client` is a new client that the caller frees with
/// `zoho_client_free`.
///
/// # Safety
///
/// `json` must be NULL or a NUL-terminated string; `out_client` NULL or a writable
/// `zoho_client *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_new_from_json(
    json: *const c_char,
    out_client: *mut *mut zoho_client,
) -> zoho_result {
    call("zoho_client_new_from_json", || {
        // SAFETY: the caller's contract.
        let (out, json) = unsafe { (Out::new(out_client, "out_client")?, arg_str(json, "json")?) };
        build(pairs_from_json(json)?, out)
    })
}

/// Frees a client. NULL is a no-op. No other thread may use the client during or after
/// this call; using a freed client, or freeing it twice, is undefined behaviour.
///
/// # Safety
///
/// `client` must be NULL or a `zoho_client` from this library, not yet freed.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_free(client: *mut zoho_client) {
    if client.is_null() {
        return;
    }
    // SAFETY: the caller guarantees it came from `zoho_client_new*`.
    infallible((), || drop(unsafe { Box::from_raw(client) }));
}

/// Runs a client call that returns tokens.
///
/// # Safety
///
/// `client` NULL or live; `out` NULL or writable.
unsafe fn tokens_call(
    name: &'static str,
    client: *const zoho_client,
    out: *mut *mut zoho_tokens,
    body: impl FnOnce(&OAuthClient) -> Result<zoho_oauth::Tokens>,
) -> zoho_result {
    call(name, || {
        // SAFETY: forwarded from the exported function's contract.
        let (client, out) = unsafe { (client_ref(client)?, Out::new(out, "out_tokens")?) };
        let tokens = body(client)?;
        out.set(zoho_tokens::boxed(tokens));
        Ok(())
    })
}

/// Exchanges a grant token (the code from the consent redirect or the API console) for
/// tokens, finds the user's e-mail through Zoho's user-info endpoint (the grant needs the
/// `AaaServer.profile.READ` scope), saves the tokens under it and returns them.
///
/// On `ZOHO_RESULT_OK`, `*out_tokens` holds the new tokens; free them with `zoho_tokens_free`.
/// An empty grant token is `ZOHO_RESULT_MISSING_TOKEN`; a used or expired one
/// `ZOHO_RESULT_INVALID_CODE`. When Zoho issued tokens that could not be saved (no profile
/// scope and no `currentUserEmail`, a user lookup that failed for another reason, or a
/// store error), take them with
/// `zoho_last_error_take_unsaved_tokens`: the grant token cannot be used twice.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `grant_token` NULL or a NUL-terminated
/// string; `out_tokens` NULL or a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_generate_access_token(
    client: *const zoho_client,
    grant_token: *const c_char,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        tokens_call(
            "zoho_client_generate_access_token",
            client,
            out_tokens,
            |c| c.generate_access_token(arg_str(grant_token, "grant_token")?),
        )
    }
}

/// Finishes a consent from its redirect: `callback` is the whole callback URL or its query
/// string (`code=...&state=...&accounts-server=...`), `expected_state` the state given to
/// `zoho_client_authorization_url`. Checks the state (in constant time), Zoho's `error`, the
/// code and the accounts server; then exchanges the code at that server (the user's data
/// centre, when it is one of Zoho's or the configured loopback origin), saves the tokens as
/// `zoho_client_generate_access_token` does and returns them in `*out_tokens` (free with
/// `zoho_tokens_free`). A wrong or missing state, a missing code or an untrusted server is
/// `ZOHO_RESULT_INVALID_ARGUMENT` and exchanges nothing; a refused consent is
/// `ZOHO_RESULT_ACCESS_DENIED` (`zoho_last_error_message` names Zoho's error).
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `callback` and `expected_state` NULL or
/// NUL-terminated strings; `out_tokens` NULL or a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_generate_access_token_from_redirect(
    client: *const zoho_client,
    callback: *const c_char,
    expected_state: *const c_char,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        tokens_call(
            "zoho_client_generate_access_token_from_redirect",
            client,
            out_tokens,
            |c| {
                zoho_oauth::policy::exchange_redirect(
                    c,
                    arg_str(callback, "callback")?,
                    arg_str(expected_state, "expected_state")?,
                )
            },
        )
    }
}

/// Gets a new access token from a refresh token, saves the tokens under `user` (any
/// identifier; usually the e-mail) and returns them in `*out_tokens` (free with
/// `zoho_tokens_free`). A revoked or unknown refresh token is `ZOHO_RESULT_INVALID_CODE`.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `refresh_token` and `user` NULL or
/// NUL-terminated strings; `out_tokens` NULL or a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_generate_access_token_from_refresh_token(
    client: *const zoho_client,
    refresh_token: *const c_char,
    user: *const c_char,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        tokens_call(
            "zoho_client_generate_access_token_from_refresh_token",
            client,
            out_tokens,
            |c| {
                let refresh_token = arg_str(refresh_token, "refresh_token")?;
                c.generate_access_token_from_refresh_token(refresh_token, arg_str(user, "user")?)
            },
        )
    }
}

/// Copies a valid access token for `user` into a new string (`*out_access_token`), freed with
/// `zoho_string_free`. This is the call to make before every API request: it answers from
/// memory while more than the refresh margin (`refresh_margin_secs`, default 60 s) is left,
/// and otherwise refreshes once (single-flight across threads and processes) and saves.
/// No stored tokens for `user` is `ZOHO_RESULT_NO_TOKENS`.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `user` NULL or a NUL-terminated string;
/// `out_access_token` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_get_access_token(
    client: *const zoho_client,
    user: *const c_char,
    out_access_token: *mut *mut c_char,
) -> zoho_result {
    call("zoho_client_get_access_token", || {
        // SAFETY: the caller's contract.
        let (client, user, out) = unsafe {
            (
                client_ref(client)?,
                arg_str(user, "user")?,
                Out::new(out_access_token, "out_access_token")?,
            )
        };
        let token = client.get_access_token(user)?;
        out.set(c_string(token.expose(), "access token")?.into_raw());
        Ok(())
    })
}

/// As `zoho_client_get_access_token`, but returns all of `user`'s tokens (refreshed first
/// when stale) in `*out_tokens`, freed with `zoho_tokens_free`.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `user` NULL or a NUL-terminated string;
/// `out_tokens` NULL or a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_get_tokens(
    client: *const zoho_client,
    user: *const c_char,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        tokens_call("zoho_client_get_tokens", client, out_tokens, |c| {
            Ok(c.get_tokens(arg_str(user, "user")?)?.as_ref().clone())
        })
    }
}

/// Refreshes `user`'s access token now, whatever its expiry, saves and returns the tokens in
/// `*out_tokens` (free with `zoho_tokens_free`). A thread that waited for a refresh another
/// thread or process was doing gets that refresh's result. A failed refresh is always an
/// error.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `user` NULL or a NUL-terminated string;
/// `out_tokens` NULL or a writable `zoho_tokens *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_refresh(
    client: *const zoho_client,
    user: *const c_char,
    out_tokens: *mut *mut zoho_tokens,
) -> zoho_result {
    // SAFETY: forwarded.
    unsafe {
        tokens_call("zoho_client_refresh", client, out_tokens, |c| {
            Ok(c.refresh_user(arg_str(user, "user")?)?.as_ref().clone())
        })
    }
}

/// Revokes `user`'s refresh token at Zoho (which also ends every access token minted from
/// it), then deletes the stored tokens. If Zoho refuses, nothing is deleted.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `user` NULL or a NUL-terminated string.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_revoke(
    client: *const zoho_client,
    user: *const c_char,
) -> zoho_result {
    call("zoho_client_revoke", || {
        // SAFETY: the caller's contract.
        let (client, user) = unsafe { (client_ref(client)?, arg_str(user, "user")?) };
        client.revoke(user)
    })
}

/// Deletes `user`'s stored tokens without calling Zoho. `*out_deleted` (when
/// `out_deleted` is not NULL) tells whether there were any.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `user` NULL or a NUL-terminated string;
/// `out_deleted` NULL or a writable `bool`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_delete_tokens(
    client: *const zoho_client,
    user: *const c_char,
    out_deleted: *mut bool,
) -> zoho_result {
    call("zoho_client_delete_tokens", || {
        // SAFETY: the caller's contract.
        let (client, user) = unsafe { (client_ref(client)?, arg_str(user, "user")?) };
        let deleted = client.delete_tokens(user)?;
        // SAFETY: the caller's contract; NULL means "not wanted".
        if let Ok(out) = unsafe { Out::new(out_deleted, "out_deleted") } {
            out.set(deleted);
        }
        Ok(())
    })
}

/// Lists every stored entry (one per user) into `*out_list`, freed with
/// `zoho_token_list_free`; read it with `zoho_token_list_len` and `zoho_token_list_get`.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `out_list` NULL or a writable
/// `zoho_token_list *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_list_tokens(
    client: *const zoho_client,
    out_list: *mut *mut zoho_token_list,
) -> zoho_result {
    call("zoho_client_list_tokens", || {
        // SAFETY: the caller's contract.
        let (client, out) = unsafe { (client_ref(client)?, Out::new(out_list, "out_list")?) };
        let items = client.list_tokens()?;
        out.set(zoho_token_list::boxed(items));
        Ok(())
    })
}

/// Asks Zoho whose access token this is (`/oauth/user/info`, needs the
/// `AaaServer.profile.READ` scope) and copies the user's e-mail into a new string
/// (`*out_email`), freed with `zoho_string_free`.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; `access_token` NULL or a NUL-terminated
/// string; `out_email` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_user_email(
    client: *const zoho_client,
    access_token: *const c_char,
    out_email: *mut *mut c_char,
) -> zoho_result {
    call("zoho_client_user_email", || {
        // SAFETY: the caller's contract.
        let (client, token, out) = unsafe {
            (
                client_ref(client)?,
                arg_str(access_token, "access_token")?,
                Out::new(out_email, "out_email")?,
            )
        };
        let info = client.user_info(token)?;
        out.set(c_string(&info.email, "e-mail")?.into_raw());
        Ok(())
    })
}

/// Builds the URL to send a person to for consent (`<accounts_url>/oauth/v2/auth?...`) and
/// copies it into a new string (`*out_url`), freed with `zoho_string_free`.
///
/// `scopes`: one or more scopes separated by commas, e.g.
/// `"ZohoCRM.modules.ALL,AaaServer.profile.READ"` (none is `ZOHO_RESULT_INVALID_ARGUMENT`).
/// `access_type`: `"offline"`, `"online"`, or NULL for the configured one. `prompt_consent`
/// adds `prompt=consent` (needed for Zoho to issue another refresh token). `state`: NULL, or
/// a value Zoho sends back to the redirect URI.
///
/// # Safety
///
/// `client` must be NULL or a live `zoho_client`; the strings NULL or NUL-terminated;
/// `out_url` NULL or a writable `char *`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn zoho_client_authorization_url(
    client: *const zoho_client,
    scopes: *const c_char,
    access_type: *const c_char,
    prompt_consent: bool,
    state: *const c_char,
    out_url: *mut *mut c_char,
) -> zoho_result {
    call("zoho_client_authorization_url", || {
        // SAFETY: the caller's contract.
        let (client, scopes, access_type, state, out) = unsafe {
            (
                client_ref(client)?,
                arg_str(scopes, "scopes")?,
                opt_str(access_type, "access_type")?,
                opt_str(state, "state")?,
                Out::new(out_url, "out_url")?,
            )
        };
        let request = AuthorizationRequest {
            scopes: scopes.split(',').map(str::to_string).collect(),
            access_type: access_type.map(str::to_string),
            prompt_consent,
            state: state.map(str::to_string),
        };
        let url = client.authorization_url(&request)?;
        out.set(c_string(&url, "authorization URL")?.into_raw());
        Ok(())
    })
}
