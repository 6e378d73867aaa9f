//! The Lua scripts that make each change one atomic step on the server.

use std::sync::LazyLock;

use ::redis::Script;

/// Checks a current value is ours before it is replaced or removed. Sets `doc` (or
/// returns `'corrupt'` from the script) for a value that is not.
const CHECK_OURS: &str = r#"
local cur = redis.pcall('GET', KEYS[1])
if type(cur) == 'table' and cur.err then return 'corrupt' end
local doc = nil
if cur then
  local ok, parsed = pcall(cjson.decode, cur)
  if not ok or type(parsed) ~= 'table' or parsed.format ~= 'zoho-oauth-tokens' then
    return 'corrupt'
  end
  doc = parsed
end
"#;

/// Saves one user's value.
/// KEYS: value, users set, lease, [case-folded set]. ARGV: value, identifier, lease owner
/// (`''` when the caller holds no lease), expiry in ms.
/// A caller whose lease ran out (someone else's owner, or none, on the lease key) only
/// replaces a value that expires earlier than its own: a stalled refresher never
/// overwrites a newer token. Returns `saved`, `newer` or `corrupt`.
pub(super) static SAVE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(&format!(
        "{CHECK_OURS}{}",
        r#"
if doc and ARGV[3] ~= '' and redis.call('GET', KEYS[3]) ~= ARGV[3] then
  local entry = type(doc.tokens) == 'table' and doc.tokens[1]
  local stored = type(entry) == 'table' and tonumber(entry.expiry_time_ms)
  if stored and stored >= tonumber(ARGV[4]) then return 'newer' end
end
redis.call('SET', KEYS[1], ARGV[1])
redis.call('SADD', KEYS[2], ARGV[2])
if KEYS[4] then redis.call('SADD', KEYS[4], ARGV[2]) end
return 'saved'
"#
    ))
});

/// Deletes one user. KEYS: value, users set, [case-folded set]. ARGV: identifier.
/// Returns `deleted`, `absent` or `corrupt` (nothing removed).
pub(super) static DELETE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(&format!(
        "{CHECK_OURS}{}",
        r#"
redis.call('SREM', KEYS[2], ARGV[1])
if KEYS[3] then redis.call('SREM', KEYS[3], ARGV[1]) end
if doc then
  redis.call('DEL', KEYS[1])
  return 'deleted'
end
return 'absent'
"#
    ))
});

/// Takes a lease: `SET NX PX`, or extends it when this owner already holds it (a retried
/// request whose first reply was lost). KEYS: lease. ARGV: owner, ttl ms. Returns 1 or 0.
pub(super) static ACQUIRE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
"#,
    )
});

/// Releases a lease only if this owner still holds it. KEYS: lease. ARGV: owner.
pub(super) static RELEASE: LazyLock<Script> = LazyLock::new(|| {
    Script::new(
        r#"
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"#,
    )
});
