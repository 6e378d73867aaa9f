#!/usr/bin/env bash
# THIRD-PARTY-LICENSES.md: the licence notices of every crate in the shipped binaries (the PHP
# extension, the C library, the CLI), generated from the dependency graph by cargo-about with
# about.toml (the accepted licences), merged and rendered with
# packaging/licences/third-party-licenses.md.hbs by packaging/licences/render.py.
#
#   bash scripts/licences.sh           regenerate THIRD-PARTY-LICENSES.md (commit it)
#   bash scripts/licences.sh --check   fail when a dependency's licence is not accepted, or when
#                                      the committed file differs from a fresh one (CI)
#
# Each shipped binary is a crate of its own (php/, capi/, cli/), and cargo-about reads one
# crate's graph at a time: it writes a JSON report per door, and render.py merges them.
# Installs cargo-about (crates.io, --locked) into ~/.cargo/bin when missing; it
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

# The crates of the shipped binaries: the PHP extension, the C library and the CLI.
DOORS=(php capi cli)

# generate FILE: the notices, rendered into FILE; cargo-about fails (and names the crate) when
# a licence is not on about.toml's accepted list or cannot be determined.
generate() {
    local reports door
    reports="$(mktemp -d)"
    cargo fetch --locked >/dev/null 2>&1 || true
    for door in "${DOORS[@]}"; do
        cargo about -L error generate --frozen --fail -c about.toml -m "$door/Cargo.toml" \
            --format json -o "$reports/$door" ||
            { rm -rf "$reports"; die "cargo about failed ($door): a dependency's licence is not accepted (about.toml) or unknown"; }
    done
    # The PHP extension's report first: its texts keep their places in the file.
    python3 packaging/licences/render.py "$TEMPLATE" "${DOORS[@]/#/$reports/}" >"$1" ||
        { rm -rf "$reports"; die "render.py failed"; }
    rm -rf "$reports"
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
