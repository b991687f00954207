package dev.agentapi.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
// the queue's settings (test handlers, a 3 s lease, 100 ms polls, fair shares of 60 pending / 50 urgent / 6 running,
// max-runtime 10 s) are SharedDatabaseInitializer's: this class shares the plain context
class TaskQueueApiTest {

    static final String TASKS = "/api/agents/mcp/tasks";

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;
    Api admin;
    Api alice;
    Api bob;
    /** Each test's external tasks carry a platform of their own, so claims see only that test's tasks. */
    String platform;
    ExecutorService threads;

    @BeforeEach
    void setUp() {
        admin = new Api(port);
        alice = new Api(port, TestKeys.ALICE);
        bob = new Api(port, TestKeys.BOB);
        platform = "p-" + UUID.randomUUID();
        threads = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
    }

    JsonNode create(Api as, Map<String, ?> body) {
        Api.Response created = as.post(TASKS, Api.json(body));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("task");
    }

    JsonNode generic(Api as, String priority) {
        return create(as, Map.of("title", "t-" + UUID.randomUUID(), "platform", platform, "priority", priority));
    }

    Api.Response claim(Api as) {
        return as.post(TASKS + "/claim", Api.json(Map.of("task_type", "generic", "platform", platform)));
    }

    JsonNode awaitStatus(Api as, String id, String status) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> as.get(TASKS + "/" + id).json().get("task"), t -> t.get("status").asString().equals(status));
    }

    @Test
    void createAnswers201WithLocationSeedDefaultsAndAnAuditEntry() {
        Api.Response created = alice.post(TASKS, Api.json(Map.of("title", "Write report", "description", "weekly",
                "metadata", Map.of("source", "test"))));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("success").asBoolean()).isTrue();
        JsonNode task = created.json().get("task");
        assertThat(created.header("Location")).isEqualTo(TASKS + "/" + task.get("id").asString());
        assertThat(task.get("status").asString()).isEqualTo("pending");
        assertThat(task.get("task_type").asString()).isEqualTo("generic");
        assertThat(task.get("platform").asString()).isEqualTo("unknown");
        assertThat(task.get("priority").asString()).isEqualTo("medium");
        assertThat(task.get("metadata").get("source").asString()).isEqualTo("test");
        assertThat(task.get("attempts").asInt()).isZero();
        assertThat(task.get("max_attempts").asInt()).isEqualTo(3);
        assertThat(task.get("created_by").asString()).isEqualTo("key:alice");
        assertThat(alice.get(TASKS + "/" + task.get("id").asString()).json().get("task")).isEqualTo(task);
        assertThat(jdbc.queryForList("SELECT event_type FROM audit_logs WHERE resource_type = 'task' AND resource_id = ?",
                String.class, task.get("id").asString())).containsExactly("task.created");
    }

    @Test
    void badInputIsRefusedWith400AndNothingIsStored() {
        String marker = "bad-" + UUID.randomUUID();
        // the field each is refused for, and what it is told (the constraints of TaskRequests.Create)
        Map<Map<String, Object>, Map<String, String>> refusals = Map.of(
                Map.of("title", marker, "task_type", "no.such.type"), Map.of("task_type", "must be one of browser.actions, generic"),
                Map.of("title", marker, "priority", "whenever"), Map.of("priority", "must be one of low, medium, high, urgent"),
                Map.of("title", marker, "payload", Map.of("blob", "x".repeat(257 * 1024))), Map.of("payload", "must be at most 256 KiB of JSON"),
                Map.of("title", marker, "metadata", List.of(1, 2)), Map.of("metadata", "must be a JSON object"),
                Map.of("title", marker, "payload", Map.of("k", "nul\u0000inside")), Map.of("payload", "must not contain NUL characters"),
                Map.of("title", marker + "\u0000"), Map.of("title", "must not contain NUL characters"),
                Map.of("description", marker), Map.of("title", "is required"),
                Map.of("title", marker, "max_attempts", 0), Map.of("max_attempts", "must be between 1 and 10"));
        refusals.forEach((body, errors) -> {
            Api.Response refused = alice.post(TASKS, Api.json(body));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("type").asString()).isEqualTo("urn:agent-api:problem:validation");
            errors.forEach((field, message) -> assertThat(refused.json().get("errors").get(field).asString())
                    .as(refused.toString()).startsWith(message));
        });
        List<Map<String, Object>> bodies = List.of(
                Map.of("title", marker, "task_type", "browser.actions", "payload", Map.of("agent_id", "no-such-agent",
                        "actions", List.of(Map.of("type", "navigate", "url", "http://127.0.0.1/")))),
                Map.of("title", marker, "task_type", "browser.actions", "payload", Map.of("actions",
                        List.of(Map.of("type", "evaluate", "script", "1")))),
                Map.of("title", marker, "task_type", "browser.actions", "payload", Map.of("actions",
                        List.of(Map.of("type", "navigate", "url", "file:///etc/passwd"), Map.of("type", "click")))));
        for (Map<String, Object> body : bodies) {
            Api.Response refused = alice.post(TASKS, Api.json(body));
            assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
            assertThat(refused.json().get("errors").isObject()).as(refused.toString()).isTrue();
        }
        Api.Response malformed = alice.post(TASKS, "{\"title\": ");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(alice.get(TASKS + "/x%00y").status()).isIn(400, 404);
        assertThat(alice.get(TASKS + "/" + "x".repeat(300)).status()).isEqualTo(404);
        assertThat(alice.get(TASKS + "?task_type=a%00b").status()).isEqualTo(400);
        assertThat(alice.post(TASKS + "/claim", Api.json(Map.of("task_type", "generic", "platform", "a\u0000b"))).status()).isEqualTo(400);
        assertThat(alice.post(TASKS + "/claim", Api.json(Map.of("task_type", "browser.actions"))).status()).isEqualTo(400);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE title LIKE ? OR description = ?", Long.class,
                marker + "%", marker)).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE resource_type = 'task' AND details::text LIKE ?",
                Long.class, "%" + marker + "%")).isZero();
    }

    @Test
    void sameIdempotencyKeyAndBodyAnswerTheSameTaskADifferentBody409() {
        String key = "k-" + UUID.randomUUID();
        Map<String, Object> body = Map.of("title", "once", "platform", platform, "metadata", Map.of("a", 1, "b", 2));
        Api.Response first = alice.send(request(TASKS, Api.json(body)).header("Idempotency-Key", key));
        Api.Response again = alice.send(request(TASKS, "{\"metadata\": {\"b\": 2, \"a\": 1}, \"platform\": \"" + platform
                + "\", \"title\": \"once\"}").header("Idempotency-Key", key));
        Api.Response different = alice.send(request(TASKS, Api.json(Map.of("title", "twice", "platform", platform)))
                .header("Idempotency-Key", key));
        Api.Response otherOwner = bob.send(request(TASKS, Api.json(body)).header("Idempotency-Key", key));

        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        String id = first.json().get("task").get("id").asString();
        assertThat(again.json().get("task").get("id").asString()).isEqualTo(id);
        assertThat(again.header("Location")).isEqualTo(TASKS + "/" + id);
        assertThat(different.status()).isEqualTo(409);
        assertThat(different.header("Content-Type")).startsWith("application/problem+json");
        assertThat(otherOwner.status()).isEqualTo(201);
        assertThat(otherOwner.json().get("task").get("id").asString()).isNotEqualTo(id);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE idempotency_key = ?", Long.class, key)).isEqualTo(2);
    }

    @Test
    void concurrentRequestsWithOneIdempotencyKeyCreateOneTask() throws Exception {
        String key = "k-" + UUID.randomUUID();
        String body = Api.json(Map.of("title", "racing", "platform", platform));
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Api.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            answers.add(threads.submit(() -> {
                go.await();
                return alice.send(request(TASKS, body).header("Idempotency-Key", key));
            }));
        }
        go.countDown();
        Set<String> ids = new HashSet<>();
        int created = 0;
        for (Future<Api.Response> answer : answers) {
            Api.Response response = answer.get(60, TimeUnit.SECONDS);
            assertThat(response.status()).as(response.toString()).isIn(200, 201);
            created += response.status() == 201 ? 1 : 0;
            ids.add(response.json().get("task").get("id").asString());
        }
        assertThat(created).isEqualTo(1);
        assertThat(ids).hasSize(1);
    }

    @Test
    void ownersSeeOnlyTheirTasksAndAdminsSeeAll() {
        String id = generic(alice, "low").get("id").asString();

        assertThat(bob.get(TASKS + "/" + id).status()).isEqualTo(404);
        assertThat(bob.post(TASKS + "/" + id + "/cancel", "").status()).isEqualTo(404);
        assertThat(claim(bob).status()).isEqualTo(204);
        assertThat(ids(bob.get(TASKS + "?size=100").json())).doesNotContain(id);
        assertThat(admin.get(TASKS + "/" + id).status()).isEqualTo(200);
        assertThat(alice.get(TASKS + "/" + id).status()).isEqualTo(200);
    }

    @Test
    void listPagesAndFilters() {
        String taskType = "generic";
        List<String> mine = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            mine.add(generic(bob, i % 2 == 0 ? "urgent" : "low").get("id").asString());
        }
        String cancelled = mine.get(4);
        bob.post(TASKS + "/" + cancelled + "/cancel", "");

        JsonNode firstPage = bob.get(TASKS + "?size=2&page=0&task_type=" + taskType).json();
        assertThat(firstPage.get("success").asBoolean()).isTrue();
        assertThat(firstPage.get("tasks").size()).isEqualTo(2);
        assertThat(firstPage.get("count").asInt()).isEqualTo(2);
        assertThat(firstPage.get("total").asLong()).isGreaterThanOrEqualTo(5);
        JsonNode urgent = bob.get(TASKS + "?size=100&priority=urgent&status=pending").json();
        for (JsonNode task : urgent.get("tasks")) {
            assertThat(task.get("priority").asString()).isEqualTo("urgent");
            assertThat(task.get("status").asString()).isEqualTo("pending");
        }
        assertThat(ids(urgent)).contains(mine.get(0), mine.get(2)).doesNotContain(mine.get(1), cancelled);
        assertThat(ids(bob.get(TASKS + "?size=100&status=cancelled").json())).contains(cancelled);
        assertThat(bob.get(TASKS + "?status=sleeping").status()).isEqualTo(400);
        assertThat(bob.get(TASKS + "?priority=whenever").status()).isEqualTo(400);
        assertThat(bob.get(TASKS + "?size=0").status()).isEqualTo(400);
    }

    @Test
    void externalWorkerClaimsCompletesAndMustHoldTheLease() {
        String id = generic(alice, "medium").get("id").asString();

        Api.Response claimed = claim(alice);
        assertThat(claimed.status()).as(claimed.toString()).isEqualTo(200);
        JsonNode task = claimed.json().get("task");
        String token = claimed.json().get("lease").get("token").asString();
        assertThat(task.get("id").asString()).isEqualTo(id);
        assertThat(task.get("status").asString()).isEqualTo("running");
        assertThat(task.get("attempts").asInt()).isEqualTo(1);
        assertThat(claimed.json().get("lease").get("expires_at").isNull()).isFalse();
        assertThat(claim(alice).status()).isEqualTo(204);

        Api.Response wrongToken = alice.post(TASKS + "/" + id + "/complete", Api.json(Map.of("lease_token", "api:forged")));
        assertThat(wrongToken.status()).isEqualTo(409);
        Api.Response beat = alice.post(TASKS + "/" + id + "/heartbeat", Api.json(Map.of("lease_token", token)));
        assertThat(beat.status()).isEqualTo(200);
        assertThat(beat.json().get("task").get("cancel_requested").asBoolean()).isFalse();
        Api.Response done = alice.post(TASKS + "/" + id + "/complete", Api.json(Map.of("lease_token", token,
                "result", Map.of("answer", 42))));
        assertThat(done.status()).as(done.toString()).isEqualTo(200);
        assertThat(done.json().get("task").get("status").asString()).isEqualTo("completed");
        assertThat(done.json().get("task").get("result").get("answer").asInt()).isEqualTo(42);
        assertThat(alice.post(TASKS + "/" + id + "/complete", Api.json(Map.of("lease_token", token))).status()).isEqualTo(409);
        assertThat(alice.post(TASKS + "/" + id + "/cancel", "").status()).isEqualTo(409);
        assertThat(jdbc.queryForList("SELECT event_type FROM audit_logs WHERE resource_type = 'task' AND resource_id = ? ORDER BY id",
                String.class, id)).containsExactly("task.created", "task.claimed", "task.completed");
    }

    @Test
    void externalFailureIsRetriedAfterABackoffUntilAttemptsRunOut() {
        String id = create(alice, Map.of("title", "flaky", "platform", platform, "max_attempts", 2)).get("id").asString();

        String token = claim(alice).json().get("lease").get("token").asString();
        JsonNode retried = alice.post(TASKS + "/" + id + "/fail", Api.json(Map.of("lease_token", token,
                "error", Map.of("why", "flaky")))).json().get("task");
        assertThat(retried.get("status").asString()).isEqualTo("pending");
        assertThat(retried.get("error").get("why").asString()).isEqualTo("flaky");
        assertThat(Instant.parse(retried.get("run_after").asString())).isAfter(Instant.parse(retried.get("updated_at").asString()));

        Api.Response second = await().atMost(Duration.ofSeconds(30)).until(() -> claim(alice), r -> r.status() == 200);
        assertThat(second.json().get("task").get("attempts").asInt()).isEqualTo(2);
        JsonNode failed = alice.post(TASKS + "/" + id + "/fail", Api.json(Map.of("lease_token",
                second.json().get("lease").get("token").asString()))).json().get("task");
        assertThat(failed.get("status").asString()).isEqualTo("failed");
        assertThat(failed.get("completed_at").isNull()).isFalse();
    }

    @Test
    void aLeaseThatRunsOutPutsTheTaskBackThenFailsItAfterTheLastAttempt() {
        String id = create(alice, Map.of("title", "abandoned", "platform", platform, "max_attempts", 2)).get("id").asString();

        assertThat(claim(alice).status()).isEqualTo(200);
        // the worker never heartbeats: the reaper takes the task back and a later claim gets it again
        Api.Response second = await().atMost(Duration.ofSeconds(30)).until(() -> claim(alice), r -> r.status() == 200);
        assertThat(second.json().get("task").get("attempts").asInt()).isEqualTo(2);
        JsonNode failed = awaitStatus(alice, id, "failed");
        assertThat(failed.get("error").get("reason").asString()).isEqualTo("lease_expired");
        assertThat(jdbc.queryForList("SELECT event_type FROM audit_logs WHERE resource_type = 'task' AND resource_id = ? ORDER BY id",
                String.class, id)).containsExactly("task.created", "task.claimed", "task.lease_expired", "task.claimed",
                "task.lease_expired");
    }

    @Test
    void claimsTakeTheMostUrgentThenTheOldest() {
        List<String> priorities = List.of("low", "urgent", "medium", "high", "low", "urgent", "high", "medium", "urgent", "low");
        Map<String, Integer> created = new HashMap<>();
        for (int i = 0; i < priorities.size(); i++) {
            created.put(generic(alice, priorities.get(i)).get("id").asString(), i);
        }
        List<String> order = new ArrayList<>();
        for (int i = 0; i < priorities.size(); i++) {
            Api.Response claimed = claim(alice);
            order.add(claimed.json().get("task").get("id").asString());
            complete(alice, claimed); // an owner runs at most max-running-per-owner tasks at once
        }
        assertThat(claim(alice).status()).isEqualTo(204);
        List<String> rank = List.of("urgent", "high", "medium", "low");
        List<Integer> expected = new ArrayList<>(created.values());
        expected.sort((a, b) -> rank.indexOf(priorities.get(a)) != rank.indexOf(priorities.get(b))
                ? rank.indexOf(priorities.get(a)) - rank.indexOf(priorities.get(b)) : a - b);
        assertThat(order.stream().map(created::get).toList()).isEqualTo(expected);
    }

    @Test
    void concurrentClaimersEachGetADifferentTaskAndNoneIsLeftOver() throws Exception {
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            created.add(generic(admin, List.of("low", "medium", "high", "urgent").get(i % 4)).get("id").asString());
        }
        Map<String, Integer> claims = new ConcurrentHashMap<>();
        List<Future<?>> claimers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            claimers.add(threads.submit(() -> {
                for (Api.Response r = claim(admin); r.status() == 200; r = claim(admin)) {
                    String id = r.json().get("task").get("id").asString();
                    claims.merge(id, 1, Integer::sum);
                    admin.post(TASKS + "/" + id + "/complete", Api.json(Map.of("lease_token",
                            r.json().get("lease").get("token").asString())));
                }
                return null;
            }));
        }
        for (Future<?> claimer : claimers) {
            claimer.get(120, TimeUnit.SECONDS);
        }
        assertThat(claims.keySet()).isEqualTo(created);
        assertThat(claims.values()).allMatch(n -> n == 1);
    }

    @Test
    void cancellingAPendingTaskEndsItAtOnceAndNoWorkerGetsIt() {
        String id = generic(alice, "urgent").get("id").asString();

        Api.Response cancelled = alice.post(TASKS + "/" + id + "/cancel", "");
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().get("task").get("status").asString()).isEqualTo("cancelled");
        assertThat(claim(alice).status()).isEqualTo(204);
        assertThat(alice.post(TASKS + "/" + id + "/cancel", "").status()).isEqualTo(409);
    }

    @Test
    void cancelRacingAClaimEitherWinsOutrightOrEndsTheRunCancelled() throws Exception {
        for (int round = 0; round < 15; round++) {
            String id = generic(alice, "medium").get("id").asString();
            CountDownLatch go = new CountDownLatch(1);
            Future<Api.Response> claim = threads.submit(() -> {
                go.await();
                return claim(alice);
            });
            Future<Api.Response> cancel = threads.submit(() -> {
                go.await();
                return alice.post(TASKS + "/" + id + "/cancel", "");
            });
            go.countDown();
            Api.Response claimed = claim.get(30, TimeUnit.SECONDS);
            Api.Response cancelled = cancel.get(30, TimeUnit.SECONDS);
            if (claimed.status() == 200) {
                assertThat(cancelled.status()).as("the claim won, so the cancel waits for the yield").isEqualTo(202);
                String token = claimed.json().get("lease").get("token").asString();
                assertThat(alice.post(TASKS + "/" + id + "/heartbeat", Api.json(Map.of("lease_token", token)))
                        .json().get("task").get("cancel_requested").asBoolean()).isTrue();
                alice.post(TASKS + "/" + id + "/complete", Api.json(Map.of("lease_token", token)));
            } else {
                assertThat(claimed.status()).isEqualTo(204);
                assertThat(cancelled.status()).as("the cancel won before any claim").isEqualTo(200);
            }
            assertThat(alice.get(TASKS + "/" + id).json().get("task").get("status").asString()).isEqualTo("cancelled");
        }
    }

    @Test
    void workersRunHandledTasksRetryFailuresAndStopCancelledOnesAtTheirNextYield() {
        String flaky = create(alice, Map.of("title", "flaky", "task_type", "test.record",
                "payload", Map.of("work_ms", 50, "fail_attempts", 1))).get("id").asString();
        String slow = create(alice, Map.of("title", "slow", "task_type", "test.record", "priority", "urgent",
                "payload", Map.of("work_ms", 120_000))).get("id").asString();

        JsonNode done = awaitStatus(alice, flaky, "completed");
        assertThat(done.get("attempts").asInt()).isEqualTo(2);
        assertThat(done.get("result").get("attempt").asInt()).isEqualTo(2);

        awaitStatus(alice, slow, "running");
        Api.Response cancel = alice.post(TASKS + "/" + slow + "/cancel", "");
        assertThat(cancel.status()).isEqualTo(202);
        assertThat(cancel.json().get("task").get("cancel_requested").asBoolean()).isTrue();
        awaitStatus(alice, slow, "cancelled");
        assertThat(jdbc.queryForList("SELECT outcome FROM test_task_runs WHERE task_id = ?", String.class, slow))
                .containsExactly("stopped");
        assertThat(jdbc.queryForList("SELECT outcome FROM test_task_runs WHERE task_id = ? ORDER BY attempt", String.class, flaky))
                .containsExactly("failed", "done");
    }

    @Test
    void queueDepthAndAgeArePrometheusGaugesPerPriority() {
        generic(bob, "urgent");

        String scrape = await().atMost(Duration.ofSeconds(30)).until(() -> Api.anonymous(managementPort).get("/actuator/prometheus").body(),
                body -> body.lines().anyMatch(l -> l.startsWith("task_queue_depth{priority=\"urgent\"}") && !l.endsWith(" 0.0")
                        && !l.endsWith("NaN")));
        assertThat(scrape).contains("task_queue_oldest_age_seconds{priority=\"low\"}");
    }

    private java.net.http.HttpRequest.Builder request(String path, String body) {
        return java.net.http.HttpRequest.newBuilder(admin.uri(path)).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body));
    }

    private static List<String> ids(JsonNode listing) {
        List<String> ids = new ArrayList<>();
        listing.get("tasks").forEach(t -> ids.add(t.get("id").asString()));
        return ids;
    }

    // ---- fair shares ----

    @Test
    void aHandlerThatThrowsAnErrorFailsItsTaskAndEveryWorkerLivesOn() {
        List<String> crashing = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // one more than the workers of this replica
            crashing.add(create(alice, Map.of("title", "crash", "task_type", "test.record", "max_attempts", 1,
                    "payload", Map.of("error", true))).get("id").asString());
        }
        String after = create(alice, Map.of("title", "after", "task_type", "test.record", "payload", Map.of("work_ms", 10)))
                .get("id").asString();

        for (String id : crashing) {
            JsonNode failed = awaitStatus(alice, id, "failed");
            assertThat(failed.get("error").get("reason").asString()).as(failed.toString()).isEqualTo("handler_crashed");
            assertThat(failed.get("error").get("message").asString()).isEqualTo("Error");
        }
        assertThat(awaitStatus(alice, after, "completed").get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void whileOneOwnerHasFiftySlowUrgentTasksQueuedAnotherOwnersTaskStartsAtTheNextWorkerTurn() {
        Api dave = new Api(port, TestKeys.DAVE);
        Api carol = new Api(port, TestKeys.CAROL);
        List<String> daves = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                daves.add(create(dave, Map.of("title", "dave-" + i, "task_type", "test.record", "priority", "urgent",
                        "payload", Map.of("work_ms", 2000))).get("id").asString());
            }
            // every worker of this replica runs one of dave's
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM tasks WHERE created_by = 'key:dave' AND status = 'running'", Long.class) == 3);

            String carols = create(carol, Map.of("title", "carol", "task_type", "test.record", "priority", "urgent",
                    "payload", Map.of("work_ms", 10))).get("id").asString();
            awaitStatus(carol, carols, "completed");

            Timestamp queued = jdbc.queryForObject("SELECT created_at FROM tasks WHERE id = ?", Timestamp.class, carols);
            Timestamp started = jdbc.queryForObject("SELECT started_at FROM test_task_runs WHERE task_id = ?", Timestamp.class, carols);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM test_task_runs r JOIN tasks t ON t.id = r.task_id "
                    + "WHERE t.created_by = 'key:dave' AND r.started_at > ? AND r.started_at < ?", Long.class, queued, started))
                    .as("dave's tasks started between carol's being queued and starting").isZero();
        } finally {
            daves.forEach(id -> dave.post(TASKS + "/" + id + "/cancel", ""));
        }
    }

    @Test
    void anOwnerRunsAtMostTheRunningCapAtOnceEvenWhenClaimsRace() throws Exception {
        Api erin = new Api(port, TestKeys.ERIN);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ids.add(generic(erin, "medium").get("id").asString());
        }
        List<Api.Response> claimed = new ArrayList<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Api.Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(threads.submit(() -> {
                    go.await();
                    return claim(erin);
                }));
            }
            go.countDown();
            for (Future<Api.Response> answer : answers) {
                Api.Response response = answer.get(60, TimeUnit.SECONDS);
                assertThat(response.status()).as(response.toString()).isIn(200, 204);
                if (response.status() == 200) {
                    claimed.add(response);
                }
            }
            assertThat(claimed).as("claims granted (max-running-per-owner=6)").hasSize(6);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE created_by = 'key:erin' AND status = 'running'", Long.class))
                    .isEqualTo(6);

            Api.Response first = claimed.remove(0);
            complete(erin, first);
            Api.Response again = claim(erin);
            assertThat(again.status()).as("a finished run makes room").isEqualTo(200);
            claimed.add(again);
        } finally {
            for (Api.Response response : claimed) {
                complete(erin, response);
            }
            ids.forEach(id -> erin.post(TASKS + "/" + id + "/cancel", ""));
        }
    }

    private static void complete(Api as, Api.Response claimed) {
        as.post(TASKS + "/" + claimed.json().get("task").get("id").asString() + "/complete",
                Api.json(Map.of("lease_token", claimed.json().get("lease").get("token").asString())));
    }

    @Test
    void anOwnersPendingAndUrgentTasksAreCappedAndBeyondACapACreateIs429() {
        long pending = jdbc.queryForObject("SELECT count(*) FROM tasks WHERE created_by = 'key:bob' AND status = 'pending' "
                + "AND source = 'queue'", Long.class);
        long urgent = jdbc.queryForObject("SELECT count(*) FROM tasks WHERE created_by = 'key:bob' AND priority = 'urgent' "
                + "AND status IN ('pending', 'running') AND source = 'queue'", Long.class);
        List<String> ids = new ArrayList<>();
        try {
            for (long i = urgent; i < 50; i++) {
                ids.add(generic(bob, "urgent").get("id").asString());
            }
            Api.Response urgentRefused = bob.post(TASKS, Api.json(Map.of("title", "one urgent too many", "platform", platform,
                    "priority", "urgent")));
            assertTaskQuota(urgentRefused, "max-urgent-per-owner=50");
            assertThat(generic(admin, "urgent").get("status").asString()).as("admins may queue urgent tasks beyond it").isEqualTo("pending");

            for (long i = pending + ids.size(); i < 60; i++) {
                ids.add(generic(bob, "low").get("id").asString());
            }
            assertTaskQuota(bob.post(TASKS, Api.json(Map.of("title", "one too many", "platform", platform))), "max-pending-per-owner=60");
            assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE title IN ('one urgent too many', 'one too many') AND created_by = 'key:bob'",
                    Long.class)).as("nothing stored").isZero();
        } finally {
            ids.forEach(id -> bob.post(TASKS + "/" + id + "/cancel", ""));
        }
    }

    static void assertTaskQuota(Api.Response refused, String limit) {
        assertThat(refused.status()).as(refused.toString()).isEqualTo(429);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(Long.parseLong(refused.header("Retry-After"))).isPositive();
        assertThat(refused.json().get("detail").asString()).contains(limit);
        assertThat(refused.json().get("retry_after").asLong()).isPositive();
    }

    @Test
    void aTaskThatSpendsItsRuntimeBudgetOverItsAttemptsFailsAndIsNotRetried() {
        // max-runtime=10s: the first attempt works 6 s and fails on purpose; the second has about 4 s of its 6 s
        String id = create(alice, Map.of("title", "long", "task_type", "test.record", "max_attempts", 3,
                "payload", Map.of("work_ms", 6000, "fail_attempts", 1))).get("id").asString();

        JsonNode failed = awaitStatus(alice, id, "failed");
        assertThat(failed.get("error").get("reason").asString()).as(failed.toString()).isEqualTo("runtime_budget_exceeded");
        assertThat(failed.get("attempts").asInt()).isEqualTo(2);
        assertThat(jdbc.queryForList("SELECT outcome FROM test_task_runs WHERE task_id = ? ORDER BY attempt", String.class, id))
                .containsExactly("failed", "stopped");
    }
}
