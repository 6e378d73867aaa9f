//! What the store and its held leases share: the connection, the key layout, the lease and
//! the log. The store (`mod`), its listing (`list`) and its leases (`lock`) use it, and it
//! uses none of them.

use std::time::Duration;

use ::redis::RedisResult;

use super::call::Call;
use super::conn::Connector;
use super::keys::Keys;
use crate::error::Result;
use crate::log::SdkLog;

/// What the store and its held leases share.
pub(super) struct Inner {
    /// This process's connection.
    pub(super) conn: Connector,
    /// The key layout under the prefix.
    pub(super) keys: Keys,
    /// How long a refresh lease lasts.
    pub(super) lease: Duration,
    /// Where warnings go.
    pub(super) log: SdkLog,
}

impl Inner {
    /// Runs `op` within one store bound (see [`Connector::run`]); `what` names it for messages.
    pub(super) fn run<T>(
        &self,
        what: &str,
        op: impl FnMut(&mut Call<'_>) -> RedisResult<T>,
    ) -> Result<T> {
        self.conn.run(what, op)
    }
}
