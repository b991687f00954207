package dev.agentapi.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.browser.TestPages;
import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/** {@code browser.actions} tasks drive the creator's real Chromium through the same service as the actions endpoint. */
@IntegrationTest
@ExtendWith(RequiresChromium.class)
@TestPropertySource(properties = {
        "agent-api.browser.launch-on-create=false",
        "agent-api.browser.max-browsers=2",
        "agent-api.browser.navigation.block-private-networks=false",
        "agent-api.tasks.poll-interval=100ms"})
class BrowserActionsTaskTest {

    static final String TASKS = "/api/agents/mcp/tasks";
    static TestPages pages;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api alice;
    Api bob;
    String agentId;

    @BeforeAll
    static void serve() throws Exception {
        pages = new TestPages();
    }

    @AfterAll
    static void stopServing() {
        pages.close();
    }

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
        Api.Response created = alice.post(TASKS, Api.json(Map.of("title", "browse", "task_type", "browser.actions",
                "payload", Map.of("agent_id", agentId, "actions", actions))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().get("task").get("id").asString();
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> alice.get(TASKS + "/" + id).json().get("task"),
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
                String.class, agentId)).containsExactly("alice", "alice");
    }
}
