#!/usr/bin/env bash
# Builds the Debian packages (one release build), split as Debian splits such things
# (php8.2-redis beside libhiredis0.14 and libhiredis-dev):
#   php<X.Y>-zoho-oauth     the PHP extension and its ini (enabled for every SAPI on install)
#   libzoho-oauth<ABI>      the C library libzoho_oauth.so.<ABI> (SONAME link only)
#   libzoho-oauth-dev       headers, the libzoho_oauth.so link, the static library, pkg-config
#   zoho-oauth              the CLI, its man page and bash, zsh and fish completions
#   php-zoho-oauth-bridge   the SDK bridge in /usr/share/php/ZohoOAuth/Bridge/ (Architecture: all)
# Each with /usr/share/doc/<package>/ copyright, THIRD-PARTY-LICENSES.md.gz (the licence
# notices of every crate in the shipped binaries: one file, scripts/licences.sh), changelog.gz
# and changelog.Debian.gz; all but the runtime library with README.md.gz and every page of
# docs/ in docs/<page>.md.gz (stage_doc_pages).
#
#   bash scripts/package-deb.sh             -> target/debian/*_<version>~deb12u1_*.deb
#   sudo apt install ./target/debian/*.deb  (or only the packages wanted, e.g. php8.2-zoho-oauth_*)
#   bash scripts/package-deb.sh --php 8.4   -> target/trixie/debian/*_<version>~deb13u1_*.deb
#
# Versions: <upstream>-<DEB_REVISION>~deb<N>u<DEB_UPDATE> for Debian <N> (the build system's
# /etc/os-release), as Debian numbers a version uploaded to a stable release while the same one
# is in a newer release: a Debian 12 build sorts below the Debian 13 build of the same source,
# both below a plain <upstream>-<revision>, so an upgrade to Debian 13 upgrades them.
#
# --php X.Y builds for PHP X.Y: here when this machine has it (php-configX.Y), else inside the
# root of the Debian release that ships it (scripts/debian-root.sh: 8.4 in Debian 13, trixie),
# against that release's PHP and libc (Depends: phpapi-20240924, the ini in
# /etc/php/8.4/mods-available). Without it: the PHP of php-config.
# Needs dpkg-dev (dpkg-architecture, dpkg-shlibdeps), php8.2-dev (php-config) and the build's
# own dependencies (scripts/install-deps.sh). Honours CARGO_TARGET_DIR, PHP_CONFIG (default
# php-config), DEB_REVISION (default 2), DEB_UPDATE (default 1) and DEB_MAINTAINER. Prints the
# packages' paths last, one a line.
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
# 2: 0.1.0-1 was one package named zoho-oauth holding everything; the split packages start at
# 0.1.0-2 and take its files over (Breaks/Replaces: zoho-oauth (<< SPLIT_VERSION)).
DEB_REVISION="${DEB_REVISION:-2}"
SPLIT_VERSION="0.1.0-2~"
DEB_UPDATE="${DEB_UPDATE:-1}"
DEB_MAINTAINER="${DEB_MAINTAINER:-zoho-oauth maintainers <maintainers@zoho-oauth.invalid>}"
TEMPLATES="$ROOT/packaging/deb"

die() { echo "package-deb: $*" >&2; exit 1; }

# The Debian release of this system: "<major> <codename>" (12 bookworm, 13 trixie).
debian_release() {
    local VERSION_ID="" VERSION_CODENAME=""
    # shellcheck disable=SC1091
    . /etc/os-release
    [ -n "$VERSION_ID" ] && [ -n "$VERSION_CODENAME" ] ||
        die "/etc/os-release names no Debian release (VERSION_ID, VERSION_CODENAME)"
    echo "${VERSION_ID%%.*} $VERSION_CODENAME"
}

