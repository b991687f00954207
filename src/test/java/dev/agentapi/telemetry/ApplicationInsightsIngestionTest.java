package dev.agentapi.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;
import com.sun.net.httpserver.HttpServer;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * End to end: the service runs in its own JVM with the Application Insights agent attached by
 * main(), pointed at an ingestion endpoint this test serves; what arrives is decoded and checked.
 */
@ExtendWith(RequiresPostgres.class)
class ApplicationInsightsIngestionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private HttpServer ingestion;
    private ServiceProcess service;

    @TempDir
    Path workDir;

    @AfterEach
    void stop() throws InterruptedException {
        if (service != null) {
            service.close();
        }
        if (ingestion != null) {
            ingestion.stop(0);
        }
    }

    @Test
    void requestsAndCustomEventsReachTheIngestionEndpoint() throws Exception {
        ingestion = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        ingestion.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestURI().getPath().endsWith("/track")) {
                record(body, "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding")));
            }
            byte[] ok = "{\"itemsReceived\":0,\"itemsAccepted\":0,\"errors\":[]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        ingestion.start();

        // Delivery is under test, not the agent's sampler: by default it keeps about 5 requests a
        // second, and the event of a create that it dropped would never arrive (seen once in CI).
        service = ServiceProcess.start(workDir, Map.of("APPLICATIONINSIGHTS_CONNECTION_STRING",
                "InstrumentationKey=" + java.util.UUID.randomUUID() + ";IngestionEndpoint=http://127.0.0.1:"
                        + ingestion.getAddress().getPort() + "/",
                "APPLICATIONINSIGHTS_SAMPLING_PERCENTAGE", "100"));
        // kept before the wait, so a start that fails is still stopped after the test (it once outlived the run);
        // the agent slows the start, and more so with a second test JVM beside it on a loaded machine
        service.awaitUp(Duration.ofMinutes(4));
        Api api = new Api(service.port());
        String agentId = "telemetry-" + System.nanoTime();
        assertThat(api.post("/api/agents/browser", "{\"agent_id\": \"" + agentId + "\", \"channel\": \"msedge\"}").status())
                .isEqualTo(201);
        api.get("/api/agents/browser/" + agentId);

        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .until(() -> hasRequest() && event(agentId) != null);
        } catch (ConditionTimeoutException notYet) {
            // the assertions below say what is missing, with the service's log
        }

        assertThat(hasRequest()).as("request telemetry arrived; service log:%n%s", service.log()).isTrue();
        JsonNode event = event(agentId);
        assertThat(event).as("custom event agent.created arrived").isNotNull();
        JsonNode properties = event.get("data").get("baseData").get("properties");
        assertThat(properties.get("channel").asString()).isEqualTo("msedge");
        assertThat(properties.get("headless").asString()).isEqualTo("true");
        assertThat(event.get("tags").get("ai.cloud.role").asString()).isEqualTo("agent-api");
        assertThat(service.log()).doesNotContain("No connection string provided", "agent was not initialized");
    }

    private void record(byte[] body, boolean gzip) throws IOException {
        InputStream in = new ByteArrayInputStream(body);
        if (gzip) {
            in = new GZIPInputStream(in);
        }
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        for (String line : text.split("\n")) {
            if (!line.isBlank()) {
                received.add(JSON.readTree(line));
            }
        }
    }

    private boolean hasRequest() {
        return received.stream().anyMatch(item -> "RequestData".equals(baseType(item)));
    }

    private JsonNode event(String agentId) {
        return received.stream()
                .filter(item -> "EventData".equals(baseType(item)))
                .filter(item -> "agent.created".equals(item.get("data").get("baseData").get("name").asString()))
                .filter(item -> agentId.equals(item.get("data").get("baseData").path("properties").path("agent_id").asString()))
                .findFirst().orElse(null);
    }

    private static String baseType(JsonNode item) {
        JsonNode data = item.get("data");
        return data == null || data.get("baseType") == null ? null : data.get("baseType").asString();
    }
}
