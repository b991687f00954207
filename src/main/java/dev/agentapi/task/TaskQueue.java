package dev.agentapi.task;

import jakarta.annotation.Nullable;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The queue's statements on {@code tasks}: every one sees queue rows only ({@code source = 'queue'};
 * Taskade mirror rows share the table) and changes a task only from the status the transition
 * starts from, so concurrent callers cannot both win. Callers hold the transaction.
 */
@Component
class TaskQueue {

    private static final String QUEUE = "source = 'queue'";
    private static final List<String> COLUMN_LIST = List.of("id", "title", "description", "status", "priority", "task_type",
            "platform", "metadata::text AS metadata", "payload::text AS payload", "result::text AS result",
            "error::text AS error", "agent_id", "attempts", "max_attempts", "cancel_requested", "lease_owner",
            "lease_expires_at", "run_after", "idempotency_key", "request_hash", "created_by", "created_at", "updated_at",
            "started_at", "completed_at", "runtime_ms", "max_runtime_ms", "trace");
    private static final String COLUMNS = String.join(", ", COLUMN_LIST);
    /** Qualified: the UPDATEs join a CTE that has an id too. */
    private static final String RETURNING = " RETURNING " + String.join(", ", COLUMN_LIST.stream().map(c -> "tasks." + c).toList());
    /** now() + backoff × 2^(attempts-1), capped; for a task that goes back to pending. */
    private static final String BACKOFF = "now() + LEAST(make_interval(secs => :maxBackoff), "
            + "make_interval(secs => :backoff * power(2, GREATEST(tasks.attempts - 1, 0))))";
    /** A running task's runtime so far: its finished attempts' and this one's, in milliseconds. */
    private static final String SPENT = "(tasks.runtime_ms + GREATEST(0, (EXTRACT(EPOCH FROM now() - tasks.started_at) * 1000)::bigint))";
    /** A running task that has not yet run for its whole budget. */
    private static final String WITHIN_BUDGET = "(tasks.max_runtime_ms IS NULL OR " + SPENT + " < tasks.max_runtime_ms)";
    /** The order of ix_tasks_pending_by_owner. */
    private static final String BY_OWNER = "t.created_by, t.priority_rank, t.created_at, t.id";
    /** The first key of the owners' advisory locks taken by creates ({@code pg_advisory_xact_lock(int, int)}). */
    private static final int OWNER_LOCK_SPACE = 0x5451_5431; // "TQT1"

    private static final RowMapper<TaskRow> ROW = TaskQueue::row;

    private final JdbcClient jdbc;

    TaskQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new pending task with its runtime budget; empty when the owner already used the idempotency key. */
    Optional<TaskRow> insert(NewTask task, Duration maxRuntime) {
        return jdbc.sql("INSERT INTO tasks (id, title, description, status, priority, task_type, platform, metadata, payload, "
                        + "agent_id, max_attempts, created_by, idempotency_key, request_hash, source, created_at, updated_at, run_after, "
                        + "max_runtime_ms, trace) "
                        + "VALUES (:id, :title, :description, 'pending', :priority, :taskType, :platform, :metadata::jsonb, "
                        + ":payload::jsonb, :agentId, :maxAttempts, :createdBy, :key, :hash, 'queue', now(), now(), now(), :maxRuntime, :trace) "
                        + "ON CONFLICT (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING" + RETURNING)
                .param("maxRuntime", maxRuntime.toMillis())
                .param("trace", task.trace())
                .param("id", "task_" + UUID.randomUUID().toString().replace("-", ""))
                .param("title", task.title())
                .param("description", task.description())
                .param("priority", task.priority().value())
                .param("taskType", task.taskType())
                .param("platform", task.platform())
                .param("metadata", task.metadata())
                .param("payload", task.payload())
                .param("agentId", task.agentId())
                .param("maxAttempts", task.maxAttempts())
                .param("createdBy", task.createdBy())
                .param("key", task.idempotencyKey())
                .param("hash", task.requestHash())
                .query(ROW).optional();
    }

