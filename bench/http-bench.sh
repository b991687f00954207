#!/usr/bin/env bash
# HTTP benchmark: GET one agent (cache hit, rate limiter on) against the cheapest liveness endpoint,
# measured in the same run with wrk on loopback, once with Redis (cache + buckets) and once with
# the in-process ones. Prints requests/s, p50, p99 and the throughput ratio.
#
#   bench/http-bench.sh            # both modes, 15 s per measurement
#   DURATION=30s bench/http-bench.sh
#   MODES=local bench/http-bench.sh   # one mode only
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379); installs wrk if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
WARMUP=${WARMUP:-8s}
CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-18080}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS=${REDIS:-redis://127.0.0.1:6379}

command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
./mvnw -q -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)

DB="agent_api_bench_$$"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""
cleanup() {
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

start_service() { # $1 = redis url or empty
    DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" REDIS_URL="$1" AGENT_API_KEYS="bench:admin:$KEY" \
    SHUTDOWN_DRAIN_DELAY=0s java -Xmx1g -jar "$JAR" --server.port=$PORT \
        --agent-api.cache.key-prefix="bench-$$:agent:" --agent-api.rate-limit.key-prefix="bench-$$:rl:" \
        "--agent-api.rate-limit.policies=* /api/**: 1000000000 per minute" \
        --logging.level.root=WARN > "target/bench-service.log" 2>&1 &
    SERVICE_PID=$!
    for _ in $(seq 1 120); do curl -sf "localhost:$PORT/health/ready" >/dev/null && return; sleep 0.5; done
    echo "service did not start; see target/bench-service.log" >&2; exit 1
}

stop_service() {
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
}

measure() { # $1 = label, $2 = path, $3 = extra header or empty; prints "label rps p50 p99"
    local args=(-t2 -c"$CONNECTIONS" --latency)
    [ -n "$3" ] && args+=(-H "$3")
    wrk "${args[@]}" -d"$WARMUP" "http://127.0.0.1:$PORT$2" >/dev/null
    local out; out=$(wrk "${args[@]}" -d"$DURATION" "http://127.0.0.1:$PORT$2")
    local rps p50 p99 non2xx
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    printf '%-28s %12s %10s %10s %8s\n' "$1" "$rps" "$p50" "$p99" "${non2xx:-0}"
    echo "$rps" > "target/bench-$1.rps"
}

run_mode() { # $1 = mode name, $2 = redis url or empty
    start_service "$2"
    curl -sf -X POST "localhost:$PORT/api/agents/browser" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
        -d "{\"agent_id\": \"bench-$1\"}" >/dev/null
    curl -sf "localhost:$PORT/api/agents/browser/bench-$1" -H "X-API-Key: $KEY" >/dev/null
    echo
    echo "== $1 (cache and rate-limit buckets: $1)"
    printf '%-28s %12s %10s %10s %8s\n' "endpoint" "requests/s" "p50" "p99" "non-2xx"
    measure "$1-liveness" /health/live ""
    measure "$1-get-agent" /api/agents/browser/bench-$1 "X-API-Key: $KEY"
    awk -v a="$(cat "target/bench-$1-get-agent.rps")" -v b="$(cat "target/bench-$1-liveness.rps")" -v t="$3" \
        'BEGIN { printf "ratio GET agent / liveness: %.2f (target >= %s)\n", a / b, t }'
    stop_service
}

echo "wrk: $CONNECTIONS connections, 2 threads, $DURATION per measurement after $WARMUP warm-up; $(nproc) cores"
MODES=${MODES:-redis local}
[[ " $MODES " == *" redis "* ]] && run_mode redis "$REDIS" 0.5
[[ " $MODES " == *" local "* ]] && run_mode local "" 0.7
exit 0
