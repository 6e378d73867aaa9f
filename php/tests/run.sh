#!/usr/bin/env bash
# The PHP extension's tests, in one command (called by scripts/test.sh):
#   bash php/tests/run.sh
# Builds the extension and the accounts emulator (honouring CARGO_TARGET_DIR), starts the
# emulator, runs the .phpt tests with PHP's run-tests.php (each starts a private emulator, so
# they run in parallel), the concurrency tests (32 processes), the PHP-FPM test and the
# stubs-versus-reflection check. Every PHP process logs its errors (E_ALL) to one file, and a
# deprecation notice there fails the run (php/tests/lib/php-errors.sh). Ends with
# "N passed, M failed"; exits non-zero on failure.
#
# The PHP: `php` on PATH, or PHP=/path/to/php with PHP_CONFIG=/path/to/php-config (which the
# extension's build, ext-php-rs, reads too); PHP_FPM names php-fpm (default php-fpmX.Y).
set -uo pipefail
cd "$(dirname "$0")/../.."
root="$(pwd)"
if [ -n "${PHP:-}" ]; then
    export PHP PHP_CONFIG="${PHP_CONFIG:-$(dirname "$PHP")/php-config$(basename "$PHP" | sed 's/^php//')}"
fi

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

# shellcheck source=lib/php-errors.sh
source php/tests/lib/php-errors.sh
php_errors_start || { echo "0 passed, 1 failed"; exit 1; }
echo "# $("$PHP" -n -v | head -n 1)"
# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
start_emulator || { echo "0 passed, 1 failed"; exit 1; }
trap 'stop_emulator; php_errors_stop' EXIT

passed=0
failed=0
failures=()
record() { # name status
    if [ "$2" -eq 0 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$1"); fi
}

run_tests=""
for candidate in "$("${PHP_CONFIG:-php-config}" --extension-dir 2>/dev/null)/build/run-tests.php" \
    /usr/lib/php/*/build/run-tests.php /usr/share/php/*/run-tests.php /usr/local/lib/php/build/run-tests.php; do
    if [ -f "$candidate" ]; then run_tests="$candidate"; break; fi
done

echo "==> .phpt tests (run-tests.php)"
if [ -z "$run_tests" ]; then
    echo "run-tests.php not found (install php8.X-dev)"
    record "run-tests.php" 1
else
    log="$(mktemp)"
    NO_INTERACTION=1 TEST_PHP_EXECUTABLE="$PHP" "$PHP" -n "$run_tests" -q -j2 --no-color --no-progress --show-diff \
        -d "extension=$ZOHO_OAUTH_EXT" -d log_errors=1 -d "error_log=$PHP_ERROR_LOG" php/tests/phpt >"$log" 2>&1
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
echo "==> the extension exports no C ABI symbol (the C ABI is a crate of its own, capi/)"
bash tests/c/abi-symbols.sh none "$ZOHO_OAUTH_EXT"
record "no C ABI in the extension" $?
echo "==> the bridge package is PSR-12 clean (phpcs)"
if command -v phpcs >/dev/null; then
    phpcs -q --standard=PSR12 php/bridge/src
    record "PSR-12 (php/bridge/src)" $?
elif [ -n "${ZOHO_DEBIAN_ROOT:-}" ]; then
    # Debian 13 has no php-codesniffer; the style of the files is the same whatever the PHP.
    echo "skipped in the $ZOHO_DEBIAN_ROOT root (no php-codesniffer there): the PHP 8.2 run checks it"
else
    echo "phpcs not found (bash scripts/install-deps.sh installs php-codesniffer)"
    record "PSR-12 (php/bridge/src)" 1
fi
echo "==> stubs match the extension's reflection"
php -n php/tests/check_stubs.php "$ZOHO_OAUTH_EXT"
record "stubs" $?
# Code no test runs (the demo, the benchmark, the stubs) is compiled too: PHP reports some
# deprecations (implicitly nullable parameters) when it compiles a file.
lint_every_php_file() {
    local file out status=0
    while IFS= read -r -d '' file; do
        out="$(php -n -d display_errors=1 -l "$file" 2>&1)" || { echo "$out"; status=1; continue; }
        if grep -qE '(Deprecated|Warning|Notice):' <<<"$out"; then echo "$out"; status=1; fi
    done < <(git ls-files -z -- '*.php')
    [ "$status" -eq 0 ] && echo "$(git ls-files -- '*.php' | wc -l) files compile cleanly"
    return "$status"
}
echo "==> every PHP file of the repository compiles on this PHP with no deprecation (php -l)"
lint_every_php_file
record "php -l" $?
echo "==> no deprecation notice from any PHP process of the suite (error_reporting=E_ALL)"
php_errors_check
record "no deprecation notice" $?

if [ "$failed" -gt 0 ]; then
    printf 'failed: %s\n' "${failures[@]}"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
