package dev.agentapi.openapi;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.client.ApiClient;
import dev.agentapi.client.ApiException;
import dev.agentapi.client.api.AuditApi;
import dev.agentapi.client.api.BrowserAgentsApi;
import dev.agentapi.client.api.TaskQueueApi;
import dev.agentapi.client.api.TaskadeApi;
import dev.agentapi.client.model.Agent;
import dev.agentapi.client.model.AgentCreated;
import dev.agentapi.client.model.AgentList;
import dev.agentapi.client.model.AuditEntry;
import dev.agentapi.client.model.BrowserAction;
import dev.agentapi.client.model.ClickAction;
import dev.agentapi.client.model.CreateAgentRequest;
import dev.agentapi.client.model.FillAction;
import dev.agentapi.client.model.NavigateAction;
import dev.agentapi.client.model.Problem;
import dev.agentapi.client.model.QueueTaskRequest;
import dev.agentapi.client.model.QueuedTask;
import dev.agentapi.client.model.RateLimitProblem;
import dev.agentapi.client.model.ScreenshotAction;
import dev.agentapi.client.model.TextAction;
import dev.agentapi.client.model.UpdateAgentRequest;
import dev.agentapi.client.model.ViewportRequest;
import dev.agentapi.support.Api;
import dev.agentapi.support.BrowserIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import dev.agentapi.taskade.TaskadeStandIn;
import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The published API document against the running service, with a real Chromium, PostgreSQL and Taskade
 * played by WireMock over HTTP. First every operation is called and each answer judged against what the
 * document says of it ({@link Contract}); then a client generated from the document (openapi-generator,
 * {@code java}/{@code native}, built from the committed copy that {@code OpenApiTest} keeps equal to
 * {@code /v3/api-docs}) does a user's whole round, and its errors arrive typed. In the browser context, whose agents
 * launch on create: the agents here launch on their first action ({@code "launch": false}), as a client that
 * creates several agents at once would ask, so they leave the context's two browsers to the ones that act.
 */
@BrowserIntegrationTest
@ExtendWith(RequiresChromium.class)
class ApiContractTest {

    /** Taskade's stand-in of the browser context, which lives as long as the JVM. */
    static final WireMockServer taskade = TaskadeStandIn.forContract();
    static final String WORKSPACE = TaskadeStandIn.WORKSPACE;
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    Api alice;
    Contract contract;

    @BeforeEach
    void setUp() {
        alice = new Api(port, TestKeys.ALICE);
        contract = new Contract(Api.anonymous(port).get("/v3/api-docs").body());
    }

    // ---- the document judges every operation's answers -----------------------------------------------

