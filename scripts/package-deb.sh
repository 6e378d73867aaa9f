#!/usr/bin/env bash
# Builds the Debian package (release build): the PHP extension with its ini (enabled for every
# PHP SAPI on install), the C library (shared with SONAME links, static), headers and pkg-config
# files, the zoho-oauth CLI with its man page and shell completions, the SDK bridge under
# /usr/share/php/ZohoOAuth/Bridge/ (with its own autoload.php), README, changelog, copyright and
# the licence notices of every bundled crate (THIRD-PARTY-LICENSES.md, scripts/licences.sh).
#
#   bash scripts/package-deb.sh      -> target/debian/zoho-oauth_<version>-1_<arch>.deb
#   sudo apt install ./target/debian/zoho-oauth_*.deb
#   bash scripts/package-deb.sh --php 8.4   -> target/trixie/debian/zoho-oauth_<version>-1_<arch>.deb
#
# --php X.Y builds for PHP X.Y: here when this machine has it (php-configX.Y), else inside the
# root of the Debian release that ships it (scripts/debian-root.sh: 8.4 in Debian 13, trixie),
# against that release's PHP and libc (Depends: phpapi-20240924, the ini in
# /etc/php/8.4/mods-available). Without it: the PHP of php-config.
# Needs dpkg-dev (dpkg-architecture, dpkg-shlibdeps), php8.2-dev (php-config) and the build's
# own dependencies (scripts/install-deps.sh). Honours CARGO_TARGET_DIR, PHP_CONFIG (default
# php-config), DEB_REVISION (default 1) and DEB_MAINTAINER. Prints the package's path last.
set -euo pipefail
ROOT="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
cd "$ROOT"

if [ "${1:-}" = --php ]; then
    [ $# -eq 2 ] || { echo "usage: $0 [--php X.Y]" >&2; exit 2; }
    where="$(bash scripts/debian-root.sh for-php "$2")"
    [ "$where" = host ] || exec bash scripts/debian-root.sh run "$where" -- bash scripts/package-deb.sh "$@"
    # ext-php-rs builds against $PHP/$PHP_CONFIG: set only for another PHP than the default one
    # (a change of either rebuilds it).
    if [ "$(php-config --version 2>/dev/null | cut -d. -f1,2)" != "$2" ]; then
        PHP="$(command -v "php$2")" PHP_CONFIG="$(command -v "php-config$2")"
        export PHP PHP_CONFIG
    fi
fi
PHP_CONFIG="${PHP_CONFIG:-php-config}"
DEB_REVISION="${DEB_REVISION:-1}"
DEB_MAINTAINER="${DEB_MAINTAINER:-zoho-oauth maintainers <maintainers@zoho-oauth.invalid>}"
TEMPLATES="$ROOT/packaging/deb"

die() { echo "package-deb: $*" >&2; exit 1; }

# Reads everything the package's layout depends on into globals.
read_metadata() {
    export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$ROOT/target}"
    OUT="$CARGO_TARGET_DIR/release"
    VERSION="$(cargo pkgid -p zoho-oauth | sed 's/.*[@#]//')"
    ARCH="$(dpkg --print-architecture)"
    MULTIARCH="$(dpkg-architecture -qDEB_HOST_MULTIARCH)"
    PHPAPI="$("$PHP_CONFIG" --phpapi)"
    PHP_EXT_DIR="$("$PHP_CONFIG" --extension-dir)"
    PHP_VERSION="$("$PHP_CONFIG" --version | cut -d. -f1,2)"
    local major minor
    major="${VERSION%%.*}"
    minor="$(cut -d. -f2 <<<"$VERSION")"
    # The SONAME's version, as build.rs and the Makefile compute it.
    if [ "$major" = 0 ]; then ABI="0.$minor"; else ABI="$major"; fi
    DEB_VERSION="$VERSION-$DEB_REVISION"
    PACKAGE_DIR="$CARGO_TARGET_DIR/debian"
    # dpkg-shlibdeps wants the files in debian/<package>/ beside a debian/control.
    WORK_DIR="$PACKAGE_DIR/build"
    STAGE="$WORK_DIR/debian/zoho-oauth"
    DEB="$PACKAGE_DIR/zoho-oauth_${DEB_VERSION}_$ARCH.deb"
    # File dates in the package: the commit's. Not exported: build scripts (ring's) watch it,
    # and a change would rebuild everything.
    BUILD_DATE="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
}

