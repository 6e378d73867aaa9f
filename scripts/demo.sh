#!/usr/bin/env bash
# The README's demo: builds the PHP extension and the accounts emulator, starts the emulator
# on loopback, and runs the seed's PHP flow (ZCRMRestClient::initialize, getClientInstance,
# generateAccessToken, getAccessToken, generateAccessTokenFromRefreshToken) against it,
# printing each step. No internet needed. Honours CARGO_TARGET_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps \
    | php -n -r 'echo json_decode(stream_get_contents(STDIN))->target_directory;')}"
export CARGO_TARGET_DIR="$target"

echo "building the PHP extension and the accounts emulator..."
cargo build -q -p zoho-oauth-php -p zoho-accounts-emulator

# shellcheck source=emulator.sh
source scripts/emulator.sh
start_emulator
php -n -d "extension=$target/debug/libzoho_oauth_php.so" php/demo/seed_flow.php "$EMULATOR_URL"
