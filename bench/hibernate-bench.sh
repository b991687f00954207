#!/usr/bin/env bash
# Hibernation: AGENTS agents (default 1,000) each log in to a local cookie-setting site (served by the bench program,
# on 127.0.0.1) and hibernate; then WAKE (50) random ones are woken at once and driven (a navigation to the site's
# profile page, whose title says whom the session cookie logs in). The service runs with BROWSER_MAX=8, the warm pool
# on (1) and AGENT_HIBERNATE_AFTER=2s. Reported: wake + first action p50/p95, 503s with Retry-After and any other 5xx
# (must be none), woken agents still logged in (must be all), the service's RSS and its Chromium processes once all
# hibernated; and bare Playwright in the same run (launch + context with the same storageState + goto + read of the same
# page), with the wake p50 as a ratio to it. Exits non-zero on a 5xx other than 503, a lost login or a failure.
#
#   bench/hibernate-bench.sh                         # AGENTS=1000 WAKE=50 BARE_RUNS=20
#   AGENTS=200 nice -n 19 bench/hibernate-bench.sh   # a trial
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
exec > >(tee "bench/results/hibernate-$(date -u +%Y%m%dT%H%M%SZ).txt") 2>&1

AGENTS=${AGENTS:-1000}
WAKE=${WAKE:-50}
BARE_RUNS=${BARE_RUNS:-20}
HIBERNATE_AFTER=${HIBERNATE_AFTER:-2s}
PORT=${PORT:-18099}
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
DB="agent_api_hbench_$$"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"

echo "# hibernate-bench $(date -u +%FT%TZ), AGENTS=$AGENTS WAKE=$WAKE BROWSER_MAX=8 BROWSER_WARM_POOL=1 AGENT_HIBERNATE_AFTER=$HIBERNATE_AFTER," \
     "$("$JAVA" -version 2>&1 | head -1), headless agents and bare Playwright on ${BARE_CHROMIUM}, $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
# the bench runs as root, where Chromium's sandbox cannot start: outside local mode browsers then launch only when told so;
# the site is on 127.0.0.1, so private networks are let through; one place per agent's login at a time is plenty
AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" \
REPLICA_PORT=0 DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" AGENT_API_KEYS="bench:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
BROWSER_DRIVER_DIR="$DRIVER_DIR" BROWSER_ALLOW_NO_SANDBOX=true BROWSER_BLOCK_PRIVATE_NETWORKS=false BROWSER_EXECUTABLE_PATH="$CHROMIUM" \
BROWSER_HEADLESS_SHELL="$HEADLESS_SHELL" BROWSER_WARM_POOL=1 BROWSER_MAX=8 AGENT_HIBERNATE_AFTER="$HIBERNATE_AFTER" \
    "$JAVA" -Xmx1g -jar "$JAR" --server.port=$PORT --management.server.port=$((PORT + 1)) "--agent-api.rate-limit.policies=* /api/**: 1000000000 per minute" \
    --logging.level.root=WARN > target/hibernate-bench-service.log 2>&1 &
SERVICE_PID=$!
wait_for "localhost:$PORT/health/ready" target/hibernate-bench-service.log
echo "service ready, RSS $(rss_mb "$SERVICE_PID") MB"

status=0
"$JAVA" -cp "$CP" dev.agentapi.bench.HibernateBench "http://127.0.0.1:$PORT" "$KEY" "$SERVICE_PID" "$AGENTS" "$WAKE" \
    "$BARE_CHROMIUM" "$BARE_RUNS" | tee target/hibernate-bench-result.txt || status=$?
grep -q "RESULT: OK" target/hibernate-bench-result.txt || status=1
echo "# after: service RSS $(rss_mb "$SERVICE_PID") MB, load $(uptime | sed 's/.*load average: //')"
exit $status
