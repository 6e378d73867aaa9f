#!/usr/bin/env bash
# Checks the Debian packages (scripts/package-deb.sh: php<X.Y>-zoho-oauth, libzoho-oauth<ABI>,
# libzoho-oauth-dev, zoho-oauth, php-zoho-oauth-bridge): builds them (release) unless .deb files
# are given, checks their file lists, control fields and doc directories (the READMEs and the
# pages of docs/ link only pages shipped beside them: doc_links_unshipped), then installs them for
# real with apt/dpkg in throwaway copy-on-write views of this machine (a private mount namespace
# with overlays on /etc, /usr and /var: the machine itself never changes, whatever happens).
# Each package is installed alone by name from a local apt repository of the set (apt picks its
# dependencies from the set), used, removed and purged; then all of them together as the README
# says (`apt install ./target/debian/*.deb`). Checked there:
#   - the C library alone: SONAME libzoho_oauth.so.<ABI> in ldconfig's cache, the header's
#     functions exported, no header, static library or pkg-config file;
#   - the development files: they pull the C library and no PHP package; example.c compiles with
#     `pkg-config --cflags --libs zoho-oauth` (and zoho-oauth-static) against the installed
#     files and gets a token from the accounts emulator;
#   - the CLI alone: `zoho-oauth --version`, it reads that token, the man page renders, the man
#     page and completions are what the installed CLI prints and name every subcommand of its
#     --help, bash and fish complete the subcommands (zsh: parsed); bash, zsh and fish complete
#     a subcommand's option and an option's value;
#   - the PHP extension alone: it pulls no C library, header, static library or -dev package;
#     the ini is linked into conf.d for the CLI and FPM, `php -m` / `php-fpm -m` list zoho_oauth
#     with no -d option, an upgrade keeps that (and an administrator's phpdismod), it exports no
#     zoho_ symbol, it reads the token; next to it `PHP_INI_SCAN_DIR= php -d extension=BUILD`
#     runs the build, and `php -d extension=BUILD` alone the packaged extension (the README says
#     so);
#   - the bridge: it pulls the extension only, and works with
#     `require 'ZohoOAuth/Bridge/autoload.php';` alone (include_path);
#   - all together: every file installed, the extension, the CLI and the bridge read the C
#     library's token, and each /usr/share/doc/<package> has the licence notices;
#   - each time: `dpkg -r` removes every file (the extension: but its conffile, and disables it),
#     and `dpkg --purge` leaves /etc, /usr, /var/lib/php and dpkg's info dir exactly as before;
#   - on a system whose PHP provides another phpapi, dpkg refuses to configure the extension.
# Needs root (unshare, mount). Ends with "N passed, M failed"; exits non-zero on any failure.
# Each check's output goes to a log, kept (and named) when a check fails.
#
#   bash scripts/check-deb.sh [PATH.deb...]             the packages for this machine's PHP
#   bash scripts/check-deb.sh --php 8.4 [PATH.deb...]   the packages for PHP 8.4 (scripts/package-deb.sh
#                                                       --php 8.4), checked inside the Debian 13 root
#                                                       that built them (scripts/debian-root.sh)
set -uo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)" || exit 1
cd "$ROOT" || exit 1

