package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** {@code browser.actions} tasks drive the creator's real Chromium through the same service as the actions endpoint. */
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class BrowserActionsTaskTest {

    static final String TASKS = "/api/agents/mcp/tasks";
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    Api alice;
    Api bob;
    String agentId;

    @BeforeEach
    void setUp() {
        alice = new Api(port, TestKeys.ALICE);
        bob = new Api(port, TestKeys.BOB);
        agentId = "task-agent-" + UUID.randomUUID();
        assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
    }

    @AfterEach
    void deleteAgent() {
        alice.delete("/api/agents/browser/" + agentId); // its browser's place is free for the next test (2 here)
    }

    JsonNode run(List<Map<String, Object>> actions) {
        return run(alice, agentId, actions);
    }

    JsonNode run(Api as, String agent, List<Map<String, Object>> actions) {
        Api.Response created = as.post(TASKS, Api.json(Map.of("title", "browse", "task_type", "browser.actions",
                "payload", Map.of("agent_id", agent, "actions", actions))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("task").get("id").asString();
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> as.get(TASKS + "/" + id).json().get("task"),
                        t -> t.get("status").asString().equals("completed") || t.get("status").asString().equals("failed"));
    }

    @Test
    void stepsRunOnTheCallersAgentAndBinaryResultsAreAttachments() throws Exception {
        JsonNode task = run(List.of(
                Map.of("type", "navigate", "url", pages.url("/")),
                Map.of("type", "click", "selector", "#go"),
                Map.of("type", "text", "selector", "#h"),
                Map.of("type", "screenshot"),
                Map.of("type", "content")));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("completed");
        JsonNode steps = task.get("result").get("steps");
        assertThat(steps.size()).isEqualTo(5);
        assertThat(steps.get(0).get("title").asString()).isEqualTo("Home");
        assertThat(steps.get(2).get("text").asString()).isEqualTo("Clicked");
        String id = task.get("id").asString();
        assertThat(steps.get(3).get("attachment").asString()).isEqualTo(TASKS + "/" + id + "/result/3");
        assertThat(steps.get(3).has("screenshot")).isFalse();

        HttpResponse<byte[]> png = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(alice.uri(TASKS + "/" + id + "/result/3"))
                .header("Authorization", "Bearer " + TestKeys.ALICE).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(png.body()).startsWith(0x89, 'P', 'N', 'G');
        Api.Response html = alice.get(TASKS + "/" + id + "/result/4");
        assertThat(html.header("Content-Type")).startsWith("text/html");
        assertThat(html.body()).contains("Clicked");
        assertThat(alice.get(TASKS + "/" + id + "/result/2").status()).as("inline text has no attachment").isEqualTo(404);
        assertThat(bob.get(TASKS + "/" + id + "/result/3").status()).isEqualTo(404);
        String listing = alice.get(TASKS + "?task_type=browser.actions&size=100").body();
        assertThat(listing).contains(id).doesNotContain("iVBORw0KGgo");
    }

    @Test
    void aStepTheBrowserRefusesFailsTheTaskWithTheStepsBeforeIt() {
        JsonNode task = run(List.of(
                Map.of("type", "navigate", "url", pages.url("/")),
                Map.of("type", "click", "selector", "#missing", "timeout_ms", 500)));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("failed");
        assertThat(task.get("attempts").asInt()).as("a missing element does not pass on a retry").isEqualTo(1);
        assertThat(task.get("error").get("step").asInt()).isEqualTo(1);
        assertThat(task.get("error").get("steps").get(0).get("title").asString()).isEqualTo("Home");
    }

    @Test
    void anotherUsersAgentIsRefusedAtTheDoor() {
        Api.Response refused = bob.post(TASKS, Api.json(Map.of("title", "steal", "task_type", "browser.actions",
                "payload", Map.of("agent_id", agentId, "actions", List.of(Map.of("type", "navigate", "url", pages.url("/")))))));

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().get("errors").get("payload.agent_id").asString()).isEqualTo("no such agent");

        // an admin sees the agent, but a task acts with its owner's rights: only on the owner's own agents
        Api.Response adminsTask = new Api(port, TestKeys.ADMIN).post(TASKS, Api.json(Map.of("title", "admin", "task_type", "browser.actions",
                "payload", Map.of("agent_id", agentId, "actions", List.of(Map.of("type", "content"))))));
        assertThat(adminsTask.status()).as(adminsTask.body()).isEqualTo(400);
        assertThat(adminsTask.json().get("errors").get("payload.agent_id").asString()).isEqualTo("no such agent");
    }

    @Test
    void stepsRunAndAreAuditedAsTheTasksOwnerNotAsTheSystem() {
        JsonNode task = run(List.of(Map.of("type", "navigate", "url", pages.url("/")), Map.of("type", "content")));
        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("completed");
        assertThat(jdbc.queryForList("SELECT user_id FROM audit_logs WHERE resource_id = ? AND event_type = 'agent.action' ORDER BY id",
                String.class, agentId)).containsExactly("key:alice", "key:alice");
    }

    @Test
    void eachStepIsChargedToTheOwnersActionsRateLimitAsTheRouteIsAndWaitsForTheRefill() {
        Api carol = new Api(port, TestKeys.CAROL); // a bucket of her own: "10 per 30 seconds" of the actions route
        String carols = "task-agent-" + UUID.randomUUID();
        assertThat(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", carols))).status()).isEqualTo(201);
        String policy = "POST /api/agents/browser/*/actions";
        try {
            List<Map<String, Object>> ten = new java.util.ArrayList<>(List.of(Map.of("type", "navigate", "url", pages.url("/"))));
            for (int i = 1; i < 10; i++) {
                ten.add(Map.of("type", "text", "selector", "#h"));
            }
            assertThat(run(carol, carols, ten).get("status").asString()).isEqualTo("completed");

            Api.Response refused = carol.post("/api/agents/browser/" + carols + "/actions", Api.json(Map.of("type", "content")));
            assertThat(refused.status()).as("the task's ten steps spent the bucket the route spends").isEqualTo(429);
            assertThat(refused.json().get("error").asString()).isEqualTo("Rate limit exceeded");

            double before = refusals(policy);
            JsonNode waited = run(carol, carols, List.of(Map.of("type", "content"), Map.of("type", "content")));
            assertThat(waited.get("status").asString()).as("over the limit, a step waits for the refill").isEqualTo("completed");
            assertThat(waited.get("attempts").asInt()).isEqualTo(1);
            assertThat(refusals(policy)).as("the step over the limit was refused (and counted) before it waited").isGreaterThan(before);
        } finally {
            carol.delete("/api/agents/browser/" + carols);
        }
    }

    double refusals(String policy) {
        Counter counter = meters.find("rate_limit_exceeded").tag("policy", policy).counter();
        return counter == null ? 0 : counter.count();
    }
}
