//! The Zoho endpoints.

pub mod auth;
pub mod resource;
pub mod revoke;
pub mod token;
pub mod user_info;

use serde_json::json;

use crate::DATA_CENTRES;
use crate::dispatch::Ctx;
use crate::http::{Request, Response};

/// Dispatches a non-admin request by path (without DC prefix).
pub fn route(ctx: &Ctx<'_>, req: &Request, path: &str) -> Response {
    let path = match path.strip_suffix('/') {
        Some(p) if !p.is_empty() => p,
        _ => path,
    };
    match path {
        "/oauth/v2/auth" => auth::handle(ctx, req),
        "/oauth/v2/token" => token::handle(ctx, req),
        "/oauth/v2/token/revoke" | "/oauth/v2/revoke/token" => revoke::handle(ctx, req),
        "/oauth/user/info" => user_info::handle(ctx, req),
        "/oauth/v2/userinfo" => user_info::handle_oidc(ctx, req),
        "/oauth/serverinfo" => serverinfo(ctx),
        p if resource::matches(p) => resource::handle(ctx, req),
        _ => {
            ctx.bump("not_found");
            Response::json(404, &json!({"error": "not_found", "path": path}))
        }
    }
}

/// `GET /oauth/serverinfo`: every data centre's accounts URL.
fn serverinfo(ctx: &Ctx<'_>) -> Response {
    ctx.bump("serverinfo");
    let locations: serde_json::Map<String, serde_json::Value> = DATA_CENTRES
        .iter()
        .map(|dc| (dc.to_string(), json!(ctx.shared.dc_url(dc))))
        .collect();
    Response::json(200, &json!({"result": "success", "locations": locations}))
}