PHP_ARGS=()
if [ "${1:-}" = --php ]; then
    [ $# -ge 2 ] || { echo "usage: $0 [--php X.Y] [PATH.deb...]"; exit 2; }
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
DEBIAN_MAJOR="$(. /etc/os-release && echo "${VERSION_ID%%.*}")"
DEBIAN_CODENAME="$(. /etc/os-release && echo "$VERSION_CODENAME")"
INI="/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini"
PKG_EXT="php$PHP_VERSION-zoho-oauth"
PKG_LIB="libzoho-oauth$ABI"
PKG_DEV="libzoho-oauth-dev"
PKG_CLI="zoho-oauth"
PKG_BRIDGE="php-zoho-oauth-bridge"
PACKAGES=("$PKG_EXT" "$PKG_LIB" "$PKG_DEV" "$PKG_CLI" "$PKG_BRIDGE")
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

# --- the package files -------------------------------------------------------------------

declare -A DEB_OF

# Finds each package of the set among the .deb files given (or built).
map_debs() {
    local deb package
    for deb in "$@"; do
        package="$(dpkg-deb -f "$deb" Package)" || return 1
        DEB_OF[$package]="$(realpath "$deb")"
    done
    for package in "${PACKAGES[@]}"; do
        [ -n "${DEB_OF[$package]:-}" ] || { echo "FAILED no $package among: $*"; return 1; }
    done
}

# doc_files PACKAGE: its documents in /usr/share/doc/PACKAGE/ besides the common files: the
# READMEs, and every page of docs/ as docs/<page>.md.gz in each package with a README (all but
# the runtime library).
doc_files() {
    local page
    case "$1" in
        "$PKG_LIB") return 0 ;;
        "$PKG_EXT") printf '%s\n' README.md.gz README.php.md.gz ;;
        "$PKG_DEV") printf '%s\n' README.md.gz README.include.md.gz ;;
        "$PKG_CLI") echo README.md.gz ;;
        "$PKG_BRIDGE") printf '%s\n' README.md.gz README.bridge.md.gz ;;
    esac
    for page in docs/*.md; do echo "$page.gz"; done
}

# expected_entries PACKAGE: every path the package must hold, as `dpkg-deb -c` prints it
# (links with their target).
expected_entries() {
    local share=./usr/share bridge=./usr/share/php/ZohoOAuth/Bridge name
    case "$1" in
        "$PKG_EXT") printf '%s\n' ".$PHP_EXT_DIR/zoho_oauth.so" ".$INI" ;;
        "$PKG_LIB")
            printf '%s\n' ".$LIBDIR/libzoho_oauth.so.$VERSION" \
                ".$LIBDIR/libzoho_oauth.so.$ABI -> libzoho_oauth.so.$VERSION"
            ;;
        "$PKG_DEV")
            printf '%s\n' ".$LIBDIR/libzoho_oauth.so -> libzoho_oauth.so.$ABI" \
                ".$LIBDIR/libzoho_oauth.a" ./usr/include/zoho_oauth.h ./usr/include/zoho_oauth_ffi.h \
                ".$LIBDIR/pkgconfig/zoho-oauth.pc" ".$LIBDIR/pkgconfig/zoho-oauth-static.pc"
            ;;
        "$PKG_CLI")
            printf '%s\n' ./usr/bin/zoho-oauth "$share/man/man1/zoho-oauth.1.gz" \
                "$share/bash-completion/completions/zoho-oauth" \
                "$share/zsh/vendor-completions/_zoho-oauth" \
                "$share/fish/vendor_completions.d/zoho-oauth.fish"
            ;;
        "$PKG_BRIDGE")
            for name in autoload missing-extension LockedOAuthToken LockedOAuthBuilder LockedTokenStore; do
                echo "$bridge/$name.php"
            done
            ;;
    esac
    for name in copyright THIRD-PARTY-LICENSES.md.gz changelog.gz changelog.Debian.gz; do
        echo "$share/doc/$1/$name"
    done
    doc_files "$1" | sed "s|^|$share/doc/$1/|"
}

# listed_entries PACKAGE: its entries as `dpkg-deb -c` prints them, without mode, owner, size
# and date.
listed_entries() {
    dpkg-deb -c "${DEB_OF[$1]}" | sed -e 's/^\([^ ]* *\)\{5\}//'
}

# packaged_paths PACKAGE...: the packages' non-directory paths, one a line, no link targets.
packaged_paths() {
    local package
    for package in "$@"; do
        dpkg-deb -c "${DEB_OF[$package]}" | grep -v '^d' |
            sed -e 's/^\([^ ]* *\)\{5\}//' -e 's/ -> .*//' -e 's/^\.//'
    done
}

# Each package holds its files (and nothing of another's: no path in two packages), all owned
# by root.
check_file_lists() {
    local package listing entry missing=0 shared
    for package in "${PACKAGES[@]}"; do
        listing="$(listed_entries "$package")" || return 1
        while read -r entry; do
            grep -qxF -- "$entry" <<<"$listing" || { echo "$package lacks: $entry"; missing=1; }
        done < <(expected_entries "$package")
        dpkg-deb -c "${DEB_OF[$package]}" | grep -v ' root/root ' &&
            { echo "$package: entries not owned by root/root"; return 1; }
        echo "$package: $(expected_entries "$package" | wc -l) expected entries listed"
    done
    shared="$(packaged_paths "${PACKAGES[@]}" | sort | uniq -d)"
    [ -z "$shared" ] || { echo "in two packages: $shared"; return 1; }
    [ "$missing" -eq 0 ]
}

# field PACKAGE FIELD: a control field of the package.
field() { dpkg-deb -f "${DEB_OF[$1]}" "$2"; }

# control_file PACKAGE FILE: a control file of the package (empty when it has none).
control_file() { dpkg-deb -I "${DEB_OF[$1]}" "$2" 2>/dev/null; }

# Versions: <upstream>-<revision>~deb<N>u<update> of this Debian release, the same for all.
check_versions() {
    local package version
    for package in "${PACKAGES[@]}"; do
        version="$(field "$package" Version)"
        echo "$package $version"
        grep -qE "^$VERSION-[0-9]+~deb${DEBIAN_MAJOR}u[0-9]+\$" <<<"$version" ||
            { echo "not a Debian $DEBIAN_MAJOR version: $version"; return 1; }
        [ "$version" = "$(field "$PKG_EXT" Version)" ] || { echo "versions differ"; return 1; }
        [ "$(field "$package" Source)" = zoho-oauth ] || { echo "$package: Source"; return 1; }
    done
    [ "$(field "$PKG_BRIDGE" Architecture)" = all ] || { echo "the bridge is not Architecture: all"; return 1; }
}

