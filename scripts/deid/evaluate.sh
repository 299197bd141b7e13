#!/usr/bin/env bash
# Scores the de-identifier on every labelled set at hand and counts its false alarms on ASRS text.
#
# Usage: scripts/deid/evaluate.sh
# Needs python3 and cargo. Reads ../shared relative to the repository root. Prints, in order:
# the development set, the held-out sample in this folder, the Presidio synthetic set (recall
# per Presidio entity type) and the flags per 1,000 words on NASA ASRS narratives.
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
shared="$root/../shared"
work="${TMPDIR:-/tmp}/nearmiss-deid-evaluate"
mkdir -p "$work"

cargo build --release --quiet -j 1 --manifest-path "$root/crates/deid/Cargo.toml" --bin deid-jsonl
# The crate is a workspace member, so the binary lands in the workspace's target directory
# (or in CARGO_TARGET_DIR when that is set).
target_dir=$(cargo metadata --format-version 1 --no-deps --manifest-path "$root/Cargo.toml" |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
binary="$target_dir/release/deid-jsonl"
score="$shared/tools/deid_score.py"

echo "== development set: $shared/data/deid/dev.jsonl"
"$binary" < "$shared/data/deid/dev.jsonl" > "$work/dev.pred.jsonl"
python3 "$score" "$shared/data/deid/dev.jsonl" "$work/dev.pred.jsonl"

echo "== held-out sample: scripts/deid/heldout_sample.jsonl"
"$binary" < "$root/scripts/deid/heldout_sample.jsonl" > "$work/heldout.pred.jsonl"
python3 "$score" "$root/scripts/deid/heldout_sample.jsonl" "$work/heldout.pred.jsonl"

echo "== Presidio synthetic set (recall per Presidio entity type)"
python3 "$root/scripts/deid/presidio_to_jsonl.py" "$work/presidio.gold.jsonl" "$shared/data/raw/presidio_synth_dataset_v2.json"
"$binary" < "$work/presidio.gold.jsonl" > "$work/presidio.pred.jsonl"
python3 "$score" "$work/presidio.gold.jsonl" "$work/presidio.pred.jsonl"

echo "== false alarms on NASA ASRS narratives, callbacks and synopses"
python3 "$root/scripts/deid/asrs_jsonl.py" "$work/asrs.jsonl" "$shared"/data/raw/asrs_*.csv
"$binary" < "$work/asrs.jsonl" > "$work/asrs.pred.jsonl"
python3 "$root/scripts/deid/false_alarms.py" "$work/asrs.jsonl" "$work/asrs.pred.jsonl" --show 20
