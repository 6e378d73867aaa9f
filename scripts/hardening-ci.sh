#!/usr/bin/env bash
# The short hardening run for CI (a few minutes once built): a 20 s soak with 64 Rust
# workers, a 20 s soak with 64 PHP workers (when PHP's headers are installed), the secret
# audit through every door, the file-permission and symlink tests, and every fuzz target for
# HARDENING_FUZZ_SECONDS (default 20) when cargo-fuzz is installed (set
# HARDENING_INSTALL_FUZZ=1 to install it; a cold instrumented build adds about 5 minutes).
# Honours CARGO_TARGET_DIR. Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
target="$CARGO_TARGET_DIR"
fuzz_seconds="${HARDENING_FUZZ_SECONDS:-20}"
cd "$root" || exit 1

passed=0
failed=0
skipped=0
step() { # name, command...
    local name="$1"; shift
    echo "=== $name"
    if "$@"; then
        passed=$((passed + 1)); echo "--- ok: $name"
    else
        failed=$((failed + 1)); echo "--- FAILED: $name"
    fi
}
skip() { skipped=$((skipped + 1)); echo "--- skipped: $1"; }

have_php=0
if command -v php >/dev/null && command -v php-config >/dev/null; then have_php=1; fi

step "build" cargo build --quiet -p zoho-oauth-capi -p zoho-oauth-cli -p zoho-oauth-audit -p zoho-accounts-emulator
step "build soak (release)" cargo build --quiet --release -p zoho-oauth-soak
if [ "$have_php" = 1 ]; then
    step "build PHP extension" cargo build --quiet -p zoho-oauth-php
fi
step "unit tests (soak checks, audit scanner, permissions and symlinks)" \
    cargo test --quiet -p zoho-oauth-soak -p zoho-oauth-audit
step "soak, Rust, 64 workers, 20 s" nice "$target/release/zoho-oauth-soak" \
    --seconds 20 --workers 64 --users 1000 --memory-calls 200000
if [ "$have_php" = 1 ]; then
    step "soak, PHP, 64 workers, 20 s" nice "$target/release/zoho-oauth-soak" --php \
        --seconds 20 --workers 64 --users 1000 --memory-calls 200000
    step "secret audit (Rust API, CLI, PHP, C API)" "$target/debug/zoho-oauth-audit" --require-all
else
    skip "PHP soak (php-config not found: install php8.2-dev)"
    step "secret audit (Rust API, CLI, C API; PHP not verified)" "$target/debug/zoho-oauth-audit"
fi

if ! cargo fuzz --version >/dev/null 2>&1 && [ "${HARDENING_INSTALL_FUZZ:-0}" = 1 ]; then
    cargo install --quiet cargo-fuzz --locked || true
fi
if cargo fuzz --version >/dev/null 2>&1; then
    step "fuzz, every target ${fuzz_seconds} s" scripts/fuzz.sh --seconds "$fuzz_seconds"
else
    skip "fuzzing (cargo-fuzz not installed: cargo install cargo-fuzz --locked)"
fi

echo "hardening: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
