package dev.agentapi.task;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.RepositoryTest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The task queue's SQL ({@link TaskQueue}: claims with {@code FOR UPDATE SKIP LOCKED}, owners' turns and running
 * places, leases, retries, the reaper) on the real PostgreSQL, in a repository slice. Every test queues tasks of a
 * type of its own, so it claims nothing another test left; each runs in a transaction rolled back at its end (so
 * {@code now()} is one instant throughout: where the order of creation matters, the test sets it).
 */
@RepositoryTest
@Import(TaskQueue.class)
class TaskQueueRepositoryTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration BACKOFF = Duration.ofSeconds(5);

    @Autowired
    TaskQueue queue;

    @Autowired
    JdbcClient jdbc;

    private final String type = "slice." + UUID.randomUUID();

    @Test
    void aClaimTakesTheMostUrgentDueTaskAndLeasesIt() {
        TaskRow medium = queued("alice", TaskPriority.MEDIUM);
        TaskRow urgent = queued("alice", TaskPriority.URGENT);

        TaskRow claimed = claim(null, 5).orElseThrow();

        assertThat(claimed.id()).isEqualTo(urgent.id());
        assertThat(claimed.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(claimed.attempts()).isEqualTo(1);
        assertThat(claimed.leaseOwner()).isEqualTo("worker-1");
        assertThat(claimed.leaseExpiresAt()).isAfter(claimed.startedAt());
        assertThat(claim(null, 5).orElseThrow().id()).isEqualTo(medium.id());
        assertThat(claim(null, 5)).isEmpty();
    }

    @Test
    void withinAPriorityOwnersTakeTurnsWhateverOneOfThemQueued() {
        TaskRow first = queued("alice", TaskPriority.MEDIUM);
        queued("alice", TaskPriority.MEDIUM);
        queued("alice", TaskPriority.MEDIUM);
        TaskRow bobs = queued("bob", TaskPriority.MEDIUM);
        createdSecondsAgo(first, 40);
        createdSecondsAgo(bobs, 10);

        assertThat(claim(null, 5).orElseThrow().id()).isEqualTo(first.id());
        // alice has one running now, bob none: bob's turn, though alice's other tasks are older
        assertThat(claim(null, 5).orElseThrow().id()).isEqualTo(bobs.id());
        assertThat(claim(null, 5).orElseThrow().createdBy()).isEqualTo("alice");
    }

    @Test
    void anOwnerNeverRunsMoreThanItsPlaces() {
        queued("carol", TaskPriority.HIGH);
        queued("carol", TaskPriority.HIGH);

        assertThat(claim(null, 1)).isPresent();
        assertThat(claim(null, 1)).isEmpty();
        assertThat(count("carol", "running")).isEqualTo(1);
    }

    @Test
    void aWorkerForOneOwnerOrPlatformClaimsOnlyTheirs() {
        queued("alice", TaskPriority.URGENT);
        TaskRow bobs = queued("bob", TaskPriority.LOW);

        assertThat(claim("bob", 5).orElseThrow().id()).isEqualTo(bobs.id());
        assertThat(claim("bob", 5)).isEmpty();
        assertThat(queue.claim(List.of(type), "elsewhere", null, "worker-1", LEASE, 5)).isEmpty();
        assertThat(queue.claim(List.of("slice.other-" + UUID.randomUUID()), null, null, "worker-1", LEASE, 5)).isEmpty();
    }

    @Test
    void onlyTheLeaseHolderFinishesARunAndACancelAskedMeanwhileWins() {
        TaskRow task = queued("alice", TaskPriority.MEDIUM);
        claim(null, 5).orElseThrow();

        assertThat(queue.complete(task.id(), "worker-2", "{}")).isEmpty();
        assertThat(queue.cancel(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
        TaskRow done = queue.complete(task.id(), "worker-1", "{\"ok\": true}").orElseThrow();
        assertThat(done.status()).isEqualTo(TaskStatus.CANCELLED);
        assertThat(done.result()).isEqualTo("{\"ok\": true}");
        assertThat(done.leaseOwner()).isNull();
    }

    @Test
    void aFailedAttemptWaitsItsBackoffThenTheLastOneFails() {
        TaskRow task = queued("alice", TaskPriority.MEDIUM, 2);
        claim(null, 5).orElseThrow();

        TaskRow retried = queue.fail(task.id(), "worker-1", "{\"why\": 1}", true, BACKOFF, Duration.ofMinutes(1)).orElseThrow();
        assertThat(retried.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(retried.runAfter()).isAfter(retried.updatedAt());
        assertThat(claim(null, 5)).as("not due before its backoff").isEmpty();

        jdbc.sql("UPDATE tasks SET run_after = now() WHERE id = :id").param("id", task.id()).update();
        claim(null, 5).orElseThrow();
        TaskRow failed = queue.fail(task.id(), "worker-1", "{\"why\": 2}", true, BACKOFF, Duration.ofMinutes(1)).orElseThrow();
        assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.completedAt()).isNotNull();
    }

    @Test
    void theReaperTakesBackARunWhoseLeaseRanOut() {
        TaskRow task = queued("alice", TaskPriority.MEDIUM);
        claim(null, 5).orElseThrow();
        jdbc.sql("UPDATE tasks SET lease_expires_at = now() - interval '1 second' WHERE id = :id").param("id", task.id()).update();

        List<TaskRow> reaped = queue.reap(100, BACKOFF, Duration.ofMinutes(1));

        TaskRow back = reaped.stream().filter(r -> r.id().equals(task.id())).findFirst().orElseThrow();
        assertThat(back.status()).isEqualTo(TaskStatus.PENDING);
        assertThat(back.leaseOwner()).isNull();
        assertThat(back.error()).contains("lease_expired");
    }

    @Test
    void anIdempotencyKeyStoresOneTaskPerOwner() {
        NewTask task = new NewTask("once", null, type, "unknown", TaskPriority.MEDIUM, "{}", "{}", null, 3, "alice", "key-1", "h", false);

        assertThat(queue.insert(task, Duration.ofHours(1))).isPresent();
        assertThat(queue.insert(task, Duration.ofHours(1))).isEmpty();
        assertThat(queue.findByIdempotencyKey("alice", "key-1")).isPresent();
        assertThat(queue.findByIdempotencyKey("bob", "key-1")).isEmpty();
    }

    private TaskRow queued(String owner, TaskPriority priority) {
        return queued(owner, priority, 3);
    }

    private TaskRow queued(String owner, TaskPriority priority, int maxAttempts) {
        return queue.insert(new NewTask("t", null, type, "unknown", priority, "{}", "{}", null, maxAttempts, owner, null, null, false),
                Duration.ofHours(1)).orElseThrow();
    }

    private java.util.Optional<TaskRow> claim(String owner, int maxRunning) {
        return queue.claim(List.of(type), null, owner, "worker-1", LEASE, maxRunning);
    }

    private void createdSecondsAgo(TaskRow task, int seconds) {
        jdbc.sql("UPDATE tasks SET created_at = now() - make_interval(secs => :s) WHERE id = :id")
                .param("s", seconds).param("id", task.id()).update();
    }

    private long count(String owner, String status) {
        return jdbc.sql("SELECT count(*) FROM tasks WHERE task_type = :type AND created_by = :owner AND status = :status")
                .param("type", type).param("owner", owner).param("status", status).query(Long.class).single();
    }
}
