#!/usr/bin/env bash
# Agent lists at 10,000 and at 1,000,000 agents: one service, one fresh database, the rows written
# with SQL (generate_series), VACUUM ANALYZE after each fill (what autovacuum does on its own, so the
# index-only walks of deep pages see an up-to-date visibility map). Measures, after a warm-up, the
# p50 and p95 of REQS sequential requests on one kept-alive connection (curl), and the service's JVM
# CPU per request, for:
#   first     GET ?size=100                      (newest first)
#   filtered  GET ?size=100&status=stopped       (a third of the agents)
#   cursor    GET ?size=100&cursor=<middle>      (a page in the middle of the list, by cursor)
#   deep      GET ?size=100&page=<middle>        (the same page by number: walks the index to it)
# and prints the ratio 1M / 10K for each (target: <= 1.5x).
#
#   bench/list-bench.sh                      # REQS=200, WARM=300, Java on the PATH
#   JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java bench/list-bench.sh
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p bench/results
exec > >(tee "bench/results/list-$(date -u +%Y%m%dT%H%M%SZ).txt") 2>&1 # for bench/charts.py too

REQS=${REQS:-200}
WARM=${WARM:-300}
PORT=${PORT:-18095}
JAVA=${JAVA:-java}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}

[ -n "${SKIP_BUILD:-}" ] || ./mvnw -q -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)

DB="agent_api_lbench_$$"
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""
cleanup() {
    if [ -n "$SERVICE_PID" ]; then kill "$SERVICE_PID" 2>/dev/null || true; wait "$SERVICE_PID" 2>/dev/null || true; fi
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="$DB_URL" AGENT_API_KEYS="bench:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
    "$JAVA" -Xmx1g -jar "$JAR" --server.port=$PORT --agent-api.browser.launch-on-create=false "--agent-api.rate-limit.policies=* /api/**: 100000000 per minute" \
    --logging.level.root=WARN > target/list-bench-service.log 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$PORT/health/ready" >/dev/null || { echo "service did not start; see target/list-bench-service.log" >&2; exit 1; }

fill() { # agents $1+1 .. $2: a second apart, statuses in thirds, 10 owners, every 100th deleted
    psql "$DB_URL" -qc "INSERT INTO browser_agents (id, status, created_by, config, created_at, updated_at, deleted_at)
        SELECT 'bench-' || lpad(n::text, 7, '0'), (ARRAY['created','stopped','error'])[1 + n % 3], 'owner-' || n % 10,
               '{\"purpose\": \"list-bench\"}', timestamptz '2026-01-01' + n * interval '1 second', now(),
               CASE WHEN n % 100 = 0 THEN now() END
        FROM generate_series($1 + 1, $2) AS n"
    psql "$DB_URL" -qc "VACUUM ANALYZE browser_agents"
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVICE_PID/stat"; }
# $1 = n requests of URL $2 on one connection; prints the seconds of each
times() {
    local args=()
    for _ in $(seq 1 "$1"); do args+=(-o /dev/null "$2"); done
    curl -s -H "Authorization: Bearer $KEY" -w '%{http_code} %{time_total}\n' "${args[@]}"
}
declare -A P50 P95 CPU
measure() { # $1 = label, $2 = size label, $3 = path
    local url="http://127.0.0.1:$PORT$3"
    times "$WARM" "$url" > /dev/null
    local c0 c1 out
    c0=$(cpu_ticks)
    out=$(times "$REQS" "$url")
    c1=$(cpu_ticks)
    if grep -qv '^200 ' <<<"$out"; then echo "$1 at $2: not every answer was 200: $(grep -v '^200 ' <<<"$out" | head -1)" >&2; exit 1; fi
    local sorted
    sorted=$(awk '{print $2 * 1000}' <<<"$out" | sort -n)
    P50[$1,$2]=$(sed -n "$(( (REQS + 1) / 2 ))p" <<<"$sorted")
    P95[$1,$2]=$(sed -n "$(( (REQS * 95 + 99) / 100 ))p" <<<"$sorted")
    CPU[$1,$2]=$(awk -v t=$((c1 - c0)) -v n="$REQS" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", t / hz * 1e6 / n}')
    printf '%-9s %-4s p50 %8.2f ms  p95 %8.2f ms  CPU %6s us/request\n' "$1" "$2" "${P50[$1,$2]}" "${P95[$1,$2]}" "${CPU[$1,$2]}"
}
cursor_at() { # the cursor the service gives for the agent at list position $1 (ListCursor: base64url of 1.<micros>.<id>)
    psql "$DB_URL" -Atc "SELECT (extract(epoch FROM created_at) * 1000000)::bigint || '.' || id FROM browser_agents
        WHERE deleted_at IS NULL ORDER BY created_at DESC, id OFFSET $1 LIMIT 1" \
        | sed 's/^/1./' | tr -d '\n' | base64 -w0 | tr '+/' '-_' | tr -d '='
}
run() { # $1 = size label, $2 = live agents
    local middle=$(( $2 / 2 ))
    measure first "$1" "/api/agents/browser?size=100"
    measure filtered "$1" "/api/agents/browser?size=100&status=stopped"
    measure cursor "$1" "/api/agents/browser?size=100&cursor=$(cursor_at $((middle - 1)))"
    measure deep "$1" "/api/agents/browser?size=100&page=$((middle / 100))"
}

echo "# list-bench $(date -u +%FT%TZ), $("$JAVA" -version 2>&1 | head -1), $(nproc) cores, load: $(uptime | sed 's/.*load average: //')"
fill 0 10000
run 10K 9900
fill 10000 1000000
run 1M 990000
echo "# after: load $(uptime | sed 's/.*load average: //')"
echo
printf '| list page | p50 at 10K | p50 at 1M | ratio 1M/10K | CPU/request 10K → 1M |\n|---|---|---|---|---|\n'
for what in first filtered cursor deep; do
    printf '| %s | %s ms | %s ms | %s× | %s → %s µs |\n' "$what" "${P50[$what,10K]}" "${P50[$what,1M]}" \
        "$(awk -v a="${P50[$what,1M]}" -v b="${P50[$what,10K]}" 'BEGIN {printf "%.2f", a / b}')" "${CPU[$what,10K]}" "${CPU[$what,1M]}"
done
