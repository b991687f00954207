#!/usr/bin/env bash
# Task queue benchmark: tasks claimed and completed per second by the service's workers with a
# no-op handler, against a raw SKIP LOCKED claim loop run by pgbench on the same table, the same
# number of tasks and the same concurrency, in the same run. The service's figure includes what
# the raw loop leaves out on purpose: an audit entry per transition, the telemetry event, JDBC
# and the worker loop. Prints tasks/s, the service's CPU per task, and the ratio.
#
#   bench/queue-bench.sh                 # 20000 tasks after 5000 warm-up ones, 3 workers (TASK_WORKERS' default)
#   TASKS=50000 WORKERS=8 bench/queue-bench.sh
#
# Needs: the local PostgreSQL (127.0.0.1:5432, trust auth) and pgbench (postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."

TASKS=${TASKS:-20000}
WARM_TASKS=${WARM_TASKS:-5000}
WORKERS=${WORKERS:-3}
PORT=${PORT:-18090}
PG_ADMIN=${PG_ADMIN:-postgresql://postgres@127.0.0.1:5432/postgres}

command -v pgbench >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql-client >/dev/null; }
./mvnw -q -DskipTests package test-compile
./mvnw -q dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt -Dmdep.includeScope=test

DB="agent_api_qbench_$$"
DB_URL="postgresql://postgres@127.0.0.1:5432/$DB"
KEY="bench_$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 32)"
psql "$PG_ADMIN" -qc "CREATE DATABASE $DB"
SERVICE_PID=""
WORK=$(mktemp -d)
cleanup() {
    [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
    psql "$PG_ADMIN" -qc "DROP DATABASE IF EXISTS $DB WITH (FORCE)" || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# the service, from the test classpath so the bench.noop handler is there; it migrates the schema
AGENT_API_REPLICA_SECRET="$(head -c 48 /dev/urandom | base64 | tr -d "\n")" AGENT_STATE_KEY="$(head -c 32 /dev/urandom | base64 | tr -d "\n")" REPLICA_PORT=0 DATABASE_URL="$DB_URL" AGENT_API_KEYS="bench:admin:$KEY" TASK_WORKERS="$WORKERS" SHUTDOWN_DRAIN_DELAY=0s \
    java -Xmx1g -cp "target/test-classes:target/classes:$(cat target/bench-classpath.txt)" dev.agentapi.AgentApiApplication \
    --server.port=$PORT --agent-api.tasks.bench-handlers=true --agent-api.tasks.poll-interval=50ms \
    --logging.level.root=WARN > target/queue-bench-service.log 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 240); do curl -sf "localhost:$PORT/health/ready" >/dev/null && break; sleep 0.5; done
curl -sf "localhost:$PORT/health/ready" >/dev/null || { echo "service did not start; see target/queue-bench-service.log" >&2; exit 1; }

insert() { # $1 = task_type: $TASKS pending tasks, priorities mixed, visible at once (one transaction)
    psql "$DB_URL" -qc "INSERT INTO tasks (id, title, status, priority, task_type, payload, source, created_by, created_at, updated_at)
        SELECT '$1-' || g, 'bench', 'pending', (ARRAY['low','medium','high','urgent'])[1 + g % 4], '$1', '{}', 'queue', 'bench',
               now(), now() FROM generate_series(1, $TASKS) g"
}
completed() { psql "$DB_URL" -Atc "SELECT count(*) FROM tasks WHERE task_type = '$1' AND status = 'completed'"; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
now_ms() { date +%s%3N; }

# warm-up: WARM_TASKS tasks, so the JIT has compiled the path before the measured run (a service runs
# for days; with 500 warm-up tasks the measured run still paid for compilation: 1.35 ms CPU per task
# against 0.47 ms warm)
ALL=$TASKS; TASKS=$WARM_TASKS; insert bench.noop
until [ "$(completed bench.noop)" = "$TASKS" ]; do sleep 0.5; done
psql "$DB_URL" -qc "UPDATE tasks SET task_type = 'bench.warm' WHERE task_type = 'bench.noop'"
TASKS=$ALL

# 1. the service's workers. The tasks are stored under a type nobody claims, then switched to
#    bench.noop in one statement: the clock starts before that statement (its time counts against us)
insert bench.hold
T0=$(now_ms); CPU0=$(cpu_ticks "$SERVICE_PID")
psql "$DB_URL" -qc "UPDATE tasks SET task_type = 'bench.noop' WHERE task_type = 'bench.hold'"
until [ "$(completed bench.noop)" = "$TASKS" ]; do sleep 0.1; done
T1=$(now_ms); CPU1=$(cpu_ticks "$SERVICE_PID")
kill "$SERVICE_PID"; wait "$SERVICE_PID" 2>/dev/null || true; SERVICE_PID=""

# 2. the raw loop: claim (SKIP LOCKED, same order, same lease columns) then complete, two statements
#    per task like the workers, $WORKERS clients, every client exactly its share of the tasks
insert bench.raw
cat > "$WORK/claim.sql" <<'SQL'
WITH next AS (SELECT id FROM tasks WHERE source = 'queue' AND status = 'pending' AND task_type = 'bench.raw'
              AND run_after <= now() ORDER BY priority_rank, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE tasks SET status = 'running', attempts = attempts + 1, lease_owner = 'pgbench-' || :client_id,
       lease_expires_at = now() + interval '30 seconds', started_at = now(), updated_at = now()
  FROM next WHERE tasks.id = next.id RETURNING tasks.id AS task_id \gset
UPDATE tasks SET status = 'completed', result = '{}', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,
       updated_at = now() WHERE id = ':task_id' AND status = 'running' AND lease_owner = 'pgbench-' || :client_id;
SQL
PER_CLIENT=$((TASKS / WORKERS))
R0=$(now_ms)
pgbench -n -f "$WORK/claim.sql" -c "$WORKERS" -j "$WORKERS" -t "$PER_CLIENT" "$DB_URL" > target/queue-bench-pgbench.out 2>&1 || { cat target/queue-bench-pgbench.out >&2; exit 1; }
R1=$(now_ms)
RAW_DONE=$(completed bench.raw)

# 3. for context: the same raw loop plus what the service adds in the database, an audit row per
#    transition in the transition's transaction (not the baseline; it shows where the gap is)
insert bench.audited
cat > "$WORK/claim-audited.sql" <<'SQL'
BEGIN;
WITH next AS (SELECT id FROM tasks WHERE source = 'queue' AND status = 'pending' AND task_type = 'bench.audited'
              AND run_after <= now() ORDER BY priority_rank, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
UPDATE tasks SET status = 'running', attempts = attempts + 1, lease_owner = 'pgbench-' || :client_id,
       lease_expires_at = now() + interval '30 seconds', started_at = now(), updated_at = now()
  FROM next WHERE tasks.id = next.id RETURNING tasks.id AS task_id \gset
INSERT INTO audit_logs (event_type, action, resource_type, resource_id, user_id, details, new_value, success, timestamp)
VALUES ('task.claimed', 'EXECUTE', 'task', ':task_id', 'system', '{"attempt": 1}', '{"status": "running"}', TRUE, now());
COMMIT;
BEGIN;
UPDATE tasks SET status = 'completed', result = '{}', completed_at = now(), lease_owner = NULL, lease_expires_at = NULL,
       updated_at = now() WHERE id = ':task_id' AND status = 'running' AND lease_owner = 'pgbench-' || :client_id;
INSERT INTO audit_logs (event_type, action, resource_type, resource_id, user_id, details, new_value, success, timestamp)
VALUES ('task.completed', 'EXECUTE', 'task', ':task_id', 'system', '{"attempt": 1}', '{"status": "completed"}', TRUE, now());
COMMIT;
SQL
A0=$(now_ms)
pgbench -n -f "$WORK/claim-audited.sql" -c "$WORKERS" -j "$WORKERS" -t "$PER_CLIENT" "$DB_URL" > target/queue-bench-pgbench-audited.out 2>&1 || { cat target/queue-bench-pgbench-audited.out >&2; exit 1; }
A1=$(now_ms)
AUDITED_DONE=$(completed bench.audited)

awk -v n="$TASKS" -v t0="$T0" -v t1="$T1" -v c0="$CPU0" -v c1="$CPU1" -v hz="$(getconf CLK_TCK)" \
    -v rn="$RAW_DONE" -v r0="$R0" -v r1="$R1" -v an="$AUDITED_DONE" -v a0="$A0" -v a1="$A1" -v w="$WORKERS" -v cores="$(nproc)" 'BEGIN {
    svc = n / ((t1 - t0) / 1000); raw = rn / ((r1 - r0) / 1000)
    printf "tasks: %d per side, %d workers / pgbench clients, %d cores\n", n, w, cores
    printf "%-34s %10s %16s\n", "", "tasks/s", "service CPU/task"
    printf "%-34s %10.0f %13.2f ms\n", "service workers (no-op handler)", svc, (c1 - c0) / hz * 1000 / n
    printf "%-34s %10.0f %16s\n", "raw SKIP LOCKED loop (pgbench)", raw, "-"
    printf "%-34s %10.0f %16s\n", "raw loop + audit rows (context)", an / ((a1 - a0) / 1000), "-"
    printf "ratio service / raw: %.2f (target >= 0.5)\n", svc / raw
}'
grep -E "^(number of failed|latency average)" target/queue-bench-pgbench.out || true
