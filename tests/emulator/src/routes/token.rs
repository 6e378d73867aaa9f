//! `POST /oauth/v2/token`: authorization_code and refresh_token grants.

use serde::Serialize;
use serde_json::json;

use crate::dispatch::Ctx;
use crate::faults::throttle_reply;
use crate::http::{Request, Response};
use crate::params::{Params, basic_auth};
use crate::spec::Settings;
use crate::tokens::{Issued, TokenError};

/// A failed token request.
enum Fail {
    /// HTTP 200 `{"error": code}`.
    Error(&'static str),
    /// The `Access Denied` throttle reply.
    Throttled,
}

impl From<TokenError> for Fail {
    fn from(e: TokenError) -> Self {
        match e {
            TokenError::InvalidCode => Fail::Error("invalid_code"),
            TokenError::InvalidRedirectUri => Fail::Error("invalid_redirect_uri"),
            TokenError::Throttled => Fail::Throttled,
        }
    }
}

/// The success body; field order follows Zoho's samples.
#[derive(Serialize)]
struct TokenReply {
    access_token: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expires_in_sec: Option<u64>,
    api_domain: String,
    token_type: &'static str,
    expires_in: u64,
}

/// Handles a token request.
pub fn handle(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("token");
    let settings = ctx.shared.lock().settings.clone();
    let result = if req.method.eq_ignore_ascii_case("POST") {
        process(ctx, req, &settings)
    } else {
        Err(Fail::Error("invalid_request"))
    };
    let mut inner = ctx.shared.lock();
    match result {
        Ok((kind, issued)) => {
            inner.metrics.bump(kind);
            drop(inner);
            Response::json_of(200, &reply(ctx, &settings, issued))
        }
        Err(Fail::Error(code)) => {
            inner.metrics.bump("token.error");
            Response::json(200, &json!({ "error": code }))
        }
        Err(Fail::Throttled) => {
            inner.metrics.bump("token.error");
            inner.metrics.bump("throttled");
            throttle_reply(settings.throttle_status)
        }
    }
}

/// Validates the request and mints tokens; returns the counter key and the tokens.
fn process(
    ctx: &Ctx<'_>,
    req: &Request,
    settings: &Settings,
) -> Result<(&'static str, Issued), Fail> {
    let p = Params::of(req);
    let kind = match p.get("grant_type") {
        None => return Err(Fail::Error("invalid_request")),
        Some("authorization_code") => "token.authorization_code",
        Some("refresh_token") => "token.refresh_token",
        Some(_) => return Err(Fail::Error("unsupported_grant_type")),
    };
    let client_id = authenticate(ctx, req, &p)?;
    let mut inner = ctx.shared.lock();
    let state = &mut inner.state;
    let issued = if kind == "token.authorization_code" {
        let code = p.get("code").ok_or(Fail::Error("invalid_request"))?;
        let grant =
            state.redeem_code(code, &client_id, ctx.dc, p.get("redirect_uri"), ctx.now_ms)?;
        state.issue_for_grant(grant, settings, ctx.now_ms)
    } else {
        let token = p
            .get("refresh_token")
            .ok_or(Fail::Error("invalid_request"))?;
        state.refresh(token, &client_id, ctx.dc, settings, ctx.now_ms)?
    };
    Ok((kind, issued))
}

/// Checks client id, data centre and secret (parameters first, then HTTP Basic).
fn authenticate(ctx: &Ctx<'_>, req: &Request, p: &Params) -> Result<String, Fail> {
    let basic = basic_auth(req);
    let client_id = p
        .get("client_id")
        .map(str::to_string)
        .or_else(|| basic.as_ref().map(|b| b.0.clone()))
        .filter(|c| !c.is_empty())
        .ok_or(Fail::Error("invalid_request"))?;
    let inner = ctx.shared.lock();
    let client = inner
        .state
        .client(&client_id)
        .ok_or(Fail::Error("invalid_client"))?;
    if !client.data_centres.iter().any(|d| d == ctx.dc) {
        return Err(Fail::Error("invalid_client"));
    }
    let secret = p
        .get("client_secret")
        .map(str::to_string)
        .or_else(|| basic.map(|b| b.1))
        .filter(|s| !s.is_empty())
        .ok_or(Fail::Error("invalid_request"))?;
    if secret != client.client_secret {
        return Err(Fail::Error("invalid_client_secret"));
    }
    Ok(client_id)
}

fn reply(ctx: &Ctx<'_>, settings: &Settings, issued: Issued) -> TokenReply {
    let api_domain = settings
        .api_domain_override
        .clone()
        .unwrap_or_else(|| ctx.shared.dc_url(&issued.dc));
    let ttl = settings.access_token_ttl_secs;
    let legacy = settings.legacy_expiry;
    TokenReply {
        access_token: issued.access_token,
        refresh_token: issued.refresh_token,
        scope: (!legacy).then(|| issued.scopes.join(" ")),
        expires_in_sec: legacy.then_some(ttl),
        api_domain,
        token_type: "Bearer",
        expires_in: if legacy {
            ttl.saturating_mul(1000)
        } else {
            ttl
        },
    }
}
