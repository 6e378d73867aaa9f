#!/usr/bin/env bash
# Checks the Debian package: builds it (scripts/package-deb.sh, release) unless a .deb is given,
# checks its file list and control fields, then installs it for real with apt/dpkg in a
# throwaway copy-on-write view of this machine (a private mount namespace with overlays on
# /etc, /usr and /var: the machine itself never changes, whatever happens) and checks there that
#   - the ini is linked into conf.d for the CLI and FPM, `php -m` / `php-fpm -m` list
#     zoho_oauth with no -d option, and an upgrade keeps that (and an administrator's phpdismod);
#   - example.c compiles with `pkg-config --cflags --libs zoho-oauth` (and zoho-oauth-static)
#     against the installed files and gets a token from the accounts emulator, which the
#     installed PHP extension and CLI then read from the same token file;
#   - `zoho-oauth --version` works, the man page renders, the man page and completions are what
#     the installed CLI prints and name every subcommand of its --help, and bash and fish
#     complete the subcommands from the installed files (zsh: parsed); bash, zsh and fish
#     complete a subcommand's option and an option's value from them;
#   - the bridge works with `require 'ZohoOAuth/Bridge/autoload.php';` alone (include_path);
#   - the licence notices in /usr/share/doc are the source tree's THIRD-PARTY-LICENSES.md;
#   - next to the package, `PHP_INI_SCAN_DIR= php -d extension=BUILD` runs the build, and
#     `php -d extension=BUILD` alone the packaged extension (the README says so);
#   - `dpkg -r` removes every file but the conffile and disables the extension, and
#     `dpkg --purge` leaves /etc, /usr, /var/lib/php and dpkg's info dir exactly as before;
#   - on a system whose PHP provides another phpapi, dpkg refuses to configure it.
# Needs root (unshare, mount). Ends with "N passed, M failed"; exits non-zero on any failure.
# Each check's output goes to a log, kept (and named) when a check fails.
#
#   bash scripts/check-deb.sh [PATH.deb]             the package for this machine's PHP
#   bash scripts/check-deb.sh --php 8.4 [PATH.deb]   the package for PHP 8.4 (scripts/package-deb.sh
#                                                    --php 8.4), checked inside the Debian 13 root
#                                                    that built it (scripts/debian-root.sh)
set -uo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1
cd "$ROOT" || exit 1

