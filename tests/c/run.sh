#!/usr/bin/env bash
# The C ABI test suite: one entry point. Builds the library and the accounts emulator, then
# checks the headers, and runs the C tests (shared and static library), the C++ test, the C
# tests under AddressSanitizer and valgrind (each with a canary that must be caught), the
# 8-thread test, the Python ctypes test, the PHP FFI test (also inside a PHP that has loaded the
# extension), and an install + pkg-config build.
# Ends with "N passed, M failed" and exits non-zero on any failure.
#
#   bash tests/c/run.sh            (honours CARGO_TARGET_DIR; default: the workspace target/)
#
# valgrind counts only definite leaks and memory errors: reqwest's runtime leaves the std
# handle of the thread that created it "possibly lost" and a few statics "still reachable"
# at exit; no suppression file is used.
set -uo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1
cd "$ROOT" || exit 1

if [ -z "${CARGO_TARGET_DIR:-}" ]; then
    CARGO_TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
fi
export CARGO_TARGET_DIR
LIB_DIR="$CARGO_TARGET_DIR/debug"
BUILD="$CARGO_TARGET_DIR/capi-tests"
LOGS="$BUILD/logs"
rm -rf "$BUILD"
mkdir -p "$BUILD/lib" "$LOGS"

CC="${CC:-gcc}"
CXX="${CXX:-g++}"
CFLAGS=(-std=c11 -Wall -Wextra -Werror -pedantic -g -Icapi/include -Itests/c)
CXXFLAGS=(-std=c++17 -Wall -Wextra -Werror -pedantic -g -Icapi/include -Itests/c)
NATIVE_LIBS=(-lgcc_s -lutil -lrt -lpthread -lm -ldl -lc)   # see Makefile LIBS_PRIVATE
SHARED=(-L"$BUILD/lib" -Wl,-rpath,"$BUILD/lib" -lzoho_oauth -lpthread)
STATIC=("$LIB_DIR/libzoho_oauth.a" "${NATIVE_LIBS[@]}")
C_TESTS=(test_flow test_bad_input test_threads test_fork test_stats test_encryption)
# Definite and indirect leaks fail the run. "Possibly lost" is not counted: std keeps the
# calling thread's `Thread` handle in a thread-local for the life of the thread, which
# valgrind reports as possibly lost after the library's first HTTP request.
VALGRIND=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect
          --errors-for-leak-kinds=definite,indirect --error-exitcode=99)
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1:exitcode=99"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"

passed=0
failed=0
failures=()

# step NAME COMMAND...: runs one test (programs with a 10-minute limit); its output goes to
# a log, shown when it fails. Returns the test's status.
step() {
    local name="$1" log status
    shift
    log="$LOGS/$(echo "$name" | tr -c 'A-Za-z0-9' '_' | sed 's/__*/_/g; s/_$//').log"
    if [ "$(type -t "$1")" = function ]; then
        ("$@") >"$log" 2>&1
    else
        timeout 600 "$@" >"$log" 2>&1
    fi
    status=$?
    if [ "$status" -eq 0 ]; then
        passed=$((passed + 1))
        echo "ok     $name$(summary "$log")"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "FAILED $name (exit $status; log: $log)"
        tail -n 40 "$log" | sed 's/^/       | /'
    fi
    return "$status"
}

summary() {
    local line
    line="$(grep -E 'checks passed|headers are current' "$1" | tail -n 1)"
    [ -n "$line" ] && echo "  ($line)"
}

