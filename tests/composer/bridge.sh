#!/usr/bin/env bash
# The bridge (php/bridge) installed with real Composer, offline, exactly as php/bridge/README.md's
# "Install" section says, into a new project that already requires Zoho's SDK (the stand-in
# php/bridge/tests/standin/sdk.php, as a path package named zohocrm/php-sdk-8.0), at Composer's
# default minimum-stability; then the README's example (LockedOAuthBuilder) against the accounts
# emulator through vendor/autoload.php. Also: the package's metadata, Composer refusing to install
# it under a PHP without the extension unless --ignore-platform-req=ext-zoho_oauth, and the
# message at first use when the extension is missing. No network: Packagist is switched off and
# COMPOSER_DISABLE_NETWORK is set.
#
#   bash tests/composer/bridge.sh        (needs composer: scripts/install-deps.sh)
#
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
ROOT="$(pwd)"
BRIDGE="$ROOT/php/bridge"
README="$BRIDGE/README.md"
CLIENT_ID="1000.COMPOSERBRIDGETEST0000000000001"
CLIENT_SECRET="composer-bridge-secret"
REFRESH_TOKEN="1000.composerbridgerefresh0000000000000000001"
USER_NAME="ada@example.com"

command -v composer >/dev/null || { echo "composer is not installed (scripts/install-deps.sh)"; echo "0 passed, 1 failed"; exit 1; }
target="${CARGO_TARGET_DIR:-$ROOT/target}"
export CARGO_TARGET_DIR="$target"
cargo build -q -p zoho-oauth-php -p zoho-accounts-emulator || { echo "the build failed"; echo "0 passed, 1 failed"; exit 1; }
EXT="$target/debug/libzoho_oauth_php.so"

WORK="$(mktemp -d /tmp/composer-bridge.XXXXXX)"
export COMPOSER_HOME="$WORK/composer-home" COMPOSER_CACHE_DIR="$WORK/composer-cache"
export COMPOSER_DISABLE_NETWORK=1 COMPOSER_NO_INTERACTION=1 COMPOSER_ALLOW_SUPERUSER=1
# `composer` and `php` as a user's would be: PHP with the zoho_oauth extension loaded (the build).
mkdir -p "$WORK/bin-with-ext"
printf '#!/bin/sh\nexec php -d extension=%s /usr/bin/composer "$@"\n' "$EXT" >"$WORK/bin-with-ext/composer"
chmod 755 "$WORK/bin-with-ext/composer"
PHP_WITH_EXT=(php -d "extension=$EXT")

# shellcheck source=../../scripts/checks.sh
source scripts/checks.sh

# shellcheck source=../../scripts/emulator.sh
source scripts/emulator.sh
cleanup() { stop_emulator; rm -rf "$WORK"; }
trap cleanup EXIT
start_emulator || { echo "0 passed, 1 failed"; exit 1; }
trap cleanup EXIT
emulator() { curl -fsS --max-time 10 "$EMULATOR_URL/_emulator/$1" "${@:2}"; }
emulator clients -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"https://example.com/cb\"]}" >/dev/null &&
    emulator refresh_tokens -d "{\"token\":\"$REFRESH_TOKEN\",\"client_id\":\"$CLIENT_ID\",\"user\":\"$USER_NAME\",\"scope\":\"ZohoCRM.modules.ALL\"}" >/dev/null ||
    { echo "cannot set up the emulator"; echo "0 passed, 1 failed"; exit 1; }

# The first ``` block of the README after the line $1 whose language is $2, with the checkout's path.
readme_block() {
    awk -v heading="$1" -v lang="$2" '
        $0 == heading { inside = 1; next }
        inside && !open && $0 == "```" lang { open = 1; next }
        open && $0 == "```" { exit }
        open { print }' "$README" | sed "s|/path/to/zoho-oauth|$ROOT|g"
}