# Reads everything the packages' layout depends on into globals.
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
    read -r DEBIAN_MAJOR DISTRIBUTION < <(debian_release)
    DEB_VERSION="$VERSION-$DEB_REVISION~deb${DEBIAN_MAJOR}u$DEB_UPDATE"
    PKG_EXT="php$PHP_VERSION-zoho-oauth"
    PKG_LIB="libzoho-oauth$ABI"
    PKG_DEV="libzoho-oauth-dev"
    PKG_CLI="zoho-oauth"
    PKG_BRIDGE="php-zoho-oauth-bridge"
    PACKAGES=("$PKG_EXT" "$PKG_LIB" "$PKG_DEV" "$PKG_CLI" "$PKG_BRIDGE")
    PACKAGE_DIR="$CARGO_TARGET_DIR/debian"
    # dpkg-shlibdeps wants the files in debian/<package>/ beside a debian/control.
    WORK_DIR="$PACKAGE_DIR/build"
    LIBDIR="/usr/lib/$MULTIARCH"
    # File dates in the packages: the commit's. Not exported: build scripts (ring's) watch it,
    # and a change would rebuild everything.
    BUILD_DATE="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
}

# stage PACKAGE: the package's staging directory.
stage() { echo "$WORK_DIR/debian/$1"; }

# The three doors, each a crate of its own over the core: the PHP extension, the C library
# (capi/) and the CLI (cli/). Built together, nothing of one door enters another
# (scripts/check-crates.sh checks the extension exports no zoho_ symbol after such a build).
release_build() {
    cargo build --release -p zoho-oauth-php -p zoho-oauth-capi -p zoho-oauth-cli
}

# The C library, headers and pkg-config files, through the Makefile's own install rule (-o lib:
# already built), then shared between the runtime package (the library and its SONAME link)
# and the development package (everything else).
stage_c_library() {
    local all="$WORK_DIR/c" lib dev
    lib="$(stage "$PKG_LIB")"
    dev="$(stage "$PKG_DEV")"
    make --no-print-directory -o lib install DESTDIR="$all" PREFIX=/usr LIBDIR="$LIBDIR" \
        PROFILE=release >/dev/null
    install -d "$lib$LIBDIR" "$dev$LIBDIR" "$dev/usr"
    install -m 644 "$all$LIBDIR/libzoho_oauth.so.$VERSION" "$lib$LIBDIR/" # Debian: no exec bit
    mv "$all$LIBDIR/libzoho_oauth.so.$ABI" "$lib$LIBDIR/"
    mv "$all$LIBDIR/libzoho_oauth.so" "$all$LIBDIR/libzoho_oauth.a" "$all$LIBDIR/pkgconfig" \
        "$dev$LIBDIR/"
    mv "$all/usr/include" "$dev/usr/"
    rm -rf "$all"
}

stage_php_extension() {
    local dir
    dir="$(stage "$PKG_EXT")"
    install -D -m 644 "$OUT/libzoho_oauth_php.so" "$dir$PHP_EXT_DIR/zoho_oauth.so"
    install -d "$dir/etc/php/$PHP_VERSION/mods-available"
    sed "s|@PHP_VERSION@|$PHP_VERSION|g" "$TEMPLATES/zoho_oauth.ini" \
        >"$dir/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini"
    chmod 644 "$dir/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini"
}

