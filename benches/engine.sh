#!/usr/bin/env bash
# Online engine benchmark: builds an engine from a generated dump and measures reopen time,
# ingest latency (one and two threads, CPU per order) and candidate recall.
#
#   benches/engine.sh                       # 1,000,000 orders (building takes ~10 minutes)
#   ORDERS=100000 benches/engine.sh         # quicker
#
# The last HOLDOUT (2,000) orders in time order are ingested; the rest seed the engine through
# the batch pass, as `complaint-dedup index` does. The engine directory is kept in WORK and
# reused by later runs with the same ORDERS and SEED (measured runs never commit).
# Environment: ORDERS, SEED (7), HOLDOUT (2000), WORK (default /tmp/complaint-dedup-engine).
set -euo pipefail

ORDERS=${ORDERS:-1000000}
SEED=${SEED:-7}
HOLDOUT=${HOLDOUT:-2000}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-${TMPDIR:-/tmp}/complaint-dedup-engine}
DATA=$WORK/$ORDERS-$SEED

cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin complaint-dedup \
    --example engine_bench
mkdir -p "$DATA"
if [ ! -f "$DATA/orders.csv" ]; then
    "$ROOT/target/release/complaint-dedup" generate --orders "$ORDERS" --seed "$SEED" --out "$DATA"
fi
echo "fixture (whole dump ingested into an empty engine):"
rm -rf "$WORK/fixture-engine"
"$ROOT/target/release/examples/engine_bench" "$ROOT/fixtures/orders.csv" \
    "$ROOT/fixtures/gold.csv" "$WORK/fixture-engine" 0
echo
echo "generated, $ORDERS orders:"
"$ROOT/target/release/examples/engine_bench" "$DATA/orders.csv" "$DATA/gold.csv" \
    "$DATA/engine" "$HOLDOUT"
