#!/usr/bin/env bash
# The PHP extension's tests, in one command (called by scripts/test.sh):
#   bash php/tests/run.sh
# Builds the extension and the accounts emulator (honouring CARGO_TARGET_DIR), starts the
# emulator, runs the .phpt tests with PHP's run-tests.php (each starts a private emulator, so
# they run in parallel), the concurrency tests (32 processes), the PHP-FPM test and the
# stubs-versus-reflection check. Ends with "N passed, M failed"; exits non-zero on failure.
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"

target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
    | php -n -r 'echo json_decode(stream_get_contents(STDIN))->target_directory;')}"
export CARGO_TARGET_DIR="$target"

if ! cargo build -q -p zoho-oauth-php -p zoho-accounts-emulator; then
    echo "the build failed"
    echo "0 passed, 1 failed"
    exit 1
fi
export ZOHO_OAUTH_EXT="$target/debug/libzoho_oauth_php.so"
export EMULATOR_BIN="$target/debug/zoho-accounts-emulator"

# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
start_emulator || { echo "0 passed, 1 failed"; exit 1; }

passed=0
failed=0
failures=()
record() { # name status
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

run_tests=""
for candidate in "$(php-config --extension-dir 2>/dev/null)/build/run-tests.php" \
    /usr/lib/php/*/build/run-tests.php /usr/share/php/*/run-tests.php /usr/local/lib/php/build/run-tests.php; do
    if [ -f "$candidate" ]; then run_tests="$candidate"; break; fi
done

echo "==> .phpt tests (run-tests.php)"
if [ -z "$run_tests" ]; then
    echo "run-tests.php not found (install php8.2-dev)"
    record "run-tests.php" 1
else
    log="$(mktemp)"
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$(command -v php)" php -n "$run_tests" -q -j2 --no-color --no-progress --show-diff \
        -d "extension=$ZOHO_OAUTH_EXT" php/tests/phpt >"$log" 2>&1
    results="$(grep -E '^(PASS|FAIL|SKIP|BORK|LEAK|WARN) .*\[[^]]*\.phpt\] *$' "$log" | sort -u -t'[' -k2)"
    echo "$results" | sed -E 's/ +$//'
    while read -r status name; do
        case "$status" in
            PASS) record "$name" 0 ;;
            SKIP | "") ;;
            *) record "$name" 1 ;;
        esac
    done < <(echo "$results" | sed -E 's/^([A-Z]+) .*\[(.*)\] *$/\1 \2/')
    if grep -qE '^(FAIL|BORK|LEAK|WARN)' <<<"$results"; then
        sed -n '/^=\{20,\}$/,$p' "$log" | grep -vE '^(PASS|SKIP) ' | head -200
    fi
    if ! grep -qE '^(PASS|FAIL)' <<<"$results"; then
        cat "$log"
        record "run-tests.php" 1
    fi
    rm -f "$log"
fi

php_driver() { # name script
    echo "==> $1"
    php -n -d "extension=$ZOHO_OAUTH_EXT" "$2"
    record "$1" $?
}
php_driver "concurrency: 32 processes, one refresh" php/tests/concurrency/refresh_once.php
php_driver "concurrency: 32 processes save different users" php/tests/concurrency/save_users.php
php_driver "bridge (current SDK): 32 processes, one refresh" php/tests/concurrency/bridge_refresh_once.php
php_driver "bridge (current SDK): a mixed fleet on one sdk_tokens.txt" php/tests/concurrency/bridge_mixed_fleet.php
php_driver "PHP-FPM workers" php/tests/fpm/fpm_test.php
php_driver "PHP-FPM pools: define_rest_client per pool" php/tests/fpm/fpm_pools.php
echo "==> the extension exports no C ABI symbol (built without the core's capi feature)"
bash tests/c/abi-symbols.sh none "$ZOHO_OAUTH_EXT"
record "no C ABI in the extension" $?
echo "==> the bridge package is PSR-12 clean (phpcs)"
if command -v phpcs >/dev/null; then
    phpcs -q --standard=PSR12 php/bridge/src
    record "PSR-12 (php/bridge/src)" $?
else
    echo "phpcs not found (bash scripts/install-deps.sh installs php-codesniffer)"
    record "PSR-12 (php/bridge/src)" 1
fi
echo "==> stubs match the extension's reflection"
php -n php/tests/check_stubs.php "$ZOHO_OAUTH_EXT"
record "stubs" $?

if [ "$failed" -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
