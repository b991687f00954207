#!/usr/bin/env bash
# Create -> running with a real browser, through the API, with the warm pool on (BROWSER_WARM_POOL=1, the
# default) and off (0), next to bare Playwright's launch + context + page in the same run (the limit).
# Each service is started fresh on its own database; timing starts when it reports ready:
#   first five   five creates in a row right after start (kept until the fifth, so none frees a browser)
#   steady       RUNS creates, PAUSE_MS apart (each deleted again): creates at a pace the pool keeps up with
#
#   bench/create-bench.sh                                            # RUNS=15, PAUSE_MS=2000, Java on the PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/create-bench.sh
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
exec > >(tee "bench/results/create-$(date -u +%Y%m%dT%H%M%SZ).txt") 2>&1 # for bench/charts.py too

RUNS=${RUNS:-15}
PAUSE_MS=${PAUSE_MS:-2000}
PORT=${PORT:-18097}
JAVA=${JAVA:-java}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
# the binary the service runs headless agents on (BROWSER_HEADLESS_SHELL, where installed): bare Playwright
# launches the same one, as Playwright itself does for headless Chromium
HEADLESS_SHELL=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
if [ -x "$HEADLESS_SHELL" ]; then BARE_CHROMIUM=$HEADLESS_SHELL; else BARE_CHROMIUM=$CHROMIUM; HEADLESS_SHELL=""; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

if [ -z "${SKIP_BUILD:-}" ]; then
    ./mvnw -q -DskipTests package test-compile
    ./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
fi
JAR=${JAR:-$(ls target/agent-api-*.jar | grep -v original | head -1)}
. bench/common.sh
DRIVER_DIR=$(playwright_driver_dir) # the production jar has no driver of its own
CP="target/test-classes:$(cat target/bench-classpath.txt)"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
SERVICE_PID=""
DB=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    if [ -n "$DB" ]; then psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true; fi
}
trap cleanup EXIT

run_service() { # $1 = BROWSER_WARM_POOL
    DB="agent_api_cbench_$$_$1"
    psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
    # the bench runs as root, where Chromium's sandbox cannot start: outside local mode browsers then launch only when told so
    AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" AGENT_API_KEYS="bench:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
    BROWSER_DRIVER_DIR="$DRIVER_DIR" BROWSER_ALLOW_NO_SANDBOX=true BROWSER_BLOCK_PRIVATE_NETWORKS=false BROWSER_EXECUTABLE_PATH="$CHROMIUM" BROWSER_HEADLESS_SHELL="$HEADLESS_SHELL" BROWSER_WARM_POOL="$1" BROWSER_MAX=8 \
        "$JAVA" -Xmx1g -jar "$JAR" --server.port=$PORT "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute" \
        --logging.level.root=WARN > "target/create-bench-service-$1.log" 2>&1 &
    SERVICE_PID=$!
    for _ in $(seq 1 240); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.25; done
    "$JAVA" -cp "$CP" dev.agentapi.bench.CreateBench service "http://127.0.0.1:$PORT" "$KEY" "pool $1" "$RUNS" "$PAUSE_MS"
    kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""
    if pgrep -f -- "--agent-api-agent=" >/dev/null; then
        echo "note: Chromium processes with an agent marker are running (this service's or another run's):" \
             "$(pgrep -fc -- '--agent-api-agent=')"
    fi
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)"; DB=""
}

echo "# create-bench $(date -u +%FT%TZ), $("$JAVA" -version 2>&1 | head -1), headless agents and bare Playwright on ${BARE_CHROMIUM}, $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
run_service 1
run_service 0
"$JAVA" -cp "$CP" dev.agentapi.bench.CreateBench bare "$BARE_CHROMIUM" "$RUNS"
echo "# after: load $(uptime | sed 's/.*load average: //')"