# The relations between the packages: the extension depends on phpapi and libc6 only (no C
# library, no -dev), -dev on the exact C library, the CLI and the C library on no PHP, the
# bridge on the extension of any PHP.
check_relations() {
    local depends version package
    version="$(field "$PKG_EXT" Version)"
    depends="$(field "$PKG_EXT" Depends)"
    echo "$PKG_EXT Depends: $depends"
    grep -qE "(^|, )phpapi-$PHPAPI(,|$)" <<<"$depends" || { echo "no phpapi-$PHPAPI"; return 1; }
    ! grep -qE 'libzoho|zoho-oauth' <<<"$depends $(field "$PKG_EXT" Recommends)" ||
        { echo "the extension depends on a package of the set"; return 1; }
    [ "$(field "$PKG_EXT" Provides)" = "php-zoho-oauth (= $version)" ] || { echo "Provides"; return 1; }
    for package in "$PKG_EXT" "$PKG_LIB" "$PKG_CLI"; do
        grep -q 'libc6 (>= ' <<<"$(field "$package" Depends)" || { echo "$package: no versioned libc6"; return 1; }
    done
    for package in "$PKG_LIB" "$PKG_DEV" "$PKG_CLI"; do
        ! grep -qi php <<<"$(field "$package" Depends) $(field "$package" Recommends)" ||
            { echo "$package depends on PHP"; return 1; }
    done
    [ "$(field "$PKG_DEV" Depends)" = "$PKG_LIB (= $version)" ] || { echo "-dev Depends"; return 1; }
    # They take over the files of the single package zoho-oauth 0.1.0-1, which the CLI's
    # package upgrades.
    dpkg --compare-versions "$version" gt 0.1.0-1 || { echo "$version is not above 0.1.0-1"; return 1; }
    for package in "$PKG_EXT" "$PKG_LIB" "$PKG_DEV" "$PKG_BRIDGE"; do
        for name in Breaks Replaces; do
            [ "$(field "$package" "$name")" = "zoho-oauth (<< 0.1.0-2~)" ] ||
                { echo "$package $name: $(field "$package" "$name")"; return 1; }
        done
    done
    [ "$(field "$PKG_BRIDGE" Depends)" = "$PKG_EXT (>= $VERSION) | php-zoho-oauth (>= $VERSION)" ] ||
        { echo "bridge Depends: $(field "$PKG_BRIDGE" Depends)"; return 1; }
    [ "$(control_file "$PKG_LIB" shlibs)" = "libzoho_oauth $ABI $PKG_LIB (>= $VERSION)" ] &&
        grep -qx 'activate-noawait ldconfig' <<<"$(control_file "$PKG_LIB" triggers)" ||
        { echo "$PKG_LIB: shlibs or ldconfig trigger"; return 1; }
}

# The extension's ini is its conffile, its maintainer scripts enable and disable it; no other
# package has maintainer scripts or conffiles.
check_maintainer_scripts() {
    local package script
    [ "$(control_file "$PKG_EXT" conffiles)" = "$INI" ] || { echo "conffiles is not the ini"; return 1; }
    control_file "$PKG_EXT" postinst | grep -q 'php_invoke enmod' || { echo "postinst enables nothing"; return 1; }
    control_file "$PKG_EXT" postrm | grep -q 'php_invoke dismod' || { echo "postrm disables nothing"; return 1; }
    for package in "$PKG_LIB" "$PKG_DEV" "$PKG_CLI" "$PKG_BRIDGE"; do
        for script in preinst postinst prerm postrm conffiles; do
            [ -z "$(control_file "$package" "$script")" ] || { echo "$package has a $script"; return 1; }
        done
    done
}

# packaged_file PACKAGE PATH: a file's content, from the package file.
packaged_file() {
    dpkg-deb --fsys-tarfile "${DEB_OF[$1]}" | tar -xO ".$2"
}

# Each package's doc directory: its copyright names its own licence notices, which are the
# source tree's THIRD-PARTY-LICENSES.md (one file for the whole set), and changelog.Debian.gz
# names the version and this Debian release.
check_package_docs() {
    local package doc copyright changelog
    for package in "${PACKAGES[@]}"; do
        doc="/usr/share/doc/$package"
        cmp <(packaged_file "$package" "$doc/THIRD-PARTY-LICENSES.md.gz" | zcat) THIRD-PARTY-LICENSES.md ||
            { echo "$package: notices differ"; return 1; }
        # Read whole before grep: grep -q in a pipe could end tar with SIGPIPE (pipefail).
        copyright="$(packaged_file "$package" "$doc/copyright")" &&
            changelog="$(packaged_file "$package" "$doc/changelog.Debian.gz" | zcat)" || return 1
        grep -qF "$doc/THIRD-PARTY-LICENSES.md.gz" <<<"$copyright" ||
            { echo "$package: the copyright does not name its notices"; return 1; }
        [ "$(head -n 1 <<<"$changelog")" = "zoho-oauth ($(field "$package" Version)) $DEBIAN_CODENAME; urgency=medium" ] ||
            { echo "$package: changelog.Debian.gz: $(head -n 1 <<<"$changelog")"; return 1; }
    done
    echo "$(packaged_file "$PKG_CLI" "/usr/share/doc/$PKG_CLI/THIRD-PARTY-LICENSES.md.gz" | zcat | grep -c '^| [a-z]') crates listed in each"
}

# doc_source NAME: the source file of an installed document (NAME relative to
# /usr/share/doc/<package>/), as scripts/package-deb.sh installs them; empty for an unknown one.
doc_source() {
    case "$1" in
        README.md.gz) echo README.md ;;
        README.php.md.gz) echo php/README.md ;;
        README.include.md.gz) echo capi/include/README.md ;;
        README.bridge.md.gz) echo php/bridge/README.md ;;
        THIRD-PARTY-LICENSES.md.gz) echo THIRD-PARTY-LICENSES.md ;;
        docs/*.md.gz) echo "${1%.gz}" ;;
    esac
}

# md_links FILE: the targets of its Markdown links to .md files, [text](target) and reference
# definitions `[label]: target`, without #anchor; no URL (scheme:).
md_links() {
    { grep -oE '\]\([^)[:space:]]+' "$1" | cut -c3-
        sed -nE 's/^ {0,3}\[[^]]+\]:[[:space:]]+([^[:space:]]+).*/\1/p' "$1"; } |
        sed 's/#.*//' | grep -vE '^[A-Za-z][A-Za-z0-9+.-]*:' | grep -E '\.md$' || true
}

