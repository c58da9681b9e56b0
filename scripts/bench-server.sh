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
        -d "{\"prompt\": \"$1\", \"duration\": 300, \"num_variations\": 4, \"seed\": $2}" |
        python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])'
}
# A finished batch of four takes, whose status clients also poll.
curl -sf -X POST "$base/v1/music/generate" -H 'Content-Type: application/json' \
    -d '{"prompt": "bossa nova guitar", "duration": 10, "num_variations": 4, "seed": 3}' > "$work/done.json"
done_job="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["job_id"])' "$work/done.json")"
for _ in $(seq 1 600); do curl -sf "$base/v1/jobs/$done_job" | grep -q '"status":"completed"' && break; sleep 0.1; done
first="$(submit "driving synthwave" 1)"
second="$(submit "slow jazz ballad" 2)"
echo "server: two jobs generating ($first, $second); resident memory at start: $(rss)"

echo
echo "== 200 clients polling GET /v1/jobs/$first for ${seconds} s (wrk -t2 -c200 --latency)"
wrk -t2 -c200 -d"${seconds}s" --latency "$base/v1/jobs/$first" | sed -n '/Latency/,/Transfer/p'
echo "status while polled: $(curl -sf "$base/v1/jobs/$first" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], round(j["progress"], 2))')"

echo
echo "== 200 clients polling GET /v1/jobs/$done_job (finished, 4 takes) for ${seconds} s, the two jobs still generating"
wrk -t2 -c200 -d"${seconds}s" --latency "$base/v1/jobs/$done_job" | sed -n '/Latency/,/Transfer/p'
echo "status of the generating job: $(curl -sf "$base/v1/jobs/$first" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["status"], round(j["progress"], 2))')"

echo
# The generations' own memory would hide the requests': they are cancelled first.
for job in "$first" "$second"; do curl -sf -X POST "$base/v1/jobs/$job/cancel" > /dev/null || true; done
echo "== memory over rounds of 10,000 requests (GET /v1/jobs/{id} on one keep-alive connection), the jobs cancelled"
echo "before the first round: resident memory $(rss)"
for round in 1 2 3 4 5; do
    python3 - "$base" "$second" <<'PY'
import http.client, sys, urllib.parse
url = urllib.parse.urlparse(sys.argv[1])
connection = http.client.HTTPConnection(url.hostname, url.port)
for _ in range(10_000):
    connection.request("GET", f"/v1/jobs/{sys.argv[2]}")
    response = connection.getresponse()
    response.read()
    assert response.status == 200, response.status
PY
    echo "after round $round ($((round * 10000)) requests): resident memory $(rss)"
done
echo "peak resident memory: $(awk '/VmHWM/ {print $2 / 1024 " MB"}' "/proc/$server_pid/status")"
