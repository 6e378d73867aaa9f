#!/usr/bin/env bash
# Throwaway redis-server instances for the Redis token store's tests, on free loopback
# ports, never saving to disk.
#
#   eval "$(bash scripts/redis.sh start DIR)"   # starts them, prints the export lines
#   bash scripts/redis.sh stop DIR              # stops them (idempotent)
#
# Instances: DIR/plain (no password, also on the Unix socket DIR/plain/redis.sock) and
# DIR/auth (requirepass). The exports:
#   ZOHO_TEST_REDIS_URL         redis://127.0.0.1:PORT/0
#   ZOHO_TEST_REDIS_UNIX_URL    redis+unix://DIR/plain/redis.sock?db=0
#   ZOHO_TEST_REDIS_AUTH_URL    redis://default:PASSWORD@127.0.0.1:PORT2/0
#   ZOHO_TEST_REDIS_AUTH_BAD_URL  the same with a wrong password
#   ZOHO_TEST_REDIS_SERVER      the redis-server binary (tests start private ones)
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
cmd="$1"
dir="$(mkdir -p "$2" && cd "$2" && pwd)"

if ! command -v redis-server >/dev/null || ! command -v redis-cli >/dev/null; then
    bash "$(dirname "$0")/install-deps.sh" >&2
fi

# start_one NAME [extra redis-server args...]: prints the port it listens on.
start_one() {
    local name="$1"; shift
    local d="$dir/$name"
    mkdir -p "$d"
    # Started again on a directory whose server still runs: that one is stopped first, not
    # left running with its pid file overwritten (nothing could stop it then).
    stop_one "$name"
    for _ in $(seq 1 40); do
        local port=$(( 20000 + RANDOM % 40000 ))
        rm -f "$d/pid"
        if redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
            --daemonize yes --dir "$d" --pidfile "$d/pid" --logfile "$d/log" "$@" >/dev/null 2>&1; then
            for _ in $(seq 1 100); do
                if [ -s "$d/pid" ] && redis-cli -h 127.0.0.1 -p "$port" --no-auth-warning \
                    ${REDIS_PING_AUTH:+-a "$REDIS_PING_AUTH"} ping 2>/dev/null | grep -q PONG; then
                    echo "$port" > "$d/port"
                    echo "$port"
                    return 0
                fi
                # The port was taken: redis-server exits; try another one.
                if [ -s "$d/log" ] && grep -q "Address already in use\|Could not create server TCP" "$d/log"; then
                    : > "$d/log"
                    break
                fi
                sleep 0.05
            done
            stop_one "$name"
        fi
    done
    echo "cannot start redis-server ($name); see $d/log" >&2
    return 1
}

stop_one() {
    local d="$dir/$1"
    [ -s "$d/pid" ] || return 0
    local pid
    pid="$(cat "$d/pid")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 1 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.05
        done
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$d/pid"
}

case "$cmd" in
    start)
        plain_port="$(start_one plain --unixsocket "$dir/plain/redis.sock" --unixsocketperm 700)"
        password="test-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
        echo "$password" > "$dir/password"
        auth_port="$(REDIS_PING_AUTH="$password" start_one auth --requirepass "$password")"
        echo "export ZOHO_TEST_REDIS_URL=redis://127.0.0.1:$plain_port/0"
        echo "export ZOHO_TEST_REDIS_UNIX_URL='redis+unix://$dir/plain/redis.sock?db=0'"
        echo "export ZOHO_TEST_REDIS_AUTH_URL=redis://default:$password@127.0.0.1:$auth_port/0"
        echo "export ZOHO_TEST_REDIS_AUTH_BAD_URL=redis://default:wrong-$password@127.0.0.1:$auth_port/0"
        echo "export ZOHO_TEST_REDIS_SERVER=$(command -v redis-server)"
        ;;
    stop)
        stop_one plain
        stop_one auth
        ;;
    *) usage ;;
esac
