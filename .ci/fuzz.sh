#!/usr/bin/env bash
# Runs every property target of tests/fuzz.rs for a bounded time each.
#
#   .ci/fuzz.sh                 # 60 s per target, debug build (overflow checks on)
#   FUZZ_SECONDS=300 .ci/fuzz.sh reader_on_arbitrary_bytes
#   FUZZ_PROFILE=release .ci/fuzz.sh   # more cases per second, no overflow checks
#
# Each target draws batches of cases until FUZZ_SECONDS have passed and prints how many it
# ran; `timeout` kills a target that runs past that by more than FUZZ_GRACE seconds (a hang,
# or a shrink that takes too long), which counts as a failure. A failure prints the shrunk
# input: add it to the regression tests at the bottom of tests/fuzz.rs.
#
# cargo-fuzz (libFuzzer) would be the usual tool; it needs a nightly toolchain and the
# cargo-fuzz binary, which CI does not have.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
grace=${FUZZ_GRACE:-120}
profile=${FUZZ_PROFILE:-dev}

exe=$(cargo test --profile "$profile" --test fuzz --no-run --message-format=json \
    | grep -o '"executable":"[^"]*"' | grep '/fuzz-' | tail -n 1 | cut -d'"' -f4)
if [[ -z "$exe" ]]; then
    echo "fuzz.sh: could not find the tests/fuzz.rs binary" >&2
    exit 2
fi

if [[ $# -gt 0 ]]; then
    targets=("$@")
else
    # Every test of tests/fuzz.rs except the fixed regression cases.
    mapfile -t targets < <("$exe" --list 2>/dev/null | sed -n 's/: test$//p' | grep -v '^regression_')
fi

failed=()
summary=()
for target in "${targets[@]}"; do
    echo "== $target (${seconds} s)"
    log=$(mktemp)
    start=$(date +%s)
    set +e
    FUZZ_SECONDS=$seconds PROPTEST_CASES=${PROPTEST_CASES:-1000000000} RUST_BACKTRACE=0 \
        timeout "$((seconds + grace))" "$exe" --exact "$target" --nocapture --test-threads 1 \
        >"$log" 2>&1
    status=$?
    set -e
    elapsed=$(($(date +%s) - start))
    line=$(grep -o '\[fuzz\] .*' "$log" | tail -n 1 || true)
    case $status in
        0) if [[ -z "$line" ]]; then
               summary+=("FAILED  ${elapsed}s  $target: no such target")
               failed+=("$target")
           else
               summary+=("ok      ${elapsed}s  ${line#\[fuzz\] }")
           fi ;;
        124) summary+=("TIMEOUT ${elapsed}s  $target: still running after $((seconds + grace)) s")
             failed+=("$target") ;;
        *) summary+=("FAILED  ${elapsed}s  $target (exit $status)")
           failed+=("$target")
           # The reason and the shrunk input, after the panics of the shrinking steps.
           sed -n '/fuzz failure in/,$p' "$log" | head -n 60 ;;
    esac
    rm -f "$log"
done

echo
printf '%s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "fuzz.sh: failed: ${failed[*]}" >&2
    exit 1
fi
