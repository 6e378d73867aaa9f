#!/usr/bin/env bash
# Checks that the committed headers are what capi/build.rs generates from capi/src:
#   capi/include/zoho_oauth.h (C/C++) and capi/include/zoho_oauth_ffi.h (PHP FFI).
# Builds the library (which regenerates them), then fails when
#   - capi/build.rs could not run cbindgen (capi/include/CBINDGEN_FAILED.txt),
#   - a header differs from the committed one (git diff --exit-code capi/include/),
#   - the FFI header has a preprocessor line, or a header does not compile as C and C++.
# Usage: bash tests/c/check-headers.sh [--no-build]   (honours CARGO_TARGET_DIR)
set -uo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1

if [ "${1:-}" != "--no-build" ]; then
    cargo build -q -p zoho-oauth-capi || { echo "check-headers: cargo build failed"; exit 1; }
fi
fail=0
if [ -e capi/include/CBINDGEN_FAILED.txt ]; then
    echo "check-headers: capi/build.rs could not generate the headers:"
    cat capi/include/CBINDGEN_FAILED.txt
    fail=1
fi
for header in capi/include/zoho_oauth.h capi/include/zoho_oauth_ffi.h; do
    if [ ! -s "$header" ]; then
        echo "check-headers: $header is missing or empty"
        fail=1
    elif [ -z "$(git ls-files -- "$header")" ]; then
        echo "check-headers: note: $header is not committed yet"
    fi
done
if ! git --no-pager diff --exit-code --stat -- capi/include/; then
    git --no-pager diff -- capi/include/ | head -60
    echo "check-headers: the committed headers differ from what capi/build.rs generates; commit capi/include/"
    fail=1
fi
if grep -n '^[[:space:]]*#' capi/include/zoho_oauth_ffi.h; then
    echo "check-headers: capi/include/zoho_oauth_ffi.h has preprocessor lines, which PHP FFI cannot read"
    fail=1
fi
CC="${CC:-cc}"
CXX="${CXX:-c++}"
if ! echo '#include "zoho_oauth.h"' | "$CC" -std=c99 -Wall -Wextra -Werror -pedantic -Icapi/include -fsyntax-only -x c -; then
    echo "check-headers: zoho_oauth.h does not compile as C99"
    fail=1
fi
if ! echo '#include "zoho_oauth.h"' | "$CXX" -std=c++11 -Wall -Wextra -Werror -pedantic -Icapi/include -fsyntax-only -x c++ -; then
    echo "check-headers: zoho_oauth.h does not compile as C++11"
    fail=1
fi
if ! "$CC" -std=c11 -Wall -Wextra -Werror -fsyntax-only -x c capi/include/zoho_oauth_ffi.h -include stdbool.h -include stddef.h -include stdint.h; then
    echo "check-headers: zoho_oauth_ffi.h does not compile as C"
    fail=1
fi
[ "$fail" -eq 0 ] && echo "check-headers: headers are current"
exit "$fail"
