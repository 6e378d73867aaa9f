#!/usr/bin/env bash
# Builds the extension in release mode and runs the getAccessToken benchmark:
#   bash php/bench/run.sh [--php X.Y] [seconds per case, default 1]
# --php X.Y: on PHP X.Y, here when this machine has it, else inside the root of the Debian
# release that ships it (8.4: Debian 13, scripts/debian-root.sh).
# Honours CARGO_TARGET_DIR (default: the workspace's target directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${1:-}" = --php ]; then
    [ $# -ge 2 ] || { echo "usage: $0 [--php X.Y] [seconds]" >&2; exit 2; }
    where="$(bash scripts/debian-root.sh for-php "$2")"
    [ "$where" = host ] || exec bash scripts/debian-root.sh run "$where" -- bash php/bench/run.sh "$@"
    if [ "$(php-config --version 2>/dev/null | cut -d. -f1,2)" != "$2" ]; then
        PHP="$(command -v "php$2")" PHP_CONFIG="$(command -v "php-config$2")"
        export PHP PHP_CONFIG
    fi
    shift 2
fi
php="${PHP:-php}"
target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
    | "$php" -n -r 'echo json_decode(stream_get_contents(STDIN))->target_directory;')}"
export CARGO_TARGET_DIR="$target"
cargo build -q --release -p zoho-oauth-php
"$php" -n -d "extension=$target/release/libzoho_oauth_php.so" php/bench/get_access_token.php "${1:-1}"
