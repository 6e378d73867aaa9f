#!/usr/bin/env bash
# The documentation's examples, run as the README shows them (tests/docs.rs checks that each
# code block equals its file in docs/examples/), against the accounts emulator:
#   - first-token.sh: a token directory made for www-data, `zoho-oauth exchange` run as www-data
#     on a real pseudo-terminal (the client secret and the code typed at its no-echo prompts);
#   - quickstart.php: Zoho's PHP SDK 2.x API under a throwaway PHP-FPM master (loopback port,
#     temporary directory, never a system service) whose pool runs as www-data, driven with
#     cgi-fcgi; and the same token directory under a 0700 home: the error says who cannot enter
#     what, and what to run;
#   - cli-config.sh (docs/cli.md): the CLI's own configuration file, in a throwaway home;
#   - php-grant.php (docs/php.md): a grant exchanged through the extension, as www-data;
#   - bridge-quickstart.php: the bridge with the stand-in of Zoho's current SDK, as www-data;
#   - quickstart.c + build-c.sh: compiled with pkg-config against `make install`, run as www-data;
#   - quickstart.py, quickstart-ffi.php (docs/c.md): Python ctypes and PHP FFI, as www-data;
#   - examples/quickstart.rs (docs/rust.md): the Rust API, as www-data.
# The README's install and test commands are checked with `bash -n` here: the Debian package
# check (scripts/check-deb.sh) and .ci/run run them.
# The examples' /var/lib/zoho-oauth becomes a temporary directory; `sudo` is a shim over runuser
# (this runs as root, as CI does; skipped with a message otherwise).
#
#   bash scripts/test-docs.sh     (needs root, php-fpm, cgi-fcgi: installed when missing)
#
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
ROOT="$(pwd)"
EXAMPLES="$ROOT/docs/examples"
CLIENT_ID="1000.XXXXXXXXXXXXXXXX"
CLIENT_SECRET="xxxxxxxx"
USER_NAME="ada@example.com"

if [ "$(id -u)" -ne 0 ] || ! id www-data >/dev/null 2>&1; then
    echo "skipped: the examples run as www-data, which needs root and the www-data user"
    echo "0 passed, 0 failed"
    exit 0
