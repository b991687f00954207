#!/usr/bin/env bash
# Memory and start-time benchmark: RSS of the service (local and Redis mode, no browser) against two baselines
# outside our code, with where the memory goes. Each app is started on its own (never two at once), loaded the
# same way, then read:
#
#   bare        bench/bare-app: a bare Spring Boot app (Web MVC, Actuator)
#   bare+stack  the same app built with -Pstack: plus the brief's stack (Spring Data JPA on Hibernate, Flyway,
#               the PostgreSQL driver, Spring Data Redis behind Spring's cache), one entity read through a
#               Redis-backed @Cacheable: the baseline the service's memory and start time are held to
#   service     the service in local mode, as bench/http-bench.sh starts it
#   service+redis  the same in Redis mode (cache and rate-limit buckets in the local Redis)
#
# Each runtime is measured with each JVM flag set in FLAGSETS, the same flags for every app:
#   default  the JVM's defaults (heap sized from this machine's memory)
#   image    the image's heap flags in the Kubernetes manifests' 3 GiB container
#            (-XX:MaxRAM=3g -XX:MaxRAMPercentage=25 -XX:InitialRAMPercentage=10)
#   fixed    the HTTP benchmark's -Xms256m -Xmx1g -XX:+UseG1GC (a fixed -Xms flatters the ratios)
# Native memory tracking is on for all (its bookkeeping, a few MB, is in every RSS here).
#
# Load: wrk -t2 -c32, $LOAD on a GET of one agent (the service with its API key, bare+stack through its Redis
# cache), then $LOAD on health. Per app and start: time from launch to the first answer of its liveness URL, RSS
# when live and after load; how much of the Java heap is resident; from `jcmd VM.native_memory summary` the
# committed class metadata (metaspace, class space, symbols, the shared class archive), code cache and the rest
# (GC structures, threads, malloc); classes loaded.
#
#   bench/rss-bench.sh                          # Java 17 and Temurin 25, default and image flags, two starts each
#   RUNTIMES=25 FLAGSETS=image LAUNCHES=1 bench/rss-bench.sh
#   APPS="bare+stack service" bench/rss-bench.sh   # ratios need bare and/or bare+stack measured in the same run
#   LAYOUT=extracted bench/rss-bench.sh         # every app extracted first (java -Djarmode=tools -jar x.jar extract),
#                                               # the layout the image runs: no nested-jar class loading at start
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379), wrk.
# Results also go to bench/results/rss-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/common.sh

RUNTIMES=${RUNTIMES:-"17 25"}
FLAGSETS=${FLAGSETS:-"default image"}
LAUNCHES=${LAUNCHES:-2}
LOAD=${LOAD:-30s}
APPS=${APPS:-"bare bare+stack service service+redis"}
LAYOUT=${LAYOUT:-jar}   # jar: java -jar on the fat jar; extracted: every app extracted first (jarmode tools), as the image runs
PORT=${PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
BARE_PORT=${BARE_PORT:-18090}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
REDIS=${REDIS:-redis://127.0.0.1:6379}

command -v wrk >/dev/null || { echo "wrk is needed (apt-get install wrk)" >&2; exit 1; }
./mvnw -q -DskipTests package
./mvnw -q -f bench/bare-app/pom.xml -DskipTests package
./mvnw -q -f bench/bare-app/pom.xml -Pstack -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
BARE_JAR=$(ls bench/bare-app/target/bare-app-*.jar | grep -v original | head -1)
STACK_JAR=$(ls bench/bare-app/target/stack/bare-app-*.jar | grep -v original | head -1)
if [ "$LAYOUT" = extracted ]; then
    JAR=$(extracted "$JAR"); BARE_JAR=$(extracted "$BARE_JAR"); STACK_JAR=$(extracted "$STACK_JAR")
fi

flags_of() { # $1 = flag set
    case "$1" in
        default) echo "" ;;
        image) echo "-XX:MaxRAM=3g -XX:MaxRAMPercentage=25 -XX:InitialRAMPercentage=10" ;;
        fixed) echo "-Xms256m -Xmx1g -XX:+UseG1GC" ;;
        *) echo "$1" ;;
    esac
}