PHP_ARGS=()
if [ "${1:-}" = --php ]; then
    [ $# -ge 2 ] || { echo "usage: $0 [--php X.Y] [PATH.deb]"; exit 2; }
    PHP_ARGS=(--php "$2")
    shift 2
    if [ -z "${CHECK_DEB_NAMESPACE:-}" ]; then
        where="$(bash scripts/debian-root.sh for-php "${PHP_ARGS[1]}")" || { echo "0 passed, 1 failed"; exit 1; }
        [ "$where" = host ] ||
            exec bash scripts/debian-root.sh run "$where" -- bash scripts/check-deb.sh "${PHP_ARGS[@]}" "$@"
    fi
fi

if [ -z "${CHECK_DEB_NAMESPACE:-}" ]; then
    if [ "$(id -u)" != 0 ]; then
        echo "check-deb: needs root for a private mount namespace"
        echo "0 passed, 1 failed"
        exit 1
    fi
    CHECK_DEB_NAMESPACE=1 exec unshare --mount --propagation private bash "$0" "${PHP_ARGS[@]}" "$@"
fi

if [ ${#PHP_ARGS[@]} -gt 0 ]; then PHP_CONFIG="${PHP_CONFIG:-$(command -v "php-config${PHP_ARGS[1]}")}"; fi
PHP_CONFIG="${PHP_CONFIG:-php-config}"
PHPAPI="$("$PHP_CONFIG" --phpapi)"
PHP_EXT_DIR="$("$PHP_CONFIG" --extension-dir)"
PHP_VERSION="$("$PHP_CONFIG" --version | cut -d. -f1,2)"
MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH)"
LIBDIR="/usr/lib/$MULTIARCH"
VERSION="$(cargo pkgid -p zoho-oauth | sed 's/.*[@#]//')"
ABI="$(cut -d. -f1 <<<"$VERSION")"
[ "$ABI" = 0 ] && ABI="0.$(cut -d. -f2 <<<"$VERSION")"
INI="/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini"
WORK="$(mktemp -d /tmp/check-deb.XXXXXX)"
LOGS="$WORK/logs"
mkdir -p "$LOGS"
CLIENT_ID="1000.DEBPACKAGECHECK"
CLIENT_SECRET="deb-check-secret"
REDIRECT_URI="https://example.com/cb"

passed=0
failed=0
failures=()

# check NAME COMMAND...: runs one check in a subshell, its output to a log shown on failure.
check() {
    local name="$1" log
    shift
    log="$LOGS/$((passed + failed + 1)).log"
    if ("$@") >"$log" 2>&1; then
        passed=$((passed + 1))
        echo "ok     $name"
    else
        failed=$((failed + 1))
        failures+=("$name")
        echo "FAILED $name (log: $log)"
        tail -n 30 "$log" | sed 's/^/       | /'
    fi
}

finish() {
    [ ${#failures[@]} -gt 0 ] && printf 'failed: %s\n' "${failures[@]}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
    exit $?
}

# --- the package file ------------------------------------------------------------------

# Every path the package must hold, as `dpkg-deb -c` prints it (links with their target).
expected_entries() {
    local share=./usr/share
    printf '%s\n' ".$PHP_EXT_DIR/zoho_oauth.so" ".$INI" \
        ".$LIBDIR/libzoho_oauth.so.$VERSION" \
        ".$LIBDIR/libzoho_oauth.so.$ABI -> libzoho_oauth.so.$VERSION" \
        ".$LIBDIR/libzoho_oauth.so -> libzoho_oauth.so.$ABI" \
        ".$LIBDIR/libzoho_oauth.a" ./usr/include/zoho_oauth.h ./usr/include/zoho_oauth_ffi.h \
        ".$LIBDIR/pkgconfig/zoho-oauth.pc" ".$LIBDIR/pkgconfig/zoho-oauth-static.pc" \
        ./usr/bin/zoho-oauth "$share/man/man1/zoho-oauth.1.gz" \
        "$share/bash-completion/completions/zoho-oauth" \
        "$share/zsh/vendor-completions/_zoho-oauth" \
        "$share/fish/vendor_completions.d/zoho-oauth.fish" \
        "$share/doc/zoho-oauth/README.md.gz" "$share/doc/zoho-oauth/copyright" \
        "$share/doc/zoho-oauth/THIRD-PARTY-LICENSES.md.gz" "$share/doc/zoho-oauth/changelog.gz" \
        "$share/php/ZohoOAuth/Bridge/autoload.php" "$share/php/ZohoOAuth/Bridge/missing-extension.php" \
        "$share/php/ZohoOAuth/Bridge/LockedOAuthToken.php" "$share/php/ZohoOAuth/Bridge/LockedOAuthBuilder.php" \
        "$share/php/ZohoOAuth/Bridge/LockedTokenStore.php"
}

# The package's entries as `dpkg-deb -c` prints them, without mode, owner, size and date.
listed_entries() {
    dpkg-deb -c "$DEB" | sed -e 's/^\([^ ]* *\)\{5\}//'
}

# The package's non-directory paths, one a line, without link targets.
packaged_paths() {
    dpkg-deb -c "$DEB" | grep -v '^d' | sed -e 's/^\([^ ]* *\)\{5\}//' -e 's/ -> .*//' -e 's/^\.//'
}

check_file_list() {
    local listing entry missing=0
    listing="$(listed_entries)" || return 1
    while read -r entry; do
        grep -qxF -- "$entry" <<<"$listing" || { echo "missing: $entry"; missing=1; }
    done < <(expected_entries)
    dpkg-deb -c "$DEB" | grep -v ' root/root ' && { echo "entries not owned by root/root"; return 1; }
    [ "$missing" -eq 0 ] && echo "$(expected_entries | wc -l) expected entries listed"
}

check_control() {
    local depends
    depends="$(dpkg-deb -f "$DEB" Depends)"
    echo "Depends: $depends"
    grep -qE "(^|, )phpapi-$PHPAPI(,|$)" <<<"$depends" || { echo "no phpapi-$PHPAPI"; return 1; }
    grep -q 'libc6 (>= ' <<<"$depends" || { echo "no versioned libc6"; return 1; }
    [ "$(dpkg-deb -f "$DEB" Package)" = zoho-oauth ] || return 1
    [ "$(dpkg-deb -I "$DEB" conffiles)" = "$INI" ] || { echo "conffiles is not the ini"; return 1; }
    dpkg-deb -I "$DEB" postinst | grep -q 'php_invoke enmod' || { echo "postinst enables nothing"; return 1; }
    dpkg-deb -I "$DEB" postrm | grep -q 'php_invoke dismod' || { echo "postrm disables nothing"; return 1; }
}

# --- a throwaway view of the system -----------------------------------------------------

OVERLAID=(/etc /usr /var)

# Copy-on-write overlays on /etc, /usr and /var, seen only inside this mount namespace.
overlay_on() {
    local dir
    OVERLAY="$(mktemp -d /tmp/check-deb-overlay.XXXXXX)"
    for dir in "${OVERLAID[@]}"; do
        mkdir -p "$OVERLAY/upper$dir" "$OVERLAY/work$dir" &&
            mount -t overlay overlay \
                -o "lowerdir=$dir,upperdir=$OVERLAY/upper$dir,workdir=$OVERLAY/work$dir" "$dir" ||
            return 1
    done
    # Maintainer scripts and triggers must not (re)start services such as php8.2-fpm.
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod 755 /usr/sbin/policy-rc.d
}

overlay_off() {
    local dir
    for dir in "${OVERLAID[@]}"; do umount -l "$dir" 2>/dev/null; done
    [ -n "${OVERLAY:-}" ] && rm -rf "$OVERLAY"
    OVERLAY=""
}

# Every path under the places the package touches, with type, mode, owner and link target.
snapshot() {
    find /etc /usr /var/lib/php /var/lib/dpkg/info -printf '%p %y %m %U:%G %l\n' 2>/dev/null | sort
}

# --- checks on the installed package -----------------------------------------------------

# The README's command: apt installs the file (every dependency is already installed).
check_install() {
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y \
        -o Dpkg::Use-Pty=0 "$(realpath "$DEB")" </dev/null || return 1
    [ "$(dpkg-query -W -f='${Status}' zoho-oauth)" = "install ok installed" ]
}

check_files_installed() {
    local path missing=0
    while read -r path; do
        [ -e "$path" ] || [ -L "$path" ] || { echo "not installed: $path"; missing=1; }
    done < <(packaged_paths)
    [ "$missing" -eq 0 ] || return 1
    readelf -d "$LIBDIR/libzoho_oauth.so.$VERSION" | grep -F "Library soname: [libzoho_oauth.so.$ABI]" &&
        ldconfig -p | grep -F "libzoho_oauth.so.$ABI " # the ldconfig trigger ran
}

# The installed extension carries no C ABI; the installed C library exports exactly the header's.
check_exports() {
    bash tests/c/abi-symbols.sh none "$PHP_EXT_DIR/zoho_oauth.so" &&
        bash tests/c/abi-symbols.sh full "$LIBDIR/libzoho_oauth.so.$VERSION"
}

check_php_enabled() {
    local sapi modules
    for sapi in cli fpm; do
        [ "$(readlink -f "/etc/php/$PHP_VERSION/$sapi/conf.d/20-zoho_oauth.ini")" = "$INI" ] ||
            { echo "not enabled for $sapi"; ls -l "/etc/php/$PHP_VERSION/$sapi/conf.d"; return 1; }
    done
    modules="$(timeout 60 php -m)" && grep -qx zoho_oauth <<<"$modules" || { echo "php -m"; return 1; }
    modules="$(timeout 60 "php-fpm$PHP_VERSION" -m)" && grep -qx zoho_oauth <<<"$modules" ||
        { echo "php-fpm -m"; return 1; }
    timeout 60 php --ri zoho_oauth | grep -F "$VERSION"
}

# An upgrade (here: the same version again) keeps the extension enabled, and a SAPI the
# administrator disabled with phpdismod stays disabled through it, as with Debian's own.
check_upgrade_keeps_choices() {
    local conf="/etc/php/$PHP_VERSION"
    phpdismod -v "$PHP_VERSION" -s fpm zoho_oauth && [ ! -e "$conf/fpm/conf.d/20-zoho_oauth.ini" ] ||
        return 1
    timeout 300 dpkg -i "$DEB" </dev/null || return 1
    [ -e "$conf/cli/conf.d/20-zoho_oauth.ini" ] || { echo "the upgrade disabled it for cli"; return 1; }
    [ ! -e "$conf/fpm/conf.d/20-zoho_oauth.ini" ] || { echo "the upgrade re-enabled fpm"; return 1; }
    phpenmod -v "$PHP_VERSION" -s fpm zoho_oauth && [ -e "$conf/fpm/conf.d/20-zoho_oauth.ini" ]
}

emulator_grant() {
    curl -fsS --max-time 10 "$EMULATOR_URL/_emulator/grant" \
        -d "{\"client_id\":\"$CLIENT_ID\",\"user\":\"$1\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" |
        sed -n 's/.*"code":"\([^"]*\)".*/\1/p'
}

# The README's C example, built with pkg-config against /usr, exchanges a grant and reads the
# token back, linked to the shared and to the static library.
check_c_example() {
    local config="$WORK/config.json" code out
    mkdir -p "$WORK/tokens" || return 1
    # shellcheck disable=SC2046
    cc -std=c11 -Wall -Wextra -Werror tests/c/example.c $(pkg-config --cflags --libs zoho-oauth) \
        -o "$WORK/example_shared" &&
        cc -std=c11 -Wall -Wextra -Werror tests/c/example.c \
            $(pkg-config --cflags --libs zoho-oauth-static) -o "$WORK/example_static" || return 1
    out="$(ldd "$WORK/example_shared")" && grep zoho_oauth <<<"$out" &&
        grep -qE "libzoho_oauth\.so\.$ABI => (/usr)?/lib/$MULTIARCH/libzoho_oauth\.so\.$ABI " <<<"$out" ||
        { echo "example_shared does not use the installed library"; return 1; }
    printf '{"client_id":"%s","client_secret":"%s","redirect_uri":"%s","accounts_url":"%s","token_persistence_path":"%s"}' \
        "$CLIENT_ID" "$CLIENT_SECRET" "$REDIRECT_URI" "$EMULATOR_URL" "$WORK/tokens" >"$config"
    code="$(emulator_grant ada@example.com)" && [ -n "$code" ] || return 1
    out="$(timeout 60 "$WORK/example_shared" "$config" ada@example.com "$code")" &&
        grep 'access token 1000\.' <<<"$out" || return 1
    out="$(timeout 60 "$WORK/example_static" "$config" ada@example.com)" &&
        grep 'access token 1000\.' <<<"$out"
}

# The installed extension (loaded through conf.d) and CLI read the C example's token.
check_php_and_cli_read_token() {
    local from_php from_cli
    from_php="$(timeout 60 php -r '
        zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize(["client_id" => $argv[1],
            "client_secret" => $argv[2], "redirect_uri" => $argv[3], "accounts_url" => $argv[4],
            "token_persistence_path" => $argv[5]]);
        echo zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com");
    ' -- "$CLIENT_ID" "$CLIENT_SECRET" "$REDIRECT_URI" "$EMULATOR_URL" "$WORK/tokens")" || return 1
    from_cli="$(HOME="$WORK" ZOHO_CLIENT_ID="$CLIENT_ID" ZOHO_CLIENT_SECRET="$CLIENT_SECRET" \
        ZOHO_REDIRECT_URI="$REDIRECT_URI" ZOHO_ACCOUNTS_URL="$EMULATOR_URL" \
        ZOHO_TOKEN_DIR="$WORK/tokens" timeout 60 zoho-oauth token --user ada@example.com </dev/null)" ||
        return 1
    case "$from_php" in 1000.*) ;; *) echo "PHP read no token"; return 1 ;; esac
    [ "$from_php" = "$from_cli" ] && echo "the PHP extension and the CLI read the same token"
}

check_cli_version() {
    local out
    out="$(timeout 10 zoho-oauth --version)" && echo "$out" && grep -qF "$VERSION" <<<"$out"
}

check_man_renders() {
    local page=/usr/share/man/man1/zoho-oauth.1.gz text warnings
    [ "$(man -w zoho-oauth)" = "$page" ] || { echo "man -w: $(man -w zoho-oauth)"; return 1; }
    text="$(MANWIDTH=80 MAN_KEEP_FORMATTING= timeout 60 man -l "$page" 2>"$WORK/man.err" | col -b)" ||
        return 1
    warnings="$(cat "$WORK/man.err")"
    [ -z "$warnings" ] || { echo "man warned: $warnings"; return 1; }
    grep -q '^NAME' <<<"$text" && grep -q 'zoho-oauth' <<<"$text" && grep -q '^SYNOPSIS' <<<"$text"
}

# The subcommands --help lists (clap's "Commands:" section).
help_subcommands() {
    zoho-oauth --help | sed -n '/^Commands:/,/^$/p' | sed -n 's/^  \([a-z][a-z0-9-]*\) .*/\1/p'
}

# The man page and completions are what the installed CLI prints, and each names every
# subcommand of --help.
check_generated_docs_match_help() {
    local share=/usr/share file command text missing=0
    cmp <(zoho-oauth man) <(zcat "$share/man/man1/zoho-oauth.1.gz") || return 1
    cmp <(zoho-oauth completions bash) "$share/bash-completion/completions/zoho-oauth" &&
        cmp <(zoho-oauth completions zsh) "$share/zsh/vendor-completions/_zoho-oauth" &&
        cmp <(zoho-oauth completions fish) "$share/fish/vendor_completions.d/zoho-oauth.fish" ||
        return 1
    text="$(MANWIDTH=200 man -l "$share/man/man1/zoho-oauth.1.gz" 2>/dev/null | col -b)"
    [ -n "$(help_subcommands)" ] || { echo "no subcommands in --help"; return 1; }
    for command in $(help_subcommands); do
        grep -qw -- "$command" <<<"$text" || { echo "man page lacks $command"; missing=1; }
        for file in "$share/bash-completion/completions/zoho-oauth" \
            "$share/zsh/vendor-completions/_zoho-oauth" "$share/fish/vendor_completions.d/zoho-oauth.fish"; do
            grep -qw -- "$command" "$file" || { echo "$file lacks $command"; missing=1; }
        done
    done
    [ "$missing" -eq 0 ] && echo "subcommands: $(help_subcommands | tr '\n' ' ')"
}

# bash and fish, with the installed completion files, offer every subcommand after
# `zoho-oauth `; zsh parses its file (zsh and fish: when installed, as scripts/install-deps.sh does).
check_shell_completions() {
    bash -c '
        source /usr/share/bash-completion/completions/zoho-oauth || exit 1
        fn="$(complete -p zoho-oauth | sed -n "s/.*-F \([^ ]*\) .*/\1/p")"
        [ -n "$fn" ] || { echo "no completion function"; exit 1; }
        COMP_WORDS=(zoho-oauth ""); COMP_CWORD=1; COMP_LINE="zoho-oauth "; COMP_POINT=11
        "$fn" zoho-oauth "" zoho-oauth
        printf "%s\n" "${COMPREPLY[@]}"
    ' >"$WORK/bash.out" || return 1
    if command -v fish >/dev/null; then
        HOME="$WORK" timeout 60 fish -c 'complete -C "zoho-oauth "' | cut -f1 >"$WORK/fish.out" ||
            return 1
    fi
    if command -v zsh >/dev/null; then
        zsh -n /usr/share/zsh/vendor-completions/_zoho-oauth || { echo "zsh -n failed"; return 1; }
    fi
    local command out
    for command in $(help_subcommands); do
        for out in "$WORK"/bash.out "$WORK"/fish.out; do
            [ -f "$out" ] || continue
            grep -qx -- "$command" "$out" || { echo "$(basename "$out" .out) does not offer $command"; return 1; }
        done
    done
    echo "offered by: bash$(command -v fish >/dev/null && echo ", fish"); parsed by zsh: $(command -v zsh >/dev/null && echo yes || echo "not installed")"
}

# After a subcommand, bash, zsh and fish (when installed) complete its options and an option's
# values from the installed files (cli/tests/completion/complete.sh runs each shell).
check_completion_after_subcommand() {
    local shell file out
    for shell in bash zsh fish; do
        command -v "$shell" >/dev/null || { echo "$shell: not installed"; continue; }
        case "$shell" in
            bash) file=/usr/share/bash-completion/completions/zoho-oauth ;;
            zsh) file=/usr/share/zsh/vendor-completions/_zoho-oauth ;;
            fish) file=/usr/share/fish/vendor_completions.d/zoho-oauth.fish ;;
        esac
        out="$(cd "$WORK" && bash "$ROOT/cli/tests/completion/complete.sh" "$shell" "$file" 'zoho-oauth login --ti')" &&
            [ "$out" = --timeout ] || { echo "$shell: 'login --ti' offers: $out"; return 1; }
        out="$(cd "$WORK" && bash "$ROOT/cli/tests/completion/complete.sh" "$shell" "$file" 'zoho-oauth login --dc ')" &&
            grep -qx eu <<<"$out" || { echo "$shell: 'login --dc ' offers: $out"; return 1; }
        echo "$shell: login --ti -> --timeout; login --dc -> $(tr '\n' ' ' <<<"$out")"
    done
}

