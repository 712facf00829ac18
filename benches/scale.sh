#!/usr/bin/env bash
# Scale run: how the batch pass grows from 100k to 1M orders, and what it costs next to jieba.
#
# For each size it generates orders (complaint-dedup generate), deduplicates them with one and
# with two threads under GNU time, scores both against the gold labels, checks that the two
# assignments.csv are byte-identical, times bare jieba segmentation of the same texts
# (examples/jieba_baseline) and prints where each run's time went, stage by stage (from the
# run's own `dedup --stats` file: the stage "tickets" includes writing them).
#
#   benches/scale.sh                 # 100k and 1M (the 1M pass takes several minutes)
#   SIZES=100000 benches/scale.sh    # 100k only
#
# The sys column is the kernel's share of the CPU time, nearly all of it zeroing fresh pages.
# On this VM that cost depends on the host: memory it has not backed lately took about 4 s per
# GiB to touch, memory touched a moment earlier 0.5 s (a Python loop touching 1 GiB mappings,
# 2026-12-06), so at 1M orders (2.7 GiB peak) sys varies by seconds between runs of one binary.
#
# Environment: SIZES (default "100000 1000000"), SEED (1), WORK (a new temp dir; outputs go
# there, never into the repository), KEEP (1 = keep WORK).
set -euo pipefail

SIZES=${SIZES:-"100000 1000000"}
SEED=${SEED:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/complaint-dedup-scale.XXXXXX")}
BIN=$ROOT/target/release/complaint-dedup
EXAMPLES=$ROOT/target/release/examples

if [ ! -x /usr/bin/time ]; then
    echo "scale.sh needs GNU time at /usr/bin/time: apt-get install time" >&2
    exit 1
fi
if [ "${KEEP:-1}" != 1 ]; then
    trap 'rm -rf "$WORK"' EXIT
fi

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" \
    --bin complaint-dedup --example jieba_baseline
# Run copies: a build in the work tree during the run (someone else's) must not swap the
# binary between the one- and the two-thread pass.
mkdir -p "$WORK/bin"
cp "$BIN" "$EXAMPLES/jieba_baseline" "$WORK/bin/"
BIN=$WORK/bin/complaint-dedup
EXAMPLES=$WORK/bin

# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"

echo "work directory: $WORK"
rows=()
declare -A cpu1 same jieba
stage_rows=()
for n in $SIZES; do
    dir=$WORK/$n
    /usr/bin/time -v -o "$dir.gen-time.txt" "$BIN" generate --orders "$n" --seed "$SEED" --out "$dir"
    echo "  generate: $(wall_seconds "$dir.gen-time.txt") s wall, $(rss_mib "$dir.gen-time.txt") MiB peak"
    for t in 1 2; do
        echo "dedup $n orders, $t thread(s)…"
        /usr/bin/time -v -o "$dir/time-$t.txt" \
            "$BIN" dedup "$dir/orders.csv" --out "$dir/out-$t" --threads "$t" --quiet --show 0 \
            --stats "$dir/stats-$t.json" >"$dir/dedup-$t.txt"
        "$BIN" eval --gold "$dir/gold.csv" --assignments "$dir/out-$t/assignments.csv" \
            >"$dir/eval-$t.txt"
        wall=$(wall_seconds "$dir/time-$t.txt")
        cpu=$(cpu_seconds "$dir/time-$t.txt")
        sys=$(sys_seconds "$dir/time-$t.txt")
        rss=$(rss_mib "$dir/time-$t.txt")
        rate=$(awk -v n="$n" -v w="$wall" 'BEGIN {printf "%.0f", n / w}')
        pf1=$(awk '/^pairwise/ {print $7}' "$dir/eval-$t.txt")
        bf1=$(awk '/^B-cubed/ {print $7}' "$dir/eval-$t.txt")
        rows+=("$(printf '%9s %7s %9s %11s %7s %9s %9s %8s %8s' "$n" "$t" "$wall" "$cpu" "$sys" "$rss" "$rate" "$pf1" "$bf1")")
        stage_rows+=("$(printf '%9s %7s  %s' "$n" "$t" "$(stage_ms "$dir/stats-$t.json")")")
        if [ "$t" = 1 ]; then cpu1[$n]=$cpu; fi
    done
    if cmp -s "$dir/out-1/assignments.csv" "$dir/out-2/assignments.csv"; then
        same[$n]=yes
    else
        same[$n]=NO
    fi
    "$EXAMPLES/jieba_baseline" "$dir" >"$dir/jieba.txt"
    jieba[$n]=$(awk '/^jieba_cpu_s/ {print $2}' "$dir/jieba.txt")
done

echo
printf '%9s %7s %9s %11s %7s %9s %9s %8s %8s\n' orders threads "wall s" "user+sys s" "sys s" "peak MiB" "orders/s" "pair F1" "B3 F1"
printf '%s\n' "${rows[@]}"
echo
echo "where the time went (ms):"
printf '%s\n' "${stage_rows[@]}"
echo
for n in $SIZES; do
    ratio=$(awk -v a="${cpu1[$n]}" -v b="${jieba[$n]}" 'BEGIN {printf "%.1f", a / b}')
    echo "$n orders: 1- and 2-thread assignments.csv byte-identical: ${same[$n]};" \
        "jieba cut CPU ${jieba[$n]} s; pass CPU / jieba CPU = $ratio"
done
if [ -n "${cpu1[100000]:-}" ] && [ -n "${cpu1[1000000]:-}" ]; then
    echo "CPU 1M / 100k (1 thread): $(awk -v a="${cpu1[1000000]}" -v b="${cpu1[100000]}" 'BEGIN {printf "%.1f", a / b}')× (10× would be linear)"
fi
