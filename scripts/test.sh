#!/usr/bin/env bash
# The project's test command (README): every test, in Rust, C, C++, Python and PHP, and the
# documentation's examples (scripts/test-docs.sh),
# against the bundled accounts emulator. No internet needed.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh || exit 1
export ZOHO_REQUIRE_PHP=1

# Throwaway MariaDB and Redis servers on free loopback ports (never the system services),
# stopped and removed on exit; the MySQL and Redis tests read their URLs from the environment.
servers="$(mktemp -d)"
trap 'bash scripts/mariadb.sh stop "$servers/mariadb"; bash scripts/redis.sh stop "$servers/redis"; rm -rf "$servers"' EXIT
MARIADB_ENV="$(bash scripts/mariadb.sh start "$servers/mariadb")" || { echo "cannot start MariaDB"; exit 1; }
eval "$MARIADB_ENV"
REDIS_ENV="$(bash scripts/redis.sh start "$servers/redis")" || { echo "cannot start Redis"; exit 1; }
eval "$REDIS_ENV"
export ZOHO_REQUIRE_MYSQL=1 ZOHO_REQUIRE_REDIS=1

failed=()
step() {
    local name="$1"; shift
    echo "==> $name"
    if "$@"; then echo "<== $name: ok"; else echo "<== $name: FAILED"; failed+=("$name"); fi
}

step "build (workspace)" cargo build --workspace --all-targets
step "a crate per door (no C ABI in the extension, no CLI crates, the core without MySQL and Redis)" bash scripts/check-crates.sh
step "Rust tests (core, C ABI, CLI, emulator, extension crate)" cargo test --workspace
step "PHP extension tests" bash php/tests/run.sh
step "C ABI tests (C, C++, ASan, valgrind, ctypes, PHP FFI)" bash tests/c/run.sh
step "CLI interop (CLI <-> PHP extension, CLI <-> C library)" bash tests/cli/interop.sh
step "the bridge installed with Composer (offline), the README's example" bash tests/composer/bridge.sh
step "the documentation's examples (README quick starts: PHP under PHP-FPM as www-data, the bridge, C, the CLI)" bash scripts/test-docs.sh

if [ ${#failed[@]} -gt 0 ]; then
    echo "FAILED: ${failed[*]}"
    exit 1
fi
echo "all test suites passed"
