#!/usr/bin/env bash
# Builds the extension in release mode and runs the getAccessToken benchmark:
#   bash php/bench/run.sh [seconds per case, default 1]
# Honours CARGO_TARGET_DIR (default: the workspace's target directory).
set -euo pipefail
cd "$(dirname "$0")/../.."
target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
    | php -n -r 'echo json_decode(stream_get_contents(STDIN))->target_directory;')}"
export CARGO_TARGET_DIR="$target"
cargo build -q --release -p zoho-oauth-php
php -n -d "extension=$target/release/libzoho_oauth_php.so" php/bench/get_access_token.php "${1:-1}"
