#!/usr/bin/env bash
# What a shell offers at the end of a command line, with a given completion script: the
# candidates, one per line (fish: without their descriptions).
#
#   bash cli/tests/completion/complete.sh bash|zsh|fish SCRIPT 'zoho-oauth login --dc '
#
# bash: the script is sourced and its completion function called as readline would (COMP_WORDS,
# COMP_CWORD, the command, current and previous words). fish: `complete -C`. zsh: a real
# interactive zsh on a pseudo-terminal (zpty) with compinit and the script on $fpath, where
# TAB is typed; the candidates are read from compadd. Every shell runs with no user
# configuration and under a time limit.
set -uo pipefail
shell="$1" script="$2" line="$3"
here="$(cd "$(dirname "$0")" && pwd)"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT

case "$shell" in
    bash)
        HOME="$home" timeout 30 bash --norc --noprofile -c '
            source "$1" || exit 1
            fn="$(complete -p zoho-oauth | sed -n "s/.*-F \([^ ]*\) .*/\1/p")"
            [ -n "$fn" ] || { echo "no completion function for zoho-oauth" >&2; exit 1; }
            read -r -a COMP_WORDS <<<"$2"
            [[ "$2" == *" " ]] && COMP_WORDS+=("")
            COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
            COMP_LINE="$2"; COMP_POINT=${#2}
            prev=""; [ "$COMP_CWORD" -gt 0 ] && prev="${COMP_WORDS[COMP_CWORD-1]}"
            "$fn" zoho-oauth "${COMP_WORDS[COMP_CWORD]}" "$prev"
            printf "%s\n" "${COMPREPLY[@]}"
        ' bash "$script" "$line"
        ;;
    fish)
        HOME="$home" XDG_CONFIG_HOME="$home" timeout 30 fish --no-config -c \
            'source $argv[1]; and complete -C $argv[2]' "$script" "$line" | cut -f1
        ;;
    zsh)
        mkdir -p "$home/fpath" && cp "$script" "$home/fpath/_zoho-oauth" || exit 1
        HOME="$home" ZDOTDIR="$home" timeout 30 zsh -f "$here/capture.zsh" "$home/fpath" "$line"
        ;;
    *) echo "unknown shell $shell" >&2; exit 2 ;;
esac
