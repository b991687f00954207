#!/usr/bin/env bash
# Live view cost: frames per second and CPU per viewer with 1 and 3 SSE viewers (GET /api/agents/browser/{id}/live) on
# one agent whose page animates every frame, next to bare Playwright in the same run (one CDP Page.startScreencast of
# the same page, same Chromium binary, same JPEG size and quality, each frame acknowledged at the same pace).
# Prints fps per viewer, CPU per viewer-second (service JVM, its Playwright driver, its Chromium; the same for bare)
# and the ratios ours/bare; writes them to bench/results/live-<time>.txt.
#
#   bench/live-bench.sh              # SECONDS_PER_PHASE=20, VIEWERS=1,3
#   SKIP_BUILD=1 bench/live-bench.sh # reuse target/ (the jar, test classes and bench-classpath.txt of a last build)
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Chromium (apt-get install -y chromium).
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_PER_PHASE=${SECONDS_PER_PHASE:-20}
VIEWERS=${VIEWERS:-1,3}
MAX_FPS=${MAX_FPS:-10}        # agent-api.live.max-fps (the default)
MAX_SIZE=${MAX_SIZE:-1280}    # agent-api.live.max-width / max-height (the defaults)
QUALITY=${QUALITY:-60}        # agent-api.live.quality (the default)
PORT=${PORT:-18083}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# the binary the service runs headless agents on (BROWSER_HEADLESS_SHELL, where installed): bare Playwright
# launches the same one
HEADLESS_SHELL=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
if [ -x "$HEADLESS_SHELL" ]; then BARE_CHROMIUM=$HEADLESS_SHELL; else BARE_CHROMIUM=$CHROMIUM; HEADLESS_SHELL=""; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ -z "${SKIP_BUILD:-}" ]; then
    ./mvnw -q -DskipTests package test-compile
    ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
. bench/common.sh
DRIVER_DIR=$(playwright_driver_dir) # the production jar has no driver of its own
mkdir -p bench/results
RESULT="bench/results/live-$(date -u +%Y%m%dT%H%M%SZ).txt"

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
BROWSER_DRIVER_DIR="$DRIVER_DIR" BROWSER_ALLOW_NO_SANDBOX=true BROWSER_BLOCK_PRIVATE_NETWORKS=false BROWSER_EXECUTABLE_PATH="$CHROMIUM" BROWSER_HEADLESS_SHELL="$HEADLESS_SHELL" BROWSER_WARM_POOL=0 \
    java -Xmx1g -jar "$JAR" --server.port=$PORT "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute" \
    --agent-api.live.max-fps=$MAX_FPS --agent-api.live.max-width=$MAX_SIZE --agent-api.live.max-height=$MAX_SIZE --agent-api.live.quality=$QUALITY \
    --logging.level.root=WARN > target/live-bench-service.log 2>&1 &
SERVICE_PID=$!
wait_for "localhost:$PORT/health/ready" target/live-bench-service.log

{
    echo "live-bench $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD), $(nproc) cores, load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
} > "$RESULT.head"
java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.agentapi.bench.LiveBench \
    "http://127.0.0.1:$PORT" "$KEY" "$SERVICE_PID" "$BARE_CHROMIUM" "$SECONDS_PER_PHASE" "$VIEWERS" "$MAX_FPS" "$MAX_SIZE" "$QUALITY" "$RESULT.body"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULT.body"
cat "$RESULT.head" "$RESULT.body" > "$RESULT" && rm -f "$RESULT.head" "$RESULT.body"
head -1 "$RESULT"; tail -1 "$RESULT"
echo "results: $RESULT"
