package dev.agentapi.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP {@code request_human} against the whole service and real Chromium: an AI client's call waits while the agent
 * shows as waiting for a person over REST ({@code GET .../takeover}), and returns once a person took the agent over and
 * released it; unanswered, it times out; a deleted agent ends it; another owner neither sees nor asks. The JWT context
 * (a browser starts on the agent's first action); olivia asks, peter is the other owner.
 */
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class HumanRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration GENEROUS = Duration.ofSeconds(60);
    private static final String MESSAGE = "Enter the code sent to the phone, then release the agent";

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    Api olivia;
    Api admin;
    String agentId;
    String takeover;
    final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeEach
    void agentWithABrowser() {
        olivia = new Api(port, TestKeys.OLIVIA);
        admin = new Api(port);
        agentId = "human-" + UUID.randomUUID().toString().substring(0, 8);
        takeover = "/api/agents/browser/" + agentId + "/takeover";
        assertThat(olivia.post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
    }

    @AfterEach
    void cleanUp() {
        olivia.delete("/api/agents/browser/" + agentId);
        clients.forEach(McpSyncClient::closeGracefully);
    }

    @Test
    void theCallReturnsOnceAPersonTookTheAgentOverAndReleasedIt() throws Exception {
        navigate();
        JsonNode idle = olivia.get(takeover).json();
        assertThat(idle.get("held_by").isNull()).isTrue();
        assertThat(idle.get("human_request").isNull()).isTrue();

        CompletableFuture<McpSchema.CallToolResult> call = ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", MESSAGE,
                "timeout_seconds", 300));
        JsonNode waiting = awaitWaiting();
        assertThat(waiting.at("/human_request/requested_by").asString()).isEqualTo("key:olivia");
        assertThat(Instant.parse(waiting.at("/human_request/expires_at").asString()))
                .isAfter(Instant.parse(waiting.at("/human_request/since").asString()));
        // another owner sees nothing of it, and may not ask for a person on it
        assertThat(new Api(port, TestKeys.PETER).get(takeover).status()).isEqualTo(404);
        McpSchema.CallToolResult stranger = ask(TestKeys.PETER, Map.of("agent_id", agentId, "message", "mine")).get(60, TimeUnit.SECONDS);
        assertThat(stranger.isError()).isTrue();
        assertThat(text(stranger)).isEqualTo("Agent not found: No browser agent with id '" + agentId + "'");

        assertThat(olivia.post(takeover, "").status()).isEqualTo(200);
        JsonNode held = olivia.get(takeover).json();
        assertThat(held.get("held_by").asString()).isEqualTo("key:olivia");
        assertThat(held.at("/human_request/message").asString()).as("the request waits on through the hold").isEqualTo(MESSAGE);
        assertThat(olivia.post(takeover + "/input", Api.json(Map.of("type", "move", "x", 10, "y", 10))).status()).isEqualTo(204);
        assertThat(call).as("the call waits while the person holds the agent").isNotDone();

        assertThat(olivia.delete(takeover).status()).isEqualTo(200);
        McpSchema.CallToolResult answered = call.get(60, TimeUnit.SECONDS);
        assertThat(answered.isError()).as(text(answered)).isFalse();
        JsonNode outcome = JSON.readTree(text(answered));
        assertThat(outcome.get("outcome").asString()).isEqualTo("released");
        assertThat(outcome.get("answered").asBoolean()).isTrue();
        assertThat(outcome.get("held_by").asString()).isEqualTo("key:olivia");
        assertThat(outcome.get("inputs").asLong()).isEqualTo(1);
        assertThat(olivia.get(takeover).json().get("human_request").isNull()).isTrue();

        JsonNode requested = audited("agent.human_requested").get(0);
        assertThat(requested.at("/details/message").asString()).isEqualTo(MESSAGE);
        assertThat(requested.get("user_id").asString()).isEqualTo("key:olivia");
        assertThat(audited("agent.human_request.ended")).singleElement()
                .satisfies(ended -> assertThat(ended.at("/details/outcome").asString()).isEqualTo("released"));
    }

    @Test
    void aRequestNobodyAnswersTimesOut() throws Exception {
        navigate();
        McpSchema.CallToolResult result = ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", MESSAGE, "timeout_seconds", 2))
                .get(60, TimeUnit.SECONDS);
        assertThat(result.isError()).isTrue();
        JsonNode outcome = JSON.readTree(text(result));
        assertThat(outcome.get("outcome").asString()).isEqualTo("timed-out");
        assertThat(outcome.get("answered").asBoolean()).isFalse();
        assertThat(outcome.get("held_by").isNull()).isTrue();
        assertThat(olivia.get(takeover).json().get("human_request").isNull()).isTrue();
        assertThat(audited("agent.human_request.ended")).singleElement()
                .satisfies(ended -> assertThat(ended.at("/details/outcome").asString()).isEqualTo("timed-out"));
    }

    @Test
    void deletingTheAgentEndsTheRequest() throws Exception {
        navigate();
        CompletableFuture<McpSchema.CallToolResult> call = ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", MESSAGE));
        awaitWaiting();
        assertThat(olivia.delete("/api/agents/browser/" + agentId).status()).isEqualTo(200);
        McpSchema.CallToolResult result = call.get(60, TimeUnit.SECONDS);
        assertThat(result.isError()).isTrue();
        assertThat(JSON.readTree(text(result)).get("outcome").asString()).isEqualTo("agent-deleted");
    }

    @Test
    void badArgumentsAndAnAgentWithoutABrowserAreRefused() throws Exception {
        // no action yet: no browser runs, so no person could step in
        McpSchema.CallToolResult notRunning = ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", MESSAGE)).get(60, TimeUnit.SECONDS);
        assertThat(notRunning.isError()).isTrue();
        assertThat(text(notRunning)).startsWith("Agent not running");
        assertThat(text(ask(TestKeys.OLIVIA, Map.of("agent_id", agentId)).get(60, TimeUnit.SECONDS))).contains("message: is required");
        assertThat(text(ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", "x".repeat(1001))).get(60, TimeUnit.SECONDS)))
                .contains("message: must be at most 1000 characters");
        assertThat(text(ask(TestKeys.OLIVIA, Map.of("agent_id", agentId, "message", MESSAGE, "timeout_seconds", 0)).get(60, TimeUnit.SECONDS)))
                .contains("timeout_seconds: must be an integer from 1 to 900");
        assertThat(olivia.get(takeover).json().get("human_request").isNull()).isTrue();
        assertThat(audited("agent.human_requested")).as("only the refusal that reached the agent is audited, as a failure").isEmpty();
    }

    private void navigate() {
        assertThat(olivia.post("/api/agents/browser/" + agentId + "/actions", Api.json(Map.of("type", "navigate", "url", pages.url("/"))))
                .status()).isEqualTo(200);
    }

    /** The takeover state once the agent shows as waiting for a person, with the message. */
    private JsonNode awaitWaiting() {
        await().atMost(GENEROUS).until(() -> olivia.get(takeover).json().at("/human_request/message").asString("").equals(MESSAGE));
        return olivia.get(takeover).json();
    }

    /** Calls request_human on another thread, as the holder of {@code key}, with the SDK's own client. */
    private CompletableFuture<McpSchema.CallToolResult> ask(String key, Map<String, Object> arguments) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build())
                .requestTimeout(Duration.ofMinutes(6)).build();
        clients.add(client);
        client.initialize();
        return CompletableFuture.supplyAsync(() -> client.callTool(new McpSchema.CallToolRequest("request_human", arguments)));
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).findFirst().orElseThrow();
    }

    /** Successful audit entries of the agent of this type, newest first. */
    private List<JsonNode> audited(String eventType) {
        return admin.get("/api/audit?resource_id=" + agentId + "&event_type=" + eventType).json().get("entries").valueStream()
                .filter(entry -> entry.get("success").asBoolean()).toList();
    }
}