# The extension on its own, then the C library and the CLI: built together, cargo would unify
# the core's features and the extension would carry (and export) the C ABI, which only the C
# library may (the `capi` feature). Each feature set is built once and kept in the target
# directory, so neither call rebuilds the other's.
release_build() {
    cargo build --release -p zoho-oauth-php
    cargo build --release -p zoho-oauth
}

# The C library, headers and pkg-config files, through the Makefile's own install rule (-o lib:
# already built).
stage_c_library() {
    make --no-print-directory -o lib install DESTDIR="$STAGE" PREFIX=/usr \
        LIBDIR="/usr/lib/$MULTIARCH" PROFILE=release >/dev/null
    chmod 644 "$STAGE/usr/lib/$MULTIARCH/libzoho_oauth.so.$VERSION"   # Debian: no exec bit
}

stage_php_extension() {
    install -D -m 644 "$OUT/libzoho_oauth_php.so" "$STAGE$PHP_EXT_DIR/zoho_oauth.so"
    install -D -m 644 "$TEMPLATES/zoho_oauth.ini" \
        "$STAGE/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini"
}

# The bridge for Zoho's current SDK, as Debian lays out PHP libraries: its classes and its
# autoloader in /usr/share/php/ZohoOAuth/Bridge/, found through PHP's default include_path
# (`require 'ZohoOAuth/Bridge/autoload.php';`).
stage_php_bridge() {
    local dir="$STAGE/usr/share/php/ZohoOAuth/Bridge"
    install -d "$dir"
    install -m 644 php/bridge/src/*.php "$dir/"
    [ -f "$dir/autoload.php" ] || die "php/bridge/src/autoload.php is missing"
}

# The CLI, and its man page and completions generated by the CLI itself (clap), so they
# cannot drift from --help.
stage_cli() {
    local cli="$OUT/zoho-oauth" share="$STAGE/usr/share"
    install -D -m 755 "$cli" "$STAGE/usr/bin/zoho-oauth"
    install -d "$share/man/man1" "$share/bash-completion/completions" \
        "$share/zsh/vendor-completions" "$share/fish/vendor_completions.d"
    "$cli" man | gzip -9n >"$share/man/man1/zoho-oauth.1.gz" ||
        die "'zoho-oauth man' failed (the CLI must print its man page)"
    "$cli" completions bash >"$share/bash-completion/completions/zoho-oauth" &&
        "$cli" completions zsh >"$share/zsh/vendor-completions/_zoho-oauth" &&
        "$cli" completions fish >"$share/fish/vendor_completions.d/zoho-oauth.fish" ||
        die "'zoho-oauth completions bash|zsh|fish' failed"
    chmod 644 "$share"/bash-completion/completions/* "$share"/zsh/vendor-completions/* \
        "$share"/fish/vendor_completions.d/*
}

stage_docs() {
    local doc="$STAGE/usr/share/doc/zoho-oauth"
    install -d "$doc"
    install -m 644 "$TEMPLATES/copyright" "$doc/copyright"
    gzip -9n <README.md >"$doc/README.md.gz"
    gzip -9n <php/README.md >"$doc/README.php.md.gz"
    gzip -9n <php/bridge/README.md >"$doc/README.bridge.md.gz"
    gzip -9n <CHANGELOG.md >"$doc/changelog.gz"
    gzip -9n <THIRD-PARTY-LICENSES.md >"$doc/THIRD-PARTY-LICENSES.md.gz"
    printf 'zoho-oauth (%s) unstable; urgency=medium\n\n  * Built from commit %s.\n\n -- %s  %s\n' \
        "$DEB_VERSION" "$(git rev-parse --short HEAD)" "$DEB_MAINTAINER" \
        "$(date -R -u -d "@$BUILD_DATE")" | gzip -9n >"$doc/changelog.Debian.gz"
    chmod 644 "$doc"/*
}

# The ELF files, relative to the staging directory.
elf_files() {
    printf '%s\n' usr/bin/zoho-oauth "${PHP_EXT_DIR#/}/zoho_oauth.so" \
        "usr/lib/$MULTIARCH/libzoho_oauth.so.$VERSION"
}

# As Debian's dh_strip: symbol tables and notes off the binaries, debug sections off the
# static library (a quarter of the package's size).
strip_binaries() {
    local elf
    strip --strip-debug "$STAGE/usr/lib/$MULTIARCH/libzoho_oauth.a"
    strip --remove-section=.comment --remove-section=.note "$STAGE/usr/bin/zoho-oauth"
    for elf in $(elf_files | grep '\.so'); do
        strip --strip-unneeded --remove-section=.comment --remove-section=.note "$STAGE/$elf"
    done
}

# The Depends of the ELF files (libc6, libgcc-s1), from dpkg-shlibdeps.
shlibs_depends() {
    local elves
    printf 'Source: zoho-oauth\n\nPackage: zoho-oauth\nArchitecture: any\n' \
        >"$WORK_DIR/debian/control"
    mapfile -t elves < <(elf_files | sed 's|^|debian/zoho-oauth/|')
    (cd "$WORK_DIR" && dpkg-shlibdeps -O "${elves[@]}" 2>/dev/null) | sed -n 's/^shlibs:Depends=//p'
}

# subst FILE: the template with every @NAME@ replaced.
subst() {
    sed -e "s|@VERSION@|$DEB_VERSION|g" -e "s|@ARCH@|$ARCH|g" -e "s|@PHPAPI@|$PHPAPI|g" \
        -e "s|@PHP_VERSION@|$PHP_VERSION|g" -e "s|@ABI@|$ABI|g" \
        -e "s|@MAINTAINER@|$DEB_MAINTAINER|g" -e "s|@SHLIBS_DEPENDS@|$SHLIBS|g" \
        -e "s|@INSTALLED_SIZE@|$INSTALLED_SIZE|g" "$1"
}

stage_control() {
    local control="$STAGE/DEBIAN" script
    INSTALLED_SIZE="$(du -sk --apparent-size "$STAGE" | cut -f1)"
    SHLIBS="$(shlibs_depends)"
    [ -n "$SHLIBS" ] || die "dpkg-shlibdeps found no dependencies"
    install -d -m 755 "$control"
    subst "$TEMPLATES/control.in" >"$control/control"
    for script in postinst prerm postrm; do
        subst "$TEMPLATES/$script" >"$control/$script"
        chmod 755 "$control/$script"
    done
    echo "/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini" >"$control/conffiles"
    echo "libzoho_oauth $ABI zoho-oauth (>= $VERSION)" >"$control/shlibs"
    echo "activate-noawait ldconfig" >"$control/triggers"
    (cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
        xargs -0 md5sum) >"$control/md5sums"
    chmod 644 "$control/control" "$control/conffiles" "$control/shlibs" \
        "$control/triggers" "$control/md5sums"
}

main() {
    read_metadata
    release_build
    rm -rf "$WORK_DIR" "$DEB"
    mkdir -p "$STAGE"
    stage_c_library
    stage_php_extension
    stage_php_bridge
    stage_cli
    stage_docs
    strip_binaries
    stage_control
    SOURCE_DATE_EPOCH="$BUILD_DATE" dpkg-deb --root-owner-group --build "$STAGE" "$DEB" >/dev/null
    rm -rf "$WORK_DIR"
    echo "$DEB"
}

main "$@"
