package dev.agentapi.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Three replicas of the service, each a JVM of its own with three workers, drain one queue on the
 * real PostgreSQL; then one is killed (SIGKILL) in the middle of a task and the two left take over.
 * Every run of the test handler logs its start and end; no two runs of a task may overlap and every
 * task must end completed.
 */
@ExtendWith(RequiresPostgres.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TaskReplicasTest {

    static final String TASKS = "/api/agents/mcp/tasks";
    static final Duration LEASE = Duration.ofSeconds(6);
    static final String SECRET = UUID.randomUUID() + "-" + UUID.randomUUID();
    static final List<ServiceProcess> replicas = new ArrayList<>();
    static JdbcClient db;
    /** When the killed replica died, by the database clock: its unfinished run ended then. */
    static Timestamp killedAt;

    @BeforeAll
    static void startReplicas() throws Exception {
        db = JdbcClient.create(new DriverManagerDataSource("jdbc:" + TestDatabase.shared()));
        replicas.add(start()); // the first one migrates the schema; the others start against it together
        List<CompletableFuture<ServiceProcess>> others = List.of(ServiceProcess.inBackground(TaskReplicasTest::start),
                ServiceProcess.inBackground(TaskReplicasTest::start));
        for (CompletableFuture<ServiceProcess> other : others) {
            replicas.add(other.join());
        }
    }

    @AfterAll
    static void stopReplicas() throws Exception {
        for (ServiceProcess replica : replicas) {
            replica.close();
        }
    }

    @Test
    @Order(1)
    void threeReplicasDrainOneQueueWithNoTaskRunTwiceAtOnceAndNoneLost() {
        List<String> ids = createTasks(replicas, 90, 30);

        awaitCompleted(ids);
        assertNoOverlappingRuns(ids);
        assertExactlyOneFinishedRunEach(ids);
        assertThat(db.sql("SELECT count(DISTINCT replica) FROM test_task_runs WHERE task_id IN (:ids)")
                .param("ids", ids).query(Long.class).single()).as("replicas that ran tasks").isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(2)
    void aTaskOfAReplicaKilledMidRunIsRetriedByAnotherAfterItsLease() throws Exception {
        ServiceProcess victim = replicas.get(0);
        String marker = "%/" + victim.process().pid() + "/%";
        List<String> ids = new ArrayList<>();
        String running = await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
            if (ids.size() < 60) {
                ids.addAll(createTasks(replicas, 3, 8_000));
            }
            return db.sql("SELECT id FROM tasks WHERE status = 'running' AND lease_owner LIKE :marker AND id IN (:ids) LIMIT 1")
                    .param("marker", marker).param("ids", ids).query(String.class).optional().orElse(null);
        }, id -> id != null);

        victim.process().destroyForcibly().waitFor();
        killedAt = db.sql("SELECT clock_timestamp()").query(Timestamp.class).single();
        replicas.remove(victim);

        awaitCompleted(List.of(running));
        Map<String, Object> task = db.sql("SELECT attempts, status FROM tasks WHERE id = :id").param("id", running).query().singleRow();
        assertThat(task.get("attempts")).isEqualTo(2);
        List<Map<String, Object>> runs = db.sql("SELECT replica, started_at, ended_at, outcome FROM test_task_runs "
                + "WHERE task_id = :id ORDER BY started_at").param("id", running).query().listOfRows();
        assertThat(runs).hasSize(2);
        assertThat((String) runs.get(0).get("replica")).contains("/" + victim.process().pid() + "/");
        assertThat(runs.get(0).get("ended_at")).as("the killed run never ended by itself").isNull();
        assertThat((String) runs.get(1).get("replica")).doesNotContain("/" + victim.process().pid() + "/");
        assertThat(((Timestamp) runs.get(1).get("started_at")).after(killedAt)).as("retried only after the kill").isTrue();
        assertThat(runs.get(1).get("outcome")).isEqualTo("done");
        assertThat(db.sql("SELECT count(*) FROM audit_logs WHERE resource_type = 'task' AND resource_id = :id "
                + "AND event_type = 'task.lease_expired'").param("id", running).query(Long.class).single()).isEqualTo(1);

        awaitCompleted(ids);
        assertNoOverlappingRuns(ids);
        assertExactlyOneFinishedRunEach(ids);
    }

    @Test
    @Order(3)
    void theTwoReplicasLeftDrainTheQueueWithNoTaskRunTwiceAtOnce() {
        assertThat(replicas).hasSize(2);
        List<String> ids = createTasks(replicas, 60, 30);

        awaitCompleted(ids);
        assertNoOverlappingRuns(ids);
        assertExactlyOneFinishedRunEach(ids);
    }

    /** Creates tasks through the replicas in turn, priorities mixed. */
    static List<String> createTasks(List<ServiceProcess> through, int count, int workMs) {
        List<String> ids = new ArrayList<>();
        List<String> priorities = List.of("low", "medium", "high", "urgent");
        for (int i = 0; i < count; i++) {
            Api api = new Api(through.get(i % through.size()).port(), TestKeys.ALICE);
            Api.Response created = api.post(TASKS, Api.json(Map.of("title", "replicated-" + UUID.randomUUID(),
                    "task_type", RecordingTaskHandler.TYPE, "priority", priorities.get(i % 4),
                    "payload", Map.of("work_ms", workMs))));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            ids.add(created.json().get("task").get("id").asString());
        }
        return ids;
    }

    static void awaitCompleted(List<String> ids) {
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(db.sql("SELECT status, count(*) FROM tasks WHERE id IN (:ids) GROUP BY status")
                        .param("ids", ids).query().listOfRows())
                        .as("every task completed").containsExactly(Map.of("status", "completed", "count", (long) ids.size())));
    }

    /** Two runs of one task overlap when each starts before the other ended; a killed run ended at the kill. */
    static void assertNoOverlappingRuns(List<String> ids) {
        Timestamp killed = killedAt == null ? Timestamp.valueOf("9999-01-01 00:00:00") : killedAt;
        List<Map<String, Object>> overlaps = db.sql("SELECT a.task_id, a.replica AS a_replica, b.replica AS b_replica "
                        + "FROM test_task_runs a JOIN test_task_runs b ON a.task_id = b.task_id AND a.id < b.id "
                        + "WHERE a.task_id IN (:ids) AND a.started_at < COALESCE(b.ended_at, :killed) "
                        + "AND b.started_at < COALESCE(a.ended_at, :killed)")
                .param("ids", ids).param("killed", killed).query().listOfRows();
        assertThat(overlaps).as("overlapping runs").isEmpty();
    }

    static void assertExactlyOneFinishedRunEach(List<String> ids) {
        assertThat(db.sql("SELECT task_id FROM test_task_runs WHERE task_id IN (:ids) AND outcome = 'done' "
                        + "GROUP BY task_id HAVING count(*) = 1")
                .param("ids", ids).query(String.class).list()).containsExactlyInAnyOrderElementsOf(ids);
    }

    private static ServiceProcess start() throws Exception {
        Path dir = Files.createTempDirectory("task-replica");
        // one key for the replicas, as a deployment's Secret gives it (outside local mode a replica does not start without)
        return ServiceProcess.start(dir, Map.of("TASK_WORKERS", "3", "AGENT_API_REPLICA_SECRET", SECRET),
                "--agent-api.tasks.test-handlers=true",
                "--agent-api.tasks.lease=" + LEASE.toSeconds() + "s",
                "--agent-api.tasks.heartbeat=1s",
                "--agent-api.tasks.reap-interval=500ms",
                "--agent-api.tasks.poll-interval=100ms",
                "--agent-api.tasks.backoff=100ms",
                // the test is not about limits (a per-route limit on task creation would refuse its bursts)
                "--agent-api.rate-limit.policies=* /api/**: 1000000 per minute",
                // three JVMs starting at once on a loaded machine: connecting may take longer than production's 3 s
                "--spring.datasource.hikari.connection-timeout=30000").awaitUp(Duration.ofMinutes(5));
    }
}
