#!/usr/bin/env bash
# Load benchmark on loopback: the report page and the submission API of nearmiss, with nginx
# serving the same report page as a static file for scale, all in one run.
#
# Usage: scripts/bench/load.sh [DURATION_SECONDS] [CONNECTIONS]
# Needs: wrk and nginx (Debian packages wrk and nginx-light; installed when missing) and a
# release build (built when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${1:-15}
connections=${2:-32}
binary=./target/release/nearmiss

for tool in wrk nginx; do
    if ! command -v "$tool" >/dev/null && [ ! -x "/usr/sbin/$tool" ]; then
        apt-get update -qq && apt-get install -y -qq wrk nginx-light >/dev/null
    fi
done
[ -x "$binary" ] || cargo build --release

work=$(mktemp -d)
server_pid=""
nginx_pid=""
cleanup() {
    [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Percentile lines of `wrk --latency` are like "     99%   3.21ms"; print them in milliseconds.
latency_ms() {
    awk -v want="$2" '$1 == want {
        value = $2
        if (value ~ /us$/) { sub(/us$/, "", value); value /= 1000 }
        else if (value ~ /ms$/) { sub(/ms$/, "", value) }
        else if (value ~ /s$/) { sub(/s$/, "", value); value *= 1000 }
        printf "%.2f", value
    }' "$1"
}
requests_per_second() {
    awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$1"
}

echo "== setup"
"$binary" import --data "$work/data" --format asrs data/asrs/asrs_passenger_misconduct_1999-2024.csv
port=$(free_port)
NEARMISS_LOG=warn "$binary" serve --data "$work/data" --listen "127.0.0.1:$port" &
server_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.1; done

report_id=$(curl -fs "http://127.0.0.1:$port/api/v1/reports?page=3" | python3 -c 'import json, sys; print(json.load(sys.stdin)["reports"][0]["id"])')
report_url="http://127.0.0.1:$port/reports/$report_id"
chmod 755 "$work"
mkdir -p "$work/www"
curl -fs "$report_url" > "$work/www/report.html"
chmod 644 "$work/www/report.html"
echo "report page: $report_url ($(wc -c < "$work/www/report.html") bytes)"

nginx_port=$(free_port)
cat > "$work/nginx.conf" <<CONF
worker_processes 2;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
    access_log off;
    server {
        listen 127.0.0.1:$nginx_port;
        root $work/www;
    }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 100); do curl -fs "http://127.0.0.1:$nginx_port/report.html" >/dev/null && break; sleep 0.1; done

run() {
    local name=$1
    shift
    wrk -t2 -c"$connections" -d"${duration}s" --latency "$@" > "$work/$name.txt"
    grep -q "Non-2xx" "$work/$name.txt" && { cat "$work/$name.txt"; echo "error: $name had failed responses" >&2; exit 1; }
    echo "$name: $(requests_per_second "$work/$name.txt") requests/s, p50 $(latency_ms "$work/$name.txt" 50%) ms, p99 $(latency_ms "$work/$name.txt" 99%) ms"
}

echo "== GET report page, $connections connections, ${duration}s each"
run nginx_static "http://127.0.0.1:$nginx_port/report.html"
run nearmiss_report "$report_url"
ratio=$(awk -v a="$(requests_per_second "$work/nearmiss_report.txt")" -v b="$(requests_per_second "$work/nginx_static.txt")" 'BEGIN { printf "%.2f", a / b }')
echo "ratio nearmiss / nginx: $ratio"

echo "== POST /api/v1/submissions, $connections connections, ${duration}s"
before=$(sqlite3 "$work/data/nearmiss.sqlite3" 'SELECT COUNT(*) FROM submissions' 2>/dev/null || echo 0)
run nearmiss_submit -s scripts/bench/submit.lua "http://127.0.0.1:$port/api/v1/submissions"
answered=$(awk '/requests in/ { print $1 }' "$work/nearmiss_submit.txt")
kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; server_pid=""
if command -v sqlite3 >/dev/null; then
    stored=$(sqlite3 "$work/data/nearmiss.sqlite3" 'SELECT COUNT(*) FROM submissions WHERE receipt_hash IS NOT NULL')
    echo "submissions answered by wrk: $answered, stored with a receipt: $((stored - before))"
fi
