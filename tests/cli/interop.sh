#!/usr/bin/env bash
# Tokens written by the zoho-oauth CLI are read by the C library and the PHP extension, and
# the other way round, through the same token file, against the accounts emulator.
#   bash tests/cli/interop.sh        (honours CARGO_TARGET_DIR; needs gcc and php)
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$root" || exit 1
target="${CARGO_TARGET_DIR:-$root/target}"
passed=0
failed=0
ok() { echo "ok - $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $1"; failed=$((failed + 1)); }
check_same() { if [ -n "$2" ] && [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (got '$2', want '$3')"; fi; }
finish() { echo "$passed passed, $failed failed"; [ "$failed" -eq 0 ]; exit $?; }

echo "# building the CLI, the C library and the PHP extension"
cargo build -q -p zoho-oauth-cli -p zoho-oauth-capi -p zoho-oauth-php ||
    { not_ok "cargo build -p zoho-oauth-cli -p zoho-oauth-capi -p zoho-oauth-php"; finish; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The library's SONAME (libzoho_oauth.so.0.N) must resolve too: link through symlinks to it.
mkdir -p "$work/lib"
soname="$(readelf -d "$target/debug/libzoho_oauth.so" | sed -n 's/.*Library soname: \[\(.*\)\]/\1/p')"
for name in libzoho_oauth.so ${soname:+"$soname"}; do ln -sf "$target/debug/libzoho_oauth.so" "$work/lib/$name"; done
cc -std=c11 -Wall -Werror -I capi/include tests/cli/interop.c -L "$work/lib" -lzoho_oauth \
    -Wl,-rpath,"$work/lib" -o "$work/interop_c" || { not_ok "compile tests/cli/interop.c"; finish; }

# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
start_emulator || { not_ok "start the emulator"; finish; }
trap 'stop_emulator; rm -rf "$work"' EXIT # start_emulator replaced the trap above
export ZOHO_CLIENT_ID="1000.INTEROPCLIENT000000000000000001"
export ZOHO_CLIENT_SECRET="interop+secret&=%1a2b3c4d5e6f"
export ZOHO_REDIRECT_URI="https://example.com/zoho/callback"
export ZOHO_ACCOUNTS_URL="$EMULATOR_URL"
export ZOHO_TOKEN_DIR="$work/tokens"
export HOME="$work/home"
mkdir -p "$ZOHO_TOKEN_DIR" "$HOME"
curl -fsS "$EMULATOR_URL/_emulator/clients" -d "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"client_secret\":\"$ZOHO_CLIENT_SECRET\",\"redirect_uris\":[\"$ZOHO_REDIRECT_URI\"]}" >/dev/null \
    || { not_ok "register the client"; finish; }

cli() { "$target/debug/zoho-oauth" "$@" </dev/null; }
grant() {
    curl -fsS "$EMULATOR_URL/_emulator/grant" \
        -d "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"user\":\"$1\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" \
        | sed -n 's/.*"code":"\([^"]*\)".*/\1/p'
}
counter() { curl -fsS "$EMULATOR_URL/_emulator/counters" | sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p"; }
c_lib() {
    local format="${STORE_FORMAT:-php}"
    "$work/interop_c" "{\"client_id\":\"$ZOHO_CLIENT_ID\",\"client_secret\":\"${ZOHO_CLIENT_SECRET//\"/\\\"}\",\"redirect_uri\":\"$ZOHO_REDIRECT_URI\",\"accounts_url\":\"$ZOHO_ACCOUNTS_URL\",\"token_persistence_path\":\"$ZOHO_TOKEN_DIR\",\"token_store_format\":\"$format\"}" "$@"
}
php_ext() {
    php -n -d extension="$target/debug/libzoho_oauth_php.so" -r '
        zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize([
            "client_id" => getenv("ZOHO_CLIENT_ID"), "client_secret" => getenv("ZOHO_CLIENT_SECRET"),
            "redirect_uri" => getenv("ZOHO_REDIRECT_URI"), "accounts_url" => getenv("ZOHO_ACCOUNTS_URL"),
            "token_persistence_path" => getenv("ZOHO_TOKEN_DIR"),
        ]);
        $client = zcrmsdk\oauth\ZohoOAuth::getClientInstance();
        if ($argv[1] === "get") { echo $client->getAccessToken($argv[2]), "\n"; }
        else { echo $client->generateAccessToken($argv[2])->getUserEmailId(), "\n"; }
    ' "$@"
}

echo "# CLI -> C library"
cli exchange --grant-token "$(grant ada@example.com)" >/dev/null
refreshes="$(counter token.refresh_token)"
check_same "the C library reads the CLI's token for ada" "$(c_lib get ada@example.com)" "$(cli token --user ada@example.com)"
check_same "... from the file, without a refresh" "$(counter token.refresh_token)" "$refreshes"

echo "# C library -> CLI"
check_same "the C library exchanges a grant for bob" "$(c_lib exchange "$(grant bob@example.com)")" "bob@example.com"
check_same "the CLI reads the C library's token for bob" "$(cli token --user bob@example.com)" "$(c_lib get bob@example.com)"

echo "# CLI -> PHP extension"
cli exchange --grant-token "$(grant carol@example.com)" >/dev/null
check_same "the PHP extension reads the CLI's token for carol" "$(php_ext get carol@example.com)" "$(cli token --user carol@example.com)"

echo "# PHP extension -> CLI"
check_same "the PHP extension exchanges a grant for dave" "$(php_ext exchange "$(grant dave@example.com)")" "dave@example.com"
check_same "the CLI reads the PHP extension's token for dave" "$(cli token --user dave@example.com)" "$(php_ext get dave@example.com)"
users="$(cli users --json)"
for u in ada bob carol dave; do
    case "$users" in *"\"$u@example.com\""*) ok "zoho-oauth users lists $u" ;; *) not_ok "zoho-oauth users lists $u" ;; esac
done
check_same "no refresh was needed by anyone" "$(counter token.refresh_token)" "0"

echo "# JSON store: CLI migrate, then the C library reads it"
cli migrate --to json >/dev/null
check_same "the C library reads the migrated JSON store" "$(STORE_FORMAT=json c_lib get ada@example.com)" "$(cli token --user ada@example.com)"

finish