# The packaged bridge with `require` alone: PHP's include_path finds its autoloader in
# /usr/share/php, and a LockedOAuthToken on the C example's token directory gives the token
# the CLI reads (the SDK is the bridge's stand-in from the source tree, as a project's
# Composer would bring the real one).
check_bridge_require() {
    local out from_cli
    out="$(timeout 60 php -r '
        require $argv[1];
        require "ZohoOAuth/Bridge/autoload.php";
        $found = stream_resolve_include_path("ZohoOAuth/Bridge/autoload.php");
        if ($found !== "/usr/share/php/ZohoOAuth/Bridge/autoload.php") { fwrite(STDERR, "found $found\n"); exit(1); }
        $token = (new ZohoOAuth\Bridge\LockedOAuthBuilder())
            ->store(["token_persistence_path" => $argv[2], "accounts_url" => $argv[3]])
            ->clientId($argv[4])->clientSecret($argv[5])
            ->userSignature(new com\zoho\crm\api\UserSignature("ada@example.com"))->build();
        echo $token->getToken();
    ' -- "$ROOT/php/bridge/tests/standin/sdk.php" "$WORK/tokens" "$EMULATOR_URL" "$CLIENT_ID" "$CLIENT_SECRET")" ||
        return 1
    from_cli="$(HOME="$WORK" ZOHO_CLIENT_ID="$CLIENT_ID" ZOHO_CLIENT_SECRET="$CLIENT_SECRET" \
        ZOHO_REDIRECT_URI="$REDIRECT_URI" ZOHO_ACCOUNTS_URL="$EMULATOR_URL" \
        ZOHO_TOKEN_DIR="$WORK/tokens" timeout 60 zoho-oauth token --user ada@example.com </dev/null)" || return 1
    case "$out" in 1000.*) ;; *) echo "the bridge gave no token: $out"; return 1 ;; esac
    [ "$out" = "$from_cli" ] && echo "the packaged bridge and the CLI read the same token"
}

