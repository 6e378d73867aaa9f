# shellcheck shell=bash
# Sourced by the test scripts that run named checks (scripts/test-docs.sh,
# tests/composer/bridge.sh):
#   check NAME COMMAND...   runs COMMAND in a subshell, its output to "$WORK/check.log",
#                           shown (the last 30 lines) when it fails; counts it
#   finish_checks           prints the failed names and "N passed, M failed"; returns
#                           non-zero when one failed
# WORK must name the script's scratch directory.
passed=0
failed=0
failures=()

check() {
    local name="$1" log="$WORK/check.log"
    shift
    if ("$@") >"$log" 2>&1; then
        passed=$((passed + 1)); echo "ok     $name"
    else
        failed=$((failed + 1)); failures+=("$name"); echo "FAILED $name"
        tail -n 30 "$log" | sed 's/^/       | /'
    fi
}

finish_checks() {
    [ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
    echo "$passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
