//! `POST /oauth/v2/token/revoke` and `POST /oauth/v2/revoke/token`.

use serde_json::json;

use crate::dispatch::Ctx;
use crate::http::{Request, Response};
use crate::params::{Params, basic_auth};

/// Revokes the refresh or access token given as `token` (query or form body). A refresh
/// token takes its access tokens with it. Unknown tokens get HTTP 400.
pub fn handle(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("revoke");
    if !req.method.eq_ignore_ascii_case("POST") {
        return failure(405, "invalid_request");
    }
    let p = Params::of(req);
    let Some(token) = p.get("token") else {
        return failure(400, "invalid_request");
    };
    let client_id = p
        .get("client_id")
        .map(str::to_string)
        .or_else(|| basic_auth(req).map(|b| b.0));
    let mut inner = ctx.shared.lock();
    let owner = inner
        .state
        .refresh
        .get(token)
        .map(|r| r.owner.client_id.clone())
        .or_else(|| {
            inner
                .state
                .access
                .get(token)
                .map(|a| a.owner.client_id.clone())
        });
    if client_id.is_some() && owner.is_some() && client_id != owner {
        return failure(400, "invalid_token");
    }
    if inner.state.revoke(token, ctx.dc) {
        Response::json(200, &json!({"status": "success"}))
    } else {
        failure(400, "invalid_token")
    }
}

fn failure(status: u16, error: &str) -> Response {
    Response::json(status, &json!({"status": "failure", "error": error}))
}
