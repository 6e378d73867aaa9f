#!/usr/bin/env bash
# Soak test: many worker processes share one SDK-format token file and hammer the local
# accounts emulator, which injects faults into about 5% of requests (500s, HTML pages,
# empty bodies, resets, stalls past the client timeout, throttling) and issues access tokens
# that live 8 s. Invariants are checked while it runs and at the end (see docs/hardening.md).
#
#   scripts/soak.sh [--minutes N | --seconds N] [--workers N] [--php] [more zoho-oauth-soak options]
#
# Defaults: 10 minutes, 64 workers, 1000 users, 1,000,000 get_access_token calls in the
# memory check. --php runs the workers as `php worker.php` on the PHP extension (built here
# in debug; needs php8.2-dev). Builds into ${CARGO_TARGET_DIR:-<workspace>/target}. The
# report ends with "soak: N passed, M failed"; the exit status is non-zero on any failure.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"
export CARGO_TARGET_DIR="$target"
args=()
php=0
seconds=600
while [ $# -gt 0 ]; do
    case "$1" in
        --minutes) seconds=$(( $2 * 60 )); shift 2 ;;
        --seconds) seconds="$2"; shift 2 ;;
        --php) php=1; args+=("$1"); shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        *) args+=("$1"); shift ;;
    esac
done

cd "$root"
cargo build --quiet --release -p zoho-oauth-soak
if [ "$php" = 1 ]; then
    cargo build --quiet -p zoho-oauth-php
fi
exec nice "$target/release/zoho-oauth-soak" --seconds "$seconds" "${args[@]}"
