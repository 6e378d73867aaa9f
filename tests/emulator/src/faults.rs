//! Injected faults: a queue of pending faults and the replies they produce.

use serde_json::json;

use crate::http::Response;
use crate::spec::{FaultKind, FaultSpec};

/// What the server does for a faulted request.
#[derive(Debug)]
pub enum FaultAction {
    /// Answer with this instead of the real reply.
    Reply(Response),
    /// Close the connection without answering.
    Reset,
    /// Sleep this many milliseconds, then answer normally.
    Delay(u64),
}

/// Pending faults, applied first-registered first.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Vec<FaultSpec>,
}

impl Faults {
    /// Queues a fault (a zero count is ignored).
    pub fn push(&mut self, fault: FaultSpec) {
        if fault.count > 0 {
            self.pending.push(fault);
        }
    }

    /// The pending faults.
    pub fn pending(&self) -> Vec<FaultSpec> {
        self.pending.clone()
    }

    /// Consumes one use of the first fault matching `path` (without DC prefix).
    pub fn take(&mut self, path: &str) -> Option<FaultKindAndDelay> {
        let idx = self
            .pending
            .iter()
            .position(|f| f.path.as_deref().is_none_or(|p| path.starts_with(p)))?;
        let fault = &mut self.pending[idx];
        fault.count -= 1;
        let taken = (fault.kind, fault.delay_ms);
        if fault.count == 0 {
            self.pending.remove(idx);
        }
        Some(taken)
    }
}

/// A fault's kind and delay.
pub type FaultKindAndDelay = (FaultKind, u64);

/// The action for a fault of `kind`.
pub fn action(kind: FaultKind, delay_ms: u64, throttle_status: u16) -> FaultAction {
    match kind {
        FaultKind::Http500 => FaultAction::Reply(Response::html(
            500,
            "500 Internal Server Error",
            "The server encountered an internal error.",
        )),
        FaultKind::Html => FaultAction::Reply(Response::html(
            200,
            "Zoho Accounts",
            "Sign in to access your account. <form action=\"/signin\"></form>",
        )),
        FaultKind::Reset => FaultAction::Reset,
        FaultKind::Delay => FaultAction::Delay(delay_ms),
        FaultKind::Throttle => FaultAction::Reply(throttle_reply(throttle_status)),
        FaultKind::Empty => FaultAction::Reply(Response::new(200, crate::http::JSON, Vec::new())),
    }
}

/// Zoho's `Access Denied` reply to too many token requests.
pub fn throttle_reply(status: u16) -> Response {
    Response::json(
        status,
        &json!({
            "error_description": "You have made too many requests continuously. Please try again after some time.",
            "error": "Access Denied",
            "status": "failure"
        }),
    )
}
