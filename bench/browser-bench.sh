#!/usr/bin/env bash
# Browser latency: create + navigate + screenshot, and a warm action, through the service and by a
# bare Playwright program in the same run (the limit). Prints p50/p95 and the ratios.
#
#   bench/browser-bench.sh          # RUNS=15 cold / 60 warm measured, after WARM_ACTIONS=300 and WARM_CYCLES=5
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-15}
WARM_ACTIONS=${WARM_ACTIONS:-300}
WARM_CYCLES=${WARM_CYCLES:-5}
PORT=${PORT:-18081}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# the binary the service runs headless agents on (BROWSER_HEADLESS_SHELL, where installed): bare Playwright
# launches the same one, as Playwright itself does for headless Chromium
HEADLESS_SHELL=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
if [ -x "$HEADLESS_SHELL" ]; then BARE_CHROMIUM=$HEADLESS_SHELL; else BARE_CHROMIUM=$CHROMIUM; HEADLESS_SHELL=""; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

./mvnw -q -DskipTests package test-compile
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
. bench/common.sh
DRIVER_DIR=$(playwright_driver_dir) # the production jar has no driver of its own

DB="agent_api_bench_$$"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

# the bench runs as root, where Chromium's sandbox cannot start: outside local mode browsers then launch only when told so
AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" AGENT_API_KEYS="bench:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
BROWSER_DRIVER_DIR="$DRIVER_DIR" BROWSER_ALLOW_NO_SANDBOX=true BROWSER_BLOCK_PRIVATE_NETWORKS=false BROWSER_EXECUTABLE_PATH="$CHROMIUM" BROWSER_HEADLESS_SHELL="$HEADLESS_SHELL" \
    java -Xmx1g -jar "$JAR" --server.port=$PORT "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute" \
    --logging.level.root=WARN > target/browser-bench-service.log 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 120); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.5; done

java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.agentapi.bench.BrowserBench \
    "http://127.0.0.1:$PORT" "$KEY" "$BARE_CHROMIUM" "$RUNS" "$WARM_ACTIONS" "$WARM_CYCLES"
