//! The handshake after the socket is open: `AUTH` and `SELECT`, sent by this store one
//! command at a time within the call's deadline. (The `redis` crate's own handshake sends
//! them as a pipeline and waits its full timeout for each reply in turn, so a server that
//! stops answering would hold a connect for several times the bound.)

use ::redis::{
    Client, ConnectionInfo, ErrorKind as RedisKind, RedisConnectionInfo, RedisError, RedisResult,
    cmd,
};

use super::call::Call;
use crate::secret::Secret;

/// What `redis_url` asks the handshake to send.
pub(super) struct Login {
    username: Option<String>,
    password: Option<Secret>,
    db: i64,
}

impl Login {
    /// Splits `info` into a client that opens the socket (TCP, TLS) and sends nothing, and
    /// the login that this store sends on it.
    pub(super) fn split(info: &ConnectionInfo) -> RedisResult<(Client, Login)> {
        let redis = info.redis_settings();
        let login = Login {
            username: redis.username().map(str::to_string),
            password: redis.password().map(Secret::new),
            db: redis.db(),
        };
        let bare = info
            .clone()
            .set_redis_settings(RedisConnectionInfo::default().set_skip_set_lib_name());
        Ok((Client::open(bare)?, login))
    }

    /// `AUTH [user] password` (again without the user for a server older than Redis 6,
    /// which knows no users), then `SELECT db`; each bounded by what is left of the call.
    pub(super) fn send(&self, call: &mut Call<'_>) -> RedisResult<()> {
        if let Some(password) = &self.password {
            let mut auth = cmd("AUTH");
            if let Some(user) = &self.username {
                auth.arg(user);
            }
            auth.arg(password.expose());
            match call.query::<()>(&auth) {
                Err(e) if self.username.is_some() && knows_no_users(&e) => {
                    call.query::<()>(cmd("AUTH").arg(password.expose()))
                        .map_err(refused)?;
                }
                other => other.map_err(refused)?,
            }
        }
        if self.db != 0 {
            call.query::<()>(cmd("SELECT").arg(self.db))?;
        }
        Ok(())
    }
}

/// Whether `AUTH user password` failed because the server takes a password only.
fn knows_no_users(e: &RedisError) -> bool {
    e.detail()
        .is_some_and(|d| d.contains("wrong number of arguments"))
}

/// A refused `AUTH` (`WRONGPASS`, or `ERR invalid password` of old servers) as an
/// authentication failure; a server that is loading, timeouts and I/O errors stay what
/// they are.
fn refused(e: RedisError) -> RedisError {
    match e.code() {
        Some("WRONGPASS" | "ERR") => (
            RedisKind::AuthenticationFailed,
            "Password authentication failed",
        )
            .into(),
        _ => e,
    }
}
