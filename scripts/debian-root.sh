#!/usr/bin/env bash
# A Debian root of another release (a chroot, as sbuild and pbuilder use), made once with
# mmdebstrap from the Debian archive apt's sources name, cached outside the checkout and reused:
#
#   bash scripts/debian-root.sh path RELEASE           creates the root when missing, prints its path
#   bash scripts/debian-root.sh run RELEASE -- CMD...  runs CMD as root inside it, in the checkout
#   bash scripts/debian-root.sh for-php X.Y            prints where PHP X.Y is: "host" when this
#                                                      machine has php-configX.Y, else the release
#
# RELEASE: trixie (Debian 13: PHP 8.4, the build tools, MariaDB, Redis; see packages_of).
# The root lives in ${ZOHO_ROOT_CACHE:-/var/cache/zoho-oauth}/RELEASE-<hash of its recipe>: a
# changed package list makes a new root, and a second run downloads nothing. It is built in a
# .partial directory and renamed when complete (a killed build leaves no half root in use).
#
# `run` bind-mounts the checkout (and its git directory) at the same path, the Rust toolchain
# (RUSTUP_HOME, CARGO_HOME; rustup's read-only), /proc, /sys, the host's resolv.conf and hosts,
# and mounts a /dev of its own and a fresh tmpfs on /tmp, all inside a private mount and PID
# namespace: every mount disappears with it, even when this script is killed with SIGKILL, and
# so does every process started inside (servers too). A trap also unmounts them lazily in reverse order on EXIT, INT
# and TERM. Nothing of the host's is changed. CARGO_TARGET_DIR is <checkout>/target/RELEASE
# (binaries for the root's libc and PHP). Needs root (mount, unshare, chroot).
set -euo pipefail

die() { echo "debian-root: $*" >&2; exit 1; }

# Bump when the way a root is made changes (its hash changes, so a new root is made).
RECIPE=2
# Written last into a complete root: when it was made, from where, with which packages.
MARKER=etc/zoho-oauth-root
CACHE="${ZOHO_ROOT_CACHE:-/var/cache/zoho-oauth}"

# The packages of RELEASE's root, one a line.
packages_of() {
    case "$1" in
        trixie)
            # PHP 8.4 (the extension's build, the suite, FPM, mysqli, curl for the archived
            # SDK's CRM path in phpt 033/034), the build tools (bindgen needs libclang), the
            # throwaway servers, and what scripts/*-deb.sh and the tests use.
            printf '%s\n' php8.4-cli php8.4-dev php8.4-fpm php8.4-mysql php8.4-curl \
                build-essential clang libclang-dev pkg-config git ca-certificates \
                mariadb-server mariadb-client redis-server python3 openssl curl procps \
                dpkg-dev man-db bsdextrautils zsh fish
            ;;
        *) die "unknown release '$1' (known: trixie)" ;;
    esac
}

# Where PHP X.Y is built and tested: this machine when it has that PHP, else a root of the
# Debian release that ships it.
release_for_php() {
    if command -v "php-config$1" >/dev/null; then echo host; return; fi
    case "$1" in
        8.4) echo trixie ;;
        *) die "PHP $1 is not installed here and no Debian root here ships it (8.4: trixie)" ;;
    esac
}

# The Debian archive apt's sources name (deb822 or one-line), default deb.debian.org.
debian_mirror() {
    local uri
    uri="$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+/debian/?( |$)' | head -n 1 | tr -d ' ')" || true
    echo "${ZOHO_DEBIAN_MIRROR:-${uri:-http://deb.debian.org/debian}}"
}

# The security archive beside the mirror (…/debian -> …/debian-security).
security_mirror() { echo "${1%/}-security"; }

root_dir() {
    local release="$1" hash
    hash="$( { echo "recipe $RECIPE"; echo "release $release"; debian_mirror; packages_of "$release"; } |
        sha256sum | cut -c1-12)"
    echo "$CACHE/$release-$hash"
}

# Mount points under DIR in this mount namespace, deepest first.
mounts_under() {
    awk -v d="$1" '$2 == d || index($2, d "/") == 1 { print $2 }' /proc/self/mounts | sort -r
}