fi
PHP_VERSION="$(php -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;')"
FPM="php-fpm$PHP_VERSION"
missing=()
command -v "$FPM" >/dev/null || missing+=("php$PHP_VERSION-fpm")
command -v cgi-fcgi >/dev/null || missing+=(libfcgi-bin)
if [ "${#missing[@]}" -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" >/dev/null </dev/null ||
        { echo "cannot install ${missing[*]}"; echo "0 passed, 1 failed"; exit 1; }
fi

target="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TARGET_DIR="$target"
cargo build -q -p zoho-oauth-cli -p zoho-oauth-php -p zoho-accounts-emulator ||
    { echo "the build failed"; echo "0 passed, 1 failed"; exit 1; }
EXT="$target/debug/libzoho_oauth_php.so"

WORK="$(mktemp -d /tmp/test-docs.XXXXXX)"
chmod 755 "$WORK"
TOKENS="$WORK/var/lib/zoho-oauth"
mkdir -p "$WORK/bin" "$WORK/var/lib" "$WORK/www" "$WORK/c" "$WORK/app/vendor"
chmod -R 755 "$WORK/bin" "$WORK/var" "$WORK/www" "$WORK/c" "$WORK/app"
cp "$target/debug/zoho-oauth" "$WORK/bin/zoho-oauth"
# sudo as the examples use it, for root: `sudo -u USER CMD...` runs CMD as USER (runuser keeps
# the environment, so the test's ZOHO_ACCOUNTS_URL reaches the CLI); `sudo CMD...` runs CMD.
cat >"$WORK/bin/sudo" <<'SH'
#!/bin/sh
if [ "$1" = "-u" ]; then user="$2"; shift 2; exec runuser -u "$user" -- "$@"; fi
exec "$@"
SH
chmod 755 "$WORK/bin/sudo" "$WORK/bin/zoho-oauth"
export PATH="$WORK/bin:$PATH"
FPM_PID=""

# shellcheck source=checks.sh
source scripts/checks.sh

# shellcheck source=emulator.sh
source scripts/emulator.sh
cleanup() {
    [ -n "$FPM_PID" ] && kill "$FPM_PID" 2>/dev/null && wait "$FPM_PID" 2>/dev/null
    stop_emulator
    rm -rf "$WORK"
}
trap cleanup EXIT
start_emulator || { echo "0 passed, 1 failed"; exit 1; }
trap cleanup EXIT
emulator() { curl -fsS --max-time 10 "$EMULATOR_URL/_emulator/$1" "${@:2}"; }
emulator clients -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"http://localhost:8910/callback\"]}" >/dev/null ||
    { echo "cannot set up the emulator"; echo "0 passed, 1 failed"; exit 1; }
export ZOHO_ACCOUNTS_URL="$EMULATOR_URL"

# An example with the token directory moved to the test's.
example() { sed "s|/var/lib/zoho-oauth|$TOKENS|g" "$EXAMPLES/$1"; }

check_first_token() {
    local code out
    code="$(emulator grant -d "{\"client_id\":\"$CLIENT_ID\",\"user\":\"$USER_NAME\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" |
        php -r 'echo json_decode(stream_get_contents(STDIN), true)["code"];')" || return 1
    example first-token.sh >"$WORK/first-token.sh"
    # The prompts answered on a real terminal, each once it is shown (no-echo prompts flush
    # what was typed ahead).
    out="$(cd "$WORK" && timeout 120 python3 "$ROOT/scripts/pty-answer.py" \
        "Client secret: " "$CLIENT_SECRET" "Grant token: " "$code" -- bash "$WORK/first-token.sh" 2>&1)" ||
        { echo "$out"; return 1; }
    echo "$out"
    grep -qF "$USER_NAME" <<<"$out" || { echo "users did not list $USER_NAME"; return 1; }
    ! grep -qF "$CLIENT_SECRET" <<<"$out" || { echo "the secret was echoed"; return 1; }
    [ "$(stat -c '%U %a' "$TOKENS")" = "www-data 700" ] || { stat -c '%U %a' "$TOKENS"; return 1; }
    [ "$(stat -c '%U %a' "$TOKENS/zcrm_oauthtokens.txt")" = "www-data 600" ] || { stat -c '%U %a' "$TOKENS/zcrm_oauthtokens.txt"; return 1; }
}

# A throwaway PHP-FPM master (root) whose pool runs as www-data on a free loopback port.
start_fpm() {
    local port
    port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
    FPM_ADDRESS="127.0.0.1:$port"
    cat >"$WORK/fpm.conf" <<CONF
[global]
error_log = $WORK/fpm.log
pid = $WORK/fpm.pid
daemonize = no
[www]
user = www-data
group = www-data
listen = $FPM_ADDRESS
pm = static
pm.max_children = 2
catch_workers_output = yes
clear_env = no
CONF
    "$FPM" -n -d "extension=$EXT" -y "$WORK/fpm.conf" -F >"$WORK/fpm.out" 2>&1 &
    FPM_PID=$!
    for _ in $(seq 1 100); do
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        kill -0 "$FPM_PID" 2>/dev/null || break
        sleep 0.1
    done
    cat "$WORK/fpm.out" "$WORK/fpm.log" 2>/dev/null
    return 1
}

# GET a script through FPM; prints the body.
fpm_get() {
    SCRIPT_FILENAME="$1" SCRIPT_NAME="/$(basename "$1")" REQUEST_METHOD=GET QUERY_STRING="" \
        SERVER_PROTOCOL=HTTP/1.1 GATEWAY_INTERFACE=CGI/1.1 \
        timeout 60 cgi-fcgi -bind -connect "$FPM_ADDRESS" | sed '1,/^\r\{0,1\}$/d'
}

check_php_quickstart_under_fpm() {
    local out requests_before
    [ -s "$TOKENS/zcrm_oauthtokens.txt" ] || { echo "no token file (the first token failed)"; return 1; }
    [ -n "$FPM_PID" ] || { echo "FPM did not start:"; cat "$WORK/fpm.start.log"; return 1; }
    example quickstart.php >"$WORK/www/quickstart.php"
    printf '<?php preg_match("/^Uid:\\s+\\d+\\s+(\\d+)/m", file_get_contents("/proc/self/status"), $m); echo $m[1], "\\n";\n' >"$WORK/www/whoami.php"
    chmod 644 "$WORK/www/"*.php
    out="$(fpm_get "$WORK/www/whoami.php")"
    [ "$out" = "$(id -u www-data)" ] || { echo "FPM runs as: $out"; return 1; }
    requests_before="$(emulator counters | php -r 'echo json_decode(stream_get_contents(STDIN), true)["requests"];')"
    out="$(fpm_get "$WORK/www/quickstart.php")"
    echo "$out"
    grep -qE "^access token 1000\.[^ ]*\.\.\. for $USER_NAME\$" <<<"$out" || { cat "$WORK/fpm.log"; return 1; }
    # A valid token is served from the file: no request to the accounts server.
    local requests_after
    requests_after="$(emulator counters | php -r 'echo json_decode(stream_get_contents(STDIN), true)["requests"];')"
    [ "$requests_after" = "$requests_before" ] || { echo "requests at the emulator: $requests_before -> $requests_after"; emulator counters; return 1; }
}

check_private_home_error_under_fpm() {
    local home="$WORK/home/ada" out
    [ -n "$FPM_PID" ] || { echo "FPM is not running"; return 1; }
    mkdir -p "$home/.local/share/zoho-oauth"
    chmod 755 "$WORK/home"
    chmod 700 "$home"
    sed "s|$TOKENS|$home/.local/share/zoho-oauth|g" "$WORK/www/quickstart.php" |
        sed 's|^\$token = |try { $token = |; s|^// Every CRM.*$|} catch (zcrmsdk\\oauth\\exception\\ZohoOAuthException $e) { echo $e->getMessage(), "\\n"; exit; }|' \
        >"$WORK/www/home.php"
    chmod 644 "$WORK/www/home.php"
    out="$(fpm_get "$WORK/www/home.php")"
    echo "$out"
    grep -qF "cannot be reached by www-data" <<<"$out" &&
        grep -qF "$home (owner root, mode 0700) does not let www-data in" <<<"$out" &&
        grep -qF "sudo install -d -o www-data -g www-data -m 0700 /var/lib/zoho-oauth" <<<"$out"
}

check_bridge_quickstart() {
    [ -s "$TOKENS/zcrm_oauthtokens.txt" ] || { echo "no token file (the first token failed)"; return 1; }
    # What Composer's autoloader would load: Zoho's SDK (here its stand-in) and the bridge.
    printf '<?php\nrequire %s;\nrequire %s;\n' "'$ROOT/php/bridge/tests/standin/sdk.php'" \
        "'$ROOT/php/bridge/src/autoload.php'" >"$WORK/app/vendor/autoload.php"
    example bridge-quickstart.php >"$WORK/app/bridge-quickstart.php"
    chmod 644 "$WORK/app/vendor/autoload.php" "$WORK/app/bridge-quickstart.php"
    local out
    out="$(cd "$WORK/app" && timeout 60 runuser -u www-data -- php -n -d "extension=$EXT" bridge-quickstart.php 2>&1)" ||
        { echo "$out"; return 1; }
    echo "$out"
    grep -qE '^access token 1000\.' <<<"$out"
}

check_c_quickstart() {
    [ -s "$TOKENS/zcrm_oauthtokens.txt" ] || { echo "no token file (the first token failed)"; return 1; }
    make --no-print-directory install PREFIX="$WORK/prefix" PROFILE=debug >/dev/null || return 1
    example quickstart.c >"$WORK/c/quickstart.c"
    cp "$EXAMPLES/build-c.sh" "$WORK/c/build-c.sh"
    chmod -R a+rX "$WORK/prefix"
    local out
    out="$(cd "$WORK/c" && PKG_CONFIG_PATH="$WORK/prefix/lib/pkgconfig" LD_LIBRARY_PATH="$WORK/prefix/lib" \
        timeout 60 bash build-c.sh 2>&1)" || { echo "$out"; return 1; }
    echo "$out"
    grep -qE '^access token 1000\.' <<<"$out"
}

# docs/cli.md's first token for yourself: the configuration file its commands write (in a
# throwaway home) is what the CLI reads; the tokens land in the CLI's default directory.
check_cli_config_file() {
    local home="$WORK/ada" code out
    mkdir -p "$home"
    code="$(emulator grant -d "{\"client_id\":\"$CLIENT_ID\",\"user\":\"$USER_NAME\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" |
        php -r 'echo json_decode(stream_get_contents(STDIN), true)["code"];')" || return 1
    (export HOME="$home"; unset XDG_CONFIG_HOME XDG_DATA_HOME; bash "$EXAMPLES/cli-config.sh") || return 1
    [ "$(stat -c '%a' "$home/.config/zoho-oauth/config")" = 600 ] || { echo "the file is not 0600"; return 1; }
    out="$(env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u ZOHO_CLIENT_ID -u ZOHO_CLIENT_SECRET HOME="$home" \
        timeout 60 zoho-oauth exchange --grant-token - <<<"$code" 2>&1)" || { echo "$out"; return 1; }
    echo "$out"
    out="$(env -u XDG_CONFIG_HOME -u XDG_DATA_HOME -u ZOHO_CLIENT_ID -u ZOHO_CLIENT_SECRET HOME="$home" \
        timeout 60 zoho-oauth token --user "$USER_NAME" 2>&1)" || { echo "$out"; return 1; }
    case "$out" in 1000.*) ;; *) echo "no token: $out"; return 1 ;; esac
    [ -s "$home/.local/share/zoho-oauth/zcrm_oauthtokens.txt" ]
}

