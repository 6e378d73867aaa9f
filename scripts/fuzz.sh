#!/usr/bin/env bash
# Runs the cargo-fuzz targets under fuzz/ one after the other.
#
#   scripts/fuzz.sh [--seconds N] [--jobs-nice N] [TARGET...]
#
# Every target runs N seconds (default 30) on its working corpus fuzz/corpus/<target>
# (not committed) seeded from fuzz/seeds/<target> (committed). libFuzzer limits: one input
# may take at most 10 s (a hang) and allocate at most 512 MiB at once (an unbounded
# allocation); the process at most 2 GiB. cargo-fuzz needs nightly features:
# RUSTC_BOOTSTRAP=1 unlocks them on the stable toolchain. Builds go to
# ${CARGO_TARGET_DIR:-<workspace>/target}/fuzz. Prints one line per target:
#   fuzz: <target> ok|FAILED execs=<n> secs=<n> corpus=<files> cov=<edges>
# and ends with "N passed, M failed"; exits 1 when a target found a crash, 2 when
# cargo-fuzz is not installed (cargo install cargo-fuzz --locked).
set -uo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
seconds=30
targets=()
while [ $# -gt 0 ]; do
    case "$1" in
        --seconds) seconds="$2"; shift 2 ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) targets+=("$1"); shift ;;
    esac
done

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz is not installed (cargo install cargo-fuzz --locked)" >&2
    exit 2
fi

cd "$root/fuzz" || exit 1
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cargo fuzz list)
fi

export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}/fuzz"
logs="$CARGO_TARGET_DIR/logs"
mkdir -p "$logs"

if ! nice cargo fuzz build -O >"$logs/build.log" 2>&1; then
    tail -30 "$logs/build.log" >&2
    echo "fuzz: build failed"
    echo "0 passed, 1 failed"
    exit 1
fi

passed=0
failed=0
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "seeds/$target"
    log="$logs/$target.log"
    start=$(date +%s)
    nice cargo fuzz run -O "$target" "corpus/$target" "seeds/$target" -- \
        -max_total_time="$seconds" -timeout=10 -malloc_limit_mb=512 -rss_limit_mb=2048 \
        -max_len=8192 -print_final_stats=1 >"$log" 2>&1
    rc=$?
    secs=$(( $(date +%s) - start ))
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    files=$(find "corpus/$target" -type f | wc -l)
    if [ $rc -eq 0 ]; then
        status=ok; passed=$((passed + 1))
    else
        status=FAILED; failed=$((failed + 1))
        grep -E 'panicked|SUMMARY|Test unit written|ERROR' "$log" | head -5 >&2
    fi
    echo "fuzz: $target $status execs=${execs:-0} secs=$secs corpus=$files cov=${cov:-0}"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
