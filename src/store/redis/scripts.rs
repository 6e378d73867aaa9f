//! The Lua scripts that make each change one atomic step on the server, and how a call
//! runs them (`EVALSHA`; after `NOSCRIPT`, `SCRIPT LOAD` and `EVALSHA` again).
//!
//! A script that fails at run time (`WRONGTYPE`) keeps the writes it already made, so the
//! scripts that write check every key's type, and the stored value, before writing
//! anything. They answer `{status, detail}`:
//! - `saved`, `deleted`, `absent`, `superseded`, `newer`: done (see each script);
//! - `wrongtype`, detail the 1-based index of the key that holds another type: nothing
//!   written;
//! - `corrupt`, detail why: the user's key holds something that is not this user's tokens
//!   (another application's value, another identifier's tokens, values out of shape):
//!   nothing written.

use std::sync::LazyLock;

use ::redis::{Cmd, ToRedisArgs, cmd};

/// Checks `KEYS` (the user's value, the users set, the case-folded set if any) and decodes
/// the stored value of `ARGV[2]`'s identifier: `stored` is its one entry, or `nil` when the
/// key is absent. Returns early from the script when a key or the value is not ours. The
/// value rules are those of `value::decode` (the Rust side).
const CHECK: &str = r#"
for i, key in ipairs(KEYS) do
  local want = (i == 1) and 'string' or 'set'
  local kind = redis.call('TYPE', key)['ok']
  if kind ~= 'none' and kind ~= want then return {'wrongtype', tostring(i)} end
end
local function token_text(v)
  return type(v) == 'string' and #v <= 4096 and string.find(v, '^[!-~]*$') ~= nil
end
local function plain_text(v)
  return v == nil or v == cjson.null or (type(v) == 'string' and #v <= 4096
    and not string.find(v, '%c') and not string.find(v, '\194[\128-\159]'))
end
local function entry_of(raw)
  local ok, doc = pcall(cjson.decode, raw)
  if not ok or type(doc) ~= 'table' or doc.format ~= 'zoho-oauth-tokens' or doc.version ~= 1 then
    return nil, 'it is not a zoho-oauth token value'
  end
  if type(doc.tokens) ~= 'table' or #doc.tokens ~= 1 or type(doc.tokens[1]) ~= 'table' then
    return nil, 'it does not hold exactly one entry'
  end
  local e = doc.tokens[1]
  if e.user ~= ARGV[2] then return nil, "it holds another identifier's tokens" end
  local refresh = e.refresh_token
  if not token_text(e.access_token) or not (refresh == nil or refresh == cjson.null or token_text(refresh)) then
    return nil, 'a token is longer than 4096 bytes or not visible ASCII'
  end
  if type(e.expiry_time_ms) ~= 'number' or e.expiry_time_ms ~= math.floor(e.expiry_time_ms) then
    return nil, 'expiry_time_ms is not a whole number'
  end
  if not (plain_text(e.api_domain) and plain_text(e.scope) and plain_text(e.accounts_url)) then
    return nil, 'api_domain, scope or accounts_url is longer than 4096 bytes or holds control characters'
  end
  return e, nil
end
local stored = nil
local raw = redis.call('GET', KEYS[1])
if raw then
  local why
  stored, why = entry_of(raw)
  if not stored then return {'corrupt', why} end
end
"#;

/// Writes the value and indexes the identifier (after [`CHECK`]).
const WRITE: &str = r#"
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if KEYS[3] then redis.call('SADD', KEYS[3], ARGV[2]) end
return {'saved', ''}
"#;

/// A Lua script and its SHA-1, run by [`Invocation`]s.
pub(super) struct Lua {
    code: String,
    sha: String,
}

impl Lua {
    fn new(code: String) -> Lua {
        let sha = ::redis::Script::new(&code).get_hash().to_string();
        Lua { code, sha }
    }

    /// An invocation with no keys or arguments yet.
    pub(super) fn call(&self) -> Invocation<'_> {
        Invocation {
            script: self,
            keys: Vec::new(),
            args: Vec::new(),
        }
    }
}

/// One run of a script: its keys and arguments.
pub(super) struct Invocation<'s> {
    script: &'s Lua,
    keys: Vec<String>,
    args: Vec<Vec<u8>>,
}

impl Invocation<'_> {
    /// Adds a key.
    pub(super) fn key(mut self, key: impl Into<String>) -> Self {
        self.keys.push(key.into());
        self
    }

    /// Adds an argument.
    pub(super) fn arg(mut self, arg: impl ToRedisArgs) -> Self {
        self.args.extend(arg.to_redis_args());
        self
    }

    /// `EVALSHA sha numkeys keys... args...`.
    pub(super) fn evalsha(&self) -> Cmd {
        let mut command = cmd("EVALSHA");
        command
            .arg(&self.script.sha)
            .arg(self.keys.len())
            .arg(&self.keys)
            .arg(&self.args);
        command
    }

    /// `SCRIPT LOAD code`, for a server that does not know the script yet.
    pub(super) fn load(&self) -> Cmd {
        let mut command = cmd("SCRIPT");
        command.arg("LOAD").arg(&self.script.code);
        command
    }
}

/// Saves one user's value, whatever it replaces (a grant, a migration): `saved`.
/// KEYS: value, users set, [case-folded set]. ARGV: value, identifier.
pub(super) static SAVE: LazyLock<Lua> = LazyLock::new(|| Lua::new(format!("{CHECK}{WRITE}")));

/// Saves a refresh's value only where the stored entry still holds the refresh token the
/// refresh used and nothing newer (the rule of `RefreshSave::decide`): `saved`; else
/// `superseded` (no entry, or another refresh token: a new consent or a delete happened
/// meanwhile) or `newer` (the same refresh token with another access token that expires no
/// earlier), writing nothing.
/// KEYS: value, users set, [case-folded set]. ARGV: value, identifier, the refresh token the
/// refresh used, the new access token, its expiry in ms.
pub(super) static SAVE_REFRESHED: LazyLock<Lua> = LazyLock::new(|| {
    Lua::new(format!(
        "{CHECK}{}{WRITE}",
        r#"
if not stored or stored.refresh_token ~= ARGV[3] then return {'superseded', ''} end
if stored.access_token ~= ARGV[4] and stored.expiry_time_ms >= tonumber(ARGV[5]) then
  return {'newer', ''}
end
"#
    ))
});

/// Deletes one user: `deleted` or `absent`.
/// KEYS: value, users set, [case-folded set]. ARGV: unused, identifier.
pub(super) static DELETE: LazyLock<Lua> = LazyLock::new(|| {
    Lua::new(format!(
        "{CHECK}{}",
        r#"
redis.call('SREM', KEYS[2], ARGV[2])
if KEYS[3] then redis.call('SREM', KEYS[3], ARGV[2]) end
if stored then
  redis.call('DEL', KEYS[1])
  return {'deleted', ''}
end
return {'absent', ''}
"#
    ))
});

/// Takes a lease: `SET NX PX`, or extends it when this owner already holds it (a retried
/// request whose first reply was lost). KEYS: lease. ARGV: owner, ttl ms. Returns 1 or 0.
pub(super) static ACQUIRE: LazyLock<Lua> = LazyLock::new(|| {
    Lua::new(
        r#"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"#
        .to_string(),
    )
});

/// Releases a lease only if this owner still holds it. KEYS: lease. ARGV: owner.
pub(super) static RELEASE: LazyLock<Lua> = LazyLock::new(|| {
    Lua::new(
        r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#
        .to_string(),
    )
});