mkdir -p bench/results
RESULTS="bench/results/rss-$(date -u +%Y%m%dT%H%M%SZ).txt"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
WORK=$(mktemp -d)
DB=""
SERVICE_PID=""
BARE_PID=""
cleanup() {
    for pid in $SERVICE_PID $BARE_PID; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; done
    [ -n "$DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

say() { echo "$*" | tee -a "$RESULTS"; }

fresh_db() { # a database of its own for each start, so that every start runs the migrations
    [ -n "$DB" ] && psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null
    DB="agent_api_rss_$$_$1"
    psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
}

load() { # $1 = GET url, $2 = health url, $3 = extra header or empty
    local args=(-t2 -c32 -d"$LOAD")
    [ -n "$3" ] && args+=(-H "$3")
    wrk "${args[@]}" "$1" >/dev/null
    wrk -t2 -c32 -d"$LOAD" "$2" >/dev/null
}

# MB of the Java heap's address range that is resident (touched), from GC.heap_info and /proc/<pid>/smaps:
# all apps commit the same heap (-Xms), what differs is how much of it they have written to
heap_resident() { # $1 = pid
    local range; range=$("$(dirname "$JAVA")/jcmd" "$1" GC.heap_info | grep -o '\[0x[0-9a-f]*, 0x[0-9a-f]*)' | head -1)
    gawk -v range="$range" '
        BEGIN { gsub(/[][)]/, "", range); split(range, r, ", "); lo = strtonum(r[1]); hi = strtonum(r[2]) }
        /^[0-9a-f]+-[0-9a-f]+ / { split($1, a, "-"); inside = strtonum("0x" a[1]) >= lo && strtonum("0x" a[1]) < hi }
        /^Rss:/ && inside { kb += $2 }
        END { printf "%.0f\n", kb / 1024 }' "/proc/$1/smaps"
}

# "heap class code other classes": the heap's resident MB, then MB committed per native memory tracking
# (class metadata = metaspace, class space, symbols and the shared class archive; other = the total less heap, metadata and code),
# and the classes loaded (jstat)
breakdown() { # $1 = pid
    local nmt; nmt=$("$(dirname "$JAVA")/jcmd" "$1" VM.native_memory summary scale=MB)
    local classes; classes=$("$(dirname "$JAVA")/jstat" -class "$1" | awk 'NR == 2 {print $1}')
    awk -v classes="$classes" -v resident="$(heap_resident "$1")" '
        /^Total: / { match($0, /committed=[0-9]+/); total = substr($0, RSTART + 10, RLENGTH - 10) }
        /^-/ { name = $2; if ($3 !~ /^\(/) name = name " " $3 }
        /committed=/ && name != "" {
            match($0, /committed=[0-9]+/); c = substr($0, RSTART + 10, RLENGTH - 10)
            if (name == "Java Heap") heap = c
            else if (name == "Class" || name == "Metaspace" || name == "Symbol" || name == "Shared class") meta += c
            else if (name == "Code") code = c
            name = ""
        }
        END { printf "%d %d %d %d %d\n", resident, meta, code, total - heap - meta - code, classes }' <<<"$nmt"
}

# one start of one app: prints "live_ms ready_rss load_rss heap class code other classes"
measure_app() { # $1 = bare | bare+stack | service | service+redis, $2 = start number
    local pid get health header="" began
    [ "$1" != bare ] && fresh_db "$2"
    began=$(date +%s%N)
    case "$1" in
        bare)
            start_bare "$BARE_JAR"; pid=$BARE_PID
            get="http://127.0.0.1:$BARE_PORT/api/agents/bench-agent"; health="http://127.0.0.1:$BARE_PORT/actuator/health" ;;
        bare+stack)
            start_bare "$STACK_JAR" --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$DB" \
                --spring.datasource.username=postgres --spring.data.redis.url="$REDIS" \
                --spring.cache.redis.key-prefix="bench-$$-$2:"
            pid=$BARE_PID
            get="http://127.0.0.1:$BARE_PORT/api/cached-agents/bench-agent"; health="http://127.0.0.1:$BARE_PORT/actuator/health"
            curl -sf "$get" >/dev/null || { echo "GET $get failed" >&2; exit 1; } ;;
        service | service+redis)
            if [ "$1" = service ]; then start_service ""; else start_service "$REDIS"; fi
            pid=$SERVICE_PID
            get="http://127.0.0.1:$PORT/api/agents/browser/bench-agent"; health="http://127.0.0.1:$PORT/health/live"
            header="X-API-Key: $KEY" ;;
    esac
    local live_ms=$(( (LIVE_AT - began) / 1000000 ))
    if [ "$1" = service ] || [ "$1" = service+redis ]; then
        curl -sf -X POST "localhost:$PORT/api/agents/browser" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
            -d '{"agent_id": "bench-agent"}' >/dev/null
        curl -sf "$get" -H "$header" >/dev/null || { echo "GET $get failed" >&2; exit 1; }
    fi
    local ready; ready=$(rss_mb "$pid")
    load "$get" "$health" "$header"
    echo "$live_ms $ready $(rss_mb "$pid") $(breakdown "$pid")"
    stop "$pid"; SERVICE_PID=""; BARE_PID=""
}