check_php_grant_exchange() {
    local dir="$WORK/var/lib/grant" code out
    install -d -o www-data -g www-data -m 0700 "$dir"
    code="$(emulator grant -d "{\"client_id\":\"$CLIENT_ID\",\"user\":\"$USER_NAME\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" |
        php -r 'echo json_decode(stream_get_contents(STDIN), true)["code"];')" || return 1
    # The placeholder becomes the code, and the emulator is the accounts server.
    sed "s|/var/lib/zoho-oauth|$dir|g; s|paste_the_self_authorized_grant_token_here|$code|; s|\"currentUserEmail\"=>|\"accounts_url\"=>\"$EMULATOR_URL\",\"currentUserEmail\"=>|" \
        "$EXAMPLES/php-grant.php" >"$WORK/www/php-grant.php"
    grep -qF "$code" "$WORK/www/php-grant.php" && grep -qF "$EMULATOR_URL" "$WORK/www/php-grant.php" ||
        { echo "docs/examples/php-grant.php changed: placeholders not found"; return 1; }
    chmod 644 "$WORK/www/php-grant.php"
    out="$(cd "$WORK/www" && timeout 60 runuser -u www-data -- php -n -d "extension=$EXT" php-grant.php 2>&1)" ||
        { echo "$out"; return 1; }
    echo "$out"
    grep -qE "^saved tokens for $USER_NAME; access token 1000\." <<<"$out" &&
        [ "$(stat -c '%U %a' "$dir/zcrm_oauthtokens.txt")" = "www-data 600" ]
}