# The bridge for Zoho's current SDK, as Debian lays out PHP libraries: its classes and its
# autoloader in /usr/share/php/ZohoOAuth/Bridge/, found through PHP's default include_path
# (`require 'ZohoOAuth/Bridge/autoload.php';`).
stage_php_bridge() {
    local dir
    dir="$(stage "$PKG_BRIDGE")/usr/share/php/ZohoOAuth/Bridge"
    install -d "$dir"
    install -m 644 php/bridge/src/*.php "$dir/"
    [ -f "$dir/autoload.php" ] || die "php/bridge/src/autoload.php is missing"
}

# The CLI, and its man page and completions generated by the CLI itself (clap), so they
# cannot drift from --help.
stage_cli() {
    local cli="$OUT/zoho-oauth" dir share
    dir="$(stage "$PKG_CLI")"
    share="$dir/usr/share"
    install -D -m 755 "$cli" "$dir/usr/bin/zoho-oauth"
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

# The READMEs each package carries besides the common files: "SOURCE NAME" lines. The bridge
# carries the front README too: every page of docs/ links it (../README.md).
package_readmes() {
    case "$1" in
        "$PKG_EXT") printf '%s\n' "README.md README.md.gz" "php/README.md README.php.md.gz" ;;
        "$PKG_DEV") printf '%s\n' "README.md README.md.gz" "capi/include/README.md README.include.md.gz" ;;
        "$PKG_CLI") echo "README.md README.md.gz" ;;
        "$PKG_BRIDGE") printf '%s\n' "README.md README.md.gz" "php/bridge/README.md README.bridge.md.gz" ;;
    esac
}

# stage_doc_pages PACKAGE DOC: every page of docs/ as DOC/docs/<page>.md.gz, for each package
# that carries a README (all but the runtime library, which carries only copyright and
# changelogs, as Debian's library packages do). All of docs/, not a per-audience choice: the
# README links every page, and the pages link each other so densely that the pages reachable
# from any README are nearly all of them (the bridge's README reaches 13 of 16); the whole set
# is about 60 kB gzipped. Gzipped like the README (Debian policy 12.3 wants files over 4 kB in
# /usr/share/doc compressed; the small pages too, so a link `docs/X.md` is always
# `docs/X.md.gz` on the installed system). Links are not rewritten: the installed files are the
# source's pages, byte for byte (scripts/check-deb.sh checks both, and that every link to a
# page names one shipped beside it).
stage_doc_pages() {
    local package="$1" doc="$2" page
    [ "$package" = "$PKG_LIB" ] && return 0
    install -d -m 755 "$doc/docs"
    for page in docs/*.md; do
        gzip -9n <"$page" >"$doc/docs/$(basename "$page").gz"
    done
    chmod 644 "$doc"/docs/*
}

# stage_docs PACKAGE: /usr/share/doc/PACKAGE as Debian policy (12.5, 12.7) has it: copyright,
# changelog.Debian.gz, the upstream changelog.gz; and the licence notices of the bundled crates.
stage_docs() {
    local package="$1" doc source name
    doc="$(stage "$package")/usr/share/doc/$package"
    install -d "$doc"
    sed "s|@PACKAGE@|$package|g" "$TEMPLATES/copyright" >"$doc/copyright"
    gzip -9n <CHANGELOG.md >"$doc/changelog.gz"
    gzip -9n <THIRD-PARTY-LICENSES.md >"$doc/THIRD-PARTY-LICENSES.md.gz"
    while read -r source name; do
        gzip -9n <"$source" >"$doc/$name"
    done < <(package_readmes "$package")
    printf 'zoho-oauth (%s) %s; urgency=medium\n\n  * Built from commit %s.\n\n -- %s  %s\n' \
        "$DEB_VERSION" "$DISTRIBUTION" "$(git rev-parse --short HEAD)" "$DEB_MAINTAINER" \
        "$(date -R -u -d "@$BUILD_DATE")" | gzip -9n >"$doc/changelog.Debian.gz"
    chmod 644 "$doc"/*
    stage_doc_pages "$package" "$doc"
}

# elf_files PACKAGE: the package's ELF files, relative to its staging directory.
elf_files() {
    case "$1" in
        "$PKG_EXT") echo "${PHP_EXT_DIR#/}/zoho_oauth.so" ;;
        "$PKG_LIB") echo "${LIBDIR#/}/libzoho_oauth.so.$VERSION" ;;
        "$PKG_CLI") echo usr/bin/zoho-oauth ;;
    esac
}

# As Debian's dh_strip: symbol tables and notes off the binaries, debug sections off the
# static library (a quarter of its size).
strip_binaries() {
    local package elf
    strip --strip-debug "$(stage "$PKG_DEV")$LIBDIR/libzoho_oauth.a"
    strip --remove-section=.comment --remove-section=.note "$(stage "$PKG_CLI")/usr/bin/zoho-oauth"
    for package in "$PKG_EXT" "$PKG_LIB"; do
        elf="$(stage "$package")/$(elf_files "$package")"
        strip --strip-unneeded --remove-section=.comment --remove-section=.note "$elf"
    done
}

# shlibs_depends PACKAGE: the Depends of the package's ELF files (libc6, libgcc-s1), from
# dpkg-shlibdeps; empty for a package without any.
shlibs_depends() {
    local elves
    mapfile -t elves < <(elf_files "$1" | sed "s|^|debian/$1/|")
    [ ${#elves[@]} -gt 0 ] || return 0
    { printf 'Source: zoho-oauth\n'
        printf '\nPackage: %s\nArchitecture: any\n' "$PKG_EXT" "$PKG_LIB" "$PKG_CLI"; } \
        >"$WORK_DIR/debian/control"
    (cd "$WORK_DIR" && dpkg-shlibdeps -O "${elves[@]}" 2>/dev/null) |
        sed -n 's/^shlibs:Depends=//p'
}

# subst FILE: the template with every @NAME@ replaced.
subst() {
    sed -e "s|@VERSION@|$DEB_VERSION|g" -e "s|@UPSTREAM_VERSION@|$VERSION|g" \
        -e "s|@ARCH@|$ARCH|g" -e "s|@PHPAPI@|$PHPAPI|g" \
        -e "s|@PHP_VERSION@|$PHP_VERSION|g" -e "s|@ABI@|$ABI|g" \
        -e "s|@MAINTAINER@|$DEB_MAINTAINER|g" -e "s|@SPLIT_VERSION@|$SPLIT_VERSION|g" -e "s|@SHLIBS_DEPENDS@|$SHLIBS|g" \
        -e "s|@INSTALLED_SIZE@|$INSTALLED_SIZE|g" "$1"
}

# The template of each package's control file.
control_template() {
    case "$1" in
        "$PKG_EXT") echo php-extension.control ;;
        "$PKG_LIB") echo libzoho-oauth.control ;;
        *) echo "$1.control" ;;
    esac
}

# stage_control PACKAGE: DEBIAN/ (control, md5sums, and the package's own control files).
stage_control() {
    local package="$1" dir control script
    dir="$(stage "$package")"
    control="$dir/DEBIAN"
    INSTALLED_SIZE="$(du -sk --apparent-size "$dir" | cut -f1)"
    SHLIBS="$(shlibs_depends "$package")"
    [ -n "$SHLIBS" ] || [ -z "$(elf_files "$package")" ] ||
        die "dpkg-shlibdeps found no dependencies for $package"
    install -d -m 755 "$control"
    subst "$TEMPLATES/$(control_template "$package")" >"$control/control"
    case "$package" in
        "$PKG_EXT")
            for script in postinst prerm postrm; do
                subst "$TEMPLATES/$script" >"$control/$script"
                chmod 755 "$control/$script"
            done
            echo "/etc/php/$PHP_VERSION/mods-available/zoho_oauth.ini" >"$control/conffiles"
            ;;
        "$PKG_LIB")
            echo "libzoho_oauth $ABI $PKG_LIB (>= $VERSION)" >"$control/shlibs"
            echo "activate-noawait ldconfig" >"$control/triggers"
            ;;
    esac
    (cd "$dir" && find . -path ./DEBIAN -prune -o -type f -printf '%P\0' | sort -z |
        xargs -0 md5sum) >"$control/md5sums"
    chmod 644 "$control"/*
    [ ! -f "$control/postinst" ] || chmod 755 "$control"/postinst "$control"/prerm "$control"/postrm
}

# build_package PACKAGE: the .deb's path.
build_package() {
    local package="$1" arch="$ARCH" deb
    [ "$package" = "$PKG_BRIDGE" ] && arch=all
    deb="$PACKAGE_DIR/${package}_${DEB_VERSION}_$arch.deb"
    SOURCE_DATE_EPOCH="$BUILD_DATE" dpkg-deb --root-owner-group --build "$(stage "$package")" \
        "$deb" >/dev/null
    echo "$deb"
}

main() {
    local package debs=()
    read_metadata
    release_build
    rm -rf "$WORK_DIR"
    mkdir -p "$WORK_DIR/debian" "$PACKAGE_DIR"
    # Every earlier build's packages of this set (other versions too; the one package of old).
    for package in "${PACKAGES[@]}"; do rm -f "$PACKAGE_DIR/${package}"_*.deb; done
    stage_c_library
    stage_php_extension
    stage_php_bridge
    stage_cli
    strip_binaries
    for package in "${PACKAGES[@]}"; do
        stage_docs "$package"
        stage_control "$package"
        debs+=("$(build_package "$package")")
    done
    rm -rf "$WORK_DIR"
    printf '%s\n' "${debs[@]}"
}

main "$@"
