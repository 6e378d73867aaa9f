#!/usr/bin/env bash
# A throwaway MariaDB server for the tests: its own data directory, loopback only, a free port.
#
#   scripts/mariadb.sh start DIR [PORT]   creates DIR (if needed), starts the server, waits until
#                                         it answers (at most 60 s) and prints
#                                         export ZOHO_TEST_MYSQL_URL=mysql://root@127.0.0.1:PORT/zohooauth
#                                         (eval "$(scripts/mariadb.sh start DIR)" sets it)
#   scripts/mariadb.sh stop DIR           stops it (SIGTERM, then SIGKILL after 20 s) and removes DIR
#   scripts/mariadb.sh url DIR            prints the URL of a running server
#
# MARIADB_EXTRA_ARGS adds server options, after (so overriding) the defaults: e.g.
# --ssl-cert=... --ssl-key=... for TLS tests, --max-connections=151 (MariaDB's default; the
# script's is 500), or --character-set-server=latin1 --collation-server=latin1_swedish_ci for a
# server with MariaDB's compiled-in default character set (the script's is utf8mb4).
# root has no password on the throwaway server; it listens on 127.0.0.1 only. The database
# `zohooauth` is created empty (the tests create their own tables). Installs Debian's
# mariadb-server and php8.X-mysql (of the `php` on PATH) when missing (root or sudo).
set -euo pipefail

usage() { echo "usage: $0 start DIR [PORT] | stop DIR | url DIR" >&2; exit 2; }
[ $# -ge 2 ] || usage
cmd="$1"
dir="$2"

install_if_missing() {
    local missing=() php_mysql
    # mysqli for the PHP that runs the tests (8.2 on Debian 12, 8.4 in a Debian 13 root).
    php_mysql="php$(php -n -r 'echo PHP_MAJOR_VERSION, ".", PHP_MINOR_VERSION;' 2>/dev/null || echo 8.2)-mysql"
    for p in mariadb-server mariadb-client "$php_mysql"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    echo "installing: ${missing[*]}" >&2
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
    # Debian starts the packaged service on install; the tests use their own servers only.
    $sudo systemctl disable --now mariadb >/dev/null 2>&1 || true
}

free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

server_binary() {
    command -v mariadbd || { [ -x /usr/sbin/mariadbd ] && echo /usr/sbin/mariadbd; } || command -v mysqld || echo /usr/sbin/mysqld
}

client() {
    local port
    port="$(cat "$dir/port")"
    mariadb --no-defaults -uroot -h127.0.0.1 -P"$port" --connect-timeout=2 "$@"
}

start() {
    install_if_missing
    mkdir -p "$dir"
    dir="$(cd "$dir" && pwd)"
    # Started again on a directory whose server still runs: refused, rather than a second
    # server failing on the data directory's lock after the port file was overwritten.
    if [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
        echo "a server already runs in $dir (pid $(cat "$dir/pid")); stop it first: $0 stop $dir" >&2
        exit 1
    fi
    local port="${1:-}"
    [ -n "$port" ] || port="$(free_port)"
    if [ ! -d "$dir/data/mysql" ]; then
        mariadb-install-db --no-defaults --datadir="$dir/data" --auth-root-authentication-method=normal \
            --skip-test-db --user="$(id -un)" >"$dir/install.log" 2>&1 \
            || { cat "$dir/install.log" >&2; exit 1; }
    fi
    echo "$port" >"$dir/port"
    # setsid: the server is not in the caller's process group, so a test runner's Ctrl-C or
    # a `kill -- -PGID` of the tests does not take it down mid-run; `stop` ends it.
    setsid "$(server_binary)" --no-defaults --datadir="$dir/data" --socket="$dir/sock" --port="$port" \
        --bind-address=127.0.0.1 --user="$(id -un)" --skip-log-bin --pid-file="$dir/pid" \
        --innodb-buffer-pool-size=32M --max-connections=500 --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_general_ci --log-error="$dir/error.log" ${MARIADB_EXTRA_ARGS:-} \
        </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/launcher.pid"
    local i
    for i in $(seq 1 600); do
        if client -e "CREATE DATABASE IF NOT EXISTS zohooauth" 2>/dev/null; then
            echo "export ZOHO_TEST_MYSQL_URL=mysql://root@127.0.0.1:$port/zohooauth"
            return 0
        fi
        if ! kill -0 "$(cat "$dir/launcher.pid")" 2>/dev/null; then
            echo "mariadbd exited; its log:" >&2
            tail -n 30 "$dir/error.log" >&2 || true
            exit 1
        fi
        sleep 0.1
    done
    echo "mariadbd did not answer within 60 s; its log:" >&2
    tail -n 30 "$dir/error.log" >&2 || true
    stop
    exit 1
}

stop() {
    [ -d "$dir" ] || return 0
    local pid=""
    [ -f "$dir/pid" ] && pid="$(cat "$dir/pid")"
    [ -n "$pid" ] || { [ -f "$dir/launcher.pid" ] && pid="$(cat "$dir/launcher.pid")"; }
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local i
        for i in $(seq 1 200); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
}

case "$cmd" in
    start) start "${3:-}" ;;
    stop) stop ;;
    url) echo "mysql://root@127.0.0.1:$(cat "$dir/port")/zohooauth" ;;
    *) usage ;;
esac
