#!/usr/bin/env bash
# HTTP benchmark: the service's request path against a bare Spring Boot app (bench/bare-app: same Spring
# Boot version, same JVM, same flags, a record of an agent's shape and Actuator health), measured in the
# same run, interleaved, with wrk on loopback. For each endpoint: requests/s, p50, p99, JVM CPU per
# request (utime+stime from /proc/<pid>/stat over the measurement / requests) and RSS after load, and
# the ratios to the bare app. No browser runs (no warm pool, no launch on create): this is the HTTP path.
#
#   GET one agent   the service: API key + rate limiter + cache hit    vs  bare GET /api/agents/{id}
#                                                                      and bare+stack GET (Redis @Cacheable hit)
#   liveness        the service's /health/live (main port)             vs  bare /actuator/health
#   401             the service: GET one agent without a key           (beside the bare GET)
#
# bare+stack is bench/bare-app built with -Pstack (the brief's stack: Spring Data JPA, Flyway, Spring Data Redis
# behind Spring's cache); it always caches in Redis, and its own GET is reported against the bare one too.
#
#   bench/http-bench.sh                      # Java 17 and Temurin 25, Redis and local mode
#   RUNTIMES=25 bench/http-bench.sh          # one runtime (17, 25, or a JAVA_HOME path)
#   MODES=local ROUNDS=5 DURATION=10s bench/http-bench.sh
#   RUNTIMES=25 MODES=local LAUNCHES=3 bench/http-bench.sh   # each app started 3 times: where a JVM's JIT
#                                            # settles moves a start's rate by 10-25 %, the median of starts less
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379), wrk.
# Results also go to bench/results/http-<time>.txt (not committed).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh

