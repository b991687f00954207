#!/usr/bin/env bash
# Builds the real Dockerfile and runs the image as Kubernetes would (non-root, read-only root
# filesystem, /tmp and $HOME writable) against the local PostgreSQL and Redis, then checks:
# liveness and readiness, Redis in use, an API call that starts a real Chromium inside the container
# (create + screenshot + delete), readiness 503 during the drain after SIGTERM, a clean exit, and with a
# connection string the Application Insights agent attached and request telemetry delivered.
#
#   deploy/verify-image.sh                # ~10 min the first time (apt + Maven downloads), ~2 min after
#   SKIP_BUILD=1 deploy/verify-image.sh   # reuse the image built last time
#
# Made for a machine without a Docker engine: Debian's podman with runc and cgroupfs, host
# networking and modest ulimits (what works in this project's sandbox; override with PODMAN and
# RUN_FLAGS). When the Dockerfile's base image (debian:trixie-slim) cannot be pulled, it is made with
# debootstrap from Debian's mirror and imported under that name, so the Dockerfile builds unchanged.
# When its JRE image (eclipse-temurin:25-jre) cannot be pulled, a JRE is made with jlink from a local
# Temurin 25 JDK (TEMURIN_JDK, default /usr/lib/jvm/temurin-25-jdk-<arch>) and passed as JRE_IMAGE.
# Needs: podman, debootstrap (installed with apt-get when missing), curl, psql, redis-cli, and the
# local PostgreSQL (127.0.0.1:5432, trust auth) and Redis (127.0.0.1:6379).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/agent-api:verify}
BASE=docker.io/library/debian:trixie-slim
JRE=docker.io/library/eclipse-temurin:25-jre
LOCAL_JRE=localhost/agent-api-jre:25
TEMURIN_JDK=${TEMURIN_JDK:-/usr/lib/jvm/temurin-25-jdk-$(dpkg --print-architecture 2>/dev/null || echo amd64)}
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
RUN_FLAGS=${RUN_FLAGS:---network=host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
WORK=${WORK:-/var/tmp/agent-api-image}
RUN_ID="verify$$"
DB="agent_api_image_$RUN_ID"
NAME="agent-api-$RUN_ID"
KEY="aak_$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
# the key replicas sign forwards with: outside local mode the service does not start without one
REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
PASS=0; FAIL=0

step() { printf '\n== %s\n' "$*"; }
ok() { PASS=$((PASS + 1)); printf '   ok: %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf '   FAILED: %s\n' "$*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
ready() { # $1 = a container serving $BASE_URL: waits up to 3 minutes for readiness while it runs
    for _ in $(seq 1 180); do
        curl -sf "$BASE_URL/health/ready" >/dev/null && return 0
        [ "$($PODMAN inspect "$1" --format '{{.State.Running}}')" = "true" ] || return 1
        sleep 1
    done
    return 1
}

need() { command -v "$1" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need podman podman; need runc runc; need psql postgresql-client; need redis-cli redis-tools

cleanup() {
    $PODMAN rm -f "$NAME" "$NAME-telemetry" >/dev/null 2>&1 || true
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$RUN_ID:*" | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null 2>&1 || true
}
trap cleanup EXIT

if ! $PODMAN image exists "$BASE" && ! $PODMAN pull -q "$BASE" >/dev/null 2>&1; then
    step "base image $BASE from debootstrap (no registry reachable)"
    need debootstrap debootstrap
    rm -rf "$WORK/rootfs"; mkdir -p "$WORK"
    debootstrap --variant=minbase --include=ca-certificates trixie "$WORK/rootfs" http://deb.debian.org/debian >"$WORK/debootstrap.log"
    rm -rf "$WORK"/rootfs/var/cache/apt/archives/*.deb "$WORK"/rootfs/var/lib/apt/lists/*
    tar -C "$WORK/rootfs" -c . | $PODMAN import - "$BASE" >/dev/null
    rm -rf "$WORK/rootfs"
fi

JRE_ARG=()
if ! $PODMAN image exists "$JRE" && ! $PODMAN pull -q "$JRE" >/dev/null 2>&1; then
    if ! $PODMAN image exists "$LOCAL_JRE"; then
        step "JRE image $LOCAL_JRE from $TEMURIN_JDK with jlink (no registry reachable for $JRE)"
        [ -x "$TEMURIN_JDK/bin/jlink" ] || { echo "no Temurin 25 JDK at $TEMURIN_JDK (set TEMURIN_JDK)"; exit 1; }
        rm -rf "$WORK/jre"; mkdir -p "$WORK/jre/opt/java"
        # every module of the JDK but its development tools: what Temurin's JRE image carries
        modules=$("$TEMURIN_JDK/bin/java" --list-modules | sed 's/@.*//' | grep -v -E '^jdk\.(incubator\..*|jshell|javadoc|compiler|jlink|jpackage|jdeps|jartool|jstatd|hotspot\.agent|editpad|internal\.(jvmstat|opt|ed|le|md))$' | paste -sd, -)
        "$TEMURIN_JDK/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
            --output "$WORK/jre/opt/java/openjdk"
        tar -C "$WORK/jre" -c . | $PODMAN import - "$LOCAL_JRE" >/dev/null
        rm -rf "$WORK/jre"
    fi
    JRE_ARG=(--build-arg "JRE_IMAGE=$LOCAL_JRE")
fi

if [ -z "${SKIP_BUILD:-}" ]; then
    step "build $IMAGE from ./Dockerfile"
    # A TLS-intercepting proxy's CAs, where the host trusts some, so the build stage reaches Maven Central.
    EXTRA_CA=$(cat /usr/local/share/ca-certificates/*.crt 2>/dev/null || true)
    $PODMAN build --network=host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
        --build-arg EXTRA_CA_CERTS="$EXTRA_CA" "${JRE_ARG[@]}" -t "$IMAGE" . >"$WORK-build.log" 2>&1 \
        || { tail -30 "$WORK-build.log"; exit 1; }
    ok "image built ($($PODMAN image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f MB", $1/1e6}'))"
fi

step "image contents"
check "runs as uid 10001" test "$($PODMAN image inspect "$IMAGE" --format '{{.Config.User}}')" = "10001:10001"
check "STOPSIGNAL SIGTERM" test "$($PODMAN image inspect "$IMAGE" --format '{{.Config.StopSignal}}')" = "SIGTERM"
TOOLS=$($PODMAN run --rm $RUN_FLAGS --entrypoint sh "$IMAGE" -c \
    'for t in javac mvn gcc curl wget; do command -v $t; done; java -version 2>&1 | grep version; /usr/bin/chromium --version' 2>&1)
echo "$TOOLS" | sed 's/^/   /'
check "no build tools (javac, mvn, gcc, curl, wget)" bash -c "! grep -q -E '/(javac|mvn|gcc|curl|wget)$' <<<\"\$0\"" "$TOOLS"
check "Java 21 or newer" bash -c "grep -q -E 'openjdk version \"(2[1-9]|[3-9][0-9])' <<<\"\$0\"" "$TOOLS"
check "Debian's Chromium" bash -c "grep -q -i 'chromium' <<<\"\$0\"" "$TOOLS"
SIZE_MB=$($PODMAN image inspect "$IMAGE" --format '{{.Size}}' | awk '{printf "%.0f", $1/1e6}')
echo "   image size: $SIZE_MB MB (podman image inspect .Size, uncompressed)"
check "Playwright's driver unpacked at build time, for this platform only" $PODMAN run --rm $RUN_FLAGS --entrypoint sh "$IMAGE" -c \
    'test -x "$BROWSER_DRIVER_DIR/node" && test -f "$BROWSER_DRIVER_DIR/package/cli.js" && ! ls /app/lib | grep -q driver-bundle' 
check "the Application Insights agent unpacked at build time, not in the jar" $PODMAN run --rm $RUN_FLAGS --entrypoint sh "$IMAGE" -c \
    'test -f /opt/applicationinsights/applicationinsights-agent.jar && ! ls /app/lib | grep -q applicationinsights-runtime-attach'

step "run against the local PostgreSQL ($DB) and Redis"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
# --read-only with tmpfs for the writable paths, as deploy/k8s does with emptyDir volumes; no warm pool, so
# the only browser is the agent's and "none left after delete" means what it says
$PODMAN run -d --name "$NAME" $RUN_FLAGS --read-only --tmpfs /tmp:rw,exec,size=512m --tmpfs /home/app:rw,size=64m \
    --shm-size=256m \
    -e AGENT_API_REPLICA_SECRET="$REPLICA_SECRET" -e AGENT_STATE_KEY="$STATE_KEY" -e REPLICA_PORT=0 -e DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" -e REDIS_URL="redis://127.0.0.1:6379" \
    -e AGENT_API_KEYS="verify:admin:$KEY" -e SERVER_PORT="$PORT" -e BROWSER_MAX=2 -e BROWSER_WARM_POOL=0 \
    -e AGENTAPI_CACHE_KEYPREFIX="$RUN_ID:agent:" -e AGENTAPI_RATELIMIT_KEYPREFIX="$RUN_ID:rl:" \
    "$IMAGE" >/dev/null
BASE_URL="http://127.0.0.1:$PORT"
STARTED=$(date +%s%N)
ready "$NAME" || { $PODMAN logs "$NAME" | tail -40; bad "service ready"; exit 1; }
READY_MS=$(( ($(date +%s%N) - STARTED) / 1000000 ))
ok "ready on port $PORT $READY_MS ms after podman run ($($PODMAN logs "$NAME" 2>&1 | grep -o 'Started AgentApiApplication in [0-9.]* seconds' || echo '?'))"

java_cmdline() { $PODMAN exec "$1" sh -c 'for p in /proc/[0-9]*; do tr "\0" " " < $p/cmdline 2>/dev/null; echo; done' | grep '^java ' || true; }
check "no Application Insights agent without a connection string" bash -c "! grep -q javaagent <<<\"\$0\"" "$(java_cmdline "$NAME")"

step "probes"
check "GET /health/live 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/live")" = 200
check "GET /health/ready 200" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/ready")" = 200
# the first Redis connection of a cold JVM may outlast the 1 s check bound: ask again for up to 15 s
for _ in $(seq 1 15); do
    READY=$(curl -s "$BASE_URL/api/agents/health/ready")
    grep -q '"redis":{[^}]*"status":"healthy"' <<<"$READY" && break
    sleep 1
done
echo "   $READY" | cut -c1-400
check "database healthy (external PostgreSQL)" bash -c "grep -q '\"database\":{[^}]*\"status\":\"healthy\"' <<<\"\$0\"" "$READY"
check "Redis healthy" bash -c "grep -q '\"redis\":{[^}]*\"status\":\"healthy\"' <<<\"\$0\"" "$READY"

step "a browser agent: real Chromium in the container"
CREATED=$(curl -s -X POST "$BASE_URL/api/agents/browser" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
    -d '{"agent_id": "image-check", "channel": "chromium", "headless": true}')
echo "   $CREATED" | cut -c1-300
check "create answers status running" bash -c "grep -q '\"status\":\"running\"' <<<\"\$0\"" "$CREATED"
curl -s -X POST "$BASE_URL/api/agents/browser/image-check/actions" -H "X-API-Key: $KEY" \
    -H 'Content-Type: application/json' -H 'Accept: image/png' -d '{"type": "screenshot"}' -o "$WORK-shot.png"
check "screenshot is a PNG" bash -c "head -c 8 \"\$0\" | od -An -tx1 | grep -q '89 50 4e 47'" "$WORK-shot.png"
PROCS=$($PODMAN exec "$NAME" sh -c 'for p in /proc/[0-9]*; do tr "\0" " " < $p/cmdline 2>/dev/null; echo; done' | grep -c '/usr/lib/chromium/chromium' || true)
check "Chromium processes run in the container ($PROCS)" test "$PROCS" -gt 0
check "no driver unpacked at start (no /tmp/playwright-java-*/node)" $PODMAN exec "$NAME" sh -c '! ls -d /tmp/playwright-java-*/node 2>/dev/null' 
check "agent cached in Redis under this run's prefix" test -n "$(redis-cli -h 127.0.0.1 -p 6379 --scan --pattern "$RUN_ID:*" | head -1)"
check "DELETE answers 200" test "$(curl -s -o /dev/null -w '%{http_code}' -X DELETE "$BASE_URL/api/agents/browser/image-check" -H "X-API-Key: $KEY")" = 200
PROCS=$($PODMAN exec "$NAME" sh -c 'for p in /proc/[0-9]*; do tr "\0" " " < $p/cmdline 2>/dev/null; echo; done' | grep -c '/usr/lib/chromium/chromium' || true)
check "no Chromium left after delete" test "$PROCS" = 0

step "SIGTERM: readiness 503 while draining, then a clean exit"
$PODMAN kill --signal TERM "$NAME" >/dev/null
saw503=""
for _ in $(seq 1 20); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/ready" || true)
    [ "$code" = 503 ] && { saw503=1; break; }
    sleep 0.1
done
check "readiness 503 during the drain delay" test -n "$saw503"
check "liveness still 200 during the drain" test "$(curl -s -o /dev/null -w '%{http_code}' "$BASE_URL/health/live")" = 200
for _ in $(seq 1 60); do [ "$($PODMAN inspect "$NAME" --format '{{.State.Running}}')" = "false" ] && break; sleep 1; done
EXIT=$($PODMAN inspect "$NAME" --format '{{.State.ExitCode}}')
# the JVM exits 143 (128 + SIGTERM) after its shutdown hooks ran; tini passes that on
check "exited after SIGTERM (code $EXIT)" bash -c '[ "$0" = 0 ] || [ "$0" = 143 ]' "$EXIT"
LOGS=$($PODMAN logs "$NAME" 2>&1)
check "graceful shutdown logged" bash -c "grep -q -i 'graceful shutdown complete' <<<\"\$0\"" "$LOGS"
check "no ERROR lines and no stack traces in the log" bash -c "! grep -E ' ERROR |^\s+at [a-z]' <<<\"\$0\"" "$LOGS"
check "the key is not in the log" bash -c "! grep -q -F \"\$1\" <<<\"\$0\"" "$LOGS" "$KEY"

step "telemetry: with a connection string the JVM starts with the agent, and requests reach the ingestion endpoint"
INGEST_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
: > "$WORK-ingest.log"
python3 - "$INGEST_PORT" "$WORK-ingest.log" <<'PY' &
import gzip, http.server, sys
port, log = int(sys.argv[1]), sys.argv[2]
class Ingestion(http.server.BaseHTTPRequestHandler):
    def body(self):
        if self.headers.get('Transfer-Encoding', '').lower() == 'chunked':
            data = b''
            while (size := int(self.rfile.readline().strip(), 16)):
                data += self.rfile.read(size); self.rfile.readline()
            self.rfile.readline()
            return data
        return self.rfile.read(int(self.headers.get('Content-Length', 0)))
    def do_POST(self):
        data = self.body()
        if self.headers.get('Content-Encoding', '').lower() == 'gzip':
            data = gzip.decompress(data)
        with open(log, 'ab') as f:
            f.write(self.path.encode() + b' ' + data + b'\n')
        answer = b'{"itemsReceived":0,"itemsAccepted":0,"errors":[]}'
        self.send_response(200)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)
    def log_message(self, *args):
        pass
http.server.ThreadingHTTPServer(('127.0.0.1', port), Ingestion).serve_forever()
PY
INGEST_PID=$!
TELEMETRY="$NAME-telemetry"
$PODMAN run -d --name "$TELEMETRY" $RUN_FLAGS --read-only --tmpfs /tmp:rw,exec,size=512m --tmpfs /home/app:rw,size=64m \
    -e AGENT_API_REPLICA_SECRET="$REPLICA_SECRET" -e AGENT_STATE_KEY="$STATE_KEY" -e REPLICA_PORT=0 -e DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" -e AGENT_API_KEYS="verify:admin:$KEY" -e SERVER_PORT="$PORT" \
    -e BROWSER_WARM_POOL=0 -e APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE=100 \
    -e APPLICATIONINSIGHTS_CONNECTION_STRING="InstrumentationKey=$(cat /proc/sys/kernel/random/uuid);IngestionEndpoint=http://127.0.0.1:$INGEST_PORT/" \
    "$IMAGE" >/dev/null
check "ready with the agent attached" ready "$TELEMETRY"
check "the JVM runs with -javaagent" bash -c "grep -q 'javaagent:/opt/applicationinsights/applicationinsights-agent.jar' <<<\"\$0\"" "$(java_cmdline "$TELEMETRY")"
for _ in $(seq 1 5); do curl -s -o /dev/null "$BASE_URL/api/agents/browser?size=1" -H "X-API-Key: $KEY"; done
arrived=""
for _ in $(seq 1 60); do grep -q 'RequestData' "$WORK-ingest.log" && { arrived=1; break; }; sleep 1; done
check "request telemetry arrived at the ingestion endpoint" test -n "$arrived"
$PODMAN rm -f "$TELEMETRY" >/dev/null 2>&1 || true
kill "$INGEST_PID" 2>/dev/null || true

printf '\n%d passed, %d failed; image %s MB, ready %s ms after podman run\n' "$PASS" "$FAIL" "$SIZE_MB" "$READY_MS"
[ "$FAIL" = 0 ]