# doc_links_unshipped PACKAGE DIR: checks the documents in DIR (the package's
# /usr/share/doc/<package>, extracted). The rule: each installed document is its source file
# byte for byte (links are not rewritten), and every relative link to a .md file in it,
# resolved from the document's place in the source tree, that lands on the front README.md or
# on a page of docs/ names a file the package ships there, with .gz: `docs/fleet.md` from the
# README, `fleet.md` from a page, `../../docs/fleet.md` from capi/include/README.md (installed
# as README.include.md.gz) are docs/fleet.md.gz beside it; `../README.md` is README.md.gz.
# Links to other files of the source tree (CONTRIBUTING.md, php/README.md from a page) are not
# the installed documentation and are not checked. Prints each broken link and the count.
doc_links_unshipped() {
    local package="$1" dir="$2" name source target linked broken=0 count=0
    while read -r name; do
        source="$(doc_source "$name")"
        [ -n "$source" ] && [ -f "$source" ] || { echo "$package: $name: no source file known"; broken=1; continue; }
        zcat "$dir/$name" >"$WORK/doc.md" && cmp -s "$WORK/doc.md" "$source" ||
            { echo "$package: $name is not $source"; broken=1; continue; }
        while read -r target; do
            linked="$(realpath -ms --relative-to=. "$(dirname "$source")/$target")"
            case "$linked" in README.md | docs/*) ;; *) continue ;; esac
            count=$((count + 1))
            [ -f "$dir/$linked.gz" ] || { echo "$package: $name links $target, but $linked.gz is not shipped"; broken=1; }
        done < <(md_links "$WORK/doc.md")
    done < <(cd "$dir" && find . -name '*.md.gz' -printf '%P\n' | sort)
    echo "$package: $count links to README.md and docs/ pages"
    [ "$broken" -eq 0 ] && { [ "$count" -gt 0 ] || [ "$package" = "$PKG_LIB" ]; }
}

# Every package's READMEs and pages of docs/ link only pages it ships (doc_links_unshipped).
check_doc_links() {
    local package dir failed_any=0
    for package in "${PACKAGES[@]}"; do
        dir="$WORK/doc-links/$package"
        rm -rf "$dir" && mkdir -p "$dir" && dpkg-deb -x "${DEB_OF[$package]}" "$dir" || return 1
        doc_links_unshipped "$package" "$dir/usr/share/doc/$package" || failed_any=1
    done
    [ "$failed_any" -eq 0 ]
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

# Unmounts the overlays, when mounted (never the system's own mounts).
overlay_off() {
    local dir
    [ -n "${OVERLAY:-}" ] || return 0
    for dir in "${OVERLAID[@]}"; do umount -l "$dir" 2>/dev/null; done
    rm -rf "$OVERLAY"
    OVERLAY=""
}

# Every path under the places the package touches, with type, mode, owner and link target.
snapshot() {
    find /etc /usr /var/lib/php /var/lib/dpkg/info -printf '%p %y %m %U:%G %l\n' 2>/dev/null | sort
}

# A flat apt repository of the set, so that apt installs a package by name and picks its
# dependencies from the set as it would from an archive.
make_local_repository() {
    local package
    REPO="$WORK/repo"
    mkdir -p "$REPO" "$WORK/apt-parts" || return 1
    for package in "${PACKAGES[@]}"; do cp "${DEB_OF[$package]}" "$REPO/" || return 1; done
    (cd "$REPO" && dpkg-scanpackages --multiversion . /dev/null >Packages 2>/dev/null) || return 1
    echo "deb [trusted=yes] file:$REPO ./" >"$WORK/local.list"
    chmod -R a+rX "$REPO" && chmod a+x "$WORK"
    APT_LOCAL=(-o "Dir::Etc::SourceList=$WORK/local.list" -o "Dir::Etc::SourceParts=$WORK/apt-parts"
        -o APT::Get::List-Cleanup=0 -o Dpkg::Use-Pty=0)
}

# Installed packages of the set, one a line, sorted.
installed_of_set() {
    local package
    for package in "${PACKAGES[@]}"; do
        [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" = "install ok installed" ] &&
            echo "$package"
    done | sort
}

# Every installed package's name, sorted.
installed_packages() {
    dpkg-query -W -f='${db:Status-Status} ${Package}\n' | awk '$1 == "installed" { print $2 }' | sort -u
}

# install_alone PACKAGE EXPECTED...: apt installs PACKAGE by name from the set's repository;
# afterwards the packages newly installed are exactly EXPECTED (PACKAGE and its dependencies
# from the set: nothing else of the set, and no other package).
install_alone() {
    local package="$1" new
    shift
    installed_packages >"$WORK/packages.before"
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get "${APT_LOCAL[@]}" update </dev/null &&
        DEBIAN_FRONTEND=noninteractive timeout 300 apt-get "${APT_LOCAL[@]}" install -y "$package" </dev/null ||
        return 1
    new="$(comm -13 "$WORK/packages.before" <(installed_packages) | sed 's/:.*//')"
    echo "newly installed: $(tr '\n' ' ' <<<"$new")"
    [ "$new" = "$(printf '%s\n' "$@" | sort)" ] || { echo "expected: $*"; return 1; }
    [ "$(installed_of_set)" = "$(printf '%s\n' "$@" | sort)" ]
}

