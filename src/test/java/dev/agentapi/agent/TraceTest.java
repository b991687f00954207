package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
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
 * Recordings against the whole service and real Chromium: a trace started and stopped through the API is stored, and
 * the zip downloaded lists the actions run meanwhile; only the owner (or an admin) may record or download; stopping
 * what was not started, or starting twice, is 409; the trace goes with the agent. The JWT context: agents launch their
 * browser on their first action. The owner and the other owner are JWT subjects of this class's own (a fresh pair per
 * test), so its actions spend no other class's rate-limit bucket.
 */
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class TraceTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AgentTraces traces;

    Api owner;
    Api stranger;
    Api admin;
    String ownerToken;
    String strangerToken;
    String agentId;
    String trace;

    @BeforeEach
    void agent() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        Instant expires = Instant.now().plus(Duration.ofHours(1));
        ownerToken = TestIdentityProvider.shared().token("trace-owner-" + run, List.of("user"), expires);
        strangerToken = TestIdentityProvider.shared().token("trace-stranger-" + run, List.of("user"), expires);
        owner = new Api(port, ownerToken);
        stranger = new Api(port, strangerToken);
        admin = new Api(port);
        agentId = "trace-" + UUID.randomUUID().toString().substring(0, 8);
        trace = "/api/agents/browser/" + agentId + "/trace";
        assertThat(owner.post("/api/agents/browser", Api.json(Map.of("agent_id", agentId))).status()).isEqualTo(201);
    }

    @AfterEach
    void cleanUp() {
        owner.delete("/api/agents/browser/" + agentId);
    }

    @Test
    void aStoppedTraceIsAZipListingTheActionsAndGoesWithTheAgent() throws IOException {
        act(Map.of("type", "navigate", "url", pages.url("/")));
        Api.Response started = owner.post(trace, "");
        assertThat(started.status()).isEqualTo(200);
        assertThat(started.json().get("recording").asBoolean()).isTrue();
        assertThat(problem(owner.post(trace, ""), 409)).isEqualTo("urn:agent-api:problem:trace-already-recording");
        assertThat(problem(stranger.post(trace, ""), 404)).isEqualTo("urn:agent-api:problem:agent-not-found");

        act(Map.of("type", "navigate", "url", pages.url("/form")));
        act(Map.of("type", "click", "selector", "#name"));

        assertThat(problem(stranger.delete(trace), 404)).isEqualTo("urn:agent-api:problem:agent-not-found");
        Api.Response stopped = owner.delete(trace);
        assertThat(stopped.status()).isEqualTo(200);
        JsonNode status = stopped.json();
        assertThat(status.get("recording").asBoolean()).isFalse();
        long size = status.get("size_bytes").asLong();
        assertThat(size).isPositive();
        assertThat(status.get("expires_at").asString()).isNotBlank();

        HttpResponse<byte[]> download = download(ownerToken);
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/zip"));
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(d -> assertThat(d).contains("attachment"));
        assertThat((long) download.body().length).isEqualTo(size);
        Map<String, String> entries = unzip(download.body());
        assertThat(entries).containsKey("trace.trace");
        String actions = entries.get("trace.trace");
        assertThat(actions).contains("\"goto\"").contains("\"click\"").contains(pages.url("/form"));
        assertThat(entries.keySet()).anyMatch(name -> name.endsWith(".jpeg")); // screencast screenshots

        assertThat(download(strangerToken).statusCode()).isEqualTo(404);
        assertThat(download(TestKeys.ADMIN).statusCode()).isEqualTo(200);
        assertThat(audited("agent.trace.started")).isEqualTo(1);
        JsonNode stopEntry = entries("agent.trace.stopped").get(0);
        assertThat(stopEntry.toString()).contains("size_bytes").doesNotContain("UEsD"); // sizes, never the zip (base64 "PK\3\4")

        assertThat(owner.delete("/api/agents/browser/" + agentId).status()).isEqualTo(200);
        assertThat(jdbc.sql("SELECT count(*) FROM agent_traces WHERE agent_id = ?").param(agentId).query(Long.class).single())
                .isZero();
    }

    @Test
    void stoppingWhatWasNotStartedOrRecordingWithoutABrowserIsRefused() {
        assertThat(problem(owner.post(trace, ""), 409)).isEqualTo("urn:agent-api:problem:agent-not-running");
        assertThat(problem(owner.get(trace), 404)).isEqualTo("urn:agent-api:problem:trace-not-found");
        act(Map.of("type", "navigate", "url", pages.url("/")));
        assertThat(problem(owner.delete(trace), 409)).isEqualTo("urn:agent-api:problem:trace-not-recording");
        assertThat(problem(owner.get(trace), 404)).isEqualTo("urn:agent-api:problem:trace-not-found");
        assertThat(audited("agent.trace.stopped")).isZero();
    }

    @Test
    void anExpiredTraceIsNotServedAndTheCleanupDeletesIt() {
        act(Map.of("type", "navigate", "url", pages.url("/")));
        assertThat(owner.post(trace, "").status()).isEqualTo(200);
        assertThat(owner.delete(trace).status()).isEqualTo(200);
        assertThat(owner.get(trace).status()).isEqualTo(200);

        jdbc.sql("UPDATE agent_traces SET expires_at = now() - interval '1 second' WHERE agent_id = ?").param(agentId).update();
        assertThat(problem(owner.get(trace), 404)).isEqualTo("urn:agent-api:problem:trace-not-found");
        traces.deleteExpired();
        assertThat(jdbc.sql("SELECT count(*) FROM agent_traces WHERE agent_id = ?").param(agentId).query(Long.class).single())
                .isZero();
    }

    @Test
    void aTraceOverTheCapIsNotStored() {
        act(Map.of("type", "navigate", "url", pages.url("/")));
        assertThat(owner.post(trace, "").status()).isEqualTo(200);
        act(Map.of("type", "navigate", "url", pages.url("/random-text?mb=6")));
        act(Map.of("type", "click", "selector", "#h"));

        Api.Response refused = owner.delete(trace);
        assertThat(problem(refused, 422)).isEqualTo("urn:agent-api:problem:trace-too-large");
        assertThat(refused.json().get("max_bytes").asLong()).isEqualTo(2L * 1024 * 1024);
        assertThat(refused.json().get("size_bytes").asLong()).isGreaterThan(2L * 1024 * 1024);
        assertThat(problem(owner.get(trace), 404)).isEqualTo("urn:agent-api:problem:trace-not-found");
        // the recording is over all the same
        assertThat(problem(owner.delete(trace), 409)).isEqualTo("urn:agent-api:problem:trace-not-recording");
        assertThat(audited("agent.trace.stopped")).isZero();
    }

    private void act(Map<String, Object> action) {
        assertThat(owner.post("/api/agents/browser/" + agentId + "/actions", Api.json(action)).status()).isEqualTo(200);
    }

    private static String problem(Api.Response response, int status) {
        assertThat(response.status()).as(response.body()).isEqualTo(status);
        return response.json().get("type").asString();
    }

    private HttpResponse<byte[]> download(String key) {
        return download(owner.uri(trace), key);
    }

    /** GET of a trace zip (an agent's or a task's) with a bearer key or token, as a client downloads it. */
    static HttpResponse<byte[]> download(java.net.URI uri, String key) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .header("Authorization", "Bearer " + key).header("Accept", "application/zip, application/problem+json")
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A zip's entries by name, their bytes as ISO-8859-1 text. */
    static Map<String, String> unzip(byte[] zip) throws IOException {
        Map<String, String> entries = new HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.put(entry.getName(), new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
            }
        }
        return entries;
    }

    private List<JsonNode> entries(String eventType) {
        return admin.get("/api/audit?resource_id=" + agentId + "&event_type=" + eventType).json().get("entries").valueStream()
                .filter(entry -> entry.get("success").asBoolean()).toList();
    }

    private long audited(String eventType) {
        return entries(eventType).size();
    }
}