# A project as a user has it before adding the bridge: it requires Zoho's SDK (here the
# stand-in, as a path package) and nothing else; Packagist off.
new_project() {
    local dir="$1" sdk="$WORK/sdk"
    mkdir -p "$sdk" "$dir"
    cp "$BRIDGE/tests/standin/sdk.php" "$sdk/sdk.php"
    cat >"$sdk/composer.json" <<'JSON'
{"name": "zohocrm/php-sdk-8.0", "version": "8.0.0", "type": "library", "license": "proprietary",
 "description": "A stand-in for the auth layer of Zoho's PHP SDK (tests only)",
 "autoload": {"files": ["sdk.php"]}}
JSON
    cat >"$dir/composer.json" <<JSON
{"name": "example/app", "type": "project",
 "repositories": [{"packagist.org": false}, {"type": "path", "url": "$sdk"}],
 "require": {"zohocrm/php-sdk-8.0": "8.0.0"}}
JSON
    (cd "$dir" && "${PHP_WITH_EXT[@]}" /usr/bin/composer install --no-progress)
}

check_metadata() {
    local version
    version="$(cargo pkgid -p zoho-oauth | sed 's/.*[@#]//')"
    composer validate --no-check-publish -d "$BRIDGE" || return 1
    php -r '
        $c = json_decode(file_get_contents($argv[1]), true, 8, JSON_THROW_ON_ERROR);
        foreach (["name", "description", "version", "keywords", "license", "support"] as $k) {
            if (empty($c[$k])) { fwrite(STDERR, "no $k\n"); exit(1); }
        }
        if ($c["version"] !== $argv[2]) { fwrite(STDERR, "version {$c["version"]} is not the crates\x27 {$argv[2]}\n"); exit(1); }
        // Composer names an extension ext-<name as extension_loaded() knows it>.
        if (!isset($c["require"]["ext-zoho_oauth"], $c["require"]["php"])) { fwrite(STDERR, "requires\n"); exit(1); }
        echo "composer.json: {$c["name"]} {$c["version"]}\n";
    ' "$BRIDGE/composer.json" "$version"
}

