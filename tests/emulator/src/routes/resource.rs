//! A protected resource, `GET /crm/v2/users` (any `/crm/vN/users`), so that tests can
//! prove an access token really works.

use serde_json::json;

use crate::dispatch::Ctx;
use crate::http::{Request, Response};
use crate::params::bearer_token;
use crate::routes::user_info::token_user;

/// Whether `path` is `/crm/v<digits>/users`.
pub fn matches(path: &str) -> bool {
    path.strip_prefix("/crm/v")
        .and_then(|rest| rest.strip_suffix("/users"))
        .is_some_and(|v| !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()))
}

/// Answers with the current user, or CRM's 401 for a bad token.
pub fn handle(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("resource");
    if bearer_token(req).is_none() {
        return Response::json(
            401,
            &json!({"code": "AUTHENTICATION_FAILURE", "details": {}, "message": "Authentication failed", "status": "error"}),
        );
    }
    let Some((user, _)) = token_user(ctx, req) else {
        return Response::json(
            401,
            &json!({"code": "INVALID_TOKEN", "details": {}, "message": "invalid oauth token", "status": "error"}),
        );
    };
    let full_name = format!("{} {}", user.first_name, user.last_name)
        .trim()
        .to_string();
    Response::json(
        200,
        &json!({"users": [{
            "email": user.email,
            "id": user.zuid.to_string(),
            "full_name": full_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
        }]}),
    )
}
