#!/usr/bin/env bash
# A crate per door (README, "Layout"): checks that the doors stay apart when cargo builds them
# all at once, which is when feature unification would mix them.
#   * after `cargo build --workspace`, the PHP extension exports no zoho_ symbol and the C
#     library exactly the header's (tests/c/abi-symbols.sh), each with its own SONAME
#     (the extension zoho_oauth.so, the C library libzoho_oauth.so.0.<minor>);
#   * the PHP extension's and the core's normal dependencies hold no other door's crates
#     (clap, clap_complete, clap_mangen, roff, cbindgen);
#   * the core builds, passes its unit tests and compiles every test target without its
#     default features (no MySQL, no Redis store).
# Ends with "N passed, M failed" and exits non-zero on any failure.
#
#   bash scripts/check-crates.sh      (honours CARGO_TARGET_DIR; needs php8.2-dev for the extension)
set -uo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1

target="${CARGO_TARGET_DIR:-$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')}"
passed=0
failed=0

check() { # name command...
    local name="$1" out
    shift
    if out="$("$@" 2>&1)"; then
        passed=$((passed + 1))
        echo "ok     $name"
    else
        failed=$((failed + 1))
        echo "FAILED $name"
        sed 's/^/       | /' <<<"$out" | tail -n 40
    fi
}

soname() { readelf -d "$1" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'; }

has_soname() { # lib expected
    local actual
    actual="$(soname "$1")"
    echo "$1: SONAME '$actual'"
    [ "$actual" = "$2" ]
}

# cargo tree -e normal of a package: prints the crates of other doors it would compile.
no_door_crates() { # package [cargo tree options]
    local package="$1" tree found
    shift
    tree="$(cargo tree -q -p "$package" -e normal --prefix none "$@")" || return 1
    found="$(awk '{ print $1 }' <<<"$tree" | grep -xE 'clap|clap_complete|clap_mangen|clap_builder|clap_derive|roff|cbindgen' | sort -u)"
    echo "cargo tree -p $package -e normal $*: $(wc -l <<<"$tree") lines"
    if [ -n "$found" ]; then
        echo "$package depends on another door's crates:"
        sed 's/^/  /' <<<"$found"
        return 1
    fi
}

no_store_crates() { # the core without default features has neither store's client
    local found
    found="$(cargo tree -q -p zoho-oauth --no-default-features -e normal --prefix none |
        awk '{ print $1 }' | grep -xE 'mysql|mysql_common|redis' | sort -u)"
    [ -z "$found" ] || { echo "still there: $found"; return 1; }
}

version="$(cargo pkgid -p zoho-oauth-capi | sed 's/.*[@#]//')"
minor="$(cut -d. -f2 <<<"$version")"
major="$(cut -d. -f1 <<<"$version")"
if [ "$major" = 0 ]; then abi="0.$minor"; else abi="$major"; fi

if ! cargo build --quiet --workspace; then
    echo "FAILED cargo build --workspace"
    echo "0 passed, 1 failed"
    exit 1
fi
ext="$target/debug/libzoho_oauth_php.so"
lib="$target/debug/libzoho_oauth.so"
check "workspace build: the PHP extension exports no zoho_ symbol (nm -D)" bash tests/c/abi-symbols.sh none "$ext"
check "workspace build: the C library exports exactly the header's functions (nm -D)" bash tests/c/abi-symbols.sh full "$lib"
check "workspace build: the PHP extension's SONAME is zoho_oauth.so" has_soname "$ext" zoho_oauth.so
check "workspace build: the C library's SONAME is libzoho_oauth.so.$abi" has_soname "$lib" "libzoho_oauth.so.$abi"
check "the PHP extension compiles no clap, clap_complete, clap_mangen, roff or cbindgen" no_door_crates zoho-oauth-php
check "the core compiles no clap, clap_complete, clap_mangen, roff or cbindgen" no_door_crates zoho-oauth
check "the core without default features has no MySQL or Redis client" no_store_crates
check "the core without default features: its unit tests" cargo test --quiet -p zoho-oauth --no-default-features --lib
check "the core without default features: every test target compiles" cargo check --quiet -p zoho-oauth --no-default-features --all-targets

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
