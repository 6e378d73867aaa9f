#!/usr/bin/env bash
# Installs the system packages the build and tests need, when they are missing.
# Idempotent and quiet when everything is there. Needs root (or sudo) on Debian 12.
set -euo pipefail

packages=()
need() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" || packages+=("$1"); }
for p in php8.2-cli php8.2-dev php8.2-fpm libphp8.2-embed libclang-dev clang pkg-config valgrind gcc g++ make python3 ca-certificates; do
    need "$p"
done
need redis-server # the Redis token store's tests (scripts/redis.sh)
for p in mariadb-server mariadb-client php8.2-mysql openssl; do need "$p"; done # the MySQL store's tests (scripts/mariadb.sh)
for p in php-codesniffer php8.2-curl; do need "$p"; done # PSR-12 check of php/bridge (php/tests/run.sh); curl: the SDK stand-in's CRM path over HTTPS (phpt 033, 034) and the bench against a real SDK
for p in dpkg-dev man-db bsdextrautils curl zsh fish; do need "$p"; done # the Debian package and its check (scripts/*-deb.sh; zsh and fish run the completions)
need mmdebstrap # PHP 8.4: the Debian 13 root of scripts/debian-root.sh (scripts/test-php.sh 8.4)
if [ ${#packages[@]} -gt 0 ]; then
    echo "installing: ${packages[*]}"
    SUDO=""
    [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${packages[@]}" >/dev/null
fi
