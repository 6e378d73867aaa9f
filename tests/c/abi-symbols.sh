#!/usr/bin/env bash
# Which libraries export the C ABI, checked with nm against the functions the header declares:
#   bash tests/c/abi-symbols.sh full LIB   LIB exports every function of capi/include/zoho_oauth.h
#                                          and no other zoho_ symbol (the C library)
#   bash tests/c/abi-symbols.sh none LIB   LIB exports none of them and no zoho_ symbol at all
#                                          (the PHP extension, which does not depend on the
#                                          C ABI's crate; its module entries are get_module and
#                                          php_extension_get_module, see php/build.rs)
# Prints what differs; exits non-zero on a mismatch.
set -uo pipefail
cd "$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1
mode="${1:-}"
lib="${2:-}"
[ -f "$lib" ] || { echo "abi-symbols: no library at '$lib'"; exit 2; }

# Declarations are the header's non-comment lines; a function name is followed by '('.
declared="$(grep -v '^[[:space:]]*//' capi/include/zoho_oauth.h | grep -oE '\bzoho_[a-z0-9_]+\(' | tr -d '(' | sort -u)"
exported="$(nm -D --defined-only "$lib" | awk '{ print $NF }' | grep '^zoho_' | sort -u)"
[ -n "$declared" ] || { echo "abi-symbols: no function found in capi/include/zoho_oauth.h"; exit 1; }

case "$mode" in
full)
    if [ "$declared" != "$exported" ]; then
        echo "abi-symbols: $lib does not export exactly the header's functions:"
        diff <(echo "$declared") <(echo "$exported") | sed -n 's/^</  declared, not exported:/p; s/^>/  exported, not declared:/p'
        exit 1
    fi
    echo "$lib exports the $(wc -l <<<"$declared") functions of capi/include/zoho_oauth.h, and no other zoho_ symbol"
    ;;
none)
    if [ -n "$exported" ]; then
        echo "abi-symbols: $lib exports zoho_ symbols (does it depend on the C ABI's crate, capi/?):"
        sed 's/^/  /' <<<"$exported"
        exit 1
    fi
    echo "$lib exports none of the $(wc -l <<<"$declared") C ABI functions"
    ;;
*)
    echo "usage: bash tests/c/abi-symbols.sh full|none LIB"
    exit 2
    ;;
esac
