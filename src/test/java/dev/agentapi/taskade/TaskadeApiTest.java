package dev.agentapi.taskade;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TraceLogging;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * The five Taskade routes against WireMock playing Taskade over real HTTP, with a shared workspace
 * configured. The breaker is set never to open here (TaskadeBreakerTest is about it). The settings are the JWT
 * context's (no other class there asks Taskade); its stand-in ({@link TaskadeStandIn#shared()}) lives as long as the
 * JVM, its stubs reset before each test.
 */
@JwtIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class TaskadeApiTest {

    static final WireMockServer taskade = TaskadeStandIn.shared();
    static final String WORKSPACE = TaskadeStandIn.WORKSPACE;

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LoggingSystem logging;
    Api alice;
    Api bob;

    @BeforeEach
    void setUp() {
        taskade.resetAll();
        alice = new Api(port, TestKeys.ALICE);
        bob = new Api(port, TestKeys.BOB);
    }

    // ---- happy paths -------------------------------------------------------------------------------

    @Test
    void workspacesComeFromTaskadeLimitedToTheSharedOne() {
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson(
                "{\"ok\": true, \"items\": [{\"id\": \"" + WORKSPACE + "\", \"name\": \"Team\"}, {\"id\": \"other\", \"name\": \"Private\"}]}")));

        Api.Response answer = alice.get("/api/agents/taskade");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode body = answer.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("error").isNull()).isTrue();
        assertThat(body.get("workspaces")).hasSize(1);
        assertThat(body.get("workspaces").get(0).get("id").asString()).isEqualTo(WORKSPACE);
        assertThat(body.get("workspaces").get(0).get("name").asString()).isEqualTo("Team");
        taskade.verify(1, getRequestedFor(urlEqualTo("/api/v1/workspaces"))
                .withHeader("Authorization", equalTo("Bearer " + TaskadeStandIn.KEY)));
    }

    @Test
    void createdProjectIsMirroredAndAuditedOnceAndListsRefreshTheMirror() {
        String id = TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/workspaces/" + WORKSPACE + "/projects"))
                .willReturn(okJson("{\"ok\": true, \"item\": {\"id\": \"" + id + "\", \"name\": \"Launch\"}}")));

        Api.Response created = alice.post("/api/agents/taskade/projects",
                Api.json(Map.of("title", "Launch", "description", "Everything for the launch")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode project = created.json().get("project");
        assertThat(created.json().get("success").asBoolean()).isTrue();
        assertThat(created.json().get("error").isNull()).isTrue();
        assertThat(project.get("id").asString()).isEqualTo(id);
        assertThat(project.get("title").asString()).isEqualTo("Launch");
        assertThat(project.get("workspace_id").asString()).isEqualTo(WORKSPACE);
        assertThat(project.get("created_by").asString()).isEqualTo("key:alice");
        taskade.verify(1, postRequestedFor(urlEqualTo("/api/v1/workspaces/" + WORKSPACE + "/projects"))
                .withRequestBody(equalToJson("{\"contentType\": \"text/markdown\", \"content\": \"# Launch\\n\\nEverything for the launch\"}")));
        assertThat(jdbc.queryForList("SELECT name, workspace_id, created_by FROM projects WHERE id = ?", id))
                .containsExactly(Map.of("name", "Launch", "workspace_id", WORKSPACE, "created_by", "key:alice"));
        assertThat(jdbc.queryForList("SELECT user_id, success FROM audit_logs WHERE event_type = 'project.create' AND resource_id = ?", id))
                .containsExactly(Map.of("user_id", "key:alice", "success", true));

        // Taskade renamed it: the list shows Taskade's name and the mirror takes it
        taskade.stubFor(get(urlEqualTo("/api/v1/folders/" + WORKSPACE + "/projects")).willReturn(okJson(
                "{\"ok\": true, \"items\": [{\"id\": \"" + id + "\", \"name\": \"Launch v2\"}]}")));
        Api.Response listed = alice.get("/api/agents/taskade/projects");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("projects").get(0).get("name").asString()).isEqualTo("Launch v2");
        assertThat(jdbc.queryForObject("SELECT name FROM projects WHERE id = ?", String.class, id)).isEqualTo("Launch v2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM projects WHERE id = ?", Long.class, id)).isEqualTo(1);
    }

    @Test
    void createdTaskMapsTitleDescriptionAndPriorityAndIsMirroredAndAuditedOnce() {
        String project = sharedProject();
        String task = TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).willReturn(okJson(
                "{\"ok\": true, \"item\": [{\"id\": \"" + task + "\", \"text\": \"Write it\", \"completed\": false}]}")));
        taskade.stubFor(put(urlEqualTo("/api/v1/projects/" + project + "/tasks/" + task + "/note")).willReturn(okJson(
                "{\"ok\": true, \"item\": {\"type\": \"text/markdown\", \"value\": \"Two paragraphs. Short ones.\"}}")));

        Api.Response created = bob.post("/api/agents/taskade/projects/" + project + "/tasks",
                Api.json(Map.of("title", "Write it", "description", "Two paragraphs.\nShort ones.", "priority", "high")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode view = created.json().get("task");
        assertThat(view.get("id").asString()).isEqualTo(task);
        assertThat(view.get("project_id").asString()).isEqualTo(project);
        assertThat(view.get("title").asString()).isEqualTo("Write it");
        assertThat(view.get("priority").asString()).isEqualTo("high");
        assertThat(view.get("description_saved").asBoolean()).isTrue();
        taskade.verify(1, postRequestedFor(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).withRequestBody(equalToJson(
                "{\"tasks\": [{\"contentType\": \"text/plain\", \"content\": \"Write it\", \"placement\": \"beforeend\"}]}")));
        taskade.verify(1, putRequestedFor(urlEqualTo("/api/v1/projects/" + project + "/tasks/" + task + "/note"))
                .withRequestBody(equalToJson("{\"type\": \"text/markdown\", \"value\": \"Two paragraphs. Short ones.\"}")));
        assertThat(jdbc.queryForList("SELECT title, description, priority, status, source, project_id, created_by FROM tasks WHERE id = ?", task))
                .containsExactly(Map.of("title", "Write it", "description", "Two paragraphs.\nShort ones.", "priority", "high",
                        "status", "pending", "source", "taskade", "project_id", project, "created_by", "key:bob"));
        assertThat(jdbc.queryForList("SELECT user_id, success FROM audit_logs WHERE event_type = 'task.create' AND resource_id = ?", task))
                .containsExactly(Map.of("user_id", "key:bob", "success", true));

        // Taskade completed it: the list says so and the mirror follows
        taskade.stubFor(get(urlEqualTo("/api/v1/projects/" + project + "/tasks")).willReturn(okJson(
                "{\"ok\": true, \"items\": [{\"id\": \"" + task + "\", \"text\": \"Write it\", \"completed\": true}]}")));
        Api.Response listed = bob.get("/api/agents/taskade/projects/" + project + "/tasks");
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("project_id").asString()).isEqualTo(project);
        assertThat(listed.json().get("tasks").get(0).get("completed").asBoolean()).isTrue();
        assertThat(jdbc.queryForObject("SELECT status FROM tasks WHERE id = ?", String.class, task)).isEqualTo("completed");
    }

    // ---- sharing -------------------------------------------------------------------------------------

    @Test
    void aWorkspaceOutsideTheSharedOneAnswers404WithoutAskingTaskade() {
        Api.Response answer = alice.get("/api/agents/taskade/projects?workspace_id=someoneelses");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.json().get("projects")).isEmpty();
        assertThat(answer.json().get("error").asString()).isEqualTo("Workspace not found");
        taskade.verify(0, anyRequestedFor(anyUrl()));
    }

    @Test
    void aProjectNeitherSharedNorOwnAnswers404AndItsTasksAreNeverAskedFor() {
        String foreign = TaskadeStandIn.id();
        taskade.stubFor(get(urlEqualTo("/api/v1/folders/" + WORKSPACE + "/projects")).willReturn(okJson("{\"ok\": true, \"items\": []}")));

        Api.Response answer = alice.get("/api/agents/taskade/projects/" + foreign + "/tasks");
        Api.Response create = alice.post("/api/agents/taskade/projects/" + foreign + "/tasks", "{\"title\": \"x\"}");

        assertThat(answer.status()).as(answer.toString()).isEqualTo(404);
        assertThat(answer.json().get("error").asString()).isEqualTo("Project not found");
        assertThat(answer.json().get("project_id").asString()).isEqualTo(foreign);
        assertThat(create.status()).as(create.toString()).isEqualTo(404);
        taskade.verify(0, getRequestedFor(urlEqualTo("/api/v1/projects/" + foreign + "/tasks")));
        taskade.verify(0, postRequestedFor(urlEqualTo("/api/v1/projects/" + foreign + "/tasks/")));
    }

    // ---- bad input -----------------------------------------------------------------------------------

    @Test
    void badInputAnswers400InTheSeedEnvelopeAndCallsNothing() {
        String project = TaskadeStandIn.id();
        List<String> bodies = List.of("{}", "", "{\"title\": \"\"}", "{\"title\": \"   \"}", "{\"title\": null}",
                "{\"title\": 5}", "{\"title\": [\"a\"]}", "{\"title\": {\"a\": 1}}", "{\"title\": true}",
                Api.json(Map.of("title", "x".repeat(10 * 1024))), Api.json(Map.of("title", "nul\u0000here")),
                Api.json(Map.of("title", "ok", "description", "nul\u0000here")), "{\"title\": \"ok\", \"description\": 7}",
                "{\"title\": \"ok\", \"priority\": \"extreme\"}", "{\"title\": \"ok\", \"priority\": 3}",
                "{\"title\": \"ok\", \"workspace_id\": \"../../etc\"}", "{not json", "[1, 2]", "\"title\"");
        for (String body : bodies) {
            for (String path : List.of("/api/agents/taskade/projects", "/api/agents/taskade/projects/" + project + "/tasks")) {
                if (body.contains("priority") && path.endsWith("/projects") || body.contains("workspace_id") && path.endsWith("/tasks")) {
                    continue; // fields the route does not read
                }
                Api.Response answer = alice.post(path, body);
                String what = path + " " + body.substring(0, Math.min(40, body.length())) + " -> " + answer;
                assertThat(answer.status()).as(what).isEqualTo(400);
                assertThat(answer.header("Content-Type")).as(what).startsWith("application/problem+json");
                JsonNode json = answer.json();
                assertThat(json.get("success").asBoolean()).as(what).isFalse();
                assertThat(json.get("error").asString()).as(what).isNotBlank();
                assertThat(json.get("status").asInt()).as(what).isEqualTo(400);
                assertThat(json.has("title") && json.has("detail") && json.has("type")).as(what).isTrue();
                assertThat(json.has(path.endsWith("/tasks") ? "task" : "project")).as(what).isTrue();
                assertThat(answer.body()).as(what).doesNotContain("Exception").doesNotContain("at dev.");
            }
        }
        Api.Response noTitle = alice.post("/api/agents/taskade/projects", "{\"description\": \"d\"}");
        assertThat(noTitle.json().get("error").asString()).isEqualTo("title is required");
        assertThat(noTitle.json().get("errors").get("title").asString()).isEqualTo("is required");
        assertThat(noTitle.json().get("project").isNull()).isTrue();
        Api.Response tooLarge = alice.post("/api/agents/taskade/projects", Api.json(Map.of("title", "x".repeat(2 * 1024 * 1024))));
        assertThat(tooLarge.status()).as("a body too large is no seed refusal: the service-wide answer").isEqualTo(413);
        taskade.verify(0, anyRequestedFor(anyUrl()));
    }

    // ---- Taskade's failures --------------------------------------------------------------------------

    @Test
    void taskadeErrorsAnswer502AndAReadIsRetriedWhileACreateIsNot() {
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(aResponse().withStatus(500).withBody("{\"ok\": false}")));
        taskade.stubFor(post(urlEqualTo("/api/v1/workspaces/" + WORKSPACE + "/projects")).willReturn(aResponse().withStatus(500)));

        String title = "Doomed " + TaskadeStandIn.id();
        Api.Response read = alice.get("/api/agents/taskade");
        Api.Response create = alice.post("/api/agents/taskade/projects", Api.json(Map.of("title", title)));

        assertEnvelopedProblem(read, 502, "workspaces");
        assertThat(read.json().get("taskade_status").asInt()).isEqualTo(500);
        assertThat(read.json().get("error").asString()).isEqualTo("Taskade error");
        taskade.verify(3, getRequestedFor(urlEqualTo("/api/v1/workspaces")));
        assertEnvelopedProblem(create, 502, "project");
        taskade.verify(1, postRequestedFor(urlEqualTo("/api/v1/workspaces/" + WORKSPACE + "/projects")));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE event_type = 'project.create' AND success = false "
                + "AND details->>'title' = ?", Long.class, title)).isEqualTo(1);
    }

    @Test
    void unauthorizedAndThrottledAnswersFromTaskadeAre502AndThrottlingCarriesRetryAfter() {
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(aResponse().withStatus(401)
                .withBody("{\"ok\": false, \"message\": \"bad token\", \"code\": \"UNAUTHORIZED\"}")));
        Api.Response unauthorized = alice.get("/api/agents/taskade");
        assertEnvelopedProblem(unauthorized, 502, "workspaces");
        assertThat(unauthorized.json().get("taskade_status").asInt()).isEqualTo(401);
        assertThat(unauthorized.body()).doesNotContain("bad token");
        taskade.verify(1, getRequestedFor(urlEqualTo("/api/v1/workspaces")));

        taskade.resetAll();
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")));
        Api.Response throttled = alice.get("/api/agents/taskade");
        assertEnvelopedProblem(throttled, 502, "workspaces");
        assertThat(throttled.header("Retry-After")).isEqualTo("7");
        taskade.verify(3, getRequestedFor(urlEqualTo("/api/v1/workspaces")));
    }

    @Test
    void aProjectTaskadeDoesNotKnowAnswers404() {
        String missing = TaskadeStandIn.id();
        taskade.stubFor(get(urlEqualTo("/api/v1/projects/" + missing + "/tasks")).willReturn(aResponse().withStatus(404)
                .withBody("{\"ok\": false, \"message\": \"Not found\", \"code\": \"NOT_FOUND\", \"statusMessage\": \"Not Found\"}")));

        Api.Response answer = new Api(port, TestKeys.ADMIN).get("/api/agents/taskade/projects/" + missing + "/tasks");

        assertEnvelopedProblem(answer, 404, "tasks");
        assertThat(answer.json().get("error").asString()).isEqualTo("Project not found");
        assertThat(answer.json().get("project_id").asString()).isEqualTo(missing);
        taskade.verify(1, getRequestedFor(urlEqualTo("/api/v1/projects/" + missing + "/tasks")));
    }

    @Test
    void creatingInAProjectTaskadeDoesNotKnowAnswers404AndLeavesAFailureEntryOnly() {
        String missing = TaskadeStandIn.id();
        String title = "Lost " + TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + missing + "/tasks/")).willReturn(aResponse().withStatus(404)));

        Api.Response answer = new Api(port, TestKeys.ADMIN).post("/api/agents/taskade/projects/" + missing + "/tasks",
                Api.json(Map.of("title", title)));

        assertEnvelopedProblem(answer, 404, "task");
        assertThat(answer.json().get("task").isNull()).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks WHERE project_id = ?", Long.class, missing)).isZero();
        assertThat(jdbc.queryForList("SELECT success, error_message FROM audit_logs WHERE event_type = 'task.create' "
                + "AND details->>'title' = ?", title)).containsExactly(Map.of("success", false, "error_message", "Taskade has no such item"));
    }

    @Test
    void aNoteTaskadeRefusesLeavesTheTaskCreatedAndSaysSo() {
        String project = sharedProject();
        String task = TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).willReturn(okJson(
                "{\"ok\": true, \"item\": [{\"id\": \"" + task + "\", \"text\": \"Noted\"}]}")));
        taskade.stubFor(put(urlEqualTo("/api/v1/projects/" + project + "/tasks/" + task + "/note")).willReturn(aResponse().withStatus(500)));

        Api.Response created = alice.post("/api/agents/taskade/projects/" + project + "/tasks",
                Api.json(Map.of("title", "Noted", "description", "kept here")));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("task").get("description_saved").asBoolean()).isFalse();
        taskade.verify(1, postRequestedFor(urlEqualTo("/api/v1/projects/" + project + "/tasks/")));
        assertThat(jdbc.queryForObject("SELECT description FROM tasks WHERE id = ?", String.class, task)).isEqualTo("kept here");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE event_type = 'task.create' AND resource_id = ? "
                + "AND success AND details->>'description_saved' = 'false'", Long.class, task)).isEqualTo(1);
    }

    @Test
    void aSlowTaskadeAnswers504AndMalformedJsonAnswers502() {
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": []}").withFixedDelay(6_000)));
        Api.Response slow = alice.get("/api/agents/taskade");
        assertEnvelopedProblem(slow, 504, "workspaces");
        assertThat(slow.json().get("error").asString()).isEqualTo("Taskade did not answer in time");

        taskade.resetAll();
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": [")));
        Api.Response malformed = alice.get("/api/agents/taskade");
        assertEnvelopedProblem(malformed, 502, "workspaces");

        taskade.resetAll();
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": \"none\"}")));
        assertEnvelopedProblem(alice.get("/api/agents/taskade"), 502, "workspaces");
    }

    // ---- observability and secrecy -------------------------------------------------------------------

    @Test
    void outgoingCallsAreMeasuredAsHttpClientRequests() {
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        assertThat(alice.get("/api/agents/taskade").status()).isEqualTo(200);

        String scrape = new Api(managementPort, TestKeys.ADMIN).get("/actuator/prometheus").body();

        assertThat(scrape).containsPattern("http_client_requests_seconds_count\\{[^}]*uri=\"/api/v1/workspaces\"[^}]*\\}");
    }

    @Test
    void theKeyNeverReachesLogsResponsesOrAuditRows(CapturedOutput output) {
        String project = sharedProject();
        String task = TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).willReturn(okJson(
                "{\"ok\": true, \"item\": [{\"id\": \"" + task + "\", \"text\": \"Quiet\"}]}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(aResponse().withStatus(401)));
        List<Api.Response> responses = new ArrayList<>();

        verbosely(() -> {
            responses.add(alice.post("/api/agents/taskade/projects/" + project + "/tasks", "{\"title\": \"Quiet\"}"));
            responses.add(alice.get("/api/agents/taskade"));
        });

        assertThat(responses).extracting(Api.Response::status).containsExactly(201, 502);
        assertThat(output.getAll()).as("the loggers really were verbose").contains("/api/agents/taskade");
        String secretPart = TaskadeStandIn.KEY.substring(4, 24);
        assertThat(output.getAll()).doesNotContain(secretPart);
        responses.forEach(r -> assertThat(r.body() + r.raw().headers()).doesNotContain(secretPart));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE concat(details::text, new_value::text, "
                + "old_value::text, error_message, user_agent) LIKE ?", Long.class, "%" + secretPart + "%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE event_type = 'task.create' AND resource_id = ?",
                Long.class, task)).isEqualTo(1);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    /** A project in the shared workspace, as Taskade lists it. */
    /** The task queue's {@code taskade.task}: the same create, run by a worker as the task's creator. */
    @Test
    void aQueuedTaskadeTaskIsCreatedInTaskadeAsItsCreator() {
        String project = sharedProject();
        String task = TaskadeStandIn.id();
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).willReturn(okJson(
                "{\"ok\": true, \"item\": [{\"id\": \"" + task + "\", \"text\": \"Queued\", \"completed\": false}]}")));

        Api.Response queued = bob.post("/api/agents/mcp/tasks", Api.json(Map.of("title", "file it", "task_type", "taskade.task",
                "payload", Map.of("project_id", project, "title", "Queued", "priority", "urgent"))));

        assertThat(queued.status()).as(queued.toString()).isEqualTo(201);
        String id = queued.json().get("task").get("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> bob.get("/api/agents/mcp/tasks/" + id).json().get("task"),
                        t -> !t.get("status").asString().equals("pending") && !t.get("status").asString().equals("running"));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        assertThat(done.get("result").get("id").asString()).isEqualTo(task);
        taskade.verify(1, postRequestedFor(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).withRequestBody(equalToJson(
                "{\"tasks\": [{\"contentType\": \"text/plain\", \"content\": \"Queued\", \"placement\": \"beforeend\"}]}")));
        assertThat(jdbc.queryForList("SELECT priority, source, created_by FROM tasks WHERE id = ?", task))
                .containsExactly(Map.of("priority", "urgent", "source", "taskade", "created_by", "key:bob"));
        assertThat(jdbc.queryForList("SELECT user_id, success FROM audit_logs WHERE event_type = 'task.create' AND resource_id = ?", task))
                .containsExactly(Map.of("user_id", "key:bob", "success", true));
    }

    /** A {@code taskade.task} payload is held to the task route's rules at the door: nothing is stored, Taskade is not called. */
    @Test
    void aQueuedTaskadeTaskWithoutTitleIsRefusedAtTheDoor() {
        String project = sharedProject();
        Integer before = jdbc.queryForObject("SELECT count(*) FROM tasks", Integer.class);

        Api.Response refused = bob.post("/api/agents/mcp/tasks", Api.json(Map.of("title", "file it", "task_type", "taskade.task",
                "payload", Map.of("project_id", project, "description", "no title"))));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.body()).contains("title");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM tasks", Integer.class)).isEqualTo(before);
        taskade.verify(0, postRequestedFor(urlEqualTo("/api/v1/projects/" + project + "/tasks/")));
    }

    private String sharedProject() {
        String project = TaskadeStandIn.id();
        taskade.stubFor(get(urlEqualTo("/api/v1/folders/" + WORKSPACE + "/projects")).willReturn(okJson(
                "{\"ok\": true, \"items\": [{\"id\": \"" + project + "\", \"name\": \"Shared\"}]}")));
        return project;
    }

    static void assertEnvelopedProblem(Api.Response answer, int status, String dataField) {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.header("Content-Type")).as(answer.toString()).startsWith("application/problem+json");
        JsonNode body = answer.json();
        assertThat(body.get("success").asBoolean()).isFalse();
        assertThat(body.get("error").asString()).isNotBlank();
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.has("title") && body.has("detail") && body.has("type")).isTrue();
        assertThat(body.has(dataField)).as(dataField + " in " + answer).isTrue();
        assertThat(answer.body()).doesNotContain(TaskadeStandIn.KEY.substring(4, 24));
    }

    static final List<String> VERBOSE = List.of("org.springframework.web", "org.springframework.http",
            "org.springframework.core.retry", "io.github.resilience4j", "jdk.internal.httpclient", "dev.agentapi",
            "org.apache.coyote", "org.apache.tomcat");

    private void verbosely(Runnable requests) {
        TraceLogging.verbosely(logging, VERBOSE, requests);
    }
}
