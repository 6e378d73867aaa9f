#!/usr/bin/env bash
# The whole PHP suite on the PHP found on PATH (or PHP and PHP_CONFIG), as scripts/test-php.sh
# runs it on this machine or inside a Debian root:
#   - throwaway MariaDB and Redis servers (scripts/mariadb.sh, scripts/redis.sh), required;
#   - php/tests/run.sh: every .phpt (the bridge's among them), the 32-process concurrency tests,
#     PHP-FPM, stubs against reflection, and no deprecation notice from any PHP process;
#   - the PHP soak: 64 `php` workers on one token file against the faulty emulator for
#     PHP_SOAK_SECONDS (default 20), with the same deprecation watch.
# Honours CARGO_TARGET_DIR. Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
root="$(pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
export ZOHO_REQUIRE_PHP=1 ZOHO_REQUIRE_MYSQL=1 ZOHO_REQUIRE_REDIS=1

passed=0
failed=0
failures=()
step() { # name command...
    local name="$1"; shift
    echo "==> $name"
    if "$@"; then passed=$((passed + 1)); echo "<== $name: ok"
    else failed=$((failed + 1)); failures+=("$name"); echo "<== $name: FAILED"; fi
}
finish() {
    [ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

servers="$(mktemp -d)"
trap 'bash scripts/mariadb.sh stop "$servers/mariadb" >/dev/null 2>&1; bash scripts/redis.sh stop "$servers/redis" >/dev/null 2>&1; rm -rf "$servers"' EXIT
echo "# $(${PHP:-php} -n -v | head -n 1)"
if ! env_lines="$(bash scripts/mariadb.sh start "$servers/mariadb")"; then
    echo "cannot start MariaDB"; failed=1; finish
fi
eval "$env_lines"
if ! env_lines="$(bash scripts/redis.sh start "$servers/redis")"; then
    echo "cannot start Redis"; failed=1; finish
fi
eval "$env_lines"

step "PHP extension tests (php/tests/run.sh)" bash php/tests/run.sh

# The soak's binary and the extension are built before the watch puts its wrappers on PATH
# (ext-php-rs's build reruns when PATH changes).
# shellcheck disable=SC2317 # called through step
php_soak() {
    local seconds="${PHP_SOAK_SECONDS:-20}" status=0
    cargo build --quiet --release -p zoho-oauth-soak && cargo build --quiet -p zoho-oauth-php || return 1
    # shellcheck source=php/tests/lib/php-errors.sh
    source php/tests/lib/php-errors.sh
    php_errors_start || return 1
    nice "$CARGO_TARGET_DIR/release/zoho-oauth-soak" --php --seconds "$seconds" --workers 64 \
        --users 1000 --memory-calls 200000 || status=1
    php_errors_check || status=1
    php_errors_stop
    return "$status"
}
step "PHP soak, 64 workers, ${PHP_SOAK_SECONDS:-20} s (no deprecation notice)" php_soak

finish