check_licence_notices() {
    local doc=/usr/share/doc/zoho-oauth
    cmp <(zcat "$doc/THIRD-PARTY-LICENSES.md.gz") THIRD-PARTY-LICENSES.md &&
        grep -qF "$doc/THIRD-PARTY-LICENSES.md.gz" "$doc/copyright" &&
        echo "$(zcat "$doc/THIRD-PARTY-LICENSES.md.gz" | grep -c '^| [a-z]') crates listed"
}

# The path of the shared object PHP mapped for zoho_oauth, with the options given.
loaded_extension() {
    timeout 60 php "$@" -r '
        foreach (file("/proc/self/maps") as $line) {
            if (preg_match("~ (/\S*(zoho_oauth\.so|libzoho_oauth_php\.so))$~", trim($line), $m)) { echo $m[1]; exit; }
        }' 2>&1
}

# The README's way to try a fresh build next to the package: PHP_INI_SCAN_DIR= (no conf.d)
# runs the build; -d extension= alone warns and runs the packaged extension.
check_fresh_build_beside_package() {
    local build="${CARGO_TARGET_DIR:-$ROOT/target}/release/libzoho_oauth_php.so" out
    [ -f "$build" ] || { echo "no release build at $build (scripts/package-deb.sh builds it)"; return 1; }
    out="$(loaded_extension -d "extension=$build")"
    echo "php -d extension=BUILD: $out"
    grep -q 'already loaded' <<<"$out" && grep -q "$PHP_EXT_DIR/zoho_oauth.so" <<<"$out" || return 1
    out="$(PHP_INI_SCAN_DIR= loaded_extension -d "extension=$build")"
    echo "PHP_INI_SCAN_DIR= php -d extension=BUILD: $out"
    [ "$out" = "$(realpath "$build")" ] || [ "$out" = "$build" ]
}

