#!/usr/bin/env bash
# Memory per agent for three placements of agents' browsers (issue 36), measured with bare Playwright on the
# service's headless Chromium: one browser per agent (the service today), one browser per owner with a context per
# agent, one shared browser with a context per agent (the floor; owners are never to share a browser process).
# Prints PSS per agent, agents per GB, the navigate + read latency, and the ratios to one browser per agent.
#
#   bench/density-bench.sh                       # AGENTS=16 OWNERS=4 ROUNDS=10
#   AGENTS=32 OWNERS=8 bench/density-bench.sh
#
# Needs Chromium (apt-get install -y chromium chromium-headless-shell). No service, no database.
set -euo pipefail
cd "$(dirname "$0")/.."

AGENTS=${AGENTS:-16}
OWNERS=${OWNERS:-4}
ROUNDS=${ROUNDS:-10}
HEADLESS_SHELL=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
[ -x "$HEADLESS_SHELL" ] || HEADLESS_SHELL=/usr/bin/chromium
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

./mvnw -q -DskipTests test-compile
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

mkdir -p bench/results
RESULTS="bench/results/density-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
    echo "# Density benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD), $(nproc) cores"
    echo "Chromium: $HEADLESS_SHELL ($("$HEADLESS_SHELL" --version 2>/dev/null | head -1)); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    java -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.agentapi.bench.DensityBench \
        "$HEADLESS_SHELL" "$AGENTS" "$OWNERS" "$ROUNDS"
    echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$RESULTS"
echo "results in $RESULTS"
