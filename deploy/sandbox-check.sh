#!/usr/bin/env bash
# Chromium runs sandboxed in the shipped deployment: the image (built by deploy/verify-image.sh) runs under podman
# with the Kubernetes manifests' security settings (user 10001, deploy/k8s/seccomp/agent-api-chromium.json, no
# privilege escalation, every capability dropped, read-only root filesystem) in production mode (DATABASE_URL set,
# BROWSER_ALLOW_NO_SANDBOX unset), and an agent's browser is launched. Then, from /proc inside the container:
#   - no Chromium process carries --no-sandbox;
#   - its renderers run in user namespaces of their own (Chromium's namespace sandbox), not the container's.
# Then the same container under a profile that refuses new user namespaces (as the runtimes' RuntimeDefault does):
# the service launches no browser there; the agent goes error with a reason that names the fix.
#
#   deploy/sandbox-check.sh        # after deploy/verify-image.sh (IMAGE=localhost/agent-api:verify)
#
# Needs: podman, jq, curl, psql, and the local PostgreSQL (127.0.0.1:5432, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

IMAGE=${IMAGE:-localhost/agent-api:verify}
PODMAN=${PODMAN:-podman --runtime runc --cgroup-manager=cgroupfs}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
PROFILE=deploy/k8s/seccomp/agent-api-chromium.json
RUN_ID="sandbox$$"
KEY="aak_$(head -c 32 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
# the key replicas sign forwards with: outside local mode the service does not start without one
REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d '\n')"
STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d '\n')"
WORK=$(mktemp -d)
PASS=0; FAIL=0
ok() { PASS=$((PASS + 1)); printf '   ok: %s\n' "$*"; }
bad() { FAIL=$((FAIL + 1)); printf '   FAILED: %s\n' "$*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
command -v jq >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq jq >/dev/null; }

NAMES=()
cleanup() {
    for name in "${NAMES[@]}"; do $PODMAN rm -f "$name" >/dev/null 2>&1 || true; done
    for db in "${RUN_ID}_a" "${RUN_ID}_b"; do psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

# starts the image with the manifests' settings and seccomp profile $2 against database $1; prints its base URL
start() { # $1 = database, $2 = seccomp profile, $3 = container name
    psql "$PG_ADMIN" -qc "CREATE DATABASE $1"
    local port; port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    NAMES+=("$3")
    $PODMAN run -d --name "$3" --network=host --ulimit nofile=1024:1024 --ulimit nproc=4096:4096 \
        --user 10001:10001 --security-opt "seccomp=$2" --security-opt no-new-privileges --cap-drop ALL \
        --read-only --tmpfs /tmp:rw,exec,size=512m --tmpfs /home/app:rw,size=64m --shm-size=256m \
        -e AGENT_API_REPLICA_SECRET="$REPLICA_SECRET" -e AGENT_STATE_KEY="$STATE_KEY" -e REPLICA_PORT=0 -e DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$1" -e AGENT_API_KEYS="check:admin:$KEY" \
        -e SERVER_PORT="$port" -e MANAGEMENT_PORT=0 -e BROWSER_MAX=2 -e BROWSER_WARM_POOL=0 "$IMAGE" >/dev/null
    for _ in $(seq 1 180); do
        curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && { echo "http://127.0.0.1:$port"; return; }
        [ "$($PODMAN inspect "$3" --format '{{.State.Running}}')" = "true" ] || break
        sleep 1
    done
    $PODMAN logs "$3" 2>&1 | tail -30 >&2
    return 1
}

create() { # $1 = base URL, $2 = agent id; prints the answer
    curl -s -X POST "$1/api/agents/browser" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
        -d "{\"agent_id\": \"$2\", \"channel\": \"chromium\", \"headless\": true}"
}

# "pid user-namespace cmdline" of every Chromium process in the container
chromium_processes() { # $1 = container
    $PODMAN exec "$1" sh -c 'for p in /proc/[0-9]*; do c=$(tr "\0" " " < $p/cmdline 2>/dev/null); case "$c" in *chromium*) echo "${p#/proc/} $(readlink $p/ns/user) $c";; esac; done'
}

printf '\n== the manifests'"'"' settings, profile %s\n' "$PROFILE"
BASE=$(start "${RUN_ID}_a" "$PROFILE" "agent-api-$RUN_ID-a")
ANSWER=$(create "$BASE" sandboxed)
echo "   $ANSWER" | cut -c1-200
check "the agent runs" test "$(jq -r .status <<<"$ANSWER")" = running
chromium_processes "agent-api-$RUN_ID-a" > "$WORK/processes"
cut -c1-160 "$WORK/processes" | sed 's/^/   /'
check "Chromium processes run ($(wc -l < "$WORK/processes"))" test -s "$WORK/processes"
check "none carries --no-sandbox" bash -c "! grep -a -q -- '--no-sandbox' \"\$0\"" "$WORK/processes"
CONTAINER_NS=$($PODMAN exec "agent-api-$RUN_ID-a" readlink /proc/1/ns/user)
RENDERER_NS=$(grep -a -- '--type=renderer' "$WORK/processes" | awk '{print $2}' | sort -u)
echo "   container user namespace $CONTAINER_NS; renderers' $RENDERER_NS"
check "renderers run in user namespaces of their own" bash -c '[ -n "$0" ] && ! grep -qx -- "$1" <<<"$0"' "$RENDERER_NS" "$CONTAINER_NS"

printf '\n== a profile that refuses new user namespaces, as RuntimeDefault does\n'
jq '.syscalls += [{"names": ["unshare"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1},
                  {"names": ["clone"], "action": "SCMP_ACT_ERRNO", "errnoRet": 1,
                   "args": [{"index": 0, "value": 268435456, "valueTwo": 268435456, "op": "SCMP_CMP_MASKED_EQ"}]},
                  {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38}]' "$PROFILE" > "$WORK/no-userns.json"
BASE=$(start "${RUN_ID}_b" "$WORK/no-userns.json" "agent-api-$RUN_ID-b")
ANSWER=$(create "$BASE" unsandboxable)
echo "   $ANSWER" | cut -c1-300
check "no browser is launched without its sandbox" bash -c "! $PODMAN exec agent-api-$RUN_ID-b sh -c 'for p in /proc/[0-9]*; do tr \"\\0\" \" \" < \$p/cmdline; echo; done' | grep -q chromium"
check "the agent is error, with a reason naming the fix" bash -c 'jq -e ".status == \"error\" and (.agent.status_reason | test(\"sandbox\"))" <<<"$0" >/dev/null' "$ANSWER"

printf '\n%d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" = 0 ]
