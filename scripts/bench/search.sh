#!/usr/bin/env bash
# Search benchmark: tantivy (through SearchIndex::search, the function behind the reports page
# and API) against SQLite FTS5 on the same synthetic corpus shaped like the ASRS exports.
#
# Usage: scripts/bench/search.sh [REPORTS] [WORK_DIR]
#   REPORTS   number of synthetic reports (default 1000000)
#   WORK_DIR  where both indexes are written (default /tmp/nearmiss-search-bench); about
#             10 GB are needed for 1,000,000 reports, and the corpus is held in memory.
# With BENCH_REUSE=1, indexes of the same size left in WORK_DIR by an earlier run are reused.
set -euo pipefail

reports="${1:-1000000}"
work="${2:-/tmp/nearmiss-search-bench}"
root="$(cd "$(dirname "$0")/../.." && pwd)"

cd "$root"
cargo build --release -p nearmiss-search --example bench
echo "machine: $(nproc) cores, $(free -h | awk '/^Mem:/ {print $2}') memory, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u +%Y-%m-%d)"
"$root/target/release/examples/bench" "$reports" "$work" "$root"/data/asrs/*.csv