    @Test
    void everyOperationAnswersAsDocumented() {
        String agent = "contract-" + UUID.randomUUID();

        Api.Response created = call("createAgent", alice, "POST", "/api/agents/browser",
                Map.of("agent_id", agent, "viewport", Map.of("width", 800, "height", 600), "config", Map.of("purpose", "contract")));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        call("createAgent", alice, "POST", "/api/agents/browser", Map.of("agent_id", "contract-" + UUID.randomUUID(), "launch", false));
        Api.Response listed = call("listAgents", alice, "GET", "/api/agents/browser?size=1", null);
        call("listAgents", alice, "GET", "/api/agents/browser?size=1&cursor=" + listed.json().get("next").asString(), null);
        Api.Response read = call("getAgent", alice, "GET", "/api/agents/browser/" + agent, null);
        call("updateAgent", alice, "PATCH", "/api/agents/browser/" + agent, Map.of("headless", true, "config", Map.of("purpose", "still")));

        String actions = "/api/agents/browser/" + agent + "/actions";
        call("runAgentAction", alice, "POST", actions, Map.of("type", "navigate", "url", pages.url("/form"), "wait_until", "load"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "fill", "selector", "#name", "value", "Ada"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "press", "selector", "#name", "key", "Tab"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "wait_for", "selector", "#send", "state", "visible"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "click", "selector", "#send"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "text", "selector", "#out"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "content"));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "snapshot", "depth", 3));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "screenshot", "full_page", false));
        call("runAgentAction", alice, "POST", actions, Map.of("type", "pdf"));
        HttpResponse<byte[]> png = raw("POST", actions, "{\"type\": \"screenshot\"}", "image/png");
        contract.answer("runAgentAction", png.statusCode(), png.headers(), null);
        assertThat(png.headers().firstValue("Content-Type")).hasValue("image/png");

        // the task queue: queued (and replayed), listed, read, claimed, beaten, completed, failed, cancelled
        Map<String, Object> generic = Map.of("title", "Contract", "task_type", "generic", "priority", "high",
                "metadata", Map.of("source", "contract"), "payload", Map.of("n", 1));
        Api.Response queued = call("queueTask", alice, "POST", "/api/agents/mcp/tasks", generic, Map.of("Idempotency-Key", "k-" + UUID.randomUUID()));
        String key = "k-" + UUID.randomUUID();
        call("queueTask", alice, "POST", "/api/agents/mcp/tasks", generic, Map.of("Idempotency-Key", key));
        Api.Response replayed = call("queueTask", alice, "POST", "/api/agents/mcp/tasks", generic, Map.of("Idempotency-Key", key));
        assertThat(replayed.status()).isEqualTo(200);
        call("listTasks", alice, "GET", "/api/agents/mcp/tasks?status=pending&size=5", null);
        call("getTask", alice, "GET", "/api/agents/mcp/tasks/" + queued.json().get("task").get("id").asString(), null);
        // claims see only this test's tasks: they carry a platform of their own
        String platform = "contract-" + UUID.randomUUID();
        Map<String, String> claimBody = Map.of("task_type", "generic", "platform", platform);
        String first = queueGeneric(platform);
        JsonNode claim = call("claimTask", alice, "POST", "/api/agents/mcp/tasks/claim", claimBody).json();
        assertThat(claim.get("task").get("id").asString()).isEqualTo(first);
        String lease = claim.get("lease").get("token").asString();
        call("heartbeatTask", alice, "POST", "/api/agents/mcp/tasks/" + first + "/heartbeat", Map.of("lease_token", lease));
        call("completeTask", alice, "POST", "/api/agents/mcp/tasks/" + first + "/complete", Map.of("lease_token", lease, "result", Map.of("ok", true)));
        String second = queueGeneric(platform);
        String secondLease = call("claimTask", alice, "POST", "/api/agents/mcp/tasks/claim", claimBody).json().get("lease").get("token").asString();
        call("failTask", alice, "POST", "/api/agents/mcp/tasks/" + second + "/fail", Map.of("lease_token", secondLease, "error", "no luck", "retry", false));
        assertThat(call("claimTask", alice, "POST", "/api/agents/mcp/tasks/claim", claimBody).status()).isEqualTo(204);
        call("cancelTask", alice, "POST", "/api/agents/mcp/tasks/" + queueGeneric(platform) + "/cancel", null);

        // a queued browser task whose screenshot step is kept as an attachment, and which records a trace of its run
        String browserTask = call("queueTask", alice, "POST", "/api/agents/mcp/tasks", Map.of("title", "Shoot", "task_type", "browser.actions",
                "trace", true, "payload", Map.of("agent_id", agent, "actions", List.of(Map.of("type", "navigate", "url", pages.url("/")), Map.of("type", "screenshot")))))
                .json().get("task").get("id").asString();
        await().atMost(Duration.ofSeconds(60)).until(() -> alice.get("/api/agents/mcp/tasks/" + browserTask).json().get("task").get("status").asString().equals("completed"));
        call("getTask", alice, "GET", "/api/agents/mcp/tasks/" + browserTask, null);
        HttpResponse<byte[]> attachment = raw("GET", "/api/agents/mcp/tasks/" + browserTask + "/result/1", null, "*/*");
        contract.answer("getTaskStepResult", attachment.statusCode(), attachment.headers(), null);
        assertThat(attachment.statusCode()).isEqualTo(200);
        call("downloadTaskTrace", alice, "GET", "/api/agents/mcp/tasks/" + browserTask + "/trace", null);

        call("listAuditEntries", new Api(port), "GET", "/api/audit?resource_type=browser_agent&resource_id=" + agent + "&size=5", null);

        // Taskade, played by WireMock
        String project = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        String task = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": [{\"id\": \"" + WORKSPACE + "\", \"name\": \"Team\"}]}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/folders/" + WORKSPACE + "/projects")).willReturn(okJson("{\"ok\": true, \"items\": [{\"id\": \"" + project + "\", \"name\": \"Launch\"}]}")));
        taskade.stubFor(post(urlEqualTo("/api/v1/workspaces/" + WORKSPACE + "/projects")).willReturn(okJson("{\"ok\": true, \"item\": {\"id\": \"" + project + "\", \"name\": \"Launch\"}}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/projects/" + project + "/tasks")).willReturn(okJson("{\"ok\": true, \"items\": [{\"id\": \"" + task + "\", \"text\": \"Write it\", \"completed\": false}]}")));
        taskade.stubFor(post(urlEqualTo("/api/v1/projects/" + project + "/tasks/")).willReturn(okJson("{\"ok\": true, \"item\": [{\"id\": \"" + task + "\", \"text\": \"Write it\", \"completed\": false}]}")));
        taskade.stubFor(put(urlEqualTo("/api/v1/projects/" + project + "/tasks/" + task + "/note")).willReturn(okJson("{\"ok\": true, \"item\": {\"type\": \"text/markdown\", \"value\": \"Short\"}}")));
        call("listTaskadeWorkspaces", alice, "GET", "/api/agents/taskade", null);
        call("listTaskadeProjects", alice, "GET", "/api/agents/taskade/projects", null);
        call("createTaskadeProject", alice, "POST", "/api/agents/taskade/projects", Map.of("title", "Launch", "description", "All of it"));
        call("listTaskadeTasks", alice, "GET", "/api/agents/taskade/projects/" + project + "/tasks", null);
        call("createTaskadeTask", alice, "POST", "/api/agents/taskade/projects/" + project + "/tasks", Map.of("title", "Write it", "priority", "high"));

        for (String path : List.of("/api/agents/health", "/api/agents/health/live", "/api/agents/health/ready", "/health/live", "/health/ready")) {
            String id = contract.operations().entrySet().stream().filter(e -> e.getValue().path().equals(path)).findFirst().orElseThrow().getKey();
            call(id, Api.anonymous(port), "GET", path, null);
        }
        // the running agent's live view (its first event is enough: the stream goes on), a trace, a takeover, its saved state
        watch("watchAgent", "/api/agents/browser/" + agent + "/live");
        call("startAgentTrace", alice, "POST", "/api/agents/browser/" + agent + "/trace", null);
        call("runAgentAction", alice, "POST", actions, Map.of("type", "text", "selector", "body"));
        call("stopAgentTrace", alice, "DELETE", "/api/agents/browser/" + agent + "/trace", null);
        call("downloadAgentTrace", alice, "GET", "/api/agents/browser/" + agent + "/trace", null);
        call("takeOverAgent", alice, "POST", "/api/agents/browser/" + agent + "/takeover", null);
        call("getAgentTakeover", alice, "GET", "/api/agents/browser/" + agent + "/takeover", null);
        call("sendAgentInput", alice, "POST", "/api/agents/browser/" + agent + "/takeover/input", Map.of("type", "move", "x", 10, "y", 10));
        call("releaseAgent", alice, "DELETE", "/api/agents/browser/" + agent + "/takeover", null);
        call("getAgentState", alice, "GET", "/api/agents/browser/" + agent + "/state", null);
        call("replaceAgentState", alice, "PUT", "/api/agents/browser/" + agent + "/state", Map.of("state", Map.of(
                "storage_state", Map.of("cookies", List.of(Map.of("name", "session", "value", "s1", "domain", "127.0.0.1", "path", "/")),
                        "origins", List.of()),
                "tabs", List.of(pages.url("/form")), "active_tab", 0, "viewport", Map.of("width", 800, "height", 600))));
        call("deleteAgentState", alice, "DELETE", "/api/agents/browser/" + agent + "/state", null);
        call("deleteAgent", alice, "DELETE", "/api/agents/browser/" + agent, null);

        // every documented operation answered a success that the document accepted
        Set<String> succeeded = new HashSet<>();
        contract.seen().forEach((id, statuses) -> {
            if (statuses.stream().anyMatch(s -> s / 100 == 2)) {
                succeeded.add(id);
            }
        });
        assertThat(succeeded).containsExactlyInAnyOrderElementsOf(contract.operations().keySet());
        assertThat(read.header("ETag")).isNotBlank();
    }

    @Test
    void errorsAnswerAsDocumented() {
        String agent = "contract-" + UUID.randomUUID();
        call("createAgent", alice, "POST", "/api/agents/browser", Map.of("agent_id", agent, "launch", false));

        Api.Response unknown = send("createAgent", alice, "POST", "/api/agents/browser", "{\"agentId\": \"camel\"}", Map.of());
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("errors").get("agentId").asString()).isEqualTo("is not a known field");
        Api.Response nested = send("updateAgent", alice, "PATCH", "/api/agents/browser/" + agent, "{\"viewport\": {\"width\": 800, \"depth\": 3}}", Map.of());
        assertThat(nested.status()).isEqualTo(400);
        assertThat(nested.json().get("errors").has("viewport.depth")).as(nested.toString()).isTrue();
        Api.Response action = send("runAgentAction", alice, "POST", "/api/agents/browser/" + agent + "/actions", "{\"type\": \"navigate\", \"href\": \"x\"}", Map.of());
        assertThat(action.status()).isEqualTo(400);
        assertThat(action.json().get("errors").has("href")).as(action.toString()).isTrue();
        Api.Response task = send("queueTask", alice, "POST", "/api/agents/mcp/tasks", "{\"title\": \"t\", \"taskType\": \"generic\"}", Map.of());
        assertThat(task.status()).isEqualTo(400);
        assertThat(task.json().get("errors").has("taskType")).as(task.toString()).isTrue();
        Api.Response lease = send("completeTask", alice, "POST", "/api/agents/mcp/tasks/1/complete", "{\"leaseToken\": \"x\"}", Map.of());
        assertThat(lease.status()).isEqualTo(400);
        assertThat(lease.json().get("errors").has("leaseToken")).as(lease.toString()).isTrue();
        Api.Response taskadeTask = send("createTaskadeProject", alice, "POST", "/api/agents/taskade/projects", "{\"title\": \"t\", \"workspaceId\": \"w\"}", Map.of());
        assertThat(taskadeTask.status()).isEqualTo(400);
        assertThat(taskadeTask.json().get("errors").has("workspaceId")).as(taskadeTask.toString()).isTrue();

        send("getAgent", alice, "GET", "/api/agents/browser/missing-" + UUID.randomUUID(), null, Map.of());
        send("getAgent", Api.anonymous(port), "GET", "/api/agents/browser/" + agent, null, Map.of());
        send("getTask", alice, "GET", "/api/agents/mcp/tasks/999999999", null, Map.of());
        send("updateAgent", alice, "PATCH", "/api/agents/browser/" + agent, "{\"headless\": true}", Map.of("If-Match", "\"999\""));
        send("listAuditEntries", alice, "GET", "/api/audit", null, Map.of());
        send("listAgents", alice, "GET", "/api/agents/browser?status=sleeping", null, Map.of());
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        Api.Response limited;
        do {
            limited = send("listTaskadeWorkspaces", new Api(port, TestKeys.BOB), "GET", "/api/agents/taskade", null, Map.of());
        } while (limited.status() != 429);
        assertThat(contract.seen().keySet()).contains("getAgent", "getTask", "updateAgent", "listAuditEntries", "listTaskadeWorkspaces");
        assertThat(contract.seen().get("getAgent")).contains(401, 404);
        assertThat(contract.seen().get("listTaskadeWorkspaces")).contains(429);
        alice.delete("/api/agents/browser/" + agent);
    }

    // ---- a client generated from the document does a user's round ---------------------------------

    @Test
    void generatedClientDrivesAnAgentAndTheQueue() throws Exception {
        ApiClient client = client(TestKeys.ALICE);
        BrowserAgentsApi agents = new BrowserAgentsApi(client);
        String id = "generated-" + UUID.randomUUID();

        AgentCreated created = agents.createAgent(new CreateAgentRequest().agentId(id).launch(false)
                .viewport(new ViewportRequest().width(800).height(600)).config(Map.of("purpose", "generated")));
        assertThat(created.getAgentId()).isEqualTo(id);
        assertThat(created.getAgent().getConfig()).containsEntry("purpose", "generated");

        assertThat(agents.runAgentAction(id, new BrowserAction(new NavigateAction().type(NavigateAction.TypeEnum.NAVIGATE)
                .url(pages.url("/form")))).getPageActionResult().getTitle()).isEqualTo("Form");
        agents.runAgentAction(id, new BrowserAction(new FillAction().type(FillAction.TypeEnum.FILL).selector("#name").value("Ada")));
        agents.runAgentAction(id, new BrowserAction(new ClickAction().type(ClickAction.TypeEnum.CLICK).selector("#send")));
        assertThat(agents.runAgentAction(id, new BrowserAction(new TextAction().type(TextAction.TypeEnum.TEXT).selector("#out")))
                .getTextActionResult().getText()).isEqualTo("Hello, Ada!");
        byte[] png = agents.runAgentAction(id, new BrowserAction(new ScreenshotAction().type(ScreenshotAction.TypeEnum.SCREENSHOT)))
                .getScreenshotActionResult().getScreenshot();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(600);

        TaskQueueApi tasks = new TaskQueueApi(client);
        QueuedTask queued = tasks.queueTask(new QueueTaskRequest().title("Generated").taskType("generic")
                .priority(QueueTaskRequest.PriorityEnum.HIGH).payload(Map.of("agent", id)), null).getTask();
        QueuedTask read = tasks.getTask(queued.getId()).getTask();
        assertThat(read.getTitle()).isEqualTo("Generated");
        assertThat(read.getTaskType()).isEqualTo("generic");
        assertThat(read.getPayload()).isEqualTo(Map.of("agent", id));

        agents.createAgent(new CreateAgentRequest().agentId(id + "-2").launch(false));
        agents.createAgent(new CreateAgentRequest().agentId(id + "-3").launch(false));
        List<String> seen = new ArrayList<>();
        AgentList page = agents.listAgents(null, null, 2, null, null);
        seen.addAll(page.getAgents().stream().map(a -> a.getAgentId()).toList());
        while (page.getNext() != null && seen.size() < 6) {
            page = agents.listAgents(null, null, 2, page.getNext(), null);
            seen.addAll(page.getAgents().stream().map(a -> a.getAgentId()).toList());
        }
        assertThat(seen).containsSubsequence(id + "-3", id + "-2", id);

        List<AuditEntry> trail = new AuditApi(client(TestKeys.ADMIN)).listAuditEntries("browser_agent", id, null, null, null, null, 0, 50).getEntries();
        assertThat(trail).extracting(AuditEntry::getEventType).contains("agent.create");

        assertThat(agents.deleteAgent(id).getSuccess()).isTrue();
        agents.deleteAgent(id + "-2");
        agents.deleteAgent(id + "-3");
        assertThat(catchThrowableOfType(ApiException.class, () -> agents.getAgent(id, null)).getCode()).isEqualTo(404);
    }

    @Test
    void generatedClientSeesTypedErrors() throws Exception {
        ApiClient client = client(TestKeys.ALICE);
        BrowserAgentsApi agents = new BrowserAgentsApi(client);
        String id = "generated-" + UUID.randomUUID();
        Agent agent = agents.createAgent(new CreateAgentRequest().agentId(id).launch(false)).getAgent();

        ApiException invalid = catchThrowableOfType(ApiException.class, () -> agents.createAgent(new CreateAgentRequest().agentId("not valid!")));
        assertThat(invalid.getCode()).isEqualTo(400);
        assertThat(problem(client, invalid).getErrors()).containsKey("agent_id");

        ApiException anonymous = catchThrowableOfType(ApiException.class, () -> new BrowserAgentsApi(client(null)).getAgent(id, null));
        assertThat(anonymous.getCode()).isEqualTo(401);
        assertThat(problem(client, anonymous).getStatus()).isEqualTo(401);

        ApiException missing = catchThrowableOfType(ApiException.class, () -> agents.getAgent("missing-" + UUID.randomUUID(), null));
        assertThat(missing.getCode()).isEqualTo(404);
        assertThat(problem(client, missing).getError()).isEqualTo("Agent not found");

        ApiException stale = catchThrowableOfType(ApiException.class, () -> agents.updateAgent(id, new UpdateAgentRequest().headless(false),
                "\"" + (agent.getVersion() + 7) + "\""));
        assertThat(stale.getCode()).isEqualTo(412);
        assertThat(problem(client, stale).getType()).isEqualTo("urn:agent-api:problem:precondition-failed");

        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        TaskadeApi taskadeApi = new TaskadeApi(client(TestKeys.BOB));
        ApiException limited = null;
        for (int i = 0; i < 3 && limited == null; i++) {
            try {
                taskadeApi.listTaskadeWorkspaces();
            } catch (ApiException e) {
                limited = e.getCode() == 429 ? e : null;
            }
        }
        assertThat(limited).as("the second call within the minute is refused").isNotNull();
        RateLimitProblem body = client.getObjectMapper().readValue(limited.getResponseBody(), RateLimitProblem.class);
        assertThat(body.getRetryAfter()).isPositive();
        assertThat(limited.getResponseHeaders().firstValue("Retry-After")).isPresent();
        agents.deleteAgent(id);
    }

    // ---- helpers -------------------------------------------------------------------------------------

    private ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.setScheme("http");
        client.setHost("127.0.0.1");
        client.setPort(port);
        client.setBasePath("");
        if (key != null) {
            client.setRequestInterceptor(request -> request.header("X-API-Key", key));
        }
        return client;
    }

    private static Problem problem(ApiClient client, ApiException e) throws Exception {
        return client.getObjectMapper().readValue(e.getResponseBody(), Problem.class);
    }

    private String queueGeneric(String platform) {
        // no task_type: generic is the default
        return call("queueTask", alice, "POST", "/api/agents/mcp/tasks", Map.of("title", "Claim me", "platform", platform))
                .json().get("task").get("id").asString();
    }

    /** Sends a request whose body the document accepts, and judges the answer; a 2xx is expected. */
    private Api.Response call(String operationId, Api api, String method, String path, Object body) {
        return call(operationId, api, method, path, body, Map.of());
    }

    private Api.Response call(String operationId, Api api, String method, String path, Object body, Map<String, String> headers) {
        Api.Response response = send(operationId, api, method, path, body == null ? null : contract.request(operationId, body), headers);
        assertThat(response.status() / 100).as(operationId + " " + response).isEqualTo(2);
        return response;
    }

    /** Opens an event stream, reads it up to its first event, leaves it, and judges the answer's status and type. */
    private void watch(String operationId, String path) {
        HttpRequest request = HttpRequest.newBuilder(alice.uri(path)).header("Authorization", "Bearer " + TestKeys.ALICE)
                .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(60)).GET().build();
        try {
            HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofInputStream());
            String first;
            try (BufferedReader events = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                first = events.readLine();
            }
            assertThat(response.statusCode()).as(operationId).isEqualTo(200);
            assertThat(first).as("the stream's first line").startsWith("event:");
            contract.answer(operationId, response.statusCode(), response.headers(), "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends a request as it is (valid or not) and judges the answer against the document. */
    private Api.Response send(String operationId, Api api, String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri(path));
        headers.forEach(request::header);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        Api.Response response = api.send(request);
        contract.answer(operationId, response.status(), response.raw().headers(), response.body());
        return response;
    }

    private HttpResponse<byte[]> raw(String method, String path, String body, String accept) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(alice.uri(path)).header("Authorization", "Bearer " + TestKeys.ALICE)
                    .header("Accept", accept);
            if (body != null) {
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
            } else {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            }
            return java.net.http.HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