median() { sort -g | awk '{v[NR] = $1} END {if (NR % 2) print v[(NR + 1) / 2]; else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else printf "-" }'; }

run_runtime() { # $1 = runtime, $2 = flag set
    JAVA="$(java_home "$1")/bin/java"
    JVM_OPTS="$(flags_of "$2") -XX:NativeMemoryTracking=summary"
    local tag="$1-$2"
    say ""
    say "## Java $1 ($("$JAVA" -version 2>&1 | head -1)), flags $2: $JVM_OPTS"
    local apps; read -r -a apps <<< "$APPS"
    for start in $(seq 1 "$LAUNCHES"); do
        for app in "${apps[@]}"; do measure_app "$app" "$start" >> "$WORK/$tag-$app"; done
    done
    local bare="" stack="" bare_live="" stack_live=""
    [ -f "$WORK/$tag-bare" ] && bare=$(awk '{print $3}' "$WORK/$tag-bare" | median) && bare_live=$(awk '{print $1}' "$WORK/$tag-bare" | median)
    [ -f "$WORK/$tag-bare+stack" ] && stack=$(awk '{print $3}' "$WORK/$tag-bare+stack" | median) \
        && stack_live=$(awk '{print $1}' "$WORK/$tag-bare+stack" | median)
    say "| app | start to live ms | to bare+stack | RSS live MB | RSS after load MB | to bare | to bare+stack | heap resident | class metadata | code | other | classes |"
    say "|---|---|---|---|---|---|---|---|---|---|---|---|"
    for app in "${apps[@]}"; do
        local f="$WORK/$tag-$app" cols=()
        for col in 1 2 3 4 5 6 7 8; do cols+=("$(awk -v c="$col" '{print $c}' "$f" | median)"); done
        say "$(printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |' "$app" "${cols[0]}" \
            "$(ratio "${cols[0]}" "${stack_live:-0}")" "${cols[1]}" "${cols[2]}" "$(ratio "${cols[2]}" "${bare:-0}")" \
            "$(ratio "${cols[2]}" "${stack:-0}")" "${cols[@]:3}")"
        say "  $app, each start (live ms, RSS live, after load): $(awk '{printf "%s/%s/%s ", $1, $2, $3}' "$f")"
    done
}

say "# Memory benchmark $(date -u +%FT%TZ), commit $(git rev-parse --short HEAD)$(git diff --quiet || echo '+changes')"
say "$LAUNCHES start(s) of each app per runtime and flag set, $LOAD GET + $LOAD health each; $LAYOUT layout; medians; MB committed per native memory tracking"
for runtime in $RUNTIMES; do
    for flags in $FLAGSETS; do run_runtime "$runtime" "$flags"; done
done
say ""
say "results in $RESULTS"