check_ffi_quickstarts() {
    [ -f "$WORK/prefix/include/zoho_oauth_ffi.h" ] || { echo "no make install (the C quick start failed)"; return 1; }
    local out
    example quickstart.py >"$WORK/c/quickstart.py"
    sed "s|/usr/include/zoho_oauth_ffi.h|$WORK/prefix/include/zoho_oauth_ffi.h|" "$EXAMPLES/quickstart-ffi.php" |
        sed "s|/var/lib/zoho-oauth|$TOKENS|g" >"$WORK/c/quickstart-ffi.php"
    chmod 644 "$WORK/c/quickstart.py" "$WORK/c/quickstart-ffi.php"
    out="$(cd "$WORK/c" && LD_LIBRARY_PATH="$WORK/prefix/lib" timeout 60 runuser -u www-data -- python3 quickstart.py 2>&1)" ||
        { echo "$out"; return 1; }
    echo "python: $out"
    grep -qE '^access token 1000\.' <<<"$out" || return 1
    out="$(cd "$WORK/c" && LD_LIBRARY_PATH="$WORK/prefix/lib" timeout 60 runuser -u www-data -- \
        php -n -d extension=ffi -d ffi.enable=1 quickstart-ffi.php 2>&1)" || { echo "$out"; return 1; }
    echo "php ffi: $out"
    grep -qE '^access token 1000\.' <<<"$out"
}

