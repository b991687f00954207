package dev.agentapi.task;

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
            "started_at", "completed_at");
    private static final String COLUMNS = String.join(", ", COLUMN_LIST);
    /** Qualified: the UPDATEs join a CTE that has an id too. */
    private static final String RETURNING = " RETURNING " + String.join(", ", COLUMN_LIST.stream().map(c -> "tasks." + c).toList());
    /** now() + backoff × 2^(attempts-1), capped; for a task that goes back to pending. */
    private static final String BACKOFF = "now() + LEAST(make_interval(secs => :maxBackoff), "
            + "make_interval(secs => :backoff * power(2, GREATEST(attempts - 1, 0))))";

    private static final RowMapper<TaskRow> ROW = TaskQueue::row;

    private final JdbcClient jdbc;

    TaskQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Stores a new pending task; empty when the owner already used the idempotency key. */
    Optional<TaskRow> insert(NewTask task) {
        return jdbc.sql("INSERT INTO tasks (id, title, description, status, priority, task_type, platform, metadata, payload, "
                        + "agent_id, max_attempts, created_by, idempotency_key, request_hash, source, created_at, updated_at, run_after) "
                        + "VALUES (:id, :title, :description, 'pending', :priority, :taskType, :platform, :metadata::jsonb, "
                        + ":payload::jsonb, :agentId, :maxAttempts, :createdBy, :key, :hash, 'queue', now(), now(), now()) "
                        + "ON CONFLICT (created_by, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING" + RETURNING)
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
     * Claims the next pending task of one of {@code types} that is due: best priority, then oldest.
     * SKIP LOCKED lets concurrent claimers pass over each other's candidates instead of queueing
     * behind them; the row lock makes the claim exclusive.
     */
    Optional<TaskRow> claim(Collection<String> types, String platform, String owner, String leaseOwner, Duration lease) {
        Map<String, Object> params = new HashMap<>();
        params.put("types", types);
        params.put("leaseOwner", leaseOwner);
        params.put("lease", seconds(lease));
        StringBuilder where = new StringBuilder(QUEUE + " AND status = 'pending' AND task_type IN (:types) AND run_after <= now()");
        if (platform != null) {
            where.append(" AND platform = :platform");
            params.put("platform", platform);
        }
        if (owner != null) {
            where.append(" AND created_by = :owner");
            params.put("owner", owner);
        }
        return jdbc.sql("WITH next AS (SELECT id FROM tasks WHERE " + where
                        + " ORDER BY priority_rank, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED) "
                        + "UPDATE tasks SET status = 'running', attempts = attempts + 1, lease_owner = :leaseOwner, "
                        + "lease_expires_at = now() + make_interval(secs => :lease), started_at = now(), "
                        + "completed_at = NULL, updated_at = now() FROM next WHERE tasks.id = next.id" + RETURNING)
                .params(params).query(ROW).optional();
    }

    /** Extends the leases still held; answers task id → cancel requested for each of them. */
    Map<String, Boolean> extend(Collection<String> leaseOwners, Duration lease) {
        if (leaseOwners.isEmpty()) {
            return Map.of();
        }
        Map<String, Boolean> held = new HashMap<>();
        jdbc.sql("UPDATE tasks SET lease_expires_at = now() + make_interval(secs => :lease) WHERE " + QUEUE
                        + " AND status = 'running' AND lease_owner IN (:owners) RETURNING id, cancel_requested")
                .param("lease", seconds(lease)).param("owners", leaseOwners)
                .query((rs, n) -> held.put(rs.getString(1), rs.getBoolean(2))).list();
        return held;
    }

    /** Ends a run the caller holds with its result; a cancel asked for meanwhile wins (the result is kept). */
    Optional<TaskRow> complete(String id, String leaseOwner, String result) {
        return jdbc.sql("UPDATE tasks SET status = CASE WHEN cancel_requested THEN 'cancelled' ELSE 'completed' END, "
                        + "result = :result::jsonb, error = NULL, completed_at = now(), lease_owner = NULL, "
                        + "lease_expires_at = NULL, updated_at = now() WHERE " + QUEUE
                        + " AND id = :id AND status = 'running' AND lease_owner = :leaseOwner" + RETURNING)
                .param("id", id).param("leaseOwner", leaseOwner).param("result", result)
                .query(ROW).optional();
    }

    /** Ends a run the caller holds as cancelled (its handler saw the cancel request). */
    Optional<TaskRow> cancelRun(String id, String leaseOwner) {
        return jdbc.sql("UPDATE tasks SET status = 'cancelled', completed_at = now(), lease_owner = NULL, "
                        + "lease_expires_at = NULL, updated_at = now() WHERE " + QUEUE
                        + " AND id = :id AND status = 'running' AND lease_owner = :leaseOwner" + RETURNING)
                .param("id", id).param("leaseOwner", leaseOwner).query(ROW).optional();
    }

    /**
     * Ends a failed run the caller holds: back to pending after a backoff while attempts remain and
     * the failure may pass ({@code retry}), else failed; cancelled if a cancel was asked for.
     */
    Optional<TaskRow> fail(String id, String leaseOwner, String error, boolean retry, Duration backoff, Duration maxBackoff) {
        String again = ":retry AND attempts < max_attempts";
        return jdbc.sql("UPDATE tasks SET status = CASE WHEN cancel_requested THEN 'cancelled' WHEN " + again
                        + " THEN 'pending' ELSE 'failed' END, error = :error::jsonb, "
                        + "run_after = CASE WHEN NOT cancel_requested AND " + again + " THEN " + BACKOFF + " ELSE run_after END, "
                        + "completed_at = CASE WHEN NOT cancel_requested AND " + again + " THEN NULL ELSE now() END, "
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
     * Takes back tasks whose lease ran out (their worker died or hung): pending again after a
     * backoff while attempts remain, failed after the last, cancelled if a cancel was asked for.
     */
    List<TaskRow> reap(int limit, Duration backoff, Duration maxBackoff) {
        String again = "NOT tasks.cancel_requested AND tasks.attempts < tasks.max_attempts";
        return jdbc.sql("WITH expired AS (SELECT id FROM tasks WHERE " + QUEUE + " AND status = 'running' "
                        + "AND lease_expires_at < now() ORDER BY lease_expires_at LIMIT :limit FOR UPDATE SKIP LOCKED) "
                        + "UPDATE tasks SET status = CASE WHEN tasks.cancel_requested THEN 'cancelled' WHEN " + again
                        + " THEN 'pending' ELSE 'failed' END, "
                        + "run_after = CASE WHEN " + again + " THEN " + BACKOFF + " ELSE tasks.run_after END, "
                        + "completed_at = CASE WHEN " + again + " THEN NULL ELSE now() END, "
                        + "error = jsonb_build_object('reason', 'lease_expired', 'attempt', tasks.attempts, 'message', "
                        + "'The worker running this attempt stopped renewing its lease'), "
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
                instant(rs, "updated_at"), instant(rs, "started_at"), instant(rs, "completed_at"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp value = rs.getTimestamp(column);
        return value == null ? null : value.toInstant();
    }
}
