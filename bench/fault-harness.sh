#!/usr/bin/env bash
# Load and fault harness: its own PostgreSQL and Redis, the built service, mixed load from 4 clients
# and 2 principals, and in turn: Redis stopped and started, PostgreSQL stopped and started, the
# service killed (SIGKILL) and restarted; then two more replicas join it on the same PostgreSQL and
# Redis, browser agents get their browsers on one of them, actions go through the other two, and
# the holder is SIGKILLed (failover time, lost actions and orphan processes reported). Then every
# acknowledged write is checked in PostgreSQL with its audit entry, every acknowledged queue task (generic tasks worked by two external workers
# through the API) is checked to have finished and never to have been held by two workers at once,
# and a table is printed. Exits non-zero if anything was lost or any request answered 5xx other
# than 503 with Retry-After. Cleans up every process and folder it made.
#
#   bench/fault-harness.sh          # short: 10 s per phase (part of .ci/run, about 4 minutes)
#   PHASE=60 bench/fault-harness.sh # longer run on demand
#
# Needs: PostgreSQL binaries (/usr/lib/postgresql/*/bin), redis-server, runuser; run as root.
set -euo pipefail
cd "$(dirname "$0")/.."
PHASE=${PHASE:-10}

if [ ! -f target/bench-classpath.txt ] || ! ls target/agent-api-*.jar >/dev/null 2>&1 || [ "${BUILD:-auto}" = "yes" ]; then
    ./mvnw -q -DskipTests package test-compile
fi
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
# the output is kept in bench/results (bench/charts.py draws its phases); the exit code is the harness's
mkdir -p bench/results
timeout $((PHASE * 9 + 700)) java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" \
    dev.agentapi.bench.FaultHarness "$JAR" "$PHASE" 2>&1 | tee "bench/results/fault-$(date -u +%Y%m%dT%H%M%SZ).txt"
exit "${PIPESTATUS[0]}"
