//! Injected faults: a queue of pending faults and the replies they produce.

use serde_json::json;

use crate::http::Response;
use crate::spec::{FaultKind, FaultSpec, Settings};

/// What the server does for a faulted request.
#[derive(Debug)]
pub enum FaultAction {
    /// Answer with this instead of the real reply.
    Reply(Response),
    /// Close the connection without answering.
    Reset,
    /// Sleep this many milliseconds, then answer normally.
    Delay(u64),
    /// Sleep this many milliseconds, then close the connection without answering.
    Stall(u64),
}

/// Pending faults, applied first-registered first.
#[derive(Debug, Default)]
pub struct Faults {
    pending: Vec<FaultSpec>,
}

impl Faults {
    /// Queues a fault (a zero count is ignored); refuses one whose fields are invalid.
    pub fn push(&mut self, fault: FaultSpec) -> Result<(), String> {
        fault.validate()?;
        if fault.count > 0 {
            self.pending.push(fault);
        }
        Ok(())
    }

    /// The pending faults.
    pub fn pending(&self) -> Vec<FaultSpec> {
        self.pending.clone()
    }

    /// Consumes one use of the first fault matching `path` (without DC prefix) and returns
    /// it as it was before.
    pub fn take(&mut self, path: &str) -> Option<FaultSpec> {
        let idx = self
            .pending
            .iter()
            .position(|f| f.path.as_deref().is_none_or(|p| path.starts_with(p)))?;
        let taken = self.pending[idx].clone();
        let fault = &mut self.pending[idx];
        fault.count -= 1;
        if fault.count == 0 {
            self.pending.remove(idx);
        }
        Some(taken)
    }
}

/// The action for `fault`; `throttle_status` is the status of the `throttle` reply.
pub fn action(fault: &FaultSpec, throttle_status: u16) -> FaultAction {
    match fault.kind {
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
        FaultKind::Delay => FaultAction::Delay(fault.delay_ms),
        FaultKind::Throttle => FaultAction::Reply(throttle_reply(throttle_status)),
        FaultKind::Empty => FaultAction::Reply(Response::new(200, crate::http::JSON, Vec::new())),
        FaultKind::Stall => FaultAction::Stall(fault.delay_ms),
        FaultKind::Reply => FaultAction::Reply(Response::new(
            fault.status,
            crate::http::JSON,
            fault.body.clone(),
        )),
    }
}

/// The kinds random faults are drawn from when `random_fault_kinds` is empty.
const DEFAULT_RANDOM_KINDS: [FaultKind; 6] = [
    FaultKind::Http500,
    FaultKind::Html,
    FaultKind::Reset,
    FaultKind::Throttle,
    FaultKind::Empty,
    FaultKind::Stall,
];

/// Draws a random fault for a request to `path` under `settings`, or `None`. A random
/// `reply` fault has the defaults: status 200 and an empty body.
pub fn random(settings: &Settings, path: &str) -> Option<FaultSpec> {
    if settings.random_fault_rate <= 0.0 {
        return None;
    }
    if let Some(prefix) = &settings.random_fault_path
        && !path.starts_with(prefix.as_str())
    {
        return None;
    }
    let draw = random_u64();
    // 53 random bits as a number in [0, 1).
    let unit = (draw >> 11) as f64 / (1u64 << 53) as f64;
    if unit >= settings.random_fault_rate {
        return None;
    }
    let kinds: &[FaultKind] = if settings.random_fault_kinds.is_empty() {
        &DEFAULT_RANDOM_KINDS
    } else {
        &settings.random_fault_kinds
    };
    let index = usize::try_from(draw % kinds.len() as u64).unwrap_or(0);
    Some(FaultSpec {
        delay_ms: settings.random_fault_delay_ms,
        ..FaultSpec::new(kinds[index])
    })
}

/// A random number; a time-and-counter mix if the OS has no randomness to give.
fn random_u64() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    getrandom::u64().unwrap_or_else(|_| {
        let mut x = COUNTER.fetch_add(0x9e37_79b9_7f4a_7c15, Ordering::Relaxed)
            ^ crate::clock::real_now_ms().unsigned_abs();
        x ^= x >> 33;
        x.wrapping_mul(0xff51_afd7_ed55_8ccd)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn random_faults_follow_rate_kinds_and_path() {
        let mut settings = Settings::default();
        assert_eq!(random(&settings, "/oauth/v2/token"), None);
        settings.random_fault_rate = 1.0;
        settings.random_fault_kinds = vec![FaultKind::Stall];
        settings.random_fault_delay_ms = 7;
        settings.random_fault_path = Some("/oauth/v2/token".into());
        let drawn = random(&settings, "/oauth/v2/token").map(|f| (f.kind, f.delay_ms));
        assert_eq!(drawn, Some((FaultKind::Stall, 7)));
        assert_eq!(random(&settings, "/oauth/user/info"), None);
        settings.random_fault_rate = 0.5;
        settings.random_fault_kinds.clear();
        let hits = (0..4000)
            .filter_map(|_| random(&settings, "/oauth/v2/token"))
            .inspect(|f| assert!(![FaultKind::Delay, FaultKind::Reply].contains(&f.kind)))
            .count();
        assert!((1600..2400).contains(&hits), "{hits} of 4000");
    }

    #[test]
    fn reply_faults_need_a_real_status() {
        let mut faults = Faults::default();
        for bad in [0, 99, 199, 600, 1000] {
            assert!(faults.push(FaultSpec::reply(bad, "{}")).is_err(), "{bad}");
        }
        assert!(faults.pending().is_empty());
        assert_eq!(faults.push(FaultSpec::reply(599, "x")), Ok(()));
        // Other kinds ignore the status field.
        let other = FaultSpec {
            status: 0,
            ..FaultSpec::new(FaultKind::Empty)
        };
        assert_eq!(faults.push(other), Ok(()));
        assert_eq!(faults.pending().len(), 2);
    }

    #[test]
    fn a_reply_fault_answers_its_status_and_body_as_json() {
        let FaultAction::Reply(r) = action(&FaultSpec::reply(403, "{\"error\":\"x\"}"), 200) else {
            panic!("not a reply");
        };
        assert_eq!(r.status, 403);
        assert_eq!(r.body, b"{\"error\":\"x\"}");
        assert_eq!(
            r.headers,
            vec![("Content-Type".to_string(), crate::http::JSON.to_string())]
        );
    }
}