finish() {
    [ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# --- steps -----------------------------------------------------------------------------

build_all() {
    cargo build -p zoho-oauth-capi && cargo build -p zoho-accounts-emulator &&
        ln -sf "$LIB_DIR/libzoho_oauth.so" "$BUILD/lib/libzoho_oauth.so" &&
        ln -sf "$LIB_DIR/libzoho_oauth.so" "$BUILD/lib/$(soname)"
}

soname() {
    readelf -d "$LIB_DIR/libzoho_oauth.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p'
}

compile_c() {   # compile_c SUFFIX EXTRA_FLAGS... -- LINK...
    local suffix="$1" t
    shift
    local flags=() link=()
    while [ "$1" != "--" ]; do flags+=("$1"); shift; done
    shift
    link=("$@")
    for t in "${C_TESTS[@]}"; do
        "$CC" "${CFLAGS[@]}" "${flags[@]}" "tests/c/$t.c" tests/c/harness.c "${link[@]}" \
            -o "$BUILD/$t$suffix" || return 1
    done
}

compile_cpp() {
    "$CC" "${CFLAGS[@]}" -c tests/c/harness.c -o "$BUILD/harness.o" &&
        "$CXX" "${CXXFLAGS[@]}" tests/c/test_flow.cpp "$BUILD/harness.o" "${SHARED[@]}" -o "$BUILD/test_flow_cpp"
}

compile_canaries() {
    "$CC" "${CFLAGS[@]}" -fsanitize=address tests/c/leak_canary.c "${SHARED[@]}" -o "$BUILD/leak_canary_asan" &&
        "$CC" "${CFLAGS[@]}" tests/c/leak_canary.c "${SHARED[@]}" -o "$BUILD/leak_canary"
}

# The static binaries must not need the shared library.
run_static() {
    local needs
    needs="$(ldd "$BUILD/$1")"
    if grep -q zoho_oauth <<<"$needs"; then
        echo "$1 is linked to the shared library"
        return 1
    fi
    "$BUILD/$1"
}

# A canary leaks on purpose: the checker must fail it and name the leak.
expect_leak_found() {
    local pattern="$1"
    shift
    if "$@" >"$BUILD/canary.out" 2>&1; then
        cat "$BUILD/canary.out"
        echo "the leak checker did not report the canary's leak"
        return 1
    fi
    grep -q "$pattern" "$BUILD/canary.out" || { cat "$BUILD/canary.out"; return 1; }
    echo "the leak checker caught the canary's leak"
}

install_and_link() {
    local prefix="$BUILD/prefix"
    make --no-print-directory install PREFIX="$prefix" PROFILE=debug >/dev/null || return 1
    export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
    pkg-config --exists zoho-oauth zoho-oauth-static || return 1
    grep -q -- -lpthread <<<"$(pkg-config --static --libs zoho-oauth)" || { echo "Libs.private missing"; return 1; }
    # shellcheck disable=SC2046
    "$CC" -std=c11 -Wall -Wextra -Werror tests/c/example.c $(pkg-config --cflags --libs zoho-oauth) \
        -o "$BUILD/example_shared" || return 1
    # shellcheck disable=SC2046
    "$CC" -std=c11 -Wall -Wextra -Werror tests/c/example.c $(pkg-config --cflags --libs zoho-oauth-static) \
        -o "$BUILD/example_static" || return 1
    # Outputs are captured before grep: `ldd | grep -q` under pipefail fails at random when
    # grep exits on its first match and ldd dies of SIGPIPE writing the rest.
    local needs
    needs="$(ldd "$BUILD/example_static")"
    grep -q zoho_oauth <<<"$needs" && { echo "example_static needs the .so"; return 1; }
    needs="$(ldd "$BUILD/example_shared")"
    grep -q zoho_oauth <<<"$needs" || { echo "example_shared lacks the .so"; return 1; }

    local dir config code
    dir="$(mktemp -d)"
    config="$dir/config.json"
    curl -fsS -o /dev/null "$EMULATOR_URL/_emulator/reset" -d '{}' &&
        curl -fsS -o /dev/null "$EMULATOR_URL/_emulator/clients" \
            -d '{"client_id":"1000.EXAMPLE","client_secret":"example-secret","redirect_uris":["https://example.com/cb"]}' ||
        return 1
    printf '{"client_id":"1000.EXAMPLE","client_secret":"example-secret","redirect_uri":"https://example.com/cb","accounts_url":"%s","token_persistence_path":"%s"}' \
        "$EMULATOR_URL" "$dir" >"$config"
    code="$(curl -fsS "$EMULATOR_URL/_emulator/grant" \
        -d '{"client_id":"1000.EXAMPLE","user":"ada@example.com","scope":"ZohoCRM.modules.ALL,AaaServer.profile.READ"}' |
        sed -n 's/.*"code":"\([^"]*\)".*/\1/p')"
    local ok=0 shared_out static_out
    shared_out="$(LD_LIBRARY_PATH="$prefix/lib" "$BUILD/example_shared" "$config" ada@example.com "$code")"
    static_out="$("$BUILD/example_static" "$config" ada@example.com)"
    grep -q 'access token 1000\.' <<<"$shared_out" && grep -q 'access token 1000\.' <<<"$static_out" || ok=1
    local refused
    refused="$("$BUILD/example_static" "$config" nobody@example.com 2>&1)" && ok=1
    grep -q 'no_tokens (400)' <<<"$refused" || ok=1
    rm -rf "$dir"
    [ "$ok" -eq 0 ] && echo "installed to $prefix; linked with pkg-config (shared and static); example ran"
}

# The C library through PHP FFI, by its SONAME, inside a PHP that has loaded the extension
# (as the package builds it) with nothing else from conf.d: the extension's
# SONAME must be its own, or the loader hands FFI the extension instead of the library.
ffi_inside_extension() {
    local ext="$LIB_DIR/libzoho_oauth_php.so" name
    cargo build -q -p zoho-oauth-php || return 1
    name="$(readelf -d "$ext" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
    echo "the extension's SONAME: $name"
    [ "$name" = zoho_oauth.so ] || return 1
    LD_LIBRARY_PATH="$BUILD/lib" PHP_INI_SCAN_DIR= php -d extension=ffi -d ffi.enable=1 \
        -d "extension=$ext" tests/php_ffi/inside_extension.php capi/include/zoho_oauth_ffi.h "$(soname)"
}

# --- run -------------------------------------------------------------------------------

step "build library and emulator" build_all || finish
step "headers are current (cbindgen, git diff)" bash tests/c/check-headers.sh --no-build
step "the library exports exactly the header's functions (nm)" bash tests/c/abi-symbols.sh full "$LIB_DIR/libzoho_oauth.so"
step "compile C tests, shared library (-Wall -Wextra -Werror)" compile_c "" -- "${SHARED[@]}"
step "compile C tests, static library" compile_c _static -- "${STATIC[@]}"
step "compile C tests, AddressSanitizer + UBSan" compile_c _asan -fsanitize=address,undefined -fno-omit-frame-pointer -- "${SHARED[@]}"
step "compile C++ test (header as C++)" compile_cpp
step "compile leak canaries" compile_canaries

# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
if ! start_emulator >"$LOGS/emulator.log" 2>&1; then
    step "start the accounts emulator" false
    finish
fi

step "C flow + error paths (shared)" "$BUILD/test_flow"
step "C flow + error paths (static)" run_static test_flow_static
step "C bad input (shared)" "$BUILD/test_bad_input"
step "C bad input (static)" run_static test_bad_input_static
step "C 8 threads, one refresh per expiry (shared)" "$BUILD/test_threads"
step "C 8 threads, one refresh per expiry (static)" run_static test_threads_static
step "C fork during a refresh, 30 trials (shared)" "$BUILD/test_fork"
step "C fork during a refresh, 30 trials (static)" run_static test_fork_static
step "C process counters (shared)" "$BUILD/test_stats"
step "C process counters (static)" run_static test_stats_static
step "C tokens encrypted at rest (shared)" "$BUILD/test_encryption"
step "C tokens encrypted at rest (static)" run_static test_encryption_static
step "C++ flow" "$BUILD/test_flow_cpp"
step "ASan: C flow" "$BUILD/test_flow_asan"
step "ASan: C bad input" "$BUILD/test_bad_input_asan"
step "ASan: C 8 threads" "$BUILD/test_threads_asan"
step "ASan: C fork during a refresh" "$BUILD/test_fork_asan"
step "ASan: C process counters" "$BUILD/test_stats_asan"
step "ASan: leak canary is caught" expect_leak_found "detected memory leaks" "$BUILD/leak_canary_asan"
step "valgrind: C flow" "${VALGRIND[@]}" "$BUILD/test_flow"
step "valgrind: C bad input" "${VALGRIND[@]}" "$BUILD/test_bad_input"
step "valgrind: C 8 threads" "${VALGRIND[@]}" "$BUILD/test_threads"
step "valgrind: leak canary is caught" expect_leak_found "definitely lost" "${VALGRIND[@]}" "$BUILD/leak_canary"
step "Python ctypes" python3 tests/python/test_capi.py "$LIB_DIR/libzoho_oauth.so"
step "PHP FFI (FFI::cdef with zoho_oauth_ffi.h)" php -d ffi.enable=1 tests/php_ffi/test_ffi.php capi/include/zoho_oauth_ffi.h "$LIB_DIR/libzoho_oauth.so"
step "PHP FFI inside a PHP with the extension loaded (libzoho_oauth.so by SONAME)" ffi_inside_extension
step "make install + pkg-config (shared and static)" install_and_link

stop_emulator
finish