# Removes a directory of ours under $CACHE: never through a mount (a bind of the checkout).
remove_root_dir() {
    local dir="$1" m
    case "$dir" in "$CACHE"/*) ;; *) die "refusing to remove $dir" ;; esac
    for m in $(mounts_under "$dir"); do umount -l "$m" || true; done
    [ -z "$(mounts_under "$dir")" ] || die "$dir still has mounts; not removing it"
    rm -rf --one-file-system "$dir"
}

# Creates the root with mmdebstrap, in its own mount and PID namespace (its mounts of /proc,
# /sys and /dev cannot outlive it), then renames it into place.
create_root() {
    local release="$1" dir="$2" mirror security partial includes
    mirror="$(debian_mirror)"
    security="$(security_mirror "$mirror")"
    partial="$dir.partial"
    [ ! -e "$partial" ] || remove_root_dir "$partial"
    [ ! -e "$dir" ] || remove_root_dir "$dir" # no marker: not a complete root
    command -v mmdebstrap >/dev/null || bash "$(dirname "$0")/install-deps.sh" >&2
    includes="$(packages_of "$release" | paste -sd, -)"
    echo "debian-root: creating $dir ($release from $mirror; once, cached)" >&2
    setpriv --pdeathsig KILL unshare --mount --propagation private --pid --fork --kill-child \
        bash "$0" __with_dev_null mmdebstrap --mode=root --variant=apt --include="$includes" \
        --aptopt='APT::Install-Recommends "false"' --aptopt='Acquire::Retries "3"' \
        --skip=cleanup/apt/lists \
        "$release" "$partial" \
        "deb $mirror $release main" "deb $mirror $release-updates main" \
        "deb $security $release-security main" >&2 ||
        { remove_root_dir "$partial"; die "mmdebstrap failed"; }
    # Daemons never start in the root (maintainer scripts of later installs, check-deb.sh).
    printf '#!/bin/sh\nexit 101\n' >"$partial/usr/sbin/policy-rc.d"
    chmod 755 "$partial/usr/sbin/policy-rc.d"
    { echo "made $(date -u +%FT%TZ) by scripts/debian-root.sh (recipe $RECIPE) from $mirror"
        packages_of "$release"; } >"$partial/$MARKER"
    mv "$partial" "$dir"
    echo "debian-root: created $dir ($(du -sh --one-file-system "$dir" | cut -f1))" >&2
}

# Runs a command (in a private mount namespace) with a real /dev/null: apt and mmdebstrap fail
# when something on the host replaced it with a file (a test writing a dump to /dev/null does).
# Only this namespace sees the node mounted over it; the host's stays as it is.
with_dev_null() {
    local dir
    if [ ! -c /dev/null ]; then
        echo "debian-root: /dev/null on this machine is not a device; using a private one" >&2
        dir="$(mktemp -d)"
        mount -t tmpfs -o size=64k tmpfs "$dir" && mknod -m 666 "$dir/null" c 1 3 &&
            mount --bind "$dir/null" /dev/null && umount -l "$dir"
        rmdir "$dir"
    fi
    exec "$@"
}

# Prints the root's path, creating it first when missing (one creator at a time).
ensure_root() {
    local release="$1" dir
    dir="$(root_dir "$release")"
    [ "$(id -u)" = 0 ] || die "needs root (mmdebstrap --mode=root, mount, chroot)"
    mkdir -p "$CACHE"
    if [ ! -f "$dir/$MARKER" ]; then
        exec 9>"$CACHE/.lock"
        flock -w 3600 9 || die "another creation of a root holds $CACHE/.lock"
        [ -f "$dir/$MARKER" ] || create_root "$release" "$dir"
        exec 9>&-
    else
        echo "debian-root: reusing $dir ($(head -n 1 "$dir/$MARKER"); nothing to download)" >&2
    fi
    echo "$dir"
}

# --- inside the private namespaces --------------------------------------------------------

MOUNTED=()

# bind SOURCE TARGET [ro]: a bind mount, remembered for the trap.
bind() {
    local source="$1" target="$2"
    if [ -d "$source" ]; then mkdir -p "$target"; else [ -e "$target" ] || : >"$target"; fi
    mount --bind "$source" "$target"
    MOUNTED+=("$target")
    if [ "${3:-}" = ro ]; then mount -o remount,bind,ro "$target"; fi
}

unmount_all() {
    local i
    for ((i = ${#MOUNTED[@]} - 1; i >= 0; i--)); do umount -l "${MOUNTED[$i]}" 2>/dev/null || true; done
    MOUNTED=()
}

# A /dev of the root's own (a tmpfs with the usual device nodes, its own ptys and shm), never
# the host's: whatever runs inside may remove or replace a node without touching the host's.
mount_dev() {
    local dev="$1" node name major minor
    mount -t tmpfs -o mode=755,size=1m,nosuid tmpfs "$dev"
    MOUNTED+=("$dev")
    for node in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
        IFS=: read -r name major minor <<<"$node"
        mknod -m 666 "$dev/$name" c "$major" "$minor"
    done
    mkdir -m 755 "$dev/pts"
    mkdir -m 1777 "$dev/shm"
    if mount -t devpts -o newinstance,ptmxmode=0666,mode=620 devpts "$dev/pts" 2>/dev/null; then
        MOUNTED+=("$dev/pts")
        ln -s pts/ptmx "$dev/ptmx"
    fi
    ln -s /proc/self/fd "$dev/fd"
    ln -s /proc/self/fd/0 "$dev/stdin"
    ln -s /proc/self/fd/1 "$dev/stdout"
    ln -s /proc/self/fd/2 "$dev/stderr"
}

# Says so when something inside replaced a device node (it could not reach the host's).
check_dev() {
    local node
    for node in null zero full random urandom; do
        [ -c "$1/$node" ] || echo "debian-root: the command replaced /dev/$node inside the root" >&2
    done
}

# The environment of the command inside: a clean one, with the toolchain, the target
# directory and the variables the scripts and tests read.
inside_env() {
    local name
    printf '%s\n' "PATH=$CARGO_HOME/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin" \
        HOME=/root LANG=C.UTF-8 "CARGO_HOME=$CARGO_HOME" "RUSTUP_HOME=$RUSTUP_HOME" \
        "CARGO_TARGET_DIR=$TARGET_DIR" "ZOHO_DEBIAN_ROOT=$RELEASE"
    for name in $(compgen -e); do
        case "$name" in
            CI | TERM | RUST_BACKTRACE | RUSTUP_TOOLCHAIN | CARGO_TERM_* | ZOHO_* | DEB_* | HARDENING_*) echo "$name=${!name}" ;;
        esac
    done
}

# Runs as PID 1 of the new namespaces: mounts, chroot, the command; unmounts on the way out.
inside() {
    local dir="$1" checkout="$2" git_dir status=0 env_args
    shift 2
    trap 'unmount_all' EXIT
    trap 'stop_all 130' INT
    trap 'stop_all 143' TERM
    # The root a mount point of its own: inside, / can then be made private (unshare
    # --propagation, as scripts/check-deb.sh does) like a real system's.
    mount --bind "$dir" "$dir"
    MOUNTED+=("$dir")
    mount -t proc proc "$dir/proc"
    MOUNTED+=("$dir/proc")
    bind /sys "$dir/sys" ro
    mount_dev "$dir/dev"
    mount -t tmpfs -o mode=1777 tmpfs "$dir/tmp"
    MOUNTED+=("$dir/tmp")
    # The root shares the host's network, so it resolves names as the host does (schroot copies
    # both files in too). Debian's own /etc/hosts also maps localhost to ::1, which the mysql
    # crate (28.0) then tries first and alone: `localhost` fails against a server on 127.0.0.1.
    bind /etc/resolv.conf "$dir/etc/resolv.conf" ro
    bind /etc/hosts "$dir/etc/hosts" ro
    bind "$RUSTUP_HOME" "$dir$RUSTUP_HOME" ro
    bind "$CARGO_HOME" "$dir$CARGO_HOME"
    bind "$checkout" "$dir$checkout"
    git_dir="$(git -C "$checkout" rev-parse --path-format=absolute --git-common-dir)"
    case "$git_dir" in "$checkout"/*) ;; *) bind "$git_dir" "$dir$git_dir" ro ;; esac
    mapfile -t env_args < <(inside_env)
    # In the background, so that a signal's trap runs at once (bash runs traps between commands).
    chroot "$dir" /usr/bin/env -i "${env_args[@]}" /bin/bash -c 'cd "$1" && shift && exec "$@"' \
        bash "$checkout" "$@" 0<&0 &
    COMMAND=$!
    wait "$COMMAND" || status=$?
    check_dev "$dir/dev"
    exit "$status"
}

# On SIGINT or SIGTERM: every process of the namespace gets SIGTERM and the command up to 10 s
# to end (servers stop cleanly); leaving then kills whatever remains (we are its PID 1).
stop_all() {
    local i
    [ "$$" = 1 ] && kill -TERM -1 2>/dev/null
    for i in $(seq 1 100); do
        kill -0 "${COMMAND:-0}" 2>/dev/null || break
        sleep 0.1
    done
    exit "$1"
}

# --- run ----------------------------------------------------------------------------------

run_in_root() {
    local release="$1" dir checkout status=0 child
    shift
    [ "${1:-}" = -- ] && shift
    [ $# -gt 0 ] || die "run $release: no command"
    dir="$(ensure_root "$release")"
    checkout="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
    export RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}"
    export TARGET_DIR="$checkout/target/$release" RELEASE="$release"
    # Whatever ends this script, even SIGKILL, unshare gets SIGKILL (pdeathsig), the namespaces'
    # first process with it (--kill-child), every process inside with that, and the mounts go.
    # SIGINT and SIGTERM go to that first process (unshare ignores both while it waits).
    trap 'kill -TERM $(pgrep -P "$child") 2>/dev/null' INT TERM
    setpriv --pdeathsig KILL unshare --mount --propagation private --pid --fork --kill-child \
        bash "$0" __inside "$dir" "$checkout" "$@" 0<&0 &
    child=$!
    wait "$child" || status=$?
    wait "$child" 2>/dev/null || true
    trap - INT TERM
    [ -z "$(mounts_under "$dir")" ] || die "mounts left under $dir"
    return "$status"
}

case "${1:-}" in
    path) [ $# -eq 2 ] || die "usage: $0 path RELEASE"; ensure_root "$2" ;;
    for-php) [ $# -eq 2 ] || die "usage: $0 for-php X.Y"; release_for_php "$2" ;;
    run) [ $# -ge 3 ] || die "usage: $0 run RELEASE -- COMMAND..."; shift; run_in_root "$@" ;;
    __inside) shift; inside "$@" ;;
    __with_dev_null) shift; with_dev_null "$@" ;;
    *) sed -n '2,22p' "$0" >&2; exit 2 ;;
esac