# The README's command: apt installs the files (every dependency is already installed).
check_install_all() {
    local debs=() package
    for package in "${PACKAGES[@]}"; do debs+=("${DEB_OF[$package]}"); done
    DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -o Dpkg::Use-Pty=0 "${debs[@]}" </dev/null ||
        return 1
    [ "$(installed_of_set)" = "$(printf '%s\n' "${PACKAGES[@]}" | sort)" ]
}

# check_files_installed PACKAGE...: every file of the packages is installed.
check_files_installed() {
    local path missing=0
    while read -r path; do
        [ -e "$path" ] || [ -L "$path" ] || { echo "not installed: $path"; missing=1; }
    done < <(packaged_paths "$@")
    [ "$missing" -eq 0 ] && echo "$(packaged_paths "$@" | wc -l) files"
}

# check_absent PATH...: none of these exists.
check_absent() {
    local path
    for path in "$@"; do
        if [ -e "$path" ] || [ -L "$path" ]; then echo "installed: $path"; return 1; fi
    done
    echo "none of: $*"
}

# The C library's files and no C development file (header, static library, link, pkg-config).
check_c_library_alone() {
    check_files_installed "$PKG_LIB" &&
        readelf -d "$LIBDIR/libzoho_oauth.so.$VERSION" | grep -F "Library soname: [libzoho_oauth.so.$ABI]" &&
        ldconfig -p | grep -F "libzoho_oauth.so.$ABI " && # the ldconfig trigger ran
        bash tests/c/abi-symbols.sh full "$LIBDIR/libzoho_oauth.so.$VERSION" &&
        check_absent /usr/include/zoho_oauth.h "$LIBDIR/libzoho_oauth.a" "$LIBDIR/libzoho_oauth.so" \
            "$LIBDIR/pkgconfig/zoho-oauth.pc"
}

# The PHP extension's files, and nothing of the C library or its development files.
check_extension_alone() {
    check_files_installed "$PKG_EXT" &&
        bash tests/c/abi-symbols.sh none "$PHP_EXT_DIR/zoho_oauth.so" &&
        check_absent /usr/include/zoho_oauth.h /usr/include/zoho_oauth_ffi.h \
            "$LIBDIR/libzoho_oauth.a" "$LIBDIR/libzoho_oauth.so" "$LIBDIR/libzoho_oauth.so.$ABI" \
            "$LIBDIR/pkgconfig/zoho-oauth.pc" /usr/bin/zoho-oauth
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
    timeout 300 dpkg -i "${DEB_OF[$PKG_EXT]}" </dev/null || return 1
    [ -e "$conf/cli/conf.d/20-zoho_oauth.ini" ] || { echo "the upgrade disabled it for cli"; return 1; }
    [ ! -e "$conf/fpm/conf.d/20-zoho_oauth.ini" ] || { echo "the upgrade re-enabled fpm"; return 1; }
    phpenmod -v "$PHP_VERSION" -s fpm zoho_oauth && [ -e "$conf/fpm/conf.d/20-zoho_oauth.ini" ]
}

emulator_grant() {
    curl -fsS --max-time 10 "$EMULATOR_URL/_emulator/grant" \
        -d "{\"client_id\":\"$CLIENT_ID\",\"user\":\"$1\",\"scope\":\"ZohoCRM.modules.ALL,AaaServer.profile.READ\"}" |
        sed -n 's/.*"code":"\([^"]*\)".*/\1/p'
}

# The complete C example (tests/c/example.c, named in capi/include/README.md), built with pkg-config against /usr, exchanges a grant and reads the
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
    sed -n 's/.*access token \(.\{9\}\)\.\.\.$/\1/p' <<<"$out" >"$WORK/token-prefix"
    out="$(timeout 60 "$WORK/example_static" "$config" ada@example.com)" &&
        grep 'access token 1000\.' <<<"$out"
}

# The access token the installed PHP extension (loaded through conf.d) reads from the token
# directory the C example wrote.
php_token() {
    timeout 60 php -r '
        zcrmsdk\crm\setup\restclient\ZCRMRestClient::initialize(["client_id" => $argv[1],
            "client_secret" => $argv[2], "redirect_uri" => $argv[3], "accounts_url" => $argv[4],
            "token_persistence_path" => $argv[5]]);
        echo zcrmsdk\oauth\ZohoOAuth::getClientInstance()->getAccessToken("ada@example.com");
    ' -- "$CLIENT_ID" "$CLIENT_SECRET" "$REDIRECT_URI" "$EMULATOR_URL" "$WORK/tokens"
}

# The access token the installed CLI reads from there.
cli_token() {
    HOME="$WORK" ZOHO_CLIENT_ID="$CLIENT_ID" ZOHO_CLIENT_SECRET="$CLIENT_SECRET" \
        ZOHO_REDIRECT_URI="$REDIRECT_URI" ZOHO_ACCOUNTS_URL="$EMULATOR_URL" \
        ZOHO_TOKEN_DIR="$WORK/tokens" timeout 60 zoho-oauth token --user ada@example.com </dev/null
}

