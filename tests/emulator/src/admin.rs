//! The admin interface under `/_emulator/` (root only): JSON in, JSON out. Admin requests
//! are neither counted nor logged.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::http::{Request, Response};
use crate::shared::Shared;
use crate::spec::{ClientSpec, FaultSpec, GrantSpec, Settings, TokenSpec, UserSpec};

/// `POST /_emulator/grant` body: a [`GrantSpec`] plus an optional fixed `code`.
#[derive(Deserialize)]
struct GrantRequest {
    #[serde(flatten)]
    grant: GrantSpec,
    #[serde(default)]
    code: Option<String>,
}

/// `POST /_emulator/clock` body.
#[derive(Deserialize)]
struct ClockRequest {
    #[serde(default)]
    advance_secs: Option<i64>,
    #[serde(default)]
    set_ms: Option<i64>,
}

fn ok() -> Response {
    Response::json(200, &json!({"status": "ok"}))
}

fn bad(message: impl std::fmt::Display) -> Response {
    Response::json(400, &json!({"error": message.to_string()}))
}

fn parse<T: DeserializeOwned>(req: &Request) -> Result<T, Response> {
    serde_json::from_slice(&req.body).map_err(|e| bad(format!("invalid JSON: {e}")))
}

/// Handles an admin request.
pub fn handle(shared: &Shared, req: &Request) -> Response {
    let name = req.path.trim_start_matches("/_emulator").trim_matches('/');
    let result = match (req.method.as_str(), name) {
        ("POST", "clients") => {
            parse::<ClientSpec>(req).map(|c| result(shared.lock().state.add_client(c)))
        }
        ("POST", "users") => parse::<UserSpec>(req).map(|u| add_user(shared, u)),
        ("POST", "grant") => parse::<GrantRequest>(req).map(|g| grant(shared, g)),
        ("POST", "refresh_tokens") => {
            parse::<TokenSpec>(req).map(|t| result(shared.import_refresh_token(t)))
        }
        ("POST", "access_tokens") => {
            parse::<TokenSpec>(req).map(|t| result(shared.import_access_token(t)))
        }
        ("GET", "clock") => Ok(clock_reply(shared)),
        ("POST", "clock") => parse::<ClockRequest>(req).map(|c| clock(shared, c)),
        ("GET", "faults") => Ok(Response::json_of(200, &shared.lock().faults.pending())),
        ("POST", "faults") => parse::<FaultSpec>(req).map(|f| result(shared.lock().faults.push(f))),
        ("GET", "requests") => Ok(Response::json_of(200, &shared.lock().metrics.requests())),
        ("GET", "counters") => Ok(Response::json_of(200, &shared.lock().metrics.counters())),
        ("GET", "settings") => Ok(Response::json_of(200, &shared.lock().settings)),
        ("POST", "settings") => parse::<Value>(req).map(|v| merge_settings(shared, v)),
        ("POST", "reset") => {
            shared.reset();
            Ok(ok())
        }
        _ => Ok(Response::json(
            404,
            &json!({"error": "unknown admin endpoint"}),
        )),
    };
    result.unwrap_or_else(|e| e)
}

fn result(r: Result<(), String>) -> Response {
    match r {
        Ok(()) => ok(),
        Err(e) => bad(e),
    }
}

fn add_user(shared: &Shared, spec: UserSpec) -> Response {
    match shared.lock().state.add_user(spec) {
        Ok(u) => Response::json(
            200,
            &json!({"status": "ok", "zuid": u.zuid, "data_centre": u.dc}),
        ),
        Err(e) => bad(e),
    }
}

fn grant(shared: &Shared, req: GrantRequest) -> Response {
    match shared.mint_grant(req.grant, req.code) {
        Ok(code) => Response::json(200, &json!({ "code": code })),
        Err(e) => bad(e),
    }
}

fn clock_reply(shared: &Shared) -> Response {
    Response::json(200, &json!({"now_ms": shared.clock.now_ms()}))
}

fn clock(shared: &Shared, req: ClockRequest) -> Response {
    match (req.advance_secs, req.set_ms) {
        (Some(secs), None) => shared.clock.advance_secs(secs),
        (None, Some(ms)) => shared.clock.set_ms(ms),
        _ => return bad("give exactly one of advance_secs or set_ms"),
    }
    clock_reply(shared)
}

/// Merges the given keys into the current settings.
fn merge_settings(shared: &Shared, patch: Value) -> Response {
    let mut inner = shared.lock();
    let Value::Object(patch) = patch else {
        return bad("settings must be a JSON object");
    };
    let mut current = match serde_json::to_value(&inner.settings) {
        Ok(Value::Object(m)) => m,
        _ => return bad("settings could not be serialised"),
    };
    for (k, v) in patch {
        if !current.contains_key(&k) {
            return bad(format!("unknown setting {k:?}"));
        }
        current.insert(k, v);
    }
    match serde_json::from_value::<Settings>(Value::Object(current)) {
        Ok(s) => {
            inner.settings = s;
            Response::json_of(200, &inner.settings)
        }
        Err(e) => bad(format!("invalid settings: {e}")),
    }
}
