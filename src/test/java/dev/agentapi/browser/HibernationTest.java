package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TestKeys;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An idle agent that keeps its state hibernates: its state saved, its browser released (no Chromium process left, no
 * place of {@code BROWSER_MAX} held), status {@code hibernated}, audited; its next action wakes it in a new browser,
 * still logged in on the page it was on, and that action's answer is the only sign; an MCP tool call and a queued
 * {@code browser.actions} task wake it as a REST action does. An agent that opted out of saved
 * state does not hibernate: it stops after the idle timeout, as before. Real Chromium, a local site that logs in with an
 * HttpOnly cookie ({@link LoginPages}), the real PostgreSQL. In the rate-limit context, whose agents hibernate (or stop)
 * after 1 s idle; uma's, victor's, walt's and xena's buckets are no other class's.
 */
@RateLimitIntegrationTest
@ExtendWith(RequiresChromium.class)
class HibernationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @RegisterExtension
    static final LoginPages site = new LoginPages();

    @Autowired
    JdbcClient jdbc;

    @Autowired
    BrowserRuntime runtime;

    @Test
    void anIdleAgentHibernatesAndItsNextActionWakesItStillLoggedIn() {
        Api uma = new Api(port, TestKeys.UMA);
        String id = "hibernate-" + UUID.randomUUID();
        create(uma, id, Map.of());
        login(uma, id, "uma");

        await().atMost(Duration.ofSeconds(30)).until(() -> "hibernated".equals(status(uma, id)));
        JsonNode agent = uma.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("status_reason").asString()).isEqualTo("idle");
        assertThat(BrowserProcesses.awaitGone(id)).as("its browser is released").isEmpty();
        assertThat(runtime.session(id)).as("it holds no place here").isEmpty();
        assertThat(uma.get("/api/agents/browser/" + id + "/state").json().get("save_reason").asString()).isEqualTo("hibernated");
        JsonNode listed = uma.get("/api/agents/browser?status=hibernated&size=100").json().get("agents");
        assertThat(listed.findValuesAsString("agent_id")).contains(id);
        // (on a busy machine it may have hibernated and woken between its create and its login already)
        long hibernations = audits(id, "agent.hibernated");
        long wakes = audits(id, "agent.woken");
        assertThat(hibernations).isEqualTo(wakes + 1);

        // the next action wakes it: a new browser, the page it was on, its cookie
        Api.Response who = text(uma, id, "#who");
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().get("url").asString()).isEqualTo(site.url("/profile"));
        assertThat(who.json().get("text").asString()).isEqualTo("Logged in as uma");
        assertThat(status(uma, id)).isEqualTo("running");
        assertThat(BrowserProcesses.of(id)).as("a browser again").isNotEmpty();
        assertThat(audits(id, "agent.woken")).as("this action woke it").isEqualTo(wakes + 1);
        assertThat(jdbc.sql("SELECT details->>'wake_ms' FROM audit_logs WHERE resource_id = ? AND event_type = 'agent.woken'"
                + " ORDER BY id DESC LIMIT 1").param(id).query(String.class).single()).matches("\\d+");

        // and hibernates again when idle
        await().atMost(Duration.ofSeconds(30)).until(() -> "hibernated".equals(status(uma, id)));
        assertThat(uma.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
    }

    @Test
    void anMcpToolCallWakesAHibernatedAgentStillLoggedIn() {
        Api walt = new Api(port, TestKeys.WALT);
        String id = hibernatedAfterLogin(walt, "hibernate-mcp-", "walt");
        long wakes = audits(id, "agent.woken");

        String call = Api.json(Map.of("jsonrpc", "2.0", "id", 1, "method", "tools/call",
                "params", Map.of("name", "get_text", "arguments", Map.of("agent_id", id, "selector", "#who"))));
        Api.Response answer = walt.send(HttpRequest.newBuilder(walt.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(call)));
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        JsonNode result = answer.json().get("result");
        assertThat(result.get("isError").asBoolean()).as(answer.toString()).isFalse();
        JsonNode who = JSON.readTree(result.get("content").get(0).get("text").asString());
        assertThat(who.get("url").asString()).isEqualTo(site.url("/profile"));
        assertThat(who.get("text").asString()).isEqualTo("Logged in as walt");
        assertThat(audits(id, "agent.woken")).as("the tool call woke it").isEqualTo(wakes + 1);
        assertThat(walt.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
    }

    @Test
    void aQueuedBrowserActionsTaskWakesAHibernatedAgentStillLoggedIn() {
        Api xena = new Api(port, TestKeys.XENA);
        String id = hibernatedAfterLogin(xena, "hibernate-task-", "xena");
        long wakes = audits(id, "agent.woken");

        Api.Response queued = xena.post("/api/agents/mcp/tasks", Api.json(Map.of("title", "who am I", "task_type", "browser.actions",
                "payload", Map.of("agent_id", id, "actions", List.of(Map.of("type", "text", "selector", "#who"))))));
        assertThat(queued.status()).as(queued.toString()).isEqualTo(201);
        String task = queued.json().get("task").get("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(90)).until(() -> xena.get("/api/agents/mcp/tasks/" + task).json().get("task"),
                t -> List.of("completed", "failed").contains(t.get("status").asString()));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        JsonNode step = done.get("result").get("steps").get(0);
        assertThat(step.get("url").asString()).isEqualTo(site.url("/profile"));
        assertThat(step.get("text").asString()).isEqualTo("Logged in as xena");
        assertThat(audits(id, "agent.woken")).as("the task woke it").isEqualTo(wakes + 1);
        assertThat(xena.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
    }

    @Test
    void anAgentThatOptedOutOfSavedStateStopsInsteadOfHibernating() {
        Api victor = new Api(port, TestKeys.VICTOR);
        String id = "no-hibernate-" + UUID.randomUUID();
        create(victor, id, Map.of("persist_state", false));
        login(victor, id, "victor");

        await().atMost(Duration.ofSeconds(30)).until(() -> "stopped".equals(status(victor, id)));
        assertThat(victor.get("/api/agents/browser/" + id).json().get("status_reason").asString()).isEqualTo("idle_timeout");
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
        assertThat(audits(id, "agent.hibernated")).isZero();

        Api.Response who = navigate(victor, id, site.url("/profile"));
        assertThat(who.status()).as(who.toString()).isEqualTo(200);
        assertThat(who.json().get("title").asString()).as("a blank browser: nothing was kept").isEqualTo("Profile: Anonymous");
        assertThat(audits(id, "agent.woken")).isZero();
        victor.delete("/api/agents/browser/" + id);
    }

    @Test
    void theStatusFilterKnowsHibernated() {
        Api uma = new Api(port, TestKeys.UMA);
        assertThat(uma.get("/api/agents/browser?status=hibernated").status()).isEqualTo(200);
        Api.Response bad = uma.get("/api/agents/browser?status=asleep");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("errors").get("status").asString()).contains("hibernated");
    }

    private long audits(String id, String event) {
        return jdbc.sql("SELECT count(*) FROM audit_logs WHERE resource_id = ? AND event_type = ?").params(List.of(id, event))
                .query(Long.class).single();
    }

    /** A new agent of {@code api}'s caller, logged in as {@code user} on the profile page, once it has hibernated. */
    private String hibernatedAfterLogin(Api api, String prefix, String user) {
        String id = prefix + UUID.randomUUID();
        create(api, id, Map.of());
        login(api, id, user);
        await().atMost(Duration.ofSeconds(30)).until(() -> "hibernated".equals(status(api, id)));
        return id;
    }

    private static void create(Api api, String id, Map<String, Object> config) {
        Api.Response created = api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", config, "launch", true)));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    /**
     * Logs in and opens the profile in one navigation: with browsers closed after 1 s idle, an agent that keeps no
     * state could lose its cookie between two actions on a busy machine.
     */
    private void login(Api api, String id, String user) {
        Api.Response login = navigate(api, id, site.url("/login?user=" + user + "&secret=cookie-" + UUID.randomUUID()
                + "&then=/profile"));
        assertThat(login.status()).as(login.toString()).isEqualTo(200);
        assertThat(login.json().get("title").asString()).isEqualTo("Profile: Logged in as " + user);
    }

    private static String status(Api api, String id) {
        return api.get("/api/agents/browser/" + id).json().get("status").asString();
    }

    private static Api.Response navigate(Api api, String id, String url) {
        return api.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "navigate", "url", url)));
    }

    private static Api.Response text(Api api, String id, String selector) {
        return api.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "text", "selector", selector)));
    }
}
