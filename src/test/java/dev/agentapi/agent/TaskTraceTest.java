package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Traced tasks against the whole service and real Chromium: a {@code browser.actions} task queued with
 * {@code "trace": true} records its run, and the zip kept with the task lists its steps, also when a step fails or the
 * task is cancelled; only the task's owner downloads it; an agent that records already fails the task for good; a task
 * type that cannot trace is refused at the door. Quinn owns the agents (an actions bucket of her own), Rose is the
 * other owner.
 */
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class TaskTraceTest {

    static final String TASKS = "/api/agents/mcp/tasks";
    private static final Set<String> FINISHED = Set.of("completed", "failed", "cancelled");

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    Api quinn;
    Api rose;
    String agentId;

    @BeforeEach
    void agent() {
        quinn = new Api(port, TestKeys.QUINN);
        rose = new Api(port, TestKeys.ROSE);
        agentId = "traced-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(quinn.post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
    }

    @AfterEach
    void deleteAgent() {
        quinn.delete("/api/agents/browser/" + agentId);
    }

    @Test
    void aTracedTaskKeepsAZipOfItsStepsForItsOwner() throws IOException {
        JsonNode task = finished(queue(List.of(
                Map.of("type", "navigate", "url", pages.url("/")),
                Map.of("type", "click", "selector", "#go")), true));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("completed");
        assertThat(task.get("trace").asBoolean()).isTrue();
        String id = task.get("id").asString();
        JsonNode trace = task.get("result").get("trace");
        assertThat(trace.get("kept").asBoolean()).as(trace.toString()).isTrue();
        assertThat(trace.get("attachment").asString()).isEqualTo(TASKS + "/" + id + "/trace");
        assertThat(trace.get("media_type").asString()).isEqualTo("application/zip");

        HttpResponse<byte[]> download = download(id, TestKeys.QUINN);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/zip"));
        assertThat((long) download.body().length).isEqualTo(trace.get("size_bytes").asLong());
        String actions = TraceTest.unzip(download.body()).get("trace.trace");
        assertThat(actions).as("the trace lists both steps").isNotNull().contains("\"goto\"").contains("\"click\"")
                .contains(pages.url("/"));

        assertThat(download(id, TestKeys.ROSE).statusCode()).as("another owner's task").isEqualTo(404);
        assertThat(problem(quinn.delete("/api/agents/browser/" + agentId + "/trace"), 409))
                .as("the task stopped its recording").isEqualTo("urn:agent-api:problem:trace-not-recording");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_logs WHERE resource_id = ? AND event_type IN "
                        + "('agent.trace.started', 'agent.trace.stopped') AND success AND details->>'task_id' = ?")
                .params(agentId, id).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void aFailingStepStillLeavesATrace() throws IOException {
        JsonNode task = finished(queue(List.of(
                Map.of("type", "navigate", "url", pages.url("/")),
                Map.of("type", "click", "selector", "#missing", "timeout_ms", 500)), true));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("failed");
        assertThat(task.get("error").get("step").asInt()).isEqualTo(1);
        assertThat(task.get("error").path("trace").path("kept").asBoolean()).as(task.toString()).isTrue();
        HttpResponse<byte[]> download = download(task.get("id").asString(), TestKeys.QUINN);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(TraceTest.unzip(download.body()).get("trace.trace")).contains("\"goto\"").contains("#missing");
    }

    @Test
    void aCancelledTaskKeepsTheTraceOfWhatItDidAndNobodyElseStopsItMeanwhile() throws IOException {
        int slowBefore = pages.hits("/slow");
        String id = queue(List.of(
                Map.of("type", "navigate", "url", pages.url("/")),
                Map.of("type", "navigate", "url", pages.url("/slow")),
                Map.of("type", "navigate", "url", pages.url("/slow")),
                Map.of("type", "text", "selector", "body")), true);
        await().atMost(Duration.ofSeconds(60)).until(() -> pages.hits("/slow") > slowBefore); // step 1 runs (3 s)

        String trace = "/api/agents/browser/" + agentId + "/trace";
        Api.Response refused = quinn.delete(trace);
        assertThat(problem(refused, 409)).isEqualTo("urn:agent-api:problem:trace-recorded-by-task");
        assertThat(refused.json().get("task_id").asString()).isEqualTo(id);
        assertThat(problem(quinn.post(trace, ""), 409)).isEqualTo("urn:agent-api:problem:trace-recorded-by-task");
        assertThat(quinn.post(TASKS + "/" + id + "/cancel", "").status()).isEqualTo(202);

        JsonNode task = finished(id);
        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("cancelled");
        HttpResponse<byte[]> download = download(id, TestKeys.QUINN);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(TraceTest.unzip(download.body()).get("trace.trace")).contains(pages.url("/slow"));
        assertThat(problem(quinn.delete(trace), 409)).as("the cancel stopped the task's recording")
                .isEqualTo("urn:agent-api:problem:trace-not-recording");
    }

    @Test
    void anAgentThatRecordsAlreadyFailsATracedTaskForGoodAndKeepsItsRecording() {
        assertThat(quinn.post("/api/agents/browser/" + agentId + "/actions",
                Api.json(Map.of("type", "navigate", "url", pages.url("/")))).status()).isEqualTo(200);
        String trace = "/api/agents/browser/" + agentId + "/trace";
        assertThat(quinn.post(trace, "").status()).isEqualTo(200);

        JsonNode task = finished(queue(List.of(Map.of("type", "text", "selector", "#h")), true));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("failed");
        assertThat(task.get("attempts").asInt()).as("not retried").isEqualTo(1);
        assertThat(task.get("error").get("message").asString()).contains("is recording a trace already");
        assertThat(problem(quinn.get(TASKS + "/" + task.get("id").asString() + "/trace"), 404))
                .isEqualTo("urn:agent-api:problem:task-trace-not-found");
        assertThat(quinn.delete(trace).status()).as("the API's recording is still the API's to stop").isEqualTo(200);
    }

    @Test
    void aTaskTypeThatCannotTraceIsRefusedAtTheDoor() {
        Api.Response generic = quinn.post(TASKS, Api.json(Map.of("title", "external", "task_type", "generic", "trace", true)));
        assertThat(generic.status()).as(generic.body()).isEqualTo(400);
        assertThat(generic.json().get("errors").get("trace").asString()).contains("browser.actions");

        Api.Response untraced = quinn.post(TASKS, Api.json(Map.of("title", "external", "task_type", "generic", "trace", false)));
        assertThat(untraced.status()).as(untraced.body()).isEqualTo(201);
        assertThat(untraced.json().get("task").get("trace").asBoolean()).isFalse();
        quinn.post(TASKS + "/" + untraced.json().get("task").get("id").asString() + "/cancel", "");

        Api.Response notABoolean = quinn.post(TASKS, Api.json(Map.of("title", "t", "task_type", "browser.actions", "trace", List.of(1),
                "payload", Map.of("agent_id", agentId, "actions", List.of(Map.of("type", "content"))))));
        assertThat(notABoolean.status()).as(notABoolean.body()).isEqualTo(400);
    }

    private String queue(List<Map<String, Object>> actions, boolean trace) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", "traced");
        body.put("task_type", "browser.actions");
        body.put("max_attempts", 1);
        body.put("trace", trace);
        body.put("payload", Map.of("agent_id", agentId, "actions", actions));
        Api.Response created = quinn.post(TASKS, Api.json(body));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created.json().get("task").get("id").asString();
    }

    private JsonNode finished(String id) {
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> quinn.get(TASKS + "/" + id).json().get("task"), t -> FINISHED.contains(t.get("status").asString()));
    }

    private static String problem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json().get("type").asString();
    }

    private HttpResponse<byte[]> download(String taskId, String key) {
        return TraceTest.download(quinn.uri(TASKS + "/" + taskId + "/trace"), key);
    }
}
