//! Redis failures as this library's error kinds. Messages are built from the redacted URL,
//! the operation and the error's category and code, never from values or the password.
//!
//! - Server down, refusing, resetting, not answering within the store's bound, loading its
//!   data set, a failed-over master, or a primary that became a replica (`READONLY`, a
//!   failover under way): [`ErrorKind::StoreUnavailable`] (transient; the next call
//!   connects again).
//! - Wrong password or user (`WRONGPASS`, `NOAUTH`), a command the ACL denies (`NOPERM`),
//!   out of memory: [`ErrorKind::StoreIo`]. These are the store
//!   refusing us, like a permission error on the token file; they are not transient, so
//!   callers do not retry them in a loop, and the hint says what to fix.
//! - A `rediss://` server whose TLS certificate is not trusted (or does not name the host):
//!   [`ErrorKind::ConfigInvalid`], like the other servers `redis_url` must not point at
//!   (see `server`): the configuration or the server's certificate must change.

use std::time::Duration;

use ::redis::{ErrorKind as RedisKind, RedisError, ServerErrorKind};

use crate::error::{Error, ErrorKind};

/// The error for a failed `what` against the server described as `server`.
pub(super) fn from_redis(what: &str, server: &str, bound: Duration, e: &RedisError) -> Error {
    let code = e.code().unwrap_or("");
    if e.kind() == RedisKind::AuthenticationFailed || matches!(code, "WRONGPASS" | "NOAUTH") {
        return Error::new(
            ErrorKind::StoreIo,
            format!("cannot {what}: the Redis server at {server} refused the credentials in redis_url"),
        )
        .with_hint("check the user name and password in redis_url against the server's requirepass or ACL users (redis-cli ACL LIST)");
    }
    if e.kind() == RedisKind::Server(ServerErrorKind::NoPerm) {
        return Error::new(
            ErrorKind::StoreIo,
            format!("cannot {what}: the Redis user of redis_url may not run the commands zoho-oauth needs at {server}"),
        )
        .with_hint("grant the user INFO TYPE GET SET DEL SADD SREM SMEMBERS SSCAN MGET PEXPIRE EVALSHA SCRIPT|LOAD (and PTTL for zoho-oauth status), on the key prefix (~prefix*)");
    }
    if e.kind() == RedisKind::Io && e.to_string().to_lowercase().contains("certificate") {
        return Error::new(
            ErrorKind::ConfigInvalid,
            format!("cannot {what}: the TLS certificate of the Redis server at {server} is not trusted"),
        )
        .with_hint("rediss:// trusts the system's root certificates: install the server's CA there (update-ca-certificates), and use a host name in redis_url that the certificate names");
    }
    if let Some(reason) = unavailable_reason(e, bound) {
        return Error::new(
            ErrorKind::StoreUnavailable,
            format!("cannot {what}: the Redis server at {server} {reason}"),
        )
        .with_hint(
            "check that redis-server is running and reachable; the next call connects again",
        );
    }
    let hint = match code {
        "OOM" => "the Redis server is out of memory (maxmemory); free memory or raise the limit",
        _ => "see the Redis server's log",
    };
    let code_text = if code.is_empty() {
        String::new()
    } else {
        format!(", {code}")
    };
    Error::new(
        ErrorKind::StoreIo,
        format!(
            "cannot {what}: the Redis server at {server} answered with an error ({}{code_text})",
            e.category()
        ),
    )
    .with_hint(hint)
}

/// Why the server counts as unavailable, or `None` when it answered.
fn unavailable_reason(e: &RedisError, bound: Duration) -> Option<String> {
    if e.is_timeout() {
        return Some(format!(
            "did not answer within store_timeout_secs ({:.1} s)",
            bound.as_secs_f64()
        ));
    }
    if e.is_connection_refusal() {
        return Some("refused the connection (is it running?)".to_string());
    }
    if e.is_connection_dropped() {
        return Some("closed the connection".to_string());
    }
    match e.kind() {
        RedisKind::Io => Some("cannot be reached (I/O error)".to_string()),
        RedisKind::Server(ServerErrorKind::ReadOnly) => {
            Some("has become a replica (READONLY): a failover is under way".to_string())
        }
        RedisKind::Server(
            ServerErrorKind::BusyLoading
            | ServerErrorKind::MasterDown
            | ServerErrorKind::TryAgain
            | ServerErrorKind::ClusterDown,
        ) => Some(format!("is not ready ({})", e.code().unwrap_or("busy"))),
        _ => None,
    }
}
