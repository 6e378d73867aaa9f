# shellcheck shell=bash
# Sourced by php/tests/run.sh and scripts/php-suite.sh: every PHP process of the suite logs its
# errors (error_reporting=E_ALL) to one file, and the suite fails on any deprecation notice.
#
#   php_errors_start        wrappers for php and php-fpm go first on PATH (and into PHP_FPM);
#                           each runs the real binary with -d error_reporting=-1
#                           -d log_errors=1 -d error_log=$PHP_ERROR_LOG before its own options
#                           (which win), as itself (PHP_BINARY is the wrapper), so the children
#                           a test starts with PHP_BINARY -n ... log there too. Checks that a
#                           deprecation reaches the log before anything runs.
#   php_errors_check        fails, printing them, when the log holds a deprecation notice
#                           (PHP_ERRORS_SHOW=1 also lists every other message once, counted)
#   php_errors_stop         removes the wrappers and the log
#
# run-tests.php sets log_errors=0 for each test; run.sh passes its own -d log_errors=1 and
# -d error_log (run-tests.php's -d options come last and win).

php_errors_start() {
    local real_php real_fpm probe
    real_php="$(command -v "${PHP:-php}")" || { echo "php not found"; return 1; }
    PHP_ERRORS_DIR="$(mktemp -d)"
    PHP_ERROR_LOG="$PHP_ERRORS_DIR/php-errors.log"
    : >"$PHP_ERROR_LOG"
    chmod 666 "$PHP_ERROR_LOG"
    mkdir "$PHP_ERRORS_DIR/bin"
    php_errors_wrapper "$real_php" >"$PHP_ERRORS_DIR/bin/php"
    real_fpm="${PHP_FPM:-$(command -v "php-fpm$("$real_php" -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')" ||
        command -v php-fpm || true)}"
    if [ -n "$real_fpm" ]; then
        php_errors_wrapper "$real_fpm" >"$PHP_ERRORS_DIR/bin/php-fpm"
        export PHP_FPM="$PHP_ERRORS_DIR/bin/php-fpm"
    fi
    chmod 755 "$PHP_ERRORS_DIR"/bin/*
    export PATH="$PHP_ERRORS_DIR/bin:$PATH" PHP="$PHP_ERRORS_DIR/bin/php" PHP_ERROR_LOG
    # The watch itself must work: a child started the way the tests start theirs (PHP_BINARY,
    # -n) reports a deprecation into the log.
    probe="$(php -n -r 'passthru(escapeshellarg(PHP_BINARY) . " -n -r " . escapeshellarg("trigger_error(\"php-errors probe\", E_USER_DEPRECATED);") . " 2>&1");')"
    if ! grep -qE 'Deprecated: +php-errors probe' "$PHP_ERROR_LOG"; then
        echo "the deprecation watch does not work: the probe did not reach $PHP_ERROR_LOG ($probe)"
        return 1
    fi
    : >"$PHP_ERROR_LOG"
}

# The wrapper script for one binary.
php_errors_wrapper() {
    printf '#!/bin/bash\nexec -a "$0" %q -d error_reporting=-1 -d log_errors=1 -d error_log=%q "$@"\n' \
        "$1" "$PHP_ERROR_LOG"
}

php_errors_check() {
    local deprecations others
    deprecations="$(grep -E 'PHP (Deprecated|Strict Standards):' "$PHP_ERROR_LOG" | sed -E 's/^\[[^]]*\] //' | sort | uniq -c)"
    others="$(grep -cE '^\[[^]]*\] PHP ' "$PHP_ERROR_LOG")"
    echo "$others errors, warnings and notices logged by the suite's PHP processes (tests provoke some)"
    # PHP_ERRORS_SHOW=1: each of them once, with its count (to compare two PHP versions).
    if [ "${PHP_ERRORS_SHOW:-0}" = 1 ]; then
        sed -nE 's/^\[[^]]*\] (PHP .*)/\1/p' "$PHP_ERROR_LOG" | sed -E 's#/tmp/[^ ]*#/tmp/...#g' | sort | uniq -c
    fi
    if [ -n "$deprecations" ]; then
        echo "deprecation notices:"
        echo "$deprecations"
        return 1
    fi
    echo "no deprecation notice"
}

php_errors_stop() {
    [ -n "${PHP_ERRORS_DIR:-}" ] && rm -rf "$PHP_ERRORS_DIR"
    PHP_ERRORS_DIR=""
}
