#!/usr/bin/env bash
# Hot-event run: does the batch pass stay linear when one event is reported thousands of times?
#
# For each size N in HOT it generates ORDERS orders in which one event is reported N times
# (`complaint-dedup generate --hot-event N`; the other events share the orders left, none
# longer than a hundredth of them), deduplicates them with one thread under GNU time and prints
# the CPU time, peak RSS, candidate pairs and stages of each run, and how the hot event came
# out: how many tickets its reports fall into and the share of them in the largest. The dump
# keeps its size, so a stage that grew with the square of an event's size would show as time
# and pairs growing with N.
#
#   benches/hot_event.sh                   # 50,000 orders, hot event of 0 … 20,000 reports
#   HOT="0 5000" ORDERS=20000 benches/hot_event.sh
#
# Environment: ORDERS (default 50000), HOT (default "0 2500 5000 10000 20000"), SEED (11),
# WORK (a new temp dir; outputs go there, never into the repository), KEEP (1 = keep WORK).
set -euo pipefail

ORDERS=${ORDERS:-50000}
HOT=${HOT:-"0 2500 5000 10000 20000"}
SEED=${SEED:-11}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/complaint-dedup-hot.XXXXXX")}
BIN=$ROOT/target/release/complaint-dedup

if [ ! -x /usr/bin/time ]; then
    echo "hot_event.sh needs GNU time at /usr/bin/time: apt-get install time" >&2
    exit 1
fi
if [ "${KEEP:-1}" != 1 ]; then
    trap 'rm -rf "$WORK"' EXIT
fi

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin complaint-dedup
mkdir -p "$WORK/bin"
cp "$BIN" "$WORK/bin/"
BIN=$WORK/bin/complaint-dedup
# shellcheck source=benches/common.sh
source "$ROOT/benches/common.sh"

echo "work directory: $WORK"
printf '%7s %9s %9s %11s %9s %10s %8s %8s %8s %8s\n' hot orders "wall s" "user+sys s" "peak MiB" \
    "pairs" "pair F1" "B3 F1" tickets largest
stage_rows=()
for n in $HOT; do
    dir=$WORK/hot-$n
    "$BIN" generate --orders "$ORDERS" --seed "$SEED" --hot-event "$n" --out "$dir" >/dev/null
    /usr/bin/time -v -o "$dir/time.txt" \
        "$BIN" dedup "$dir/orders.csv" --out "$dir/out" --threads 1 --quiet --show 0 \
        --stats "$dir/stats.json" >/dev/null
    "$BIN" eval --gold "$dir/gold.csv" --assignments "$dir/out/assignments.csv" >"$dir/eval.txt"
    wall=$(wall_seconds "$dir/time.txt")
    cpu=$(cpu_seconds "$dir/time.txt")
    rss=$(rss_mib "$dir/time.txt")
    pairs=$(sed -e 's/.*"candidate_pairs":\([0-9]*\).*/\1/' "$dir/stats.json")
    pf1=$(awk '/^pairwise/ {print $7}' "$dir/eval.txt")
    bf1=$(awk '/^B-cubed/ {print $7}' "$dir/eval.txt")
    # The hot event is the gold's largest (with N = 0, just the largest event): the tickets
    # its reports fall into, and the share of its reports in the largest of them.
    spread=$(awk -F, '
        FNR == 1 { next }
        FILENAME ~ /gold.csv$/ { event[$1] = $2; size[$2]++; next }
        { ticket_of[$1] = $2 }
        END {
            for (e in size) if (size[e] > best) { best = size[e]; hot = e }
            for (o in event) if (event[o] == hot) { t = ticket_of[o]; if (!(t in n)) k++; n[t]++ }
            for (t in n) if (n[t] > top) top = n[t]
            printf "%d %.3f", k, top / best
        }' "$dir/gold.csv" "$dir/out/assignments.csv")
    printf '%7s %9s %9s %11s %9s %10s %8s %8s %8s %8s\n' "$n" "$ORDERS" "$wall" "$cpu" "$rss" \
        "$pairs" "$pf1" "$bf1" $spread
    stage_rows+=("$(printf '%7s  %s' "$n" "$(stage_ms "$dir/stats.json")")")
done
echo
echo "where the time went (ms):"
printf '%s\n' "${stage_rows[@]}"
