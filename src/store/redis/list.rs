//! `list`: the users set walked with `SSCAN`, the values read with `MGET`, 500 at a time.
//! A key that does not hold valid tokens (garbage, another application's value or type,
//! another identifier's tokens) is skipped and reported, never fatal for the others.

use ::redis::cmd;

use super::shared::Inner;
use super::value;
use crate::error::{Error, Result};
use crate::token::Tokens;

/// How many identifiers `list` asks for per `SSCAN` step and `MGET`.
const LIST_BATCH: usize = 500;

/// What `RedisStore::list_checked` found.
#[derive(Debug)]
pub struct Listing {
    /// Every user with valid tokens, sorted by identifier.
    pub tokens: Vec<Tokens>,
    /// One [`crate::ErrorKind::StoreCorrupt`] error per skipped key, naming the key and the
    /// user; the keys were left as they were.
    pub skipped: Vec<Error>,
}

/// Walks the users set of `store`.
pub(super) fn list(store: &Inner) -> Result<Listing> {
    let set = store.keys.users();
    let mut cursor: u64 = 0;
    let mut listing = Listing {
        tokens: Vec::new(),
        skipped: Vec::new(),
    };
    loop {
        let step = store.run("list tokens", |call| {
            let mut scan = cmd("SSCAN");
            scan.arg(&set).arg(cursor).arg("COUNT").arg(LIST_BATCH);
            match call.query::<(u64, Vec<String>)>(&scan) {
                Err(e) if e.code() == Some("WRONGTYPE") => Ok(None),
                other => other.map(Some),
            }
        })?;
        let (next, users) = step.ok_or_else(|| value::wrong_type(&set, "every user"))?;
        for chunk in users.chunks(LIST_BATCH) {
            fetch_batch(store, chunk, &mut listing)?;
        }
        if next == 0 {
            break;
        }
        cursor = next;
    }
    listing.tokens.sort_by(|a, b| a.user.cmp(&b.user));
    listing.tokens.dedup_by(|a, b| a.user == b.user);
    Ok(listing)
}

/// One batch: the tokens of `users` that still exist, and the keys that do not hold
/// valid tokens. `MGET` answers nothing for a key of another type; those are asked their
/// `TYPE` (a key deleted meanwhile is simply gone).
fn fetch_batch(store: &Inner, users: &[String], listing: &mut Listing) -> Result<()> {
    let keys: Vec<String> = users.iter().map(|u| store.keys.user(u)).collect();
    let values: Vec<Option<Vec<u8>>> =
        store.run("list tokens", |call| call.query(cmd("MGET").arg(&keys)))?;
    for ((user, key), raw) in users.iter().zip(&keys).zip(values) {
        match raw {
            Some(bytes) => match value::decode(&bytes, key, user) {
                Ok(tokens) => listing.tokens.push(tokens),
                Err(e) => listing.skipped.push(e),
            },
            None => {
                let kind: String =
                    store.run("list tokens", |call| call.query(cmd("TYPE").arg(key)))?;
                if kind != "none" {
                    listing.skipped.push(value::wrong_type(key, user));
                }
            }
        }
    }
    Ok(())
}
