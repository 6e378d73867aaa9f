#!/usr/bin/env bash
# Tests of scripts/debian-root.sh on a real root (made first when missing): the root is reused
# (a second `path` creates nothing), a command runs inside it with the checkout at its own path
# and the root's PHP, its exit status comes back, and whatever ends the script (the command
# failing, SIGINT, SIGTERM, SIGKILL of the script itself) no mount is left in /proc/mounts and
# no process started inside (a daemon too) survives. Needs root.
#
#   bash tests/scripts/debian-root.sh [RELEASE]      (default trixie)
# Ends with "N passed, M failed"; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
checkout="$(pwd)"
release="${1:-trixie}"
script=scripts/debian-root.sh

passed=0
failed=0
check() { # name command...
    local name="$1"; shift
    if "$@"; then passed=$((passed + 1)); echo "ok     $name"
    else failed=$((failed + 1)); echo "FAILED $name"; fi
}

dir="$(bash "$script" path "$release")" || { echo "cannot make the root"; echo "0 passed, 1 failed"; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mounts_before="$(grep -c . /proc/mounts)"

# Nothing of ours in this namespace's mount table: none under the root, no more than before.
no_mount_left() {
    if awk -v d="$dir" 'index($2, d) == 1 { found = 1 } END { exit !found }' /proc/mounts; then
        echo "mounts left under $dir:"; grep -F "$dir" /proc/mounts; return 1
    fi
    [ "$(grep -c . /proc/mounts)" -le "$mounts_before" ] || { echo "more mounts than before"; return 1; }
}

reused() {
    local out
    out="$(bash "$script" path "$release" 2>"$work/path.err")" || return 1
    [ "$out" = "$dir" ] || { echo "$out"; return 1; }
    if ! grep -q "^debian-root: reusing $dir " "$work/path.err" || grep -q creating "$work/path.err"; then
        cat "$work/path.err"; return 1
    fi
}

inside_sees_checkout_and_php() {
    local marker out
    marker="$work/marker.$$"
    out="$(bash "$script" run "$release" -- bash -c \
        'echo "$(pwd) $(php-config --phpapi) $CARGO_TARGET_DIR"; mkdir -p "${1%/*}" && touch "$1"' bash "$marker" 2>&1)" || { echo "$out"; return 1; }
    # The host's /tmp is not the root's: the marker must not appear here.
    [ ! -e "$marker" ] || { echo "the root's /tmp is the host's"; return 1; }
    case "$release" in trixie) grep -qx "$checkout 20240924 $checkout/target/trixie" <<<"$out" || { echo "$out"; return 1; } ;; esac
}

host_dev_untouched() {
    local out
    out="$(bash "$script" run "$release" -- bash -c 'rm /dev/null && : >/dev/null && ls -l /dev/null' 2>&1)"
    if [ ! -c /dev/null ]; then # put it back (the isolation failed)
        rm -f /dev/null && mknod -m 666 /dev/null c 1 3
        echo "the host's /dev/null was replaced: $out"; return 1
    fi
    grep -q "replaced /dev/null inside the root" <<<"$out" || { echo "no warning: $out"; return 1; }
}

status_comes_back() {
    local status=0
    bash "$script" run "$release" -- bash -c 'exit 7' 2>/dev/null || status=$?
    [ "$status" -eq 7 ] || { echo "status $status"; return 1; }
}

# Starts a run whose command leaves a daemon behind and waits; prints the script's PID once
# the daemon (a sleep of a unique length) runs inside, and records its host PID.
start_long_run() {
    local tag="$1"
    # As from a terminal: SIGINT not ignored (a background job of a script ignores it).
    env --default-signal=INT,TERM bash "$script" run "$release" -- bash -c \
        "setsid sleep 4242.$tag </dev/null >/dev/null 2>&1 & sleep 4343.$tag" >"$work/$tag.log" 2>&1 &
    RUN_PID=$!
    disown "$RUN_PID" # no "Killed" job notice
    for _ in $(seq 1 300); do
        DAEMON_PID="$(pgrep -f "^sleep 4242.$tag\$" | head -n 1)"
        [ -n "$DAEMON_PID" ] && return 0
        sleep 0.1
    done
    echo "the command did not start"; cat "$work/$tag.log"; return 1
}

# The daemon's mount namespace holds the mounts while it runs (its mountinfo shows them as
# seen from its root: the checkout, /proc, /tmp), and the host's has none of them.
binds_inside() {
    local point
    for point in "$checkout" /proc /tmp; do
        awk -v p="$point" '$5 == p { found = 1 } END { exit !found }' "/proc/$DAEMON_PID/mountinfo" ||
            { echo "$point is not mounted in the command's namespace"; return 1; }
    done
    no_mount_left
}

# After SIGNAL to the script: within 30 s the script and every process inside are gone, and
# no mount is left.
ended_cleanly_after() {
    local signal="$1" tag="$2"
    start_long_run "$tag" || return 1
    binds_inside || return 1
    kill "-$signal" "$RUN_PID"
    for _ in $(seq 1 300); do
        if ! kill -0 "$RUN_PID" 2>/dev/null && ! kill -0 "$DAEMON_PID" 2>/dev/null; then
            no_mount_left
            return
        fi
        sleep 0.1
    done
    echo "still running 30 s after SIG$signal: script $RUN_PID, daemon $DAEMON_PID"
    kill -KILL "$DAEMON_PID" "$RUN_PID" 2>/dev/null
    return 1
}

check "a second 'path' reuses the root and creates nothing" reused
check "a device node removed inside the root is the root's own, never the host's" host_dev_untouched
check "the command runs in the checkout, on the root's PHP, with its own /tmp" inside_sees_checkout_and_php
check "the command's exit status comes back" status_comes_back
check "no mount left after a command failed" no_mount_left
check "SIGINT: every process inside ends, no mount left" ended_cleanly_after INT 1
check "SIGTERM: every process inside ends, no mount left" ended_cleanly_after TERM 2
check "SIGKILL of the script: every process inside ends, no mount left" ended_cleanly_after KILL 3

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
