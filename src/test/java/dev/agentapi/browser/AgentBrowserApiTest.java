package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Agents with real browsers, driven over HTTP against pages served on localhost. */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AgentBrowserApiTest {

    static TestPages pages;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("agent-api.database.url", TestDatabase::shared);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.executable-path", () -> RequiresChromium.EXECUTABLE);
        registry.add("agent-api.browser.launch-on-create", () -> "true");
        registry.add("agent-api.browser.max-browsers", () -> "2");
        // finds (and kills) agents' Chromium by their marker, which a browser pooled before the agent cannot carry
        registry.add("agent-api.browser.warm-pool", () -> "0");
        registry.add("agent-api.browser.navigation.block-private-networks", () -> "false");
        // more creates than the default policy's 10 per minute; limits are RateLimitTest's business
        registry.add("agent-api.rate-limit.policies", () -> "* /api/**: 1000 per minute");
    }

    @BeforeAll
    static void serve() throws Exception {
        pages = new TestPages();
    }

    @AfterAll
    static void stopServing() {
        pages.close();
    }

    @LocalServerPort
    int port;
    Api alice;
    final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() {
        alice = new Api(port, TestKeys.ALICE);
    }

    @AfterEach
    void deleteAgents() {
        created.forEach(id -> alice.delete("/api/agents/browser/" + id));
    }

    private JsonNode create() {
        String id = "browser-" + UUID.randomUUID();
        Api.Response response = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "viewport", Map.of("width", 800, "height", 600))));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        created.add(id);
        return response.json();
    }

    private String status(String id) {
        return alice.get("/api/agents/browser/" + id).json().get("status").asString();
    }

    private Api.Response act(String id, Map<String, Object> action) {
        return alice.post("/api/agents/browser/" + id + "/actions", Api.json(action));
    }

    @Test
    void createdAgentRunsAndIsDrivenOverHttp() throws Exception {
        JsonNode body = create();
        String id = body.get("agent_id").asString();
        assertThat(body.get("status").asString()).isEqualTo("running");
        assertThat(body.get("agent").get("effective_channel").asString()).isEqualTo("chromium");

        JsonNode navigated = act(id, Map.of("type", "navigate", "url", pages.url("/"))).json();
        assertThat(navigated.get("title").asString()).isEqualTo("Home");
        assertThat(navigated.get("url").asString()).isEqualTo(pages.url("/"));

        act(id, Map.of("type", "click", "selector", "#go"));
        assertThat(act(id, Map.of("type", "text", "selector", "#h")).json().get("text").asString()).isEqualTo("Clicked");

        JsonNode shot = act(id, Map.of("type", "screenshot")).json();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shot.get("screenshot").asString())));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(image.getHeight()).isEqualTo(600);

        HttpResponse<byte[]> raw = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(alice.uri("/api/agents/browser/" + id + "/actions"))
                .header("Authorization", "Bearer " + TestKeys.ALICE).header("Content-Type", "application/json")
                .header("Accept", "image/png").POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"screenshot\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.headers().firstValue("Content-Type")).hasValue("image/png");
        assertThat(ImageIO.read(new ByteArrayInputStream(raw.body()))).isNotNull();

        JsonNode pdf = act(id, Map.of("type", "pdf")).json();
        assertThat(new String(Base64.getDecoder().decode(pdf.get("pdf").asString()), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF");

        JsonNode agent = alice.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("total_actions").asLong()).isEqualTo(6);
        assertThat(agent.get("last_action_at").isNull()).isFalse();
        JsonNode audit = new Api(port).get("/api/audit?resource_id=" + id + "&event_type=agent.action").json();
        assertThat(audit.get("total").asLong()).isEqualTo(6);
        assertThat(audit.get("entries").get(0).get("action").asString()).isEqualTo("EXECUTE");
    }

    @Test
    void failuresAreProblemsAndCountAsErrors() {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/")));

        Api.Response missing = act(id, Map.of("type", "click", "selector", "#nope"));
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(act(id, Map.of("type", "wait_for", "selector", "#never", "timeout_ms", 300)).status()).isEqualTo(504);
        assertThat(act(id, Map.of("type", "navigate", "url", "http://127.0.0.1:1/")).status()).isEqualTo(502);
        assertThat(act(id, Map.of("type", "evaluate", "script", "1+1")).status()).as("no JavaScript evaluation").isEqualTo(400);

        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", pages.url("/to-metadata"),
                pages.url("/via-hop-to-metadata"), "file:///etc/passwd"}) {
            Api.Response refused = act(id, Map.of("type", "navigate", "url", url));
            assertThat(refused.status()).as(url).isEqualTo(403);
            assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        }
        JsonNode agent = alice.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("total_errors").asLong()).isEqualTo(7);
        JsonNode refusals = new Api(port).get("/api/audit?resource_id=" + id + "&event_type=agent.action").json();
        assertThat(refusals.get("entries").valueStream().filter(e -> !e.get("success").asBoolean())
                .map(e -> e.get("error_message").asString())).anyMatch(m -> m.contains("169.254.169.254"));
        assertThat(act("no-such-agent", Map.of("type", "content")).status()).isEqualTo(404);
    }

    @Test
    void beyondCapacityCreatesAnswer503() {
        create();
        create();

        Api.Response third = alice.post("/api/agents/browser", "{}");

        assertThat(third.status()).isEqualTo(503);
        assertThat(third.header("Retry-After")).isNotBlank();
        assertThat(third.json().get("detail").asString()).contains("in use");
        JsonNode memory = Api.anonymous(port).get("/api/agents/health/ready").json().get("components").get("memory_state");
        assertThat(memory.get("browsers_in_use").asInt()).isEqualTo(2);
        assertThat(memory.get("browsers_max").asInt()).isEqualTo(2);
    }

    @Test
    @ExtendWith(OutputCaptureExtension.class)
    void launchesAndCapacityRefusalsAreTelemetryEvents(CapturedOutput output) {
        String launched = create().get("agent_id").asString();
        create();

        assertThat(alice.post("/api/agents/browser", "{}").status()).isEqualTo(503);

        // local mode sends events to the log; with App Insights the same calls become customEvents
        assertThat(output.getOut().lines()).anyMatch(line -> line.contains("event agent.launched")
                && line.contains("agent_id=" + launched) && line.contains("effective_channel=chromium"));
        assertThat(output.getOut().lines()).anyMatch(line -> line.contains("event agent.capacity_refused")
                && line.contains("browsers_max=2"));
    }

    @Test
    void aRelaunchWithoutCapacityAnswers503AndLeavesTheAgentRestartable() throws Exception {
        String first = create().get("agent_id").asString();
        create();
        BrowserProcesses.of(first).forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(status(first)));
        String third = create().get("agent_id").asString(); // takes the freed place

        Api.Response refused = act(first, Map.of("type", "content"));

        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotBlank();
        JsonNode agent = alice.get("/api/agents/browser/" + first).json();
        assertThat(agent.get("status").asString()).isEqualTo("stopped");
        assertThat(agent.get("status_reason").asString()).isEqualTo("no_capacity");

        alice.delete("/api/agents/browser/" + third);
        assertThat(act(first, Map.of("type", "navigate", "url", pages.url("/"))).json().get("title").asString()).isEqualTo("Home");
    }

    @Test
    void deleteLeavesNoBrowserProcess() throws Exception {
        String id = create().get("agent_id").asString();
        assertThat(BrowserProcesses.of(id)).isNotEmpty();

        assertThat(alice.delete("/api/agents/browser/" + id).status()).isEqualTo(200);

        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();
    }

    @Test
    void aKilledBrowserMarksTheAgentErrorAndTheNextActionRelaunchesIt() throws Exception {
        String id = create().get("agent_id").asString();
        BrowserProcesses.of(id).forEach(ProcessHandle::destroyForcibly);

        await().atMost(Duration.ofSeconds(30)).until(() -> "error".equals(status(id)));
        JsonNode agent = alice.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("status").asString()).isEqualTo("error");
        assertThat(agent.get("status_reason").asString()).isNotBlank();
        JsonNode crash = new Api(port).get("/api/audit?resource_id=" + id + "&event_type=agent.crash").json();
        assertThat(crash.get("total").asLong()).isEqualTo(1);

        assertThat(act(id, Map.of("type", "navigate", "url", pages.url("/"))).json().get("title").asString()).isEqualTo("Home");
        assertThat(alice.get("/api/agents/browser/" + id).json().get("status").asString()).isEqualTo("running");
    }
}