# The Rust example names /var/lib/zoho-oauth and the accounts server in its code: it runs as
# written, in a private mount namespace where the test's directory is bound over /var/lib
# (nothing of the host's changes), with its one refresh-free call served from the file.
check_rust_quickstart() {
    [ -s "$TOKENS/zcrm_oauthtokens.txt" ] || { echo "no token file (the first token failed)"; return 1; }
    cargo build -q --example quickstart -p zoho-oauth || return 1
    cp "$target/debug/examples/quickstart" "$WORK/bin/rust-quickstart" && chmod 755 "$WORK/bin/rust-quickstart"
    local out
    out="$(timeout 60 unshare --mount --propagation private sh -c \
        'mount --bind "$1/var/lib" /var/lib && exec setpriv --reuid=www-data --regid=www-data --init-groups "$1/bin/rust-quickstart"' \
        sh "$WORK" 2>&1)" || { echo "$out"; return 1; }
    echo "$out"
    grep -qE '^access token 1000\.' <<<"$out"
}

check_other_commands_parse() {
    local file
    for file in install-packages.sh install-source.sh test-commands.sh; do
        bash -n "$EXAMPLES/$file" || return 1
    done
    grep -qx 'bash scripts/test.sh' .ci/run && [ -f scripts/demo.sh ] && [ -f scripts/package-deb.sh ]
}

check "first token: a directory for www-data, exchange as www-data on a terminal" check_first_token
start_fpm >"$WORK/fpm.start.log" 2>&1 || FPM_PID=""
check "PHP quick start (Zoho's SDK 2.x API) under PHP-FPM as www-data" check_php_quickstart_under_fpm
check "a token directory under a 0700 home: the error says who, what and what to run" check_private_home_error_under_fpm
check "docs/cli.md: the configuration file its commands write is what the CLI reads" check_cli_config_file
check "docs/php.md: a grant exchanged with Zoho's SDK 2.x API, as www-data" check_php_grant_exchange
check "PHP quick start through the bridge (stand-in of Zoho's current SDK), as www-data" check_bridge_quickstart
check "C quick start: pkg-config build, run as www-data" check_c_quickstart
check "Python ctypes and PHP FFI quick starts (docs/c.md), as www-data" check_ffi_quickstarts
check "Rust quick start (docs/rust.md), as www-data" check_rust_quickstart
check "install and test commands parse; CI runs the test command" check_other_commands_parse

finish_checks
