//! `GET /oauth/user/info` (Zoho's legacy user info) and `GET /oauth/v2/userinfo` (OIDC).

use serde_json::json;

use crate::dispatch::Ctx;
use crate::http::{Request, Response};
use crate::params::bearer_token;
use crate::state::User;

/// The user and scopes behind the request's access token, if it is live in this DC.
pub fn token_user(ctx: &Ctx<'_>, req: &Request) -> Option<(User, Vec<String>)> {
    let token = bearer_token(req)?;
    let inner = ctx.shared.lock();
    let at = inner.state.access_token(&token, ctx.dc, ctx.now_ms)?;
    let user = inner.state.user(&at.owner.user)?.clone();
    Some((user, at.owner.scopes.clone()))
}

fn has_profile_scope(scopes: &[String]) -> bool {
    scopes.iter().any(|s| {
        s.eq_ignore_ascii_case("AaaServer.profile.READ")
            || s.eq_ignore_ascii_case("AaaServer.profile.ALL")
    })
}

fn error(cause: &str) -> Response {
    Response::json(401, &json!({"response": "error", "cause": cause}))
}

/// `GET /oauth/user/info`: needs the `AaaServer.profile.READ` scope.
pub fn handle(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("user_info");
    let Some((user, scopes)) = token_user(ctx, req) else {
        return error("INVALID_OAUTHTOKEN");
    };
    if !has_profile_scope(&scopes) {
        return error("INVALID_OAUTHSCOPE");
    }
    Response::json(
        200,
        &json!({
            "First_Name": user.first_name,
            "Email": user.email,
            "Last_Name": user.last_name,
            "Display_Name": user.display_name,
            "ZUID": user.zuid,
        }),
    )
}

/// `GET /oauth/v2/userinfo`: OIDC-style claims (body shape is an assumption).
pub fn handle_oidc(ctx: &Ctx<'_>, req: &Request) -> Response {
    ctx.bump("user_info");
    let Some((user, _)) = token_user(ctx, req) else {
        return error("INVALID_OAUTHTOKEN");
    };
    Response::json(
        200,
        &json!({
            "sub": user.zuid.to_string(),
            "email": user.email,
            "email_verified": true,
            "name": user.display_name,
            "first_name": user.first_name,
            "last_name": user.last_name,
        }),
    )
}
