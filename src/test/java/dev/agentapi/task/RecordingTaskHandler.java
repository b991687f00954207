package dev.agentapi.task;

import dev.agentapi.replica.ReplicaIdentity;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code test.record}, registered only when a test sets {@code agent-api.tasks.test-handlers=true}:
 * logs each run's start and end (database clock, worker replica) in {@code test_task_runs}, works
 * for {@code work_ms} in small slices with a yield between them, and fails its first
 * {@code fail_attempts} attempts; with {@code "error": true} it throws an {@link Error} instead of
 * returning. The tests read the log to prove no task ran twice at once.
 */
@Component
@ConditionalOnProperty(name = "agent-api.tasks.test-handlers", havingValue = "true")
class RecordingTaskHandler implements TaskHandler {

    static final String TYPE = "test.record";
    static final String TABLE_DDL = "CREATE TABLE IF NOT EXISTS test_task_runs (id BIGSERIAL PRIMARY KEY, task_id TEXT NOT NULL, "
            + "attempt INT NOT NULL, replica TEXT NOT NULL, started_at TIMESTAMPTZ NOT NULL, ended_at TIMESTAMPTZ, outcome TEXT)";
    private static final long SLICE_MS = 20;

    private final JdbcClient jdbc;
    private final ReplicaIdentity replica;
    private final JsonMapper json;
    private volatile boolean logReady;

    RecordingTaskHandler(JdbcClient jdbc, ReplicaIdentity replica, JsonMapper json) {
        this.jdbc = jdbc;
        this.replica = replica;
        this.json = json;
    }

    /** Made at the first run, not at start-up: before Flyway has run, a table of ours would stop its baseline check. */
    private void ensureLog() {
        if (!logReady) {
            try {
                jdbc.sql(TABLE_DDL).update();
            } catch (RuntimeException raced) {
                // another replica made it at the same moment
            }
            logReady = true;
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public Map<String, String> validate(JsonNode payload) {
        Map<String, String> errors = new LinkedHashMap<>();
        JsonNode work = payload.get("work_ms");
        if (work != null && (!work.isInt() || work.asInt() < 0 || work.asInt() > 600_000)) {
            errors.put("work_ms", "must be 0 to 600000");
        }
        return errors;
    }

    @Override
    public JsonNode run(TaskRun run) {
        ensureLog();
        long runId = jdbc.sql("INSERT INTO test_task_runs (task_id, attempt, replica, started_at) "
                        + "VALUES (:task, :attempt, :replica, clock_timestamp()) RETURNING id")
                .param("task", run.taskId()).param("attempt", run.attempt()).param("replica", replica.id())
                .query(Long.class).single();
        String outcome = "crashed";
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(run.payload().path("work_ms").asInt(0));
            while (System.nanoTime() < deadline) {
                run.checkpoint();
                Thread.sleep(Math.min(SLICE_MS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()))));
            }
            if (run.payload().path("error").asBoolean(false)) {
                throw new Error("a handler that throws an Error, on purpose");
            }
            if (run.attempt() <= run.payload().path("fail_attempts").asInt(0)) {
                outcome = "failed";
                throw new TaskFailure("failing attempt " + run.attempt() + " on purpose", true, Map.of());
            }
            outcome = "done";
            return json.createObjectNode().put("ran_on", replica.id()).put("attempt", run.attempt());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (RuntimeException stopped) {
            if (!"failed".equals(outcome)) {
                outcome = "stopped";
            }
            throw stopped;
        } finally {
            jdbc.sql("UPDATE test_task_runs SET ended_at = clock_timestamp(), outcome = :outcome WHERE id = :id")
                    .param("outcome", outcome).param("id", runId).update();
        }
    }
}
