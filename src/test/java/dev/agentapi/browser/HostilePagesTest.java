package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in a JVM of its own with half a gigabyte of heap (and the image's {@code -XX:+ExitOnOutOfMemoryError}),
 * its default limits, driven against pages that try to make it pull in more than it can hold: a 150 MB text node,
 * a 4000 × 30000 canvas of noise, a 100 MB download, a 50 MB uncaught error, a window.open loop. Its probes answer
 * 200 all along, every answer is a problem response or a bounded result, and the process is alive at the end.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class HostilePagesTest {

    /** The largest bounded answer: a 20 MB image or PDF in base64 JSON, and some room. */
    static final long LARGEST_ANSWER = 20L * 1024 * 1024 * 4 / 3 + 64 * 1024;
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @TempDir
    Path workDir;

    /** Asks both probes, over and over, until stopped; remembers every answer that was not 200. */
    static final class Probes implements AutoCloseable {
        final List<String> failures = new CopyOnWriteArrayList<>();
        final AtomicInteger asked = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Probes(int port) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            thread = new Thread(() -> {
                while (running.get()) {
                    for (String path : List.of("/health/live", "/health/ready")) {
                        try {
                            int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                            if (status != 200) {
                                failures.add(path + " " + status);
                            }
                        } catch (Exception e) {
                            failures.add(path + " " + e);
                        }
                        asked.incrementAndGet();
                    }
                    try {
                        Thread.sleep(250);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "probes");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    /** One answer of the service: its status, media type and size. */
    record Answer(String what, int status, String type, long bytes, String detail) {
        boolean problem() {
            return status >= 400 && type.startsWith("application/problem+json");
        }

        boolean boundedResult() {
            return status >= 200 && status < 300 && bytes <= LARGEST_ANSWER;
        }
    }

    static final class Client {
        final List<Answer> answers = new ArrayList<>();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        private final int port;

        Client(int port) {
            this.port = port;
        }

        Answer send(String what, String method, String path, Map<String, Object> body) throws Exception {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofMinutes(4)).header("Authorization", "Bearer " + TestKeys.ALICE)
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(Api.json(body)))
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
            String type = response.headers().firstValue("Content-Type").orElse("");
            String detail = type.contains("problem") ? new String(response.body(), java.nio.charset.StandardCharsets.UTF_8) : "";
            Answer answer = new Answer(what, response.statusCode(), type, response.body().length, detail);
            answers.add(answer);
            return answer;
        }

        String agent(Map<String, Object> config) throws Exception {
            String id = "hostile-" + UUID.randomUUID();
            Answer created = send("create", "POST", "/api/agents/browser", Map.of("agent_id", id, "config", config));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            return id;
        }

        void delete(String id) throws Exception {
            assertThat(send("delete " + id, "DELETE", "/api/agents/browser/" + id, null).status()).isEqualTo(200);
        }

        Answer act(String id, Map<String, Object> action) throws Exception {
            return send(id + " " + action, "POST", "/api/agents/browser/" + id + "/actions", action);
        }
    }

    @Test
    void halfAGigabyteOfHeapSurvivesHostilePagesAnsweringProblemsOrBoundedResults() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(), List.of("-Xmx512m", "-XX:+ExitOnOutOfMemoryError"),
                "--agent-api.browser.executable-path=" + RequiresChromium.EXECUTABLE,
                "--agent-api.browser.launch-on-create=true",
                "--agent-api.browser.warm-pool=0",
                "--agent-api.browser.max-browsers=3",
                "--agent-api.browser.navigation.block-private-networks=false",
                "--agent-api.rate-limit.policies=* /api/**: 100000 per minute",
                "--agent-api.health.drain-delay=0s");
             // awaited inside the try, so a start that fails is still stopped; 5 min as the replica tests wait
             // (120 s ran out with two test JVMs beside other builds, load average near 30)
             Probes probes = new Probes(service.awaitUp(Duration.ofMinutes(5)).port())) {
            Client client = new Client(service.port());

            String text = client.agent(Map.of());
            client.act(text, Map.of("type", "navigate", "url", pages.url("/big-text?mb=150"), "timeout_ms", 60_000));
            for (Map<String, Object> action : List.<Map<String, Object>>of(Map.of("type", "text", "selector", "#t"),
                    Map.of("type", "text"), Map.of("type", "content"), Map.of("type", "snapshot"), Map.of("type", "screenshot"),
                    Map.of("type", "screenshot", "full_page", true), Map.of("type", "pdf"))) {
                Map<String, Object> timed = new java.util.LinkedHashMap<>(action);
                timed.put("timeout_ms", 60_000);
                client.act(text, timed);
            }
            assertThat(client.answers.stream().filter(a -> a.what().contains("selector=#t") || a.what().contains("type=content")))
                    .allSatisfy(a -> assertThat(a.status()).as(a.toString()).isEqualTo(422));
            client.delete(text);

            String noise = client.agent(Map.of());
            client.act(noise, Map.of("type", "navigate", "url", pages.url("/noise?w=4000&h=30000"), "timeout_ms", 120_000));
            client.act(noise, Map.of("type", "screenshot", "timeout_ms", 60_000));
            Answer full = client.act(noise, Map.of("type", "screenshot", "full_page", true, "timeout_ms", 60_000));
            assertThat(full.status()).as("30000 px tall: beyond the 16384 px a full page may be").isEqualTo(422);
            client.act(noise, Map.of("type", "pdf", "timeout_ms", 60_000));
            client.delete(noise);

            String thrower = client.agent(Map.of());
            client.act(thrower, Map.of("type", "navigate", "url", pages.url("/throw?mb=50")));
            client.act(thrower, Map.of("type", "wait_for", "selector", "#never", "state", "attached", "timeout_ms", 2000));
            client.act(thrower, Map.of("type", "text"));
            client.act(thrower, Map.of("type", "navigate", "url", pages.url("/popups"), "wait_until", "commit"));
            client.act(thrower, Map.of("type", "text"));
            client.delete(thrower);

            String refused = client.agent(Map.of());
            client.act(refused, Map.of("type", "navigate", "url", pages.url("/download-page?mb=100&n=1")));
            client.act(refused, Map.of("type", "click", "selector", "#get"));
            String saves = client.agent(Map.of("downloads", true));
            client.act(saves, Map.of("type", "navigate", "url", pages.url("/download-page?mb=100&n=2")));
            client.act(saves, Map.of("type", "click", "selector", "#get"));
            await().atMost(Duration.ofSeconds(60)).until(() -> pages.downloadEnded("/download?mb=100&n=1&ms=0")
                    && pages.downloadEnded("/download?mb=100&n=2&ms=0"));
            client.act(saves, Map.of("type", "text"));
            client.delete(refused);
            client.delete(saves);

            assertThat(service.process().isAlive()).as("alive; log:%n%s", service.log()).isTrue();
            assertThat(client.answers).allSatisfy(answer -> assertThat(answer.problem() || answer.boundedResult())
                    .as("%s: a problem or a bounded result", answer).isTrue());
            probes.close();
            assertThat(probes.asked.get()).isPositive();
            assertThat(probes.failures).as("probes that did not answer 200").isEmpty();
            assertThat(service.log()).doesNotContain("OutOfMemoryError")
                    .contains("BROWSER_ALLOW_NO_SANDBOX=true: where Chromium's sandbox cannot start");
        }
    }
}
