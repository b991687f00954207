#!/usr/bin/env bash
# The Testcontainers path of the tests, on a machine without a Docker engine: podman's Docker-
# compatible API on a socket of its own stands in for the engine, and PostgreSQL and Redis images
# built from Debian (deploy/testcontainers/*.Dockerfile, no registry needed) stand in for the
# official ones (TEST_POSTGRES_IMAGE / TEST_REDIS_IMAGE). Then a few integration tests run with
# DOCKER_HOST set and no TEST_*_URL, so support/TestServices starts both containers.
#
#   deploy/testcontainers-check.sh     # after deploy/verify-image.sh made the debian:trixie-slim base
set -euo pipefail
cd "$(dirname "$0")/.."
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
TESTS=${TESTS:-RedisHandshakeTest,ProbesTest,AgentApiTest,RedisOutageTest}
WORK=$(mktemp -d /var/tmp/agent-api-tc.XXXXXX)
SERVICE_PID=""
cleanup() {
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

for image in postgres redis; do
    $PODMAN build --network=host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024 \
        -f "deploy/testcontainers/$image.Dockerfile" -t "localhost/tc-$image:trixie" deploy/testcontainers >"$WORK/$image.log" 2>&1 \
        || { tail -20 "$WORK/$image.log"; exit 1; }
done

# what the API service gives containers: the runtime and limits that work in this sandbox
cat >"$WORK/containers.conf" <<CONF
[containers]
default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
CONF
CONTAINERS_CONF="$WORK/containers.conf" podman system service --time=0 "unix://$WORK/podman.sock" >"$WORK/service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 30); do curl -sf --unix-socket "$WORK/podman.sock" http://d/_ping >/dev/null && break; sleep 1; done

env -u TEST_POSTGRES_URL -u TEST_REDIS_URL DOCKER_HOST="unix://$WORK/podman.sock" TESTCONTAINERS_RYUK_DISABLED=true \
    TEST_POSTGRES_IMAGE=localhost/tc-postgres:trixie TEST_REDIS_IMAGE=localhost/tc-redis:trixie \
    ./mvnw -B test -Dtest="$TESTS" -Dsurefire.failIfNoSpecifiedTests=false | tee "$WORK/tests.log" \
    | grep -E "Test services|Tests run:|BUILD|FAIL"
grep -q "PostgreSQL .*(Testcontainers), Redis .*(Testcontainers)" "$WORK/tests.log"
