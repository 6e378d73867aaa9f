#!/usr/bin/env bash
# The whole PHP suite on one PHP version, in one command:
#
#   bash scripts/test-php.sh 8.2    on this machine's PHP 8.2 (Debian 12's)
#   bash scripts/test-php.sh 8.4    inside a Debian 13 (trixie) root with its PHP 8.4, made once
#                                   with mmdebstrap, cached under /var/cache/zoho-oauth and reused
#                                   (scripts/debian-root.sh); built into target/trixie
#
# Runs scripts/php-suite.sh there: every .phpt, the 32-process concurrency tests, PHP-FPM, the
# bridge's tests, stubs against reflection, the PHP soak (PHP_SOAK_SECONDS, default 20), with
# throwaway MariaDB and Redis servers and the accounts emulator, and fails on any deprecation
# notice (error_reporting=E_ALL). A version this machine has runs here; one it lacks runs in
# the root of the Debian release that ships it. Nothing of the host's is changed or removed,
# and no mount is left behind, even when interrupted. Needs root.
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ $# -ne 1 ] || ! [[ "$1" =~ ^[0-9]+\.[0-9]+$ ]]; then sed -n '2,16p' "$0" >&2; exit 2; fi
version="$1"
[ "$version" != 8.2 ] || bash scripts/install-deps.sh
where="$(bash scripts/debian-root.sh for-php "$version")"
if [ "$where" = host ]; then
    # Only when the default PHP is another one: ext-php-rs rebuilds when PHP/PHP_CONFIG change.
    if [ "$(php-config --version 2>/dev/null | cut -d. -f1,2)" != "$version" ]; then
        PHP="$(command -v "php$version")" PHP_CONFIG="$(command -v "php-config$version")"
        export PHP PHP_CONFIG
    fi
    exec bash scripts/php-suite.sh
fi
exec bash scripts/debian-root.sh run "$where" -- bash scripts/php-suite.sh