# The access token the packaged bridge gives with `require` alone: PHP's include_path finds its
# autoloader in /usr/share/php, and a LockedOAuthToken reads the token directory (the SDK is the
# bridge's stand-in from the source tree, as a project's Composer would bring the real one).
bridge_token() {
    timeout 60 php -r '
        require $argv[1];
        require "ZohoOAuth/Bridge/autoload.php";
        $found = stream_resolve_include_path("ZohoOAuth/Bridge/autoload.php");
        if ($found !== "/usr/share/php/ZohoOAuth/Bridge/autoload.php") { fwrite(STDERR, "found $found\n"); exit(1); }
        $token = (new ZohoOAuth\Bridge\LockedOAuthBuilder())
            ->store(["token_persistence_path" => $argv[2], "accounts_url" => $argv[3]])
            ->clientId($argv[4])->clientSecret($argv[5])
            ->userSignature(new com\zoho\crm\api\UserSignature("ada@example.com"))->build();
        echo $token->getToken();
    ' -- "$ROOT/php/bridge/tests/standin/sdk.php" "$WORK/tokens" "$EMULATOR_URL" "$CLIENT_ID" "$CLIENT_SECRET"
}

# check_reads_c_token DOOR: the door (php, cli, bridge) reads the token the C example got.
check_reads_c_token() {
    local token prefix
    prefix="$(cat "$WORK/token-prefix" 2>/dev/null)"
    [ -n "$prefix" ] || { echo "the C example recorded no token"; return 1; }
    token="$("${1}_token")" || return 1
    case "$token" in "$prefix"*) echo "$1 read $prefix..." ;; *) echo "$1 read: $token"; return 1 ;; esac
}

# The installed extension (from conf.d), CLI and bridge read the same token.
check_doors_read_same_token() {
    local from_php from_cli from_bridge
    from_php="$(php_token)" && from_cli="$(cli_token)" && from_bridge="$(bridge_token)" || return 1
    case "$from_php" in 1000.*) ;; *) echo "PHP read no token"; return 1 ;; esac
    [ "$from_php" = "$from_cli" ] && [ "$from_php" = "$from_bridge" ] &&
        echo "the PHP extension, the CLI and the bridge read the same token"
}

check_cli_version() {
    local out
    out="$(timeout 10 zoho-oauth --version)" && echo "$out" && grep -qF "$VERSION" <<<"$out"
}

check_man_renders() {
    local page=/usr/share/man/man1/zoho-oauth.1.gz text warnings
    [ "$(man -w zoho-oauth)" = "$page" ] || { echo "man -w: $(man -w zoho-oauth)"; return 1; }
    text="$(MANWIDTH=80 MAN_KEEP_FORMATTING='' timeout 60 man -l "$page" 2>"$WORK/man.err" | col -b)" ||
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
        # fish 4 (Debian 13) also offers fuzzy matches (--client-id for --ti) after the
        # prefix matches, which TAB completes first: the candidates that start with --ti.
        out="$(cd "$WORK" && bash "$ROOT/cli/tests/completion/complete.sh" "$shell" "$file" 'zoho-oauth login --ti')" &&
            [ "$(grep -- '^--ti' <<<"$out")" = --timeout ] || { echo "$shell: 'login --ti' offers: $out"; return 1; }
        out="$(cd "$WORK" && bash "$ROOT/cli/tests/completion/complete.sh" "$shell" "$file" 'zoho-oauth login --dc ')" &&
            grep -qx eu <<<"$out" || { echo "$shell: 'login --dc ' offers: $out"; return 1; }
        echo "$shell: login --ti -> --timeout; login --dc -> $(tr '\n' ' ' <<<"$out")"
    done
}

# The installed doc directory of every package has its licence notices.
check_licence_notices_installed() {
    local package doc
    for package in "${PACKAGES[@]}"; do
        doc="/usr/share/doc/$package"
        cmp <(zcat "$doc/THIRD-PARTY-LICENSES.md.gz") THIRD-PARTY-LICENSES.md &&
            grep -qF "$doc/THIRD-PARTY-LICENSES.md.gz" "$doc/copyright" || { echo "$doc"; return 1; }
    done
    echo "in /usr/share/doc/{$(IFS=,; echo "${PACKAGES[*]}")}"
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
    out="$(PHP_INI_SCAN_DIR='' loaded_extension -d "extension=$build")"
    echo "PHP_INI_SCAN_DIR= php -d extension=BUILD: $out"
    [ "$out" = "$(realpath "$build")" ] || [ "$out" = "$build" ]
}

# check_remove PACKAGE...: dpkg -r removes every file of theirs (the extension's conffile
# stays) and, for the extension, disables it.
check_remove() {
    local path sapi modules
    timeout 300 dpkg -r "$@" </dev/null || return 1
    while read -r path; do
        [ "$path" = "$INI" ] && continue
        if [ -e "$path" ] || [ -L "$path" ]; then echo "left behind: $path"; return 1; fi
    done < <(packaged_paths "$@")
    [ -n "$(installed_of_set)" ] && { echo "still installed: $(installed_of_set)"; return 1; }
    case " $* " in *" $PKG_EXT "*) ;; *) return 0 ;; esac
    [ -f "$INI" ] || { echo "dpkg -r removed the conffile"; return 1; }
    for sapi in cli fpm; do
        [ -e "/etc/php/$PHP_VERSION/$sapi/conf.d/20-zoho_oauth.ini" ] && { echo "still enabled: $sapi"; return 1; }
    done
    modules="$(timeout 60 php -m)" && ! grep -qx zoho_oauth <<<"$modules"
}

