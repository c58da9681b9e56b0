#!/usr/bin/env bash
# riffle serve under load: 200 concurrent clients polling a job's status (wrk, from Debian) while two
# generations run, then memory over rounds of 10,000 requests. Prints requests/s, latency percentiles
# and the server's resident memory after each round (flat means nothing grows per request).
set -euo pipefail
riffle="${1:-.build/release/riffle}"
seconds="${BENCH_SECONDS:-20}"
command -v wrk > /dev/null || { echo "bench-server: wrk is missing (make test-deps installs it)"; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

"$riffle" serve --port 0 --library "$work/library" --grace 0 > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 1 300); do grep -q "listening on" "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
base="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)"
rss() { awk '/VmRSS/ {print $2 / 1024 " MB"}' "/proc/$server_pid/status"; }

submit() {
    curl -sf -X POST "$base/v1/music/generate" -H 'Content-Type: application/json' \
        -d "{\"prompt\": \"$1\", \"duration\": 120, \"num_variations\": 2, \"seed\": $2}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])'
}
first="$(submit "driving synthwave" 1)"
second="$(submit "slow jazz ballad" 2)"
echo "server: two jobs generating ($first, $second); resident memory at start: $(rss)"

echo
echo "== 200 clients polling GET /v1/jobs/$first for ${seconds} s (wrk -t2 -c200 --latency)"
wrk -t2 -c200 -d"${seconds}s" --latency "$base/v1/jobs/$first" | sed -n '/Latency/,/Transfer/p'
echo "status while polled: $(curl -sf "$base/v1/jobs/$first" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], round(j["progress"], 2))')"

echo
echo "== memory over rounds of 10,000 requests (GET /v1/jobs/{id}, 50 connections)"
for round in 1 2 3 4 5; do
    wrk -t1 -c50 -d60s --timeout 10s -s <(cat <<'LUA'
local count = 0
request = function()
  count = count + 1
  if count > 10000 then wrk.thread:stop() end
  return wrk.format("GET", wrk.path)
end
LUA
) "$base/v1/jobs/$second" > /dev/null
    echo "after round $round: resident memory $(rss)"
done