# The README's commands, run as written (with the checkout's path) by a PHP that has the
# extension: a stable version, no minimum-stability or @dev anywhere.
check_readme_install() {
    local dir="$WORK/app" commands
    new_project "$dir" || return 1
    commands="$(readme_block "## Install" sh)"
    grep -q '^composer require zoho-oauth/sdk-bridge' <<<"$commands" || { echo "no composer require in the README: $commands"; return 1; }
    echo "$commands"
    (cd "$dir" && PATH="$WORK/bin-with-ext:$PATH" bash -euo pipefail -c "$commands") || return 1
    grep -q 'minimum-stability\|@dev' "$dir/composer.json" && { echo "the project needed @dev"; return 1; }
    php -r '
        $lock = json_decode(file_get_contents($argv[1]), true);
        foreach ($lock["packages"] as $p) {
            if ($p["name"] === "zoho-oauth/sdk-bridge") { echo "locked {$p["version"]}\n"; exit($p["version"] === $argv[2] ? 0 : 1); }
        }
        exit(1);
    ' "$dir/composer.lock" "$(cargo pkgid -p zoho-oauth | sed 's/.*[@#]//')"
}

# The README's example (the first php block with LockedOAuthBuilder) through vendor/autoload.php,
# with the test's client, refresh token, token directory and the emulator as accounts server.
example_script() {
    local tokens="$1" example
    example="$(awk '/^```php$/ { open = 1; block = ""; next }
        open && /^```$/ { if (block ~ /LockedOAuthBuilder\(\)/) { printf "%s", block; exit } open = 0; next }
        open { block = block $0 "\n" }' "$README")"
    [ -n "$example" ] || return 1
    example="${example//\'1000.XXXX\'/\'$CLIENT_ID\'}"
    example="${example//clientSecret(\'...\')/clientSecret(\'$CLIENT_SECRET\')}"
    example="${example//\'1000.xxx\'/\'$REFRESH_TOKEN\'}"
    example="${example//\'\/var\/lib\/myapp\/zoho\'/\'$tokens\', \'accounts_url\' => \'$EMULATOR_URL\'}"
    example="${example//\/var\/lib\/myapp\/zoho/$tokens}"   # the SDK's own store, beside ours
    cat <<PHP
<?php
require __DIR__ . '/vendor/autoload.php';
use com\\zoho\\crm\\api\\InitializeBuilder;
use com\\zoho\\crm\\api\\UserSignature;
use com\\zoho\\crm\\api\\dc\\USDataCenter;
use com\\zoho\\api\\authenticator\\store\\FileStore;
$example
echo \$token->getAccessToken(), "\n";
PHP
}

refreshes() { emulator counters | php -r 'echo json_decode(stream_get_contents(STDIN), true)["token.refresh_token"] ?? -1;'; }

check_readme_example() {
    local dir="$WORK/app" out before
    [ -f "$dir/vendor/autoload.php" ] || { echo "not installed"; return 1; }
    mkdir -m 700 "$WORK/tokens"
    example_script "$WORK/tokens" >"$dir/example.php" || { echo "no example in the README"; return 1; }
    grep -q "$CLIENT_ID" "$dir/example.php" && grep -q "$EMULATOR_URL" "$dir/example.php" ||
        { cat "$dir/example.php"; echo "the README's example changed: placeholders not found"; return 1; }
    before="$(refreshes)"
    out="$(cd "$dir" && timeout 60 "${PHP_WITH_EXT[@]}" example.php)" || { echo "$out"; return 1; }
    echo "access token: ${out:0:12}..."
    case "$out" in 1000.*) ;; *) echo "no access token: $out"; return 1 ;; esac
    [ "$(refreshes)" -eq $((before + 1)) ] || { echo "refreshes: $before -> $(refreshes)"; return 1; }
    grep -qF "$out" "$WORK/tokens/zcrm_oauthtokens.txt" && echo "saved in the core's token file"
}

# Without the extension, Composer refuses the package and names the requirement; with
# --ignore-platform-req=ext-zoho_oauth it installs (what a build container does).
check_platform_requirement() {
    local dir="$WORK/app-no-ext" out
    new_project "$dir" || return 1
    cd "$dir" && composer config repositories.zoho-oauth-bridge path "$BRIDGE" || return 1
    if out="$(php /usr/bin/composer require --no-progress zoho-oauth/sdk-bridge:^0.1 2>&1)"; then
        echo "installed without the extension: $out"; return 1
    fi
    grep -F 'ext-zoho_oauth' <<<"$out" || { echo "$out"; return 1; }
    php /usr/bin/composer require --no-progress --ignore-platform-req=ext-zoho_oauth zoho-oauth/sdk-bridge:^0.1 &&
        [ -f vendor/zoho-oauth/sdk-bridge/src/LockedOAuthToken.php ]
}

# The bridge's first use in a PHP without the extension says what is missing and what to do.
check_missing_extension_message() {
    local dir="$WORK/app" out
    if out="$(cd "$dir" && timeout 60 php -n example.php 2>&1)"; then echo "ran without the extension: $out"; return 1; fi
    echo "$out"
    grep -qF 'zoho-oauth/sdk-bridge needs the zoho_oauth PHP extension' <<<"$out" &&
        grep -qF 'php -m' <<<"$out" && ! grep -qF "$CLIENT_SECRET" <<<"$out"
}

check "composer.json: valid, Packagist metadata, version = the crates', requires ext-zoho_oauth" check_metadata
check "the README's composer commands install a stable version (default minimum-stability)" check_readme_install
check "the README's example runs from vendor/autoload.php: one refresh at the emulator" check_readme_example
check "Composer without the extension refuses it; --ignore-platform-req=ext-zoho_oauth installs" check_platform_requirement
check "without the extension the bridge's first use says what is missing" check_missing_extension_message

finish_checks
