//! `GET /oauth/v2/auth`: the authorisation request. No person clicks: consent comes from
//! `Settings::auto_consent` or the `emulator_consent=allow|deny` query flag.

use crate::dispatch::Ctx;
use crate::http::{Request, Response};
use crate::ids::{url_encode, zoho_token};
use crate::params::Params;
use crate::shared::{Inner, scope_allowed};
use crate::spec::ClientSpec;
use crate::state::{DEFAULT_USER, Grant, Owner, State, User, split_scopes};

/// Handles an authorisation request.
pub fn handle(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("auth");
    let p = Params::of(req);
    let client = ctx
        .shared
        .lock()
        .state
        .client(p.get("client_id").unwrap_or(""))
        .cloned();
    let Some(client) = client else {
        return Response::html(400, "Invalid Client", "The client id is not registered.");
    };
    let redirect = p.get("redirect_uri").unwrap_or("");
    if !client.redirect_uris.iter().any(|r| r == redirect) {
        return Response::html(
            400,
            "Invalid Redirect Uri",
            "The redirect URI is not registered for this client.",
        );
    }
    let state = p.get("state");
    match decide(ctx, &p, &client) {
        Ok(Some(query)) => Response::redirect(&with_query(redirect, &query, state, ctx)),
        Ok(None) => Response::html(
            200,
            "Consent",
            "Allow this application to access your Zoho account?",
        ),
        Err(error) => {
            Response::redirect(&with_query(redirect, &format!("error={error}"), state, ctx))
        }
    }
}

/// The redirect query (`code=...&location=...&accounts-server=...`), `None` while waiting
/// for consent, or an OAuth error code.
fn decide(ctx: &Ctx<'_>, p: &Params, client: &ClientSpec) -> Result<Option<String>, String> {
    let scopes = requested_scopes(p, client)?;
    let mut inner = ctx.shared.lock();
    if !consented(p, inner.settings.auto_consent)? {
        return Ok(None);
    }
    let email = p.get("emulator_user").unwrap_or(DEFAULT_USER);
    let user = inner
        .state
        .ensure_user(email, ctx.dc)
        .map_err(|_| "invalid_request".to_string())?;
    if !client.data_centres.contains(&user.dc) {
        return Err("unauthorized_client".to_string());
    }
    let code = issue_code(ctx, &mut inner, p, client, &user, scopes);
    let server = url_encode(&ctx.shared.dc_url(&user.dc));
    Ok(Some(format!(
        "code={code}&location={}&accounts-server={server}",
        user.dc
    )))
}

/// The requested scopes, or the error for a bad `response_type` or scope list.
fn requested_scopes(p: &Params, client: &ClientSpec) -> Result<Vec<String>, String> {
    if p.get("response_type") != Some("code") {
        return Err("unsupported_response_type".to_string());
    }
    let scopes = split_scopes(p.get("scope").unwrap_or(""));
    if scopes.is_empty() || !scopes.iter().all(|s| scope_allowed(&client.scopes, s)) {
        return Err("invalid_scope".to_string());
    }
    Ok(scopes)
}

/// Whether the (emulated) person consented: `Err` when they refused, `Ok(false)` while the
/// consent page waits.
fn consented(p: &Params, auto_consent: bool) -> Result<bool, String> {
    match p.get("emulator_consent") {
        Some("deny") => Err("access_denied".to_string()),
        Some("allow") => Ok(true),
        _ => Ok(auto_consent),
    }
}

/// Stores a new grant code for `user`'s consent and returns it.
fn issue_code(
    ctx: &Ctx<'_>,
    inner: &mut Inner,
    p: &Params,
    client: &ClientSpec,
    user: &User,
    scopes: Vec<String>,
) -> String {
    let give_refresh = gives_refresh(&mut inner.state, p, &user.key, &client.client_id);
    let grant = Grant {
        owner: Owner {
            client_id: client.client_id.clone(),
            user: user.key.clone(),
            scopes,
            dc: user.dc.clone(),
        },
        give_refresh,
        redirect_uri: p.get("redirect_uri").map(str::to_string),
        expires_at_ms: ctx
            .now_ms
            .saturating_add(grant_ttl_ms(inner.settings.grant_ttl_secs)),
    };
    let code = zoho_token();
    inner.state.add_grant(code.clone(), grant);
    code
}

/// A grant-code lifetime in milliseconds.
fn grant_ttl_ms(secs: u64) -> i64 {
    i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX)
}

/// Whether this consent's code gives a refresh token: Zoho issues one on the user's first
/// `access_type=offline` consent to the client (online consents do not count), and on
/// every offline consent with `prompt=consent`.
fn gives_refresh(state: &mut State, p: &Params, user: &str, client_id: &str) -> bool {
    if p.get("access_type") != Some("offline") {
        return false;
    }
    let first_offline = state.record_offline_consent(user, client_id);
    first_offline || p.get("prompt") == Some("consent")
}

/// Appends `query`, then `state`, to the redirect URI (and Zoho's trailing `&` if set).
fn with_query(redirect: &str, query: &str, state: Option<&str>, ctx: &Ctx<'_>) -> String {
    let sep = if redirect.contains('?') { '&' } else { '?' };
    let mut url = format!("{redirect}{sep}{query}");
    if let Some(s) = state {
        url.push_str(&format!("&state={}", url_encode(s)));
    }
    if ctx.shared.lock().settings.trailing_ampersand {
        url.push('&');
    }
    url
}
