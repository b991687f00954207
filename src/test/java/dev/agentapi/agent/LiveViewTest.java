package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
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
 * The live view against the whole service and real Chromium: frames arrive and follow the page, only the owner (or an
 * admin) may watch, the viewer cap answers 429, and deleting the agent ends the stream. The JWT context: agents launch
 * their browser on their first action; kate watches, leo is another owner.
 */
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class LiveViewTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration GENEROUS = Duration.ofSeconds(60);

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;

    @Autowired
    LiveViews views;

    Api kate;
    Api admin;
    String agentId;
    final List<Viewer> opened = new ArrayList<>();

    @BeforeEach
    void agentWithABrowser() {
        kate = new Api(port, TestKeys.KATE);
        admin = new Api(port);
        agentId = "live-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(kate.post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
    }

    @AfterEach
    void cleanUp() {
        opened.forEach(Viewer::close);
        kate.delete("/api/agents/browser/" + agentId);
    }

    @Test
    void aViewerGetsFramesThatFollowThePageAndFramesAreNotActions() {
        navigate("/");
        Viewer viewer = watch(TestKeys.KATE);
        assertThat(viewer.status()).isEqualTo(200);
        await().atMost(GENEROUS).until(() -> viewer.named("ready").size() == 1 && !viewer.named("frame").isEmpty());
        JsonNode ready = viewer.named("ready").get(0);
        assertThat(ready.get("max_fps").asInt()).isBetween(1, 10);
        JsonNode first = viewer.named("frame").get(0);
        assertThat(first.get("format").asString()).isEqualTo("jpeg");
        assertThat(first.get("viewport_width").asInt()).isPositive();
        byte[] jpeg = java.util.Base64.getDecoder().decode(first.get("data").asString());
        assertThat(jpeg).startsWith(0xFF, 0xD8); // a JPEG's start-of-image marker
        long actionsBefore = kate.get("/api/agents/browser/" + agentId).json().get("total_actions").asLong();

        assertThat(kate.post("/api/agents/browser/" + agentId + "/actions", Api.json(Map.of("type", "click", "selector", "#go"))).status())
                .isEqualTo(200);
        String firstData = first.get("data").asString();
        await().atMost(GENEROUS).until(() -> viewer.named("frame").stream().anyMatch(f -> !f.get("data").asString().equals(firstData)));

        // the click is the one action since; however many frames came, none counted
        assertThat(kate.get("/api/agents/browser/" + agentId).json().get("total_actions").asLong()).isEqualTo(actionsBefore + 1);
        assertThat(audited("agent.live.started")).isEqualTo(1);

        viewer.close();
        await().atMost(GENEROUS).until(() -> views.viewers(agentId) == 0 && audited("agent.live.stopped") == 1);
    }

    @Test
    void onlyTheOwnerOrAnAdminMayWatch() {
        navigate("/");
        assertThat(watch(null).status()).isEqualTo(401);
        Viewer stranger = watch(TestKeys.LEO);
        assertThat(stranger.status()).isEqualTo(404);
        assertThat(stranger.problemType()).isEqualTo("urn:agent-api:problem:agent-not-found");
        Viewer byAdmin = watch(TestKeys.ADMIN);
        assertThat(byAdmin.status()).isEqualTo(200);
        await().atMost(GENEROUS).until(() -> !byAdmin.named("frame").isEmpty());
    }

    @Test
    void anAgentWithoutARunningBrowserCannotBeWatched() {
        Viewer viewer = watch(TestKeys.KATE);
        assertThat(viewer.status()).isEqualTo(409);
        assertThat(viewer.problemType()).isEqualTo("urn:agent-api:problem:agent-not-running");
    }

    @Test
    void aFourthViewerOfOneAgentIsRefused() {
        navigate("/");
        for (int i = 0; i < 3; i++) {
            assertThat(watch(TestKeys.KATE).status()).isEqualTo(200);
        }
        Viewer fourth = watch(TestKeys.KATE);
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.problemType()).isEqualTo("urn:agent-api:problem:live-viewers-per-agent");
        // one leaves: room again
        opened.get(0).close();
        await().atMost(GENEROUS).until(() -> views.viewers(agentId) == 2);
        assertThat(watch(TestKeys.KATE).status()).isEqualTo(200);
    }

    @Test
    void deletingTheAgentEndsTheStream() {
        navigate("/");
        Viewer viewer = watch(TestKeys.KATE);
        await().atMost(GENEROUS).until(() -> !viewer.named("frame").isEmpty());
        assertThat(kate.delete("/api/agents/browser/" + agentId).status()).isEqualTo(200);
        await().atMost(GENEROUS).until(viewer::finished);
        assertThat(viewer.named("end")).singleElement().satisfies(end ->
                assertThat(end.get("reason").asString()).isEqualTo("browser-closed"));
        await().atMost(GENEROUS).until(() -> views.viewers(agentId) == 0);
    }

    @Test
    void aPersonHoldingTheAgentTypesIntoItsPageWhileActionsAreRefused() {
        navigate("/form");
        String takeover = "/api/agents/browser/" + agentId + "/takeover";
        assertThat(kate.post(takeover + "/input", Api.json(Map.of("type", "type", "text", "x"))).json().get("type").asString())
                .isEqualTo("urn:agent-api:problem:agent-not-held");
        assertThat(new Api(port, TestKeys.LEO).post(takeover, "").status()).isEqualTo(404);
        Api.Response held = kate.post(takeover, "");
        assertThat(held.status()).isEqualTo(200);
        assertThat(held.json().get("held_by").asString()).isEqualTo("key:kate");

        Api.Response refused = kate.post("/api/agents/browser/" + agentId + "/actions", Api.json(Map.of("type", "text", "selector", "body")));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:agent-api:problem:agent-held-by-person");
        assertThat(new Api(port, TestKeys.ADMIN).post(takeover, "").json().get("type").asString())
                .isEqualTo("urn:agent-api:problem:agent-held-by-person");

        // the form's input is the page's first element, at the top left (8 px body margin)
        assertThat(kate.post(takeover + "/input", Api.json(Map.of("type", "click", "x", 20, "y", 16))).status()).isEqualTo(204);
        assertThat(kate.post(takeover + "/input", Api.json(Map.of("type", "type", "text", "x"))).status()).isEqualTo(204);
        assertThat(kate.post(takeover + "/input", Api.json(Map.of("type", "key", "key", "Enter"))).status()).isEqualTo(204);
        assertThat(kate.post(takeover + "/input", Api.json(Map.of("type", "click"))).status()).isEqualTo(400);

        Api.Response released = kate.delete(takeover);
        assertThat(released.status()).isEqualTo(200);
        assertThat(released.json().get("inputs").asLong()).isEqualTo(3);
        await().atMost(GENEROUS).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            Api.Response text = kate.post("/api/agents/browser/" + agentId + "/actions", Api.json(Map.of("type", "text", "selector", "#out")));
            assertThat(text.status()).isEqualTo(200);
            assertThat(text.json().get("text").asString()).isEqualTo("Hello, x!");
        });
        assertThat(audited("agent.takeover.started")).isEqualTo(1);
        assertThat(audited("agent.takeover.released")).isEqualTo(1);
    }

    private void navigate(String path) {
        assertThat(kate.post("/api/agents/browser/" + agentId + "/actions",
                Api.json(Map.of("type", "navigate", "url", pages.url(path)))).status()).isEqualTo(200);
    }

    /** Successful audit entries of the agent of this type (a refused attempt is a failure entry of the same type). */
    private long audited(String eventType) {
        return admin.get("/api/audit?resource_id=" + agentId + "&event_type=" + eventType).json().get("entries").valueStream()
                .filter(entry -> entry.get("success").asBoolean()).count();
    }

    /** Opens the stream as the holder of {@code key} (null: no credentials) and reads its events on another thread. */
    private Viewer watch(String key) {
        Viewer viewer = new Viewer(key);
        opened.add(viewer);
        return viewer;
    }

    /** One client of the stream: the events it read, in order, and whether the server ended it. */
    final class Viewer {

        private final CompletableFuture<HttpResponse<Stream<String>>> response;
        private final List<Map.Entry<String, JsonNode>> events = new CopyOnWriteArrayList<>();
        private final StringBuilder body = new StringBuilder();
        private volatile boolean finished;
        private volatile Stream<String> lines;

        Viewer(String key) {
            HttpRequest.Builder request = HttpRequest.newBuilder(kate.uri("/api/agents/browser/" + agentId + "/live"))
                    .header("Accept", "text/event-stream");
            if (key != null) {
                request.header("Authorization", "Bearer " + key);
            }
            response = HttpClient.newHttpClient().sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines());
            response.thenAcceptAsync(this::read);
        }

        private void read(HttpResponse<Stream<String>> answer) {
            lines = answer.body();
            String event = "message";
            StringBuilder data = new StringBuilder();
            try {
                for (String line : (Iterable<String>) lines::iterator) {
                    body.append(line).append('\n');
                    if (line.startsWith("event:")) {
                        event = line.substring(6).strip();
                    } else if (line.startsWith("data:")) {
                        data.append(line.substring(5).strip());
                    } else if (line.isEmpty() && !data.isEmpty()) {
                        events.add(Map.entry(event, JSON.readTree(data.toString())));
                        event = "message";
                        data.setLength(0);
                    }
                }
            } catch (RuntimeException closedByUs) {
                // close() cancelled the stream
            }
            finished = true;
        }

        int status() {
            return response.join().statusCode();
        }

        String problemType() {
            await().atMost(GENEROUS).until(() -> finished);
            return JSON.readTree(body.toString()).get("type").asString();
        }

        List<JsonNode> named(String name) {
            return events.stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).toList();
        }

        boolean finished() {
            return finished;
        }

        void close() {
            Stream<String> open = lines;
            if (open != null) {
                open.close();
            } else {
                response.cancel(true);
            }
        }
    }
}