check_remove() {
    local path sapi modules
    timeout 300 dpkg -r zoho-oauth </dev/null || return 1
    while read -r path; do
        [ "$path" = "$INI" ] && continue
        if [ -e "$path" ] || [ -L "$path" ]; then echo "left behind: $path"; return 1; fi
    done < <(packaged_paths)
    [ -f "$INI" ] || { echo "dpkg -r removed the conffile"; return 1; }
    for sapi in cli fpm; do
        [ -e "/etc/php/$PHP_VERSION/$sapi/conf.d/20-zoho_oauth.ini" ] && { echo "still enabled: $sapi"; return 1; }
    done
    modules="$(timeout 60 php -m)" && ! grep -qx zoho_oauth <<<"$modules"
}

check_purge() {
    timeout 300 dpkg --purge zoho-oauth </dev/null || return 1
    snapshot >"$WORK/after"
    diff "$WORK/before" "$WORK/after" && echo "$(wc -l <"$WORK/after") paths as before the install"
}

# On a system whose PHP provides another phpapi (PHP 8.3's, say: every phpapi-20220829 in
# dpkg's status renamed), dpkg unpacks the package but refuses to configure it: the postinst
# never runs and the extension is not enabled. (apt would refuse it earlier, from the same
# Depends; apt's own lists cannot be faked as simply.)
check_refused_on_other_phpapi() {
    local out
    sed -i "s/\bphpapi-$PHPAPI\b/phpapi-20230831/g" /var/lib/dpkg/status || return 1
    if out="$(timeout 300 dpkg -i "$DEB" </dev/null 2>&1)"; then
        echo "dpkg installed it: $out"
        return 1
    fi
    echo "$out"
    grep -qF "depends on phpapi-$PHPAPI" <<<"$out" || return 1
    [ "$(dpkg-query -W -f='${Status}' zoho-oauth)" != "install ok installed" ] &&
        ! ls /etc/php/"$PHP_VERSION"/*/conf.d/*zoho_oauth* 2>/dev/null
}

# --- run ---------------------------------------------------------------------------------

# Keeps the logs of a failed run.
cleanup() {
    stop_emulator
    overlay_off
    if [ "$failed" -eq 0 ]; then rm -rf "$WORK"; else echo "logs kept in $LOGS"; fi
}

# shellcheck source=emulator.sh
source scripts/emulator.sh
trap cleanup EXIT
DEB="${1:-}"
if [ -z "$DEB" ]; then
    DEB="$(bash scripts/package-deb.sh "${PHP_ARGS[@]}" | tail -n 1)"
    [ -f "$DEB" ] || { echo "FAILED bash scripts/package-deb.sh"; failed=1; finish; }
fi
echo "# $DEB"
check "dpkg-deb -c lists every file (owned by root)" check_file_list
check "control: Depends phpapi-$PHPAPI and libc6, the ini is the conffile, phpenmod/phpdismod" check_control

start_emulator >"$LOGS/emulator.log" 2>&1 || { echo "FAILED start the accounts emulator"; failed=1; finish; }
trap cleanup EXIT # start_emulator set its own
curl -fsS --max-time 10 -o /dev/null "$EMULATOR_URL/_emulator/clients" \
    -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"$REDIRECT_URI\"]}" ||
    { echo "FAILED register the client with the emulator"; failed=1; finish; }

echo "# installed in a throwaway overlay of /etc, /usr and /var"
overlay_on || { echo "FAILED mount the overlays"; failed=1; finish; }
snapshot >"$WORK/before"
check "apt install ./zoho-oauth_*.deb installs and configures it" check_install
check "every packaged file is installed; SONAME libzoho_oauth.so.$ABI in ldconfig's cache" check_files_installed
check "the extension exports no zoho_ symbol; the C library exports the header's functions" check_exports
check "enabled for CLI and FPM: conf.d links, php -m and php-fpm -m list zoho_oauth" check_php_enabled
check "an upgrade keeps it enabled, and keeps the administrator's phpdismod" check_upgrade_keeps_choices
check "C: example.c built with pkg-config (shared, static) gets a token from the emulator" check_c_example
check "the PHP extension (from conf.d) and the CLI read the C library's token" check_php_and_cli_read_token
check "zoho-oauth --version" check_cli_version
check "man zoho-oauth renders without warnings" check_man_renders
check "man page and completions are the CLI's own and name every subcommand of --help" check_generated_docs_match_help
check "bash and fish complete every subcommand; zsh parses its completions" check_shell_completions
check "bash, zsh and fish complete after a subcommand: an option and an option's value" check_completion_after_subcommand
check "the packaged bridge works with require 'ZohoOAuth/Bridge/autoload.php' alone" check_bridge_require
check "the licence notices in /usr/share/doc are THIRD-PARTY-LICENSES.md" check_licence_notices
check "next to the package: PHP_INI_SCAN_DIR= runs a fresh build, -d alone the packaged one" check_fresh_build_beside_package
check "dpkg -r removes every file but the conffile and disables the extension" check_remove
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge
overlay_off

echo "# a system whose PHP provides another phpapi"
overlay_on || { echo "FAILED mount the overlays"; failed=1; finish; }
check "dpkg refuses to configure it on another phpapi" check_refused_on_other_phpapi
overlay_off

finish
