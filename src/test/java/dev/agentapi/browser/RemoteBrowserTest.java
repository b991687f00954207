package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.DatabaseOutageIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Agents on a remote browser server: a Playwright browser server on localhost, and no local places
 * ({@code BROWSER_MAX=0}), so every agent must run there: the settings of the database outage context, whose server
 * ({@link PlaywrightServer#shared()}) lives as long as the JVM. Creates ask to launch ({@code "launch": true}: the
 * context's other classes store agents that never launch); erin's, outside the other classes' buckets. Pages are served on localhost and
 * reached through the service's egress proxy, as a remote pod would reach them.
 */
@DatabaseOutageIntegrationTest
@ExtendWith(RequiresChromium.class)
class RemoteBrowserTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    /** The context's server (started with the context, so its endpoint is in the configuration). */
    static PlaywrightServer server() {
        return PlaywrightServer.shared().orElseThrow();
    }

    /** The endpoint outlives this class (the context's readiness asks for it): up again, whatever a test left. */
    @AfterAll
    static void leaveTheEndpointUp() throws Exception {
        try {
            server().pageUrls();
        } catch (java.io.IOException down) {
            server().start();
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    BrowserRuntime runtime;
    Api erin;
    final List<String> created = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        erin = new Api(port, TestKeys.ERIN);
        if (remoteEndpoint().get("status").asString().equals("down")) { // the endpoint-dying test left it down
            server().start();
            await().atMost(Duration.ofSeconds(30)).until(() -> remoteEndpoint().get("status").asString().equals("up"));
        }
    }

    @AfterEach
    void deleteAgents() {
        created.forEach(id -> erin.delete("/api/agents/browser/" + id));
    }

    private Api.Response create() {
        String id = "remote-" + UUID.randomUUID();
        Api.Response response = erin.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "launch", true, "viewport", Map.of("width", 800, "height", 600))));
        if (response.status() == 201) {
            created.add(id);
        }
        return response;
    }

    private Api.Response act(String id, Map<String, Object> action) {
        return erin.post("/api/agents/browser/" + id + "/actions", Api.json(action));
    }

    private JsonNode browsersHealth() {
        return new Api(port, TestKeys.ADMIN).get("/api/agents/health/ready").json().get("components").get("browsers");
    }

    private JsonNode remoteEndpoint() {
        return browsersHealth().get("remote_endpoints").get("playwright " + server().wsEndpoint());
    }

    @Test
    void agentRunsOnTheRemoteServerThroughTheEgressProxyAndDeleteClosesItsContext() throws Exception {
        Api.Response response = create();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().get("agent_id").asString();
        assertThat(response.json().get("status").asString()).isEqualTo("running");
        assertThat(runtime.session(id).orElseThrow().remote()).map(RemoteEndpoint::url).hasValue(server().wsEndpoint());
        JsonNode endpoint = remoteEndpoint();
        assertThat(endpoint.get("status").asString()).isEqualTo("up");
        assertThat(endpoint.get("in_use").asInt()).isEqualTo(1);
        assertThat(endpoint.get("max").asInt()).isEqualTo(1);
        assertThat(browsersHealth().get("status").asString()).isEqualTo("healthy");

        JsonNode navigated = act(id, Map.of("type", "navigate", "url", pages.url("/"))).json();
        assertThat(navigated.get("title").asString()).isEqualTo("Home");
        act(id, Map.of("type", "click", "selector", "#go"));
        assertThat(act(id, Map.of("type", "text", "selector", "#h")).json().get("text").asString()).isEqualTo("Clicked");
        JsonNode shot = act(id, Map.of("type", "screenshot")).json();
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shot.get("screenshot").asString())));
        assertThat(image.getWidth()).isEqualTo(800);
        assertThat(server().pageUrls()).contains(pages.url("/"));

        // a redirect to the metadata address is refused by this service's egress proxy, not by the remote browser
        Api.Response refused = act(id, Map.of("type", "navigate", "url", pages.url("/to-metadata")));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(403);
        assertThat(refused.json().get("detail").asString()).contains("169.254.169.254");

        assertThat(erin.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        created.remove(id);
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(server().pageUrls()).isEmpty());
        assertThat(remoteEndpoint().get("in_use").asInt()).isZero();
        assertThat(runtime.inUse()).isZero();
    }

    /**
     * The live view of an agent on a Playwright browser server: Playwright opens DevTools sessions of a server's
     * Chromium pages too, so the screencast streams from there as from a local browser (a JPEG of the page).
     */
    @Test
    void theLiveViewStreamsFromABrowserOnAPlaywrightServer() throws Exception {
        Api.Response response = create();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/")));

        HttpRequest request = HttpRequest.newBuilder(erin.uri("/api/agents/browser/" + id + "/live"))
                .header("Accept", "text/event-stream").header("X-API-Key", TestKeys.ERIN).build();
        HttpResponse<Stream<String>> stream = HttpClient.newHttpClient().sendAsync(request, HttpResponse.BodyHandlers.ofLines())
                .get(60, TimeUnit.SECONDS);
        assertThat(stream.statusCode()).isEqualTo(200);
        try (Stream<String> lines = stream.body()) {
            // the first frame comes at once (a screencast starts with the page as it is); a bound, not a measure
            CompletableFuture<String> frame = CompletableFuture.supplyAsync(() -> {
                boolean inFrame = false;
                for (Iterator<String> line = lines.iterator(); line.hasNext(); ) {
                    String next = line.next();
                    if (next.startsWith("event:")) {
                        inFrame = next.equals("event:frame");
                    } else if (inFrame && next.startsWith("data:")) {
                        return next;
                    }
                }
                return null;
            });
            String data = frame.get(60, TimeUnit.SECONDS);
            assertThat(data).as("a frame event").isNotNull().startsWith("data:");
            JsonNode json = JsonMapper.builder().build().readTree(data.substring(5));
            assertThat(json.get("format").asString()).isEqualTo("jpeg");
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(json.get("data").asString())));
            assertThat(image.getWidth()).isEqualTo(800);
            assertThat(json.get("viewport_width").asInt()).isEqualTo(800);
        }
    }

    @Test
    void beyondTheEndpointsCapacityCreatesAnswer503() {
        assertThat(create().status()).isEqualTo(201);

        Api.Response second = create();

        assertThat(second.status()).as(second.toString()).isEqualTo(503);
        assertThat(second.header("Retry-After")).isNotBlank();
        assertThat(second.json().get("detail").asString()).contains("in use");
        assertThat(runtime.capacity()).isEqualTo(1);
        assertThat(runtime.inUse()).isEqualTo(1);
    }

    @Test
    void theEndpointDyingMidActionAnswers503MarksTheAgentAndIsShownDownUntilItIsBack() throws Exception {
        Api.Response response = create();
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
        String id = response.json().get("agent_id").asString();
        int slowBefore = pages.hits("/slow");
        CompletableFuture<Api.Response> slow = CompletableFuture.supplyAsync(
                () -> act(id, Map.of("type", "navigate", "url", pages.url("/slow"))));
        await().atMost(Duration.ofSeconds(15)).until(() -> pages.hits("/slow") > slowBefore);

        server().kill();

        Api.Response failed = slow.get();
        assertThat(failed.status()).as(failed.toString()).isEqualTo(503);
        assertThat(failed.header("Content-Type")).startsWith("application/problem+json");
        assertThat(failed.json().get("type").asString()).endsWith("browser-remote-unavailable");
        assertThat(failed.json().get("detail").asString()).contains("went away");
        assertThat(failed.body()).doesNotContain("Exception", "\tat ");
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            JsonNode agent = erin.get("/api/agents/browser/" + id).json();
            assertThat(agent.get("status").asString()).isEqualTo("error");
        });
        assertThat(runtime.inUse()).isZero();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode endpoint = remoteEndpoint();
            assertThat(endpoint.get("status").asString()).isEqualTo("down");
            assertThat(endpoint.get("in_use").asInt()).isZero();
        });
        assertThat(browsersHealth().get("status").asString()).isEqualTo("unhealthy");

        Api.Response whileDown = create();
        assertThat(whileDown.status()).as(whileDown.toString()).isEqualTo(503);
        assertThat(whileDown.header("Retry-After")).isNotBlank();

        server().start();
        await().atMost(Duration.ofSeconds(30)).until(() -> remoteEndpoint().get("status").asString().equals("up"));
        Api.Response again = create();
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().get("status").asString()).isEqualTo("running");
        assertThat(act(again.json().get("agent_id").asString(), Map.of("type", "navigate", "url", pages.url("/"))).json()
                .get("title").asString()).isEqualTo("Home");
    }
}
