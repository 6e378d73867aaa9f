#!/usr/bin/env bash
# Benchmark of the C ABI's cached get_access_token (release build), against the emulator:
#   bash tests/c/bench.sh [seconds per case, default 1]
set -euo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')}"
export CARGO_TARGET_DIR="$target"
cargo build -q --release -p zoho-oauth-capi
cargo build -q -p zoho-accounts-emulator
export EMULATOR_BIN="$target/debug/zoho-accounts-emulator"
# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
start_emulator >/dev/null
trap stop_emulator EXIT
out="$(mktemp -d)"
lib="$out/lib"
mkdir -p "$lib"
ln -sf "$target/release/libzoho_oauth.so" "$lib/libzoho_oauth.so"
soname="$(readelf -d "$target/release/libzoho_oauth.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
ln -sf "$target/release/libzoho_oauth.so" "$lib/$soname"
gcc -std=c11 -O2 -Wall -Wextra -Werror -Icapi/include -Itests/c tests/c/bench_get_access_token.c tests/c/harness.c \
    -L"$lib" -Wl,-rpath,"$lib" -lzoho_oauth -lpthread -o "$out/bench"
"$out/bench" "${1:-1}"
rm -rf "$out"