RUNTIMES=${RUNTIMES:-"17 25"}
MODES=${MODES:-"redis local"}
ROUNDS=${ROUNDS:-3}
LAUNCHES=${LAUNCHES:-1}   # starts of each app per runtime and mode; figures are the median over all their rounds
DURATION=${DURATION:-8s}
WARMUP=${WARMUP:-60s}   # per endpoint; the service's JIT on 2 cores takes about a minute to settle
THREADS=2
CONNECTIONS=${CONNECTIONS:-32}
JVM_OPTS=${JVM_OPTS:-"-Xms256m -Xmx1g -XX:+UseG1GC"}
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
BARE_PORT=${BARE_PORT:-18090}
STACK_PORT=${STACK_PORT:-18091}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS=${REDIS:-redis://127.0.0.1:6379}
CLK_TCK=$(getconf CLK_TCK)

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
./mvnw -q -DskipTests package
./mvnw -q -f bench/bare-app/pom.xml -DskipTests package
./mvnw -q -f bench/bare-app/pom.xml -Pstack -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
BARE_JAR=$(ls bench/bare-app/target/bare-app-*.jar | grep -v original | head -1)
STACK_JAR=$(ls bench/bare-app/target/stack/bare-app-*.jar | grep -v original | head -1)

mkdir -p bench/results
RESULTS="bench/results/http-$(date -u +%Y%m%dT%H%M%SZ).txt"
DB="agent_api_bench_$$"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
WORK=$(mktemp -d)
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
psql "$PG_ADMIN" -qc "CREATE DATABASE ${DB}_stack"
SERVICE_PID=""
BARE_PID=""
STACK_PID=""
cleanup() {
    for pid in $SERVICE_PID $BARE_PID $STACK_PID; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS ${DB}_stack WITH (FORCE)" >/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$RESULTS"; }

start_stack() { # the bare app with the brief's stack, on its own database, caching in the local Redis
    "$JAVA" $JVM_OPTS -jar "$STACK_JAR" --server.port=$STACK_PORT --logging.level.root=WARN \
        --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/${DB}_stack" --spring.datasource.username=postgres \
        --spring.data.redis.url="$REDIS" --spring.cache.redis.key-prefix="bench-$$:" > "$WORK/stack.log" 2>&1 &
    STACK_PID=$!
    wait_for "localhost:$STACK_PORT/actuator/health" "$WORK/stack.log"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# wrk's latency in ms, whatever unit it printed
to_ms() { awk '{v=$1; if (v ~ /us$/) {sub(/us$/,"",v); v/=1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v*=1000}; printf "%.3f", v}' <<<"$1"; }

# One wrk measurement against one process; appends "requests rps p50ms p99ms cpu_ticks non2xx" to $WORK/<label>
measure() { # $1 = label, $2 = pid, $3 = url, $4 = extra header or empty
    local args=(-t$THREADS -c"$CONNECTIONS" -d"$DURATION" --latency)
    [ -n "$4" ] && args+=(-H "$4")
    local before after out
    before=$(cpu_ticks "$2")
    out=$(wrk "${args[@]}" "$3")
    after=$(cpu_ticks "$2")
    local requests rps p50 p99 non2xx
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(to_ms "$(awk '$1=="50%" {print $2}' <<<"$out")")
    p99=$(to_ms "$(awk '$1=="99%" {print $2}' <<<"$out")")
    non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
    echo "$requests $rps $p50 $p99 $((after - before)) ${non2xx:-0}" >> "$WORK/$1"
}

warm() { # $1 = url, $2 = extra header or empty
    local args=(-t$THREADS -c"$CONNECTIONS" -d"$WARMUP")
    [ -n "$2" ] && args+=(-H "$2")
    wrk "${args[@]}" "$1" >/dev/null
}

# Median requests/s, p50, p99 over the rounds; CPU µs per request over all of them. Prints "rps p50 p99 cpu_us non2xx".
summary() { # $1 = label
    local n; n=$(wc -l < "$WORK/$1")
    local mid=$(( (n + 1) / 2 ))
    local rps p50 p99
    rps=$(awk '{print $2}' "$WORK/$1" | sort -g | sed -n "${mid}p")
    p50=$(awk '{print $3}' "$WORK/$1" | sort -g | sed -n "${mid}p")
    p99=$(awk '{print $4}' "$WORK/$1" | sort -g | sed -n "${mid}p")
    awk -v rps="$rps" -v p50="$p50" -v p99="$p99" -v tck="$CLK_TCK" \
        '{req += $1; ticks += $5; bad += $6} END {printf "%s %s %s %.0f %d\n", rps, p50, p99, ticks * 1e6 / tck / req, bad}' "$WORK/$1"
}

row() { # $1 = what, $2 = our label, $3 = bare label or empty, $4 = our RSS, $5 = bare RSS
    read -r rps p50 p99 cpu bad <<<"$(summary "$2")"
    local line
    line=$(printf '| %-34s | %9.0f | %7.2f | %7.2f | %6s | %5s' "$1" "$rps" "$p50" "$p99" "$cpu" "$bad")
    if [ -n "$3" ]; then
        read -r brps bp50 bp99 bcpu _ <<<"$(summary "$3")"
        line+=$(printf ' | %9.0f | %6s | %6.2fx | %6.2fx |' "$brps" "$bcpu" \
            "$(awk -v a="$rps" -v b="$brps" 'BEGIN {print a / b}')" "$(awk -v a="$cpu" -v b="$bcpu" 'BEGIN {print a / b}')")
    else
        line+=' |           |        |         |         |'
    fi
    say "$line"
}

run_runtime() { # $1 = runtime
    JAVA="$(java_home "$1")/bin/java"
    local version; version=$("$JAVA" -version 2>&1 | head -1)
    say ""
    say "## Java $1 ($version); JVM flags: $JVM_OPTS"
    local bare_get="http://127.0.0.1:$BARE_PORT/api/agents/bench-agent" bare_health="http://127.0.0.1:$BARE_PORT/actuator/health"
    local stack_get="http://127.0.0.1:$STACK_PORT/api/cached-agents/bench-agent"
    start_stack
    curl -sf "$stack_get" >/dev/null || { echo "GET $stack_get failed" >&2; exit 1; }
    warm "$stack_get" ""
    for mode in $MODES; do
        local redis_url=""; [ "$mode" = redis ] && redis_url="$REDIS"
        local tag="$1-$mode" id="bench-$mode-$1" rss_lines=()
        rm -f "$WORK/$tag-"* "$WORK/bare-$tag-"*
        for start in $(seq 1 "$LAUNCHES"); do
            # one bare app for the runtime when each app starts once; a fresh one beside every fresh service otherwise
            if [ -z "$BARE_PID" ] || [ "$start" -gt 1 ]; then
                if [ -n "$BARE_PID" ]; then stop "$BARE_PID"; BARE_PID=""; fi
                start_bare
                warm "$bare_get" ""; warm "$bare_health" ""
            fi
            start_service "$redis_url"
            curl -sf -X POST "localhost:$PORT/api/agents/browser" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
                -d "{\"agent_id\": \"$id\"}" >/dev/null || true
            local get="http://127.0.0.1:$PORT/api/agents/browser/$id" live="http://127.0.0.1:$PORT/health/live"
            curl -sf "$get" -H "X-API-Key: $KEY" >/dev/null || { echo "GET $get failed" >&2; exit 1; }
            warm "$get" "X-API-Key: $KEY"; warm "$live" ""; warm "$get" ""
            for _ in $(seq 1 "$ROUNDS"); do
                measure "$tag-get" "$SERVICE_PID" "$get" "X-API-Key: $KEY"
                measure "bare-$tag-get" "$BARE_PID" "$bare_get" ""
                measure "stack-$tag-get" "$STACK_PID" "$stack_get" ""
                measure "$tag-live" "$SERVICE_PID" "$live" ""
                measure "bare-$tag-health" "$BARE_PID" "$bare_health" ""
                measure "$tag-401" "$SERVICE_PID" "$get" ""
            done
            local rss bare_rss stack_rss; rss=$(rss_mb "$SERVICE_PID"); bare_rss=$(rss_mb "$BARE_PID"); stack_rss=$(rss_mb "$STACK_PID")
            local which=""; [ "$LAUNCHES" -gt 1 ] && which=" (start $start)"
            rss_lines+=("RSS after load$which: service $rss MB, bare $bare_rss MB ($(awk -v a="$rss" -v b="$bare_rss" 'BEGIN {printf "%.2f", a / b}')x), bare+stack $stack_rss MB ($(awk -v a="$rss" -v b="$stack_rss" 'BEGIN {printf "%.2f", a / b}')x)")
            stop "$SERVICE_PID"; SERVICE_PID=""
        done
        say ""
        say "### $mode mode (cache and rate-limit buckets: $mode), load average $(cut -d' ' -f1-3 /proc/loadavg)"
        say "| endpoint                           | req/s     | p50 ms  | p99 ms  | CPU µs | non2xx | bare req/s | bare µs | throughput | CPU/request |"
        say "|---|---|---|---|---|---|---|---|---|---|"
        row "GET one agent vs bare GET" "$tag-get" "bare-$tag-get"
        row "GET one agent vs bare+stack GET" "$tag-get" "stack-$tag-get"
        row "bare+stack GET vs bare GET" "stack-$tag-get" "bare-$tag-get"
        row "/health/live vs bare /actuator/health" "$tag-live" "bare-$tag-health"
        row "401 (no key) vs bare GET" "$tag-401" "bare-$tag-get"
        for line in "${rss_lines[@]}"; do say "$line"; done
    done
    if [ -n "$BARE_PID" ]; then stop "$BARE_PID"; BARE_PID=""; fi
    stop "$STACK_PID"; STACK_PID=""
}

say "# HTTP benchmark $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
say "wrk -t$THREADS -c$CONNECTIONS, $ROUNDS interleaved rounds of $DURATION per endpoint after ${WARMUP} warm-up each, $LAUNCHES start(s) of each app; $(nproc) cores"
say "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
for runtime in $RUNTIMES; do run_runtime "$runtime"; done
say ""
say "load average at end: $(cut -d' ' -f1-3 /proc/loadavg); results in $RESULTS"