# check_purge PACKAGE...: the system is as before the install.
check_purge() {
    timeout 300 dpkg --purge "$@" </dev/null || return 1
    snapshot >"$WORK/after"
    diff "$WORK/before" "$WORK/after" && echo "$(wc -l <"$WORK/after") paths as before the install"
}

# On a system whose PHP provides another phpapi (PHP 8.3's, say: every phpapi-<ours> in
# dpkg's status renamed), dpkg unpacks the extension but refuses to configure it: the postinst
# never runs and the extension is not enabled. (apt would refuse it earlier, from the same
# Depends; apt's own lists cannot be faked as simply.)
check_refused_on_other_phpapi() {
    local out
    sed -i "s/\bphpapi-$PHPAPI\b/phpapi-20230831/g" /var/lib/dpkg/status || return 1
    if out="$(timeout 300 dpkg -i "${DEB_OF[$PKG_EXT]}" </dev/null 2>&1)"; then
        echo "dpkg installed it: $out"
        return 1
    fi
    echo "$out"
    grep -qF "depends on phpapi-$PHPAPI" <<<"$out" || return 1
    [ "$(dpkg-query -W -f='${Status}' "$PKG_EXT")" != "install ok installed" ] &&
        ! ls /etc/php/"$PHP_VERSION"/*/conf.d/*zoho_oauth* 2>/dev/null
}

# The single package of 0.1.0-1: zoho-oauth holding the extension (its ini a conffile), the C
# library, the headers, the bridge and the CLI (placeholder contents, the ini as shipped).
make_single_package() {
    local dir="$WORK/single" path
    rm -rf "$dir" && mkdir -p "$dir/DEBIAN" || return 1
    for path in "$PHP_EXT_DIR/zoho_oauth.so" "$LIBDIR/libzoho_oauth.so.$VERSION" /usr/include/zoho_oauth.h \
        /usr/share/php/ZohoOAuth/Bridge/autoload.php /usr/bin/zoho-oauth "$INI"; do
        mkdir -p "$dir$(dirname "$path")" && echo "0.1.0-1 placeholder" >"$dir$path" || return 1
    done
    dpkg-deb --fsys-tarfile "${DEB_OF[$PKG_EXT]}" | tar -xO ".$INI" >"$dir$INI" || return 1
    printf 'Package: zoho-oauth\nVersion: 0.1.0-1\nArchitecture: %s\nMaintainer: %s\nDescription: %s\n' \
        "$(dpkg --print-architecture)" "check-deb <check-deb@invalid>" "the single package of 0.1.0-1" \
        >"$dir/DEBIAN/control"
    echo "$INI" >"$dir/DEBIAN/conffiles"
    dpkg-deb --root-owner-group -b "$dir" "$WORK/zoho-oauth_0.1.0-1.deb" >/dev/null
}

# A system with the single package: apt installs the set over it, the CLI's package upgrades
# it, the others take its files over, and none of its files is left.
check_upgrade_from_single_package() {
    local path
    make_single_package && timeout 300 dpkg -i "$WORK/zoho-oauth_0.1.0-1.deb" </dev/null || return 1
    check_install_all || return 1
    [ "$(dpkg-query -W -f='${Version}' zoho-oauth)" = "$(field "$PKG_CLI" Version)" ] ||
        { echo "zoho-oauth is $(dpkg-query -W -f='${Version}' zoho-oauth)"; return 1; }
    [ "$(dpkg -S "$INI" | cut -d: -f1)" = "$PKG_EXT" ] || { echo "the ini: $(dpkg -S "$INI")"; return 1; }
    for path in "$PHP_EXT_DIR/zoho_oauth.so" "$LIBDIR/libzoho_oauth.so.$VERSION" /usr/include/zoho_oauth.h \
        /usr/share/php/ZohoOAuth/Bridge/autoload.php /usr/bin/zoho-oauth; do
        ! grep -q "0.1.0-1 placeholder" "$path" || { echo "left from 0.1.0-1: $path"; return 1; }
    done
}

# --- run ---------------------------------------------------------------------------------

# Keeps the logs of a failed run.
cleanup() {
    stop_emulator
    overlay_off
    if [ "$failed" -eq 0 ]; then rm -rf "$WORK"; else echo "logs kept in $LOGS"; fi
}

# scenario TITLE: a fresh throwaway overlay, and the system's state before any install.
scenario() {
    overlay_off
    echo "# $1 (a throwaway overlay of /etc, /usr and /var)"
    overlay_on || { echo "FAILED mount the overlays"; failed=$((failed + 1)); finish; }
    snapshot >"$WORK/before"
}

# shellcheck source=emulator.sh
source scripts/emulator.sh
trap cleanup EXIT
DEBS=("$@")
if [ ${#DEBS[@]} -eq 0 ]; then
    mapfile -t DEBS < <(bash scripts/package-deb.sh "${PHP_ARGS[@]}" | grep '\.deb$')
    [ ${#DEBS[@]} -gt 0 ] || { echo "FAILED bash scripts/package-deb.sh"; failed=1; finish; }
fi
map_debs "${DEBS[@]}" || { failed=1; finish; }
printf '# %s\n' "${DEBS[@]}"
check "dpkg-deb -c: each package holds its files (owned by root), no file in two packages" check_file_lists
check "versions: <upstream>-<revision>~deb${DEBIAN_MAJOR}u<n>, the same for all; the bridge is Architecture: all" check_versions
check "relations: extension -> phpapi-$PHPAPI, libc6; -dev -> $PKG_LIB (=); bridge -> any PHP's extension" check_relations
check "the extension's ini is its conffile, phpenmod/phpdismod; no other maintainer scripts" check_maintainer_scripts
check "each /usr/share/doc/<package>: copyright, THIRD-PARTY-LICENSES.md, changelog.Debian.gz" check_package_docs
check "each README and page of docs/ in /usr/share/doc/<package> links only pages shipped beside it" check_doc_links

start_emulator >"$LOGS/emulator.log" 2>&1 || { echo "FAILED start the accounts emulator"; failed=1; finish; }
trap cleanup EXIT # start_emulator set its own
curl -fsS --max-time 10 -o /dev/null "$EMULATOR_URL/_emulator/clients" \
    -d "{\"client_id\":\"$CLIENT_ID\",\"client_secret\":\"$CLIENT_SECRET\",\"redirect_uris\":[\"$REDIRECT_URI\"]}" ||
    { echo "FAILED register the client with the emulator"; failed=1; finish; }
make_local_repository || { echo "FAILED a local apt repository of the packages"; failed=1; finish; }

scenario "$PKG_LIB alone"
check "apt install $PKG_LIB installs it alone" install_alone "$PKG_LIB" "$PKG_LIB"
check "SONAME libzoho_oauth.so.$ABI in ldconfig's cache, the header's functions; no -dev file" check_c_library_alone
check "dpkg -r $PKG_LIB removes every file" check_remove "$PKG_LIB"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "$PKG_LIB"

scenario "$PKG_DEV (C only)"
check "apt install $PKG_DEV pulls $PKG_LIB and no PHP package" install_alone "$PKG_DEV" "$PKG_DEV" "$PKG_LIB"
check "every file of both is installed" check_files_installed "$PKG_DEV" "$PKG_LIB"
check "C: example.c built with pkg-config (shared, static) gets a token from the emulator" check_c_example
check "dpkg -r removes every file" check_remove "$PKG_DEV" "$PKG_LIB"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "$PKG_DEV" "$PKG_LIB"

scenario "$PKG_CLI alone"
check "apt install $PKG_CLI installs it alone" install_alone "$PKG_CLI" "$PKG_CLI"
check "zoho-oauth --version" check_cli_version
check "the CLI reads the C library's token" check_reads_c_token cli
check "man zoho-oauth renders without warnings" check_man_renders
check "man page and completions are the CLI's own and name every subcommand of --help" check_generated_docs_match_help
check "bash and fish complete every subcommand; zsh parses its completions" check_shell_completions
check "bash, zsh and fish complete after a subcommand: an option and an option's value" check_completion_after_subcommand
check "dpkg -r removes every file" check_remove "$PKG_CLI"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "$PKG_CLI"

scenario "$PKG_EXT alone (PHP only)"
check "apt install $PKG_EXT installs it alone" install_alone "$PKG_EXT" "$PKG_EXT"
check "no C library, header, static library or CLI; the extension exports no zoho_ symbol" check_extension_alone
check "enabled for CLI and FPM: conf.d links, php -m and php-fpm -m list zoho_oauth" check_php_enabled
check "an upgrade keeps it enabled, and keeps the administrator's phpdismod" check_upgrade_keeps_choices
check "the PHP extension (from conf.d) reads the C library's token" check_reads_c_token php
check "next to the package: PHP_INI_SCAN_DIR= runs a fresh build, -d alone the packaged one" check_fresh_build_beside_package
check "dpkg -r removes every file but the conffile and disables the extension" check_remove "$PKG_EXT"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "$PKG_EXT"

scenario "$PKG_BRIDGE"
check "apt install $PKG_BRIDGE pulls $PKG_EXT only" install_alone "$PKG_BRIDGE" "$PKG_BRIDGE" "$PKG_EXT"
check "the packaged bridge works with require 'ZohoOAuth/Bridge/autoload.php' alone" check_reads_c_token bridge
check "dpkg -r removes every file but the conffile and disables the extension" check_remove "$PKG_BRIDGE" "$PKG_EXT"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "$PKG_BRIDGE" "$PKG_EXT"

scenario "all together"
check "apt install ./*.deb installs and configures them all" check_install_all
check "every packaged file is installed" check_files_installed "${PACKAGES[@]}"
check "enabled for CLI and FPM: conf.d links, php -m and php-fpm -m list zoho_oauth" check_php_enabled
check "the PHP extension, the CLI and the bridge read the same token" check_doors_read_same_token
check "the licence notices in each /usr/share/doc/<package> are THIRD-PARTY-LICENSES.md" check_licence_notices_installed
check "dpkg -r removes every file but the conffile and disables the extension" check_remove "${PACKAGES[@]}"
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "${PACKAGES[@]}"

scenario "a system with the single package zoho-oauth 0.1.0-1"
check "apt install ./*.deb upgrades it: zoho-oauth becomes the CLI, the others take its files over" check_upgrade_from_single_package
check "enabled for CLI and FPM: conf.d links, php -m and php-fpm -m list zoho_oauth" check_php_enabled
check "dpkg --purge leaves /etc, /usr, /var/lib/php and dpkg's info as before" check_purge "${PACKAGES[@]}"

scenario "a system whose PHP provides another phpapi"
check "dpkg refuses to configure $PKG_EXT on another phpapi" check_refused_on_other_phpapi
overlay_off

finish
