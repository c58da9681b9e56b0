#!/usr/bin/env bash
# The API's contract, checked against the running server: the OpenAPI document it serves must be
# valid OpenAPI 3.1 (openapi-spec-validator), and schemathesis, generating requests from that
# document, must find no response that breaks it (no 5xx, every status, content type, header and body
# as documented). Run by `make test` after the Swift tests; needs the built riffle ($1).
#
# schemathesis comes from PyPI into a venv of its own (RIFFLE_SCHEMATHESIS_VENV), made once.
set -euo pipefail
riffle="${1:-.build/debug/riffle}"
venv="${RIFFLE_SCHEMATHESIS_VENV:-/tmp/riffle-schemathesis}"
examples="${SCHEMATHESIS_EXAMPLES:-20}"

if ! "$venv/bin/python" -c "import schemathesis, openapi_spec_validator" 2> /dev/null; then
    echo "check-api-contract: installing schemathesis and openapi-spec-validator into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==4.32.5" "openapi-spec-validator==0.9.0"
fi

work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [ -n "$server_pid" ]; then kill -TERM "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

# A library with one finished batch, so the track routes have something to answer with.
"$riffle" generate "warm lo-fi hip hop" --duration 5 --variations 2 --seed 1 --sample-rate 22050 --library "$work/library" > /dev/null 2>&1
"$riffle" serve --port 0 --library "$work/library" --grace 1 > "$work/serve.out" 2> "$work/serve.err" &
server_pid=$!
for _ in $(seq 1 300); do
    grep -q "listening on" "$work/serve.out" 2>/dev/null && break
    sleep 0.1
done
base="$(grep -o 'http://127.0.0.1:[0-9]*' "$work/serve.out" | head -1)"
[ -n "$base" ] || { echo "check-api-contract: riffle serve did not start"; cat "$work/serve.err"; exit 1; }

curl -sf "$base/openapi.json" -o "$work/openapi.json"
"$venv/bin/python" -c "
import json, sys
from openapi_spec_validator import validate
validate(json.load(open(sys.argv[1])))
print('check-api-contract: /openapi.json is valid OpenAPI 3.1')" "$work/openapi.json"

# Real track and job ids, so the generated requests reach past 404; a key whose limits keep the
# generations schemathesis asks for short (10 s takes, two jobs at once: the rest are answered 429).
track="$(curl -sf "$base/v1/jobs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["results"][0]["id"])')"
job="$(curl -sf "$base/v1/jobs" | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"][0]["job_id"])')"
# Its stems too, for the stem route.
stems_job="$(curl -sf -X POST "$base/v1/music/$track/stems" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')"
for _ in $(seq 1 600); do
    curl -sf "$base/v1/jobs/$stems_job" | grep -q '"status":"completed"' && break
    sleep 0.1
done
key="$("$riffle" keys create schemathesis --max-duration 10 --concurrency 2 --json --library "$work/library" |
       python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')"
cat > "$work/schemathesis.toml" <<TOML
[parameters]
"path.track_id" = "$track"
"path.job_id" = "$job"
"path.task_id" = "$job"
"path.filename" = "$track.wav"
"path.stem" = "bass"
TOML

# Deleting the seeded track would leave the rest of the run nothing to fetch; every other route is exercised.
# Run from the scratch folder: schemathesis keeps a cache (.schemathesis/) where it runs.
cd "$work"
"$venv/bin/schemathesis" --config-file "$work/schemathesis.toml" run "$base/openapi.json" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --exclude-operation-id deleteTrack \
    --header "X-API-Key: $key" \
    --max-examples "$examples" --request-timeout 120 --workers 1 --no-color \
    --phases examples,coverage,fuzzing
