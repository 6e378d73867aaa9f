//! Routes one request: admin interface, data-centre prefix, logging, faults, endpoints.

use crate::faults::{self, FaultAction};
use crate::http::{Request, Response};
use crate::shared::Shared;
use crate::spec::LoggedRequest;
use crate::{DATA_CENTRES, admin, routes};

/// Largest body kept in the request log.
const LOGGED_BODY: usize = 64 * 1024;

/// What to do with a request.
#[derive(Debug)]
pub enum Outcome {
    /// Send this reply.
    Reply(Response),
    /// Drop the connection without a reply.
    Reset,
}

/// The endpoint context: which data centre was addressed, and when.
#[derive(Debug)]
pub struct Ctx<'a> {
    /// Shared state.
    pub shared: &'a Shared,
    /// Data centre addressed by the path prefix.
    pub dc: &'a str,
    /// Emulator clock when the request is handled.
    pub now_ms: i64,
}

impl Ctx<'_> {
    /// Adds one to a counter.
    pub fn bump(&self, key: &str) {
        self.shared.lock().metrics.bump(key);
    }
}

/// Splits a leading `/<dc>` prefix off `path`; no prefix is the US data centre.
pub fn split_dc(path: &str) -> (&'static str, &str) {
    let rest = path.strip_prefix('/').unwrap_or(path);
    let (first, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, "/"),
    };
    match DATA_CENTRES.iter().find(|dc| **dc == first) {
        Some(dc) => (dc, tail),
        None => ("us", path),
    }
}

/// Handles one request.
pub fn handle(shared: &Shared, req: &Request) -> Outcome {
    if req.path == "/_emulator" || req.path.starts_with("/_emulator/") {
        return Outcome::Reply(admin::handle(shared, req));
    }
    let (dc, path) = split_dc(&req.path);
    match record(shared, req, dc, path) {
        Some(FaultAction::Reply(r)) => return Outcome::Reply(r),
        Some(FaultAction::Reset) => return Outcome::Reset,
        Some(FaultAction::Delay(ms)) => shared.sleep_ms(ms),
        Some(FaultAction::Stall(ms)) => {
            shared.sleep_ms(ms);
            return Outcome::Reset;
        }
        None => {}
    }
    let ctx = Ctx {
        shared,
        dc,
        now_ms: shared.clock.now_ms(),
    };
    Outcome::Reply(routes::route(&ctx, req, path))
}

/// Counts and logs a non-admin request and takes a matching fault, if any.
fn record(shared: &Shared, req: &Request, dc: &str, path: &str) -> Option<FaultAction> {
    let body = &req.body[..req.body.len().min(LOGGED_BODY)];
    let target = match &req.query {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    };
    let entry = LoggedRequest {
        method: req.method.clone(),
        path: target,
        data_centre: dc.to_string(),
        headers: req.headers.clone(),
        body: String::from_utf8_lossy(body).into_owned(),
        at_ms: shared.clock.now_ms(),
    };
    let mut inner = shared.lock();
    inner.metrics.bump("requests");
    inner.metrics.log(entry);
    let fault = inner
        .faults
        .take(path)
        .or_else(|| faults::random(&inner.settings, path))?;
    inner.metrics.bump("faults_injected");
    inner.metrics.bump(&format!("fault.{}", fault.kind.name()));
    Some(faults::action(&fault, inner.settings.throttle_status))
}

#[cfg(test)]
mod tests {
    use super::split_dc;

    #[test]
    fn prefixes() {
        assert_eq!(split_dc("/oauth/v2/token"), ("us", "/oauth/v2/token"));
        assert_eq!(split_dc("/eu/oauth/v2/token"), ("eu", "/oauth/v2/token"));
        assert_eq!(split_dc("/us/oauth/user/info"), ("us", "/oauth/user/info"));
        assert_eq!(split_dc("/cn"), ("cn", "/"));
        assert_eq!(split_dc("/europe/x"), ("us", "/europe/x"));
    }
}
