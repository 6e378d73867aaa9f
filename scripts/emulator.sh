# Sourced by test scripts: starts the accounts emulator on a free loopback port.
#   source scripts/emulator.sh; start_emulator     -> sets EMULATOR_URL, EMULATOR_PID
#   stop_emulator (also run on EXIT)
# Builds the emulator with cargo first (debug), honouring CARGO_TARGET_DIR.

emulator_target_dir() {
    if [ -n "${CARGO_TARGET_DIR:-}" ]; then
        echo "$CARGO_TARGET_DIR"
    else
        echo "$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)/target"
    fi
}

start_emulator() {
    local root out
    root="$(git -C "$(dirname "${BASH_SOURCE[0]}")" rev-parse --show-toplevel)"
    (cd "$root" && cargo build -q -p zoho-accounts-emulator) || return 1
    out="$(mktemp)"
    "$(emulator_target_dir)/debug/zoho-accounts-emulator" --listen 127.0.0.1:0 "$@" >"$out" 2>&1 &
    EMULATOR_PID=$!
    for _ in $(seq 1 100); do
        EMULATOR_URL="$(head -n 1 "$out" 2>/dev/null)"
        case "$EMULATOR_URL" in http://*) break ;; esac
        sleep 0.05
    done
    rm -f "$out"
    case "$EMULATOR_URL" in
        http://*) export EMULATOR_URL EMULATOR_PID; trap stop_emulator EXIT ;;
        *) echo "the accounts emulator did not start" >&2; return 1 ;;
    esac
}

stop_emulator() {
    if [ -n "${EMULATOR_PID:-}" ]; then
        kill -TERM "$EMULATOR_PID" 2>/dev/null
        wait "$EMULATOR_PID" 2>/dev/null
        EMULATOR_PID=""
    fi
}
