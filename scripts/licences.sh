#!/usr/bin/env bash
# THIRD-PARTY-LICENSES.md: the licence notices of every crate in the shipped binaries (the PHP
# extension, the C library, the CLI), generated from the dependency graph by cargo-about with
# about.toml (the accepted licences) and packaging/licences/third-party-licenses.md.hbs.
#
#   bash scripts/licences.sh           regenerate THIRD-PARTY-LICENSES.md (commit it)
#   bash scripts/licences.sh --check   fail when a dependency's licence is not accepted, or when
#                                      the committed file differs from a fresh one (CI)
#
# The graph is the PHP extension's (php/Cargo.toml): it depends on the core with every one of
# the core's dependencies, so it holds the C library's and the CLI's crates too; our own crates
# are left out. Installs cargo-about (crates.io, --locked) into ~/.cargo/bin when missing; it
# reads only the local registry (--frozen), never the network. Needs Cargo.lock's crates fetched.
set -euo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$ROOT"
CARGO_ABOUT_VERSION="0.9.3"
OUTPUT="THIRD-PARTY-LICENSES.md"
TEMPLATE="packaging/licences/third-party-licenses.md.hbs"

die() { echo "licences: $*" >&2; exit 1; }

ensure_cargo_about() {
    if cargo about --version 2>/dev/null | grep -qF "$CARGO_ABOUT_VERSION"; then return; fi
    echo "licences: installing cargo-about $CARGO_ABOUT_VERSION (a few minutes, once)" >&2
    cargo install --locked --features cli --version "$CARGO_ABOUT_VERSION" cargo-about >&2
}

# generate FILE: the notices, rendered into FILE; cargo-about fails (and names the crate) when
# a licence is not on about.toml's accepted list or cannot be determined.
generate() {
    cargo fetch --locked >/dev/null 2>&1 || true
    cargo about -L error generate --frozen --fail -c about.toml -m php/Cargo.toml \
        -o "$1" "$TEMPLATE" || die "cargo about failed: a dependency's licence is not accepted (about.toml) or unknown"
    [ -s "$1" ] || die "cargo about wrote nothing"
}

main() {
    ensure_cargo_about
    case "${1:-}" in
        "")
            generate "$OUTPUT"
            echo "$OUTPUT: $(grep -c '^| [a-z0-9_-]* | [0-9]' "$OUTPUT") crates"
            ;;
        --check)
            FRESH="$(mktemp)"
            trap 'rm -f "$FRESH"' EXIT
            generate "$FRESH"
            diff -u "$OUTPUT" "$FRESH" >&2 ||
                die "$OUTPUT is stale: run bash scripts/licences.sh and commit the result"
            echo "licences: every licence accepted; $OUTPUT is current"
            ;;
        *) die "usage: bash scripts/licences.sh [--check]" ;;
    esac
}

main "$@"