    /**
     * Makes the owner's other creates wait until the caller's transaction ends, so what it counts of the owner's
     * tasks (its caps) is still so when it inserts.
     */
    void lockOwner(String owner) {
        jdbc.sql("SELECT 1 FROM pg_advisory_xact_lock(:space, hashtext(:owner))")
                .param("space", OWNER_LOCK_SPACE).param("owner", owner).query(Integer.class).single();
    }

    /** The owner's pending queue tasks. */
    long pendingOf(String owner) {
        return jdbc.sql("SELECT count(*) FROM tasks WHERE " + QUEUE + " AND status = 'pending' AND created_by = :owner")
                .param("owner", owner).query(Long.class).single();
    }

    /** The owner's urgent queue tasks, pending or running. */
    long urgentOf(String owner) {
        return jdbc.sql("SELECT (SELECT count(*) FROM tasks WHERE " + QUEUE + " AND status = 'pending' AND created_by = :owner "
                        + "AND priority_rank = 0) + (SELECT count(*) FROM tasks WHERE " + QUEUE + " AND status = 'running' "
                        + "AND created_by = :owner AND priority = 'urgent')")
                .param("owner", owner).query(Long.class).single();
    }

    Optional<TaskRow> findByIdempotencyKey(String owner, String key) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE " + QUEUE + " AND created_by = :owner AND idempotency_key = :key")
                .param("owner", owner).param("key", key).query(ROW).optional();
    }

    Optional<TaskRow> find(String id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE " + QUEUE + " AND id = :id")
                .param("id", id).query(ROW).optional();
    }

    /** One page, newest first; {@code owner} null for every owner's. */
    List<TaskRow> list(TaskFilter filter, String owner, int page, int size) {
        Map<String, Object> params = new HashMap<>();
        String where = where(filter, owner, params);
        params.put("limit", size);
        params.put("offset", (long) page * size);
        return jdbc.sql("SELECT " + COLUMNS + " FROM tasks WHERE " + where
                        + " ORDER BY created_at DESC, id LIMIT :limit OFFSET :offset")
                .params(params).query(ROW).list();
    }

    long count(TaskFilter filter, String owner) {
        Map<String, Object> params = new HashMap<>();
        return jdbc.sql("SELECT count(*) FROM tasks WHERE " + where(filter, owner, params))
                .params(params).query(Long.class).single();
    }

    /**
     * Claims the next due pending task of one of {@code types}, sharing the queue fairly between owners: among
     * the owners with such a task and fewer than {@code maxRunning} running, it is the turn of the one whose
     * best task has the best priority, then of the one with the fewest tasks running, then of the one whose
     * best task is the oldest; that task is claimed. So urgent work comes first, and within a priority owners
     * take turns: a worker that frees up serves an owner with nothing running before one that already has
     * tasks running, however many that one queued. The owners are found by a loose index scan (one probe per
     * owner with pending tasks, never a walk over the queue). SKIP LOCKED lets concurrent claimers pass over
     * each other's candidates; the row lock makes the claim exclusive. The claim takes one of the owner's free
     * running places ({@code run_slot}, at random so claimers rarely pick the same); two claims racing for one
     * place meet on {@code ux_tasks_running_slot}, and the second fails with a duplicate key (to be claimed again),
     * so no owner ever runs more than {@code maxRunning} tasks, over every replica. {@code owner}: only this
     * owner's tasks (an external worker without the admin role).
     */
    Optional<TaskRow> claim(Collection<String> types, String platform, String owner, String leaseOwner, Duration lease,
                            int maxRunning) {
        Map<String, Object> params = new HashMap<>();
        params.put("types", types);
        params.put("leaseOwner", leaseOwner);
        params.put("lease", seconds(lease));
        params.put("maxRunning", maxRunning);
        StringBuilder due = new StringBuilder("t.source = 'queue' AND t.status = 'pending' AND t.task_type IN (:types) "
                + "AND t.run_after <= now()");
        if (platform != null) {
            due.append(" AND t.platform = :platform");
            params.put("platform", platform);
        }
        String owners;
        if (owner != null) {
            owners = "owners AS (SELECT CAST(:owner AS VARCHAR(255)) AS created_by)";
            params.put("owner", owner);
        } else {
            // ordered as ix_tasks_pending_by_owner is, so each step is one probe of it (ix_tasks_created_by, over every
            // task ever queued, would walk finished tasks)
            owners = "owners AS ((SELECT t.created_by FROM tasks t WHERE " + due + " ORDER BY " + BY_OWNER + " LIMIT 1) "
                    + "UNION ALL SELECT (SELECT t.created_by FROM tasks t WHERE " + due + " AND t.created_by > o.created_by "
                    + "ORDER BY " + BY_OWNER + " LIMIT 1) FROM owners o WHERE o.created_by IS NOT NULL)";
        }
        return jdbc.sql("WITH RECURSIVE " + owners + ", "
                        + "heads AS MATERIALIZED (SELECT o.created_by, h.priority_rank, h.created_at, (SELECT count(*) FROM tasks r "
                        + "WHERE r.source = 'queue' AND r.status = 'running' AND r.created_by = o.created_by) AS running "
                        + "FROM owners o CROSS JOIN LATERAL (SELECT t.priority_rank, t.created_at FROM tasks t WHERE " + due
                        + " AND t.created_by = o.created_by ORDER BY t.priority_rank, t.created_at, t.id LIMIT 1) h "
                        + "WHERE o.created_by IS NOT NULL), "
                        + "turn AS (SELECT created_by FROM heads WHERE running < :maxRunning "
                        + "ORDER BY priority_rank, running, created_at LIMIT 1), "
                        + "next AS (SELECT t.id, t.created_by FROM tasks t WHERE t.created_by = (SELECT created_by FROM turn) AND " + due
                        + " ORDER BY t.priority_rank, t.created_at, t.id LIMIT 1 FOR UPDATE OF t SKIP LOCKED) "
                        + "UPDATE tasks SET status = 'running', attempts = attempts + 1, lease_owner = :leaseOwner, "
                        + "lease_expires_at = now() + make_interval(secs => :lease), started_at = now(), "
                        + "completed_at = NULL, updated_at = now(), run_slot = (SELECT s FROM generate_series(1, :maxRunning) s "
                        + "WHERE s NOT IN (SELECT r.run_slot FROM tasks r WHERE r.source = 'queue' AND r.status = 'running' "
                        + "AND r.created_by = next.created_by AND r.run_slot IS NOT NULL) ORDER BY random() LIMIT 1) "
                        + "FROM next WHERE tasks.id = next.id" + RETURNING)
                .params(params).query(ROW).optional();
    }

    /** Extends the leases still held of runs within their budget; answers task id → cancel requested for each of them. */
    Map<String, Boolean> extend(Collection<String> leaseOwners, Duration lease) {
        if (leaseOwners.isEmpty()) {
            return Map.of();
        }
        Map<String, Boolean> held = new HashMap<>();
        // a run past its runtime budget is not extended: one that never yields loses its lease, and the reaper ends it
        jdbc.sql("UPDATE tasks SET lease_expires_at = now() + make_interval(secs => :lease) WHERE " + QUEUE
                        + " AND status = 'running' AND lease_owner IN (:owners) AND " + WITHIN_BUDGET + " RETURNING id, cancel_requested")
                .param("lease", seconds(lease)).param("owners", leaseOwners)
                .query((rs, n) -> held.put(rs.getString(1), rs.getBoolean(2))).list();
        return held;
    }

    /** Ends a run the caller holds with its result; a cancel asked for meanwhile wins (the result is kept). */
    Optional<TaskRow> complete(String id, String leaseOwner, String result) {
        return jdbc.sql("UPDATE tasks SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'completed' END, "
                        + "result = :result::jsonb, error = NULL, completed_at = now(), lease_owner = NULL, runtime_ms = " + SPENT + ", "
                        + "lease_expires_at = NULL, updated_at = now() WHERE " + QUEUE
                        + " AND id = :id AND status = 'running' AND lease_owner = :leaseOwner" + RETURNING)
                .param("id", id).param("leaseOwner", leaseOwner).param("result", result)
                .query(ROW).optional();
    }

    /** Ends a run the caller holds as cancelled (its handler saw the cancel request). */
    Optional<TaskRow> cancelRun(String id, String leaseOwner) {
        return jdbc.sql("UPDATE tasks SET status = 'cancelled', completed_at = now(), lease_owner = NULL, "
                        + "lease_expires_at = NULL, updated_at = now(), runtime_ms = " + SPENT + " WHERE " + QUEUE
                        + " AND id = :id AND status = 'running' AND lease_owner = :leaseOwner" + RETURNING)
                .param("id", id).param("leaseOwner", leaseOwner).query(ROW).optional();
    }

    /**
     * Ends a failed run the caller holds: back to pending after a backoff while attempts and runtime budget
     * remain and the failure may pass ({@code retry}), else failed; cancelled if a cancel was asked for.
     */
    Optional<TaskRow> fail(String id, String leaseOwner, String error, boolean retry, Duration backoff, Duration maxBackoff) {
        String again = ":retry AND tasks.attempts < tasks.max_attempts AND " + WITHIN_BUDGET;
        return jdbc.sql("UPDATE tasks SET status = CASE WHEN cancel_requested THEN 'cancelled' WHEN " + again
                        + " THEN 'pending' ELSE 'failed' END, error = :error::jsonb, "
                        + "run_after = CASE WHEN NOT cancel_requested AND " + again + " THEN " + BACKOFF + " ELSE run_after END, "
                        + "completed_at = CASE WHEN NOT cancel_requested AND " + again + " THEN NULL ELSE now() END, "
                        + "runtime_ms = " + SPENT + ", "
                        + "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() WHERE " + QUEUE
                        + " AND id = :id AND status = 'running' AND lease_owner = :leaseOwner" + RETURNING)
                .param("id", id).param("leaseOwner", leaseOwner).param("error", error).param("retry", retry)
                .param("backoff", seconds(backoff)).param("maxBackoff", seconds(maxBackoff))
                .query(ROW).optional();
    }

    /**
     * A cancel from a client: a pending task is cancelled at once; a running one is marked, and its
     * worker ends it at its next yield. A claim in flight holds the row lock, so this waits for it
     * and then sees the task running.
     */
    Optional<TaskRow> cancel(String id) {
        return jdbc.sql("UPDATE tasks SET cancel_requested = TRUE, "
                        + "status = CASE WHEN status = 'pending' THEN 'cancelled' ELSE status END, "
                        + "completed_at = CASE WHEN status = 'pending' THEN now() ELSE completed_at END, updated_at = now() "
                        + "WHERE " + QUEUE + " AND id = :id AND status IN ('pending', 'running')" + RETURNING)
                .param("id", id).query(ROW).optional();
    }

    /**
     * Takes back tasks whose lease ran out (their worker died or hung, or the run outlived its runtime budget):
     * pending again after a backoff while attempts and budget remain, failed after the last, cancelled if a
     * cancel was asked for. The time until now counts against the budget.
     */
    List<TaskRow> reap(int limit, Duration backoff, Duration maxBackoff) {
        String again = "NOT tasks.cancel_requested AND tasks.attempts < tasks.max_attempts AND " + WITHIN_BUDGET;
        return jdbc.sql("WITH expired AS (SELECT id FROM tasks WHERE " + QUEUE + " AND status = 'running' "
                        + "AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED) "
                        + "UPDATE tasks SET status = CASE WHEN tasks.cancel_requested THEN 'cancelled' WHEN " + again
                        + " THEN 'pending' ELSE 'failed' END, "
                        + "run_after = CASE WHEN " + again + " THEN " + BACKOFF + " ELSE tasks.run_after END, "
                        + "completed_at = CASE WHEN " + again + " THEN NULL ELSE now() END, "
                        + "error = CASE WHEN " + WITHIN_BUDGET + " THEN jsonb_build_object('reason', 'lease_expired', 'attempt', "
                        + "tasks.attempts, 'message', 'The worker running this attempt stopped renewing its lease') "
                        + "ELSE jsonb_build_object('reason', 'runtime_budget_exceeded', 'attempt', tasks.attempts, 'message', "
                        + "'The task ran for its whole runtime budget over its attempts') END, "
                        + "runtime_ms = " + SPENT + ", "
                        + "lease_owner = NULL, lease_expires_at = NULL, updated_at = now() FROM expired WHERE tasks.id = expired.id"
                        + RETURNING)
                .param("limit", limit).param("backoff", seconds(backoff)).param("maxBackoff", seconds(maxBackoff))
                .query(ROW).list();
    }

    /** Pending queue tasks per priority: how many, and the age of the oldest in seconds. */
    Map<TaskPriority, double[]> depth() {
        Map<TaskPriority, double[]> depth = new HashMap<>();
        jdbc.sql("SELECT priority, count(*), COALESCE(EXTRACT(EPOCH FROM now() - min(created_at)), 0) FROM tasks WHERE "
                        + QUEUE + " AND status = 'pending' GROUP BY priority")
                .query((rs, n) -> depth.put(TaskPriority.of(rs.getString(1)).orElseThrow(),
                        new double[] {rs.getLong(2), rs.getDouble(3)}))
                .list();
        return depth;
    }

    void attach(String taskId, int step, String mediaType, byte[] data) {
        jdbc.sql("INSERT INTO task_attachments (task_id, step, media_type, data) VALUES (:id, :step, :type, :data) "
                        + "ON CONFLICT (task_id, step) DO UPDATE SET media_type = EXCLUDED.media_type, data = EXCLUDED.data, "
                        + "created_at = now()")
                .param("id", taskId).param("step", step).param("type", mediaType).param("data", data).update();
    }

    Optional<Attachment> attachment(String taskId, int step) {
        return jdbc.sql("SELECT media_type, data FROM task_attachments WHERE task_id = :id AND step = :step")
                .param("id", taskId).param("step", step)
                .query((rs, n) -> new Attachment(rs.getString(1), rs.getBytes(2))).optional();
    }

    record Attachment(String mediaType, byte[] data) {
    }

    /** The attachment, its bytes only when at most {@code maxBytes}. */
    Optional<TaskQueueService.AttachmentContent> attachment(String taskId, int step, long maxBytes) {
        return jdbc.sql("SELECT media_type, octet_length(data) AS size, CASE WHEN octet_length(data) <= :max THEN data END AS data "
                        + "FROM task_attachments WHERE task_id = :id AND step = :step")
                .param("id", taskId).param("step", step).param("max", maxBytes)
                .query((rs, n) -> new TaskQueueService.AttachmentContent(rs.getString("media_type"), rs.getLong("size"), rs.getBytes("data")))
                .optional();
    }

    /** The attachments of {@code owner}'s queue tasks on agents that are not deleted, newest first. */
    List<TaskQueueService.AgentAttachment> agentAttachments(String owner, int limit, @Nullable Instant afterAt, @Nullable String afterUri) {
        // "C" collation: the URIs (ASCII) order as Java's String.compareTo orders them (McpResources merges pages)
        String after = afterAt == null ? "" : "WHERE at < :at OR (at = :at AND uri COLLATE \"C\" > :uri) ";
        var query = jdbc.sql("SELECT * FROM (SELECT t.agent_id, t.id, a.step, a.media_type, octet_length(a.data) AS size, "
                        + "a.created_at AS at, 'agent://' || t.agent_id || '/tasks/' || t.id || '/result/' || a.step AS uri "
                        + "FROM task_attachments a JOIN tasks t ON t.id = a.task_id WHERE " + QUEUE + " AND t.created_by = :owner "
                        + "AND t.agent_id IS NOT NULL AND EXISTS (SELECT 1 FROM browser_agents b WHERE b.id = t.agent_id "
                        + "AND b.deleted_at IS NULL)) attachments " + after + "ORDER BY at DESC, uri COLLATE \"C\" LIMIT :limit")
                .param("owner", owner).param("limit", limit);
        if (afterAt != null) {
            query = query.param("at", afterAt.atOffset(java.time.ZoneOffset.UTC)).param("uri", afterUri);
        }
        return query.query((rs, n) -> new TaskQueueService.AgentAttachment(rs.getString(1), rs.getString(2), rs.getInt(3),
                        rs.getString(4), rs.getLong(5), rs.getObject(6, java.time.OffsetDateTime.class).toInstant()))
                .list();
    }

    /** Keeps a task's trace until {@code expiresAt}, replacing the one before (an earlier attempt's). */
    void saveTrace(String taskId, byte[] zip, Instant expiresAt) {
        jdbc.sql("INSERT INTO task_traces (task_id, data, size_bytes, expires_at) VALUES (:id, :data, :size, :expires) "
                        + "ON CONFLICT (task_id) DO UPDATE SET data = EXCLUDED.data, size_bytes = EXCLUDED.size_bytes, "
                        + "created_at = now(), expires_at = EXCLUDED.expires_at")
                .param("id", taskId).param("data", zip).param("size", (long) zip.length)
                .param("expires", expiresAt.atOffset(java.time.ZoneOffset.UTC)).update();
    }

    /** The task's trace unless it has expired. */
    Optional<byte[]> trace(String taskId) {
        return jdbc.sql("SELECT data FROM task_traces WHERE task_id = :id AND expires_at > now()")
                .param("id", taskId).query((rs, n) -> rs.getBytes(1)).optional();
    }

    /** Deletes the task traces past their retention; how many. */
    int deleteExpiredTraces() {
        return jdbc.sql("DELETE FROM task_traces WHERE expires_at <= now()").update();
    }

    private static String where(TaskFilter filter, String owner, Map<String, Object> params) {
        List<String> conditions = new ArrayList<>(List.of(QUEUE));
        if (owner != null) {
            conditions.add("created_by = :owner");
            params.put("owner", owner);
        }
        if (filter.status() != null) {
            conditions.add("status = :status");
            params.put("status", filter.status().value());
        }
        if (filter.priority() != null) {
            conditions.add("priority = :priority");
            params.put("priority", filter.priority().value());
        }
        if (filter.taskType() != null) {
            conditions.add("task_type = :taskType");
            params.put("taskType", filter.taskType());
        }
        return String.join(" AND ", conditions);
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    private static TaskRow row(ResultSet rs, int n) throws SQLException {
        return new TaskRow(rs.getString("id"), rs.getString("title"), rs.getString("description"),
                TaskStatus.of(rs.getString("status")).orElseThrow(), TaskPriority.of(rs.getString("priority")).orElseThrow(),
                rs.getString("task_type"), rs.getString("platform"), rs.getString("metadata"), rs.getString("payload"),
                rs.getString("result"), rs.getString("error"), rs.getString("agent_id"), rs.getInt("attempts"),
                rs.getInt("max_attempts"), rs.getBoolean("cancel_requested"), rs.getString("lease_owner"),
                instant(rs, "lease_expires_at"), instant(rs, "run_after"), rs.getString("idempotency_key"),
                rs.getString("request_hash"), rs.getString("created_by"), instant(rs, "created_at"),
                instant(rs, "updated_at"), instant(rs, "started_at"), instant(rs, "completed_at"), rs.getLong("runtime_ms"),
                rs.getObject("max_runtime_ms") == null ? null : rs.getLong("max_runtime_ms"), rs.getBoolean("trace"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
