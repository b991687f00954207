package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.agent.AgentService;
import dev.agentapi.agent.AgentStatus;
import dev.agentapi.agent.AgentView;
import dev.agentapi.agent.CreateAgentRequest;
import dev.agentapi.security.Actor;
import dev.agentapi.security.CurrentActor;
import dev.agentapi.support.Api;
import dev.agentapi.support.BrowserIntegrationTest;
import dev.agentapi.support.StatementRecorder;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** Agents with real browsers, driven over HTTP against pages served on localhost (the browser context's settings). */
@BrowserIntegrationTest
@ExtendWith(RequiresChromium.class)
class AgentBrowserApiTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    @org.springframework.beans.factory.annotation.Autowired
    PlaywrightBrowserRuntime runtime;
    @org.springframework.beans.factory.annotation.Autowired
    dev.agentapi.audit.AuditRefusals auditRefusals;
    @org.springframework.beans.factory.annotation.Autowired
    AgentService agents;
    @org.springframework.beans.factory.annotation.Autowired
    CurrentActor currentActor;
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
        return create(Map.of());
    }

    private JsonNode create(Map<String, Object> config) {
        String id = "browser-" + UUID.randomUUID();
        created.add(id); // before the answer: a create that timed out on a busy machine may still have launched
        Api.Response response = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id,
                "viewport", Map.of("width", 800, "height", 600), "config", config)));
        assertThat(response.status()).as(response.toString()).isEqualTo(201);
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

        JsonNode navigated = act(id, Map.of("type", "navigate", "url", pages.url("/?token=s3cret#session=abc"))).json();
        assertThat(navigated.get("title").asString()).isEqualTo("Home");
        assertThat(navigated.get("url").asString()).isEqualTo(pages.url("/?token=s3cret#session=abc"));
        // the audit trail keeps the URL without its query string and fragment
        JsonNode navigation = new Api(port).get("/api/audit?resource_id=" + id + "&event_type=agent.action").json().at("/entries/0/details");
        assertThat(navigation.get("url").asString()).isEqualTo(pages.url("/"));
        assertThat(navigation.get("page_url").asString()).isEqualTo(pages.url("/"));
        assertThat(navigation.toString()).doesNotContain("s3cret").doesNotContain("session=abc");

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

    /**
     * A create stores the agent (starting, its lease taken), launches its browser and records it running: the
     * agent's row is read at most twice on the way (the id's check before the insert, the row marked running).
     */
    @Test
    void aCreateThatLaunchesItsBrowserReadsTheAgentAtMostTwice() {
        String id = "reads-" + UUID.randomUUID();
        created.add(id);
        StatementRecorder.Result<AgentView> recorded = StatementRecorder.record(() -> currentActor.runAs(
                new Actor("key:alice", null, null, null, false),
                () -> agents.create(new CreateAgentRequest(id, null, null, Map.of(), null, null))));

        assertThat(recorded.value().status()).isEqualTo(AgentStatus.RUNNING);
        List<String> reads = recorded.statements().stream().map(StatementRecorder.Recorded::sql)
                .filter(sql -> sql.stripLeading().toLowerCase(java.util.Locale.ROOT).startsWith("select"))
                .filter(sql -> sql.toLowerCase(java.util.Locale.ROOT).contains("browser_agents"))
                .toList();
        assertThat(reads).as("reads of browser_agents during the create").hasSizeLessThanOrEqualTo(2);
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

        // the proxy's refusals (the two redirects) are in the audit trail too, in the owner's name, counted per window
        auditRefusals.flush();
        JsonNode egress = new Api(port).get("/api/audit?resource_id=" + id + "&event_type=egress.refused").json().get("entries");
        assertThat(egress).hasSize(1);
        assertThat(egress.get(0).get("user_id").asString()).isEqualTo("key:alice");
        assertThat(egress.get(0).get("success").asBoolean()).isFalse();
        assertThat(egress.get(0).at("/details/count").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(egress.get(0).at("/details/samples/0/target").asString()).isEqualTo("169.254.169.254:80");
        assertThat(egress.get(0).at("/details/samples/0/reason").asString()).contains("169.254.0.0/16");
    }

    @Test
    void beyondCapacityCreatesAnswer503() {
        create();
        create();

        Api.Response third = alice.post("/api/agents/browser", "{}");

        assertThat(third.status()).isEqualTo(503);
        assertThat(third.header("Retry-After")).isNotBlank();
        assertThat(third.json().get("detail").asString()).contains("in use");
        JsonNode memory = new Api(port, TestKeys.ADMIN).get("/api/agents/health/ready").json().get("components").get("memory_state");
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
        assertThat(crash.at("/entries/0/user_id").asString()).as("the service's own observation, named as such").isEqualTo("system");

        assertThat(act(id, Map.of("type", "navigate", "url", pages.url("/"))).json().get("title").asString()).isEqualTo("Home");
        assertThat(alice.get("/api/agents/browser/" + id).json().get("status").asString()).isEqualTo("running");
    }

    private static void assertTooLarge(Api.Response refused, String limit) {
        String answer = refused.toString();
        assertThat(refused.status()).as(answer.length() > 300 ? answer.substring(0, 300) + "…" : answer).isEqualTo(422);
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(refused.json().get("type").asString()).isEqualTo("urn:agent-api:problem:browser-result-too-large");
        assertThat(refused.json().get("detail").asString()).contains(limit);
    }

    @Test
    void resultsOverTheirLimitsAre422ProblemsNamingTheLimit() {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/big-text?mb=2")));

        assertTooLarge(act(id, Map.of("type", "text", "selector", "#t")), "1 MB limit (BROWSER_MAX_TEXT)");
        assertThat(act(id, Map.of("type", "text")).json().get("text").asString()).as("the visible text is small").isEqualTo("Big");
        assertTooLarge(act(id, Map.of("type", "content")), "1 MB limit (BROWSER_MAX_HTML)");
        assertTooLarge(act(id, Map.of("type", "snapshot")), "1 MB limit (BROWSER_MAX_TEXT)");

        act(id, Map.of("type", "navigate", "url", pages.url("/tall?w=800&h=9000")));
        assertTooLarge(act(id, Map.of("type", "screenshot", "full_page", true)), "4096 × 8000 px");
        assertThat(act(id, Map.of("type", "screenshot")).status()).as("the viewport is small").isEqualTo(200);

        act(id, Map.of("type", "navigate", "url", pages.url("/noise?w=800&h=1200")));
        assertTooLarge(act(id, Map.of("type", "screenshot", "full_page", true)), "1 MB limit (BROWSER_MAX_IMAGE)");
        assertTooLarge(act(id, Map.of("type", "pdf")), "1 MB limit (BROWSER_MAX_PDF)");
        Api.Response raw = alice.send(java.net.http.HttpRequest.newBuilder(alice.uri("/api/agents/browser/" + id + "/actions"))
                .header("Content-Type", "application/json").header("Accept", "image/png")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\": \"screenshot\", \"full_page\": true}")));
        assertTooLarge(raw, "BROWSER_MAX_IMAGE");

        assertThat(act(id, Map.of("type", "navigate", "url", pages.url("/"))).json().get("title").asString())
                .as("the agent goes on").isEqualTo("Home");
    }

    @Test
    void aFullPageLargerThanOneCaptureIsTakenInStripsAndJoined() throws Exception {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/tall?w=1000&h=5000")));

        JsonNode shot = act(id, Map.of("type", "screenshot", "full_page", true)).json();

        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(shot.get("screenshot").asString())));
        assertThat(image.getWidth()).isEqualTo(1000);
        assertThat(image.getHeight()).as("more than PageCapture.DIRECT_PIXELS").isEqualTo(5000);
        assertThat(image.getRGB(500, 50) & 0xffffff).isEqualTo(0xff0000);
        assertThat(image.getRGB(500, 2500) & 0xffffff).isEqualTo(0xffffff);
        assertThat(image.getRGB(500, 4950) & 0xffffff).isEqualTo(0x0000ff);
    }

    @Test
    void viewportsAreCappedAt4096Pixels() {
        Api.Response wide = alice.post("/api/agents/browser", Api.json(Map.of("viewport", Map.of("width", 5000, "height", 600))));

        assertThat(wide.status()).as(wide.toString()).isEqualTo(400);
        assertThat(wide.json().get("errors").get("viewport.width").asString()).contains("4096");
        String id = create().get("agent_id").asString();
        Api.Response tall = alice.patch("/api/agents/browser/" + id, Api.json(Map.of("viewport", Map.of("width", 800, "height", 4097))), Map.of());
        assertThat(tall.status()).as(tall.toString()).isEqualTo(400);
        assertThat(tall.json().get("errors").get("viewport.height").asString()).contains("4096");
    }

    @Test
    void playwrightsOwnErrorTextNeverReachesAClient() {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/")));

        Api.Response failed = act(id, Map.of("type", "fill", "selector", "#h", "value", "x", "timeout_ms", 2000));

        assertThat(failed.status()).as(failed.toString()).isEqualTo(422);
        assertThat(failed.json().get("detail").asString()).startsWith("fill failed: ")
                .doesNotContain("Error {", "message=", "stack=", "Call log", "waiting for", "locator(", "\n", "    at ", ".js:",
                        "/tmp/", "playwright");
    }

    @Test
    void pdfsComeRawWithAcceptApplicationPdf() throws Exception {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/")));

        HttpResponse<byte[]> raw = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(alice.uri("/api/agents/browser/" + id + "/actions"))
                .header("Authorization", "Bearer " + TestKeys.ALICE).header("Content-Type", "application/json")
                .header("Accept", "application/pdf").POST(HttpRequest.BodyPublishers.ofString("{\"type\": \"pdf\"}")).build(),
                HttpResponse.BodyHandlers.ofByteArray());

        assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/pdf");
        assertThat(new String(raw.body(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF");
    }

    @Test
    void pagesOpenNoWindowsWithoutAGestureAndAnAgentNeverKeepsMoreThanItsCap() {
        String id = create().get("agent_id").asString();
        BrowserSession session = runtime.session(id).orElseThrow();

        act(id, Map.of("type", "navigate", "url", pages.url("/popups"), "wait_until", "commit"));
        act(id, Map.of("type", "navigate", "url", pages.url("/popup-link")));
        for (int i = 0; i < 4; i++) {
            act(id, Map.of("type", "click", "selector", "#open"));
        }

        // the opening page keeps trying (every 50 ms): pages stay within the cap all along
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> session.pages(Duration.ofSeconds(5))[0] <= 3);
        assertThat(alice.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(id)).as("the agent's pages close with it").isEmpty();
    }

    @Test
    void downloadsAreRefusedUnlessTheAgentsConfigAsksForThem() {
        String id = create().get("agent_id").asString();
        act(id, Map.of("type", "navigate", "url", pages.url("/download-page?mb=64&n=101&ms=1")));

        act(id, Map.of("type", "click", "selector", "#get"));

        await().atMost(Duration.ofSeconds(30)).until(() -> pages.downloadEnded("/download?mb=64&n=101&ms=1"));
        assertThat(pages.downloaded("/download?mb=64&n=101&ms=1")).as("the browser stopped reading").isLessThan(32L << 20);
        assertThat(runtime.session(id).orElseThrow().downloads()).isEmpty();
    }

    @Test
    void downloadsAskedForGoToTheAgentsOwnFolderWithinItsCapsAndGoWithTheAgent() throws Exception {
        Api.Response unclear = alice.post("/api/agents/browser", Api.json(Map.of("config", Map.of("downloads", "yes"))));
        assertThat(unclear.status()).as(unclear.toString()).isEqualTo(400);
        assertThat(unclear.json().get("errors").get("config.downloads").asString()).isEqualTo("must be a boolean");
        String id = create(Map.of("downloads", true)).get("agent_id").asString();
        java.nio.file.Path folder = runtime.session(id).orElseThrow().downloads().orElseThrow().path();

        act(id, Map.of("type", "navigate", "url", pages.url("/download-page?mb=1&n=201")));
        act(id, Map.of("type", "click", "selector", "#get"));
        await().atMost(Duration.ofSeconds(30)).until(() -> finished(folder).size() == 1 && pages.downloadEnded("/download?mb=1&n=201&ms=0"));

        act(id, Map.of("type", "navigate", "url", pages.url("/download-page?mb=64&n=202&ms=2")));
        act(id, Map.of("type", "click", "selector", "#get"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pages.downloadEnded("/download?mb=64&n=202&ms=2"));
        assertThat(pages.downloaded("/download?mb=64&n=202&ms=2")).as("cancelled past the 3 MB cap").isLessThan(32L << 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> finished(folder).size() == 1 && size(folder) <= (3L << 20));

        act(id, Map.of("type", "navigate", "url", pages.url("/download-page?mb=1&n=203")));
        act(id, Map.of("type", "click", "selector", "#get"));
        await().atMost(Duration.ofSeconds(30)).until(() -> pages.downloadEnded("/download?mb=1&n=203&ms=0"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> finished(folder).size() == 1); // the third is past the cap of 2 downloads

        assertThat(alice.delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> !java.nio.file.Files.exists(folder));
    }

    @Test
    void aTaskStepOverALimitFailsItsTaskNamingTheLimitWithoutAnAttachment() {
        String id = create().get("agent_id").asString();

        JsonNode task = runTask(id, List.of(Map.of("type", "navigate", "url", pages.url("/big-text?mb=2")),
                Map.of("type", "text", "selector", "#t")));

        assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("failed");
        assertThat(task.get("attempts").asInt()).as("a result over its limit does not pass on a retry").isEqualTo(1);
        assertThat(task.get("error").toString()).contains("1 MB limit (BROWSER_MAX_TEXT)");
        assertThat(alice.get("/api/agents/mcp/tasks/" + task.get("id").asString() + "/result/1").status()).isEqualTo(404);
        assertThat(runTask(id, List.of(Map.of("type", "text"))).get("status").asString()).as("the workers go on").isEqualTo("completed");
    }

    private JsonNode runTask(String agentId, List<Map<String, Object>> actions) {
        Api.Response created = alice.post("/api/agents/mcp/tasks", Api.json(Map.of("title", "browse", "task_type", "browser.actions",
                "payload", Map.of("agent_id", agentId, "actions", actions))));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String task = created.json().get("task").get("id").asString();
        return await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> alice.get("/api/agents/mcp/tasks/" + task).json().get("task"),
                        t -> t.get("status").asString().equals("completed") || t.get("status").asString().equals("failed"));
    }

    private static List<java.nio.file.Path> finished(java.nio.file.Path folder) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.filter(f -> !f.getFileName().toString().endsWith(".crdownload")).toList();
        }
    }

    private static long size(java.nio.file.Path folder) throws java.io.IOException {
        try (var files = java.nio.file.Files.list(folder)) {
            return files.mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
