package dev.agentapi.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.BrowserIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * MCP resources ({@code agent://{agent_id}/...}) through the SDK's own client over real HTTP: what an agent produced
 * (its last screenshot, PDF and trace, a task step's attachment) listed and read by its owner (sam) and by nobody else (tina),
 * with real browsers, PostgreSQL and Redis (the browser context); and the progress of a long tool call that asks for it.
 */
@BrowserIntegrationTest
@ExtendWith(RequiresChromium.class)
class McpResourcesTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    @Autowired
    JdbcClient jdbc;
    final List<McpSyncClient> clients = new ArrayList<>();
    final List<String> created = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Api sam = new Api(port, TestKeys.SAM);
        created.forEach(id -> sam.delete("/api/agents/browser/" + id));
        clients.forEach(McpSyncClient::closeGracefully);
    }

    private McpSyncClient connected(String key) {
        return connected(key, progress -> { });
    }

    private McpSyncClient connected(String key, java.util.function.Consumer<McpSchema.ProgressNotification> progress) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port).endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + key)).build())
                .progressConsumer(progress).requestTimeout(Duration.ofSeconds(90)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments));
        assertThat(result.isError()).as(String.valueOf(result.content())).isFalse();
        return result;
    }

    private static JsonNode json(McpSchema.CallToolResult result) {
        return JSON.readTree(result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).findFirst().orElseThrow());
    }

    private String createAgent(McpSyncClient client) {
        String id = "mcp-res-" + UUID.randomUUID();
        call(client, "create_agent", Map.of("agent_id", id, "viewport", Map.of("width", 640, "height", 480)));
        created.add(id);
        return id;
    }

    private static List<String> uris(McpSyncClient client) {
        return client.listResources().resources().stream().map(McpSchema.Resource::uri).toList();
    }

    private static McpSchema.BlobResourceContents read(McpSyncClient client, String uri) {
        McpSchema.ReadResourceResult result = client.readResource(new McpSchema.ReadResourceRequest(uri));
        assertThat(result.contents()).hasSize(1);
        return (McpSchema.BlobResourceContents) result.contents().get(0);
    }

    private static McpSchema.JSONRPCResponse.JSONRPCError refused(McpSyncClient client, String uri) {
        McpError error = catchThrowableOfType(McpError.class, () -> client.readResource(new McpSchema.ReadResourceRequest(uri)));
        assertThat(error).as(uri).isNotNull();
        return error.getJsonRpcError();
    }

    @Test
    void anAgentsLastScreenshotAndPdfAreListedAndReadByItsOwner() throws Exception {
        McpSyncClient sam = connected(TestKeys.SAM);
        assertThat(sam.getServerCapabilities().resources()).isNotNull();
        assertThat(sam.listResourceTemplates().resourceTemplates()).extracting(McpSchema.ResourceTemplate::uriTemplate)
                .containsExactlyInAnyOrder("agent://{agent_id}/screenshot", "agent://{agent_id}/pdf", "agent://{agent_id}/trace",
                        "agent://{agent_id}/tasks/{task_id}/result/{step}");

        String id = createAgent(sam);
        String screenshotUri = "agent://" + id + "/screenshot";
        assertThat(uris(sam)).as("nothing taken yet").doesNotContain(screenshotUri);
        assertThat(refused(sam, screenshotUri).code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);

        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/")));
        McpSchema.CallToolResult shot = call(sam, "screenshot", Map.of("agent_id", id));
        assertThat(json(shot).get("resource_uri").asString()).isEqualTo(screenshotUri);
        String taken = ((McpSchema.ImageContent) shot.content().get(0)).data();

        McpSchema.Resource listed = sam.listResources().resources().stream().filter(r -> r.uri().equals(screenshotUri))
                .findFirst().orElseThrow();
        assertThat(listed.mimeType()).isEqualTo("image/png");
        assertThat(listed.name()).isNotBlank();
        McpSchema.BlobResourceContents screenshot = read(sam, screenshotUri);
        assertThat(screenshot.uri()).isEqualTo(screenshotUri);
        assertThat(screenshot.mimeType()).isEqualTo("image/png");
        assertThat(screenshot.blob()).isEqualTo(taken);
        assertThat(listed.size()).isEqualTo(Base64.getDecoder().decode(taken).length);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(screenshot.blob())));
        assertThat(image.getWidth()).isEqualTo(640);

        // the pdf tool's embedded resource names the resource resources/read answers
        McpSchema.CallToolResult pdf = call(sam, "pdf", Map.of("agent_id", id));
        McpSchema.BlobResourceContents embedded = (McpSchema.BlobResourceContents) ((McpSchema.EmbeddedResource) pdf.content().get(0)).resource();
        assertThat(embedded.uri()).isEqualTo("agent://" + id + "/pdf");
        McpSchema.BlobResourceContents stored = read(sam, embedded.uri());
        assertThat(stored.mimeType()).isEqualTo("application/pdf");
        assertThat(stored.blob()).isEqualTo(embedded.blob());
        assertThat(new String(Base64.getDecoder().decode(stored.blob()), 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        assertThat(uris(sam)).contains(screenshotUri, embedded.uri());

        // gone with the agent
        new Api(port, TestKeys.SAM).delete("/api/agents/browser/" + id);
        assertThat(uris(sam)).doesNotContain(screenshotUri);
        assertThat(refused(sam, screenshotUri).code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
        assertThat(jdbc.sql("SELECT count(*) FROM agent_captures WHERE agent_id = ?").param(id).query(Long.class).single()).isZero();
    }

    /**
     * An agent's last screenshot is kept by the statement that counts the action and writes its audit entry; when the
     * database refuses to keep it, the screenshot is answered all the same, and the action counted and audited without it.
     */
    @Test
    void aScreenshotThatCannotBeKeptCostsTheActionNothing() {
        McpSyncClient sam = connected(TestKeys.SAM);
        String id = createAgent(sam);
        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/")));
        // refused for this agent only: other agents keep theirs
        jdbc.sql("ALTER TABLE agent_captures ADD CONSTRAINT test_refuse_capture CHECK (agent_id <> '" + id + "') NOT VALID").update();
        try {
            McpSchema.CallToolResult shot = call(sam, "screenshot", Map.of("agent_id", id));
            assertThat(((McpSchema.ImageContent) shot.content().get(0)).data()).isNotEmpty();
        } finally {
            jdbc.sql("ALTER TABLE agent_captures DROP CONSTRAINT test_refuse_capture").update();
        }
        assertThat(refused(sam, "agent://" + id + "/screenshot").code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
        assertThat(new Api(port, TestKeys.SAM).get("/api/agents/browser/" + id).json().get("total_actions").asLong())
                .as("the navigate and the screenshot").isEqualTo(2);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_logs WHERE resource_id = ? AND event_type = 'agent.action' AND success")
                .param(id).query(Long.class).single()).isEqualTo(2);
    }

    @Test
    void anotherOwnerIsToldWhatAMissingResourceIsTold() {
        McpSyncClient sam = connected(TestKeys.SAM);
        McpSyncClient tina = connected(TestKeys.TINA);
        String id = createAgent(sam);
        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/")));
        call(sam, "screenshot", Map.of("agent_id", id));
        String uri = "agent://" + id + "/screenshot";
        assertThat(read(sam, uri).mimeType()).isEqualTo("image/png");

        assertThat(uris(tina)).noneMatch(u -> u.startsWith("agent://" + id + "/"));
        McpSchema.JSONRPCResponse.JSONRPCError othersAgent = refused(tina, uri);
        McpSchema.JSONRPCResponse.JSONRPCError missingAgent = refused(tina, "agent://mcp-res-" + UUID.randomUUID() + "/screenshot");
        assertThat(othersAgent.code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND).isEqualTo(missingAgent.code());
        assertThat(othersAgent.message()).isEqualTo(missingAgent.message());
        assertThat(refused(tina, "agent://" + id + "/pdf").code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);

        // not of the scheme: invalid params, saying what a URI looks like
        for (String malformed : List.of("http://example.com/x", "agent://" + id + "/cookies", "agent://" + id, "agent://a b/screenshot")) {
            McpSchema.JSONRPCResponse.JSONRPCError error = refused(sam, malformed);
            assertThat(error.code()).as(malformed).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
            assertThat(error.message()).as(malformed).contains("agent://{agent_id}/screenshot");
        }
    }

    /** Queues "navigate home, screenshot" on the agent as a task and waits for it to complete; its id. */
    private String screenshotTask(McpSyncClient client, String agent) {
        JsonNode queued = json(call(client, "enqueue_task", Map.of("title", "look", "task_type", "browser.actions", "payload",
                Map.of("agent_id", agent, "actions", List.of(Map.of("type", "navigate", "url", pages.url("/")), Map.of("type", "screenshot"))))));
        String task = queued.get("task").get("id").asString();
        JsonNode done = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> json(call(client, "get_task", Map.of("task_id", task))).get("task"),
                        t -> List.of("completed", "failed").contains(t.get("status").asString()));
        assertThat(done.get("status").asString()).as(done.toString()).isEqualTo("completed");
        return task;
    }

    @Test
    void aTaskStepsAttachmentIsListedAndReadOnItsAgent() {
        McpSyncClient sam = connected(TestKeys.SAM);
        String id = createAgent(sam);
        String task = screenshotTask(sam, id);

        String uri = "agent://" + id + "/tasks/" + task + "/result/1";
        McpSchema.Resource listed = sam.listResources().resources().stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
        assertThat(listed.mimeType()).isEqualTo("image/png");
        McpSchema.BlobResourceContents attachment = read(sam, uri);
        assertThat(attachment.mimeType()).isEqualTo("image/png");
        assertThat(Base64.getDecoder().decode(attachment.blob())).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
        assertThat(listed.size()).isEqualTo(Base64.getDecoder().decode(attachment.blob()).length);
        // the step's screenshot is the agent's last screenshot too
        assertThat(read(sam, "agent://" + id + "/screenshot").blob()).isEqualTo(attachment.blob());

        // a step without an attachment, the task under another agent, or another owner: not found alike
        assertThat(refused(sam, "agent://" + id + "/tasks/" + task + "/result/0").code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
        String other = createAgent(sam);
        assertThat(refused(sam, "agent://" + other + "/tasks/" + task + "/result/1").code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
        McpSyncClient tina = connected(TestKeys.TINA);
        assertThat(refused(tina, uri).code()).isEqualTo(McpSchema.ErrorCodes.RESOURCE_NOT_FOUND);
        assertThat(uris(tina)).doesNotContain(uri);
    }

    @Test
    void aStoredTraceIsReadUnlessItIsLargerThanResourcesReadServes() throws Exception {
        McpSyncClient sam = connected(TestKeys.SAM);
        String id = createAgent(sam);
        String uri = "agent://" + id + "/trace";
        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/")));
        call(sam, "trace_start", Map.of("agent_id", id));
        call(sam, "click", Map.of("agent_id", id, "selector", "#go"));
        call(sam, "trace_stop", Map.of("agent_id", id));

        McpSchema.Resource listed = sam.listResources().resources().stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
        assertThat(listed.mimeType()).isEqualTo("application/zip");
        McpSchema.BlobResourceContents trace = read(sam, uri);
        assertThat(trace.mimeType()).isEqualTo("application/zip");
        byte[] zip = Base64.getDecoder().decode(trace.blob());
        assertThat((long) zip.length).isEqualTo(listed.size());
        // the same bytes as the REST download
        assertThat(new Api(port, TestKeys.SAM).getBytes("/api/agents/browser/" + id + "/trace")).isEqualTo(zip);
        List<String> entries = new ArrayList<>();
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
            for (java.util.zip.ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                entries.add(entry.getName());
            }
        }
        assertThat(entries).as("a Playwright trace").anyMatch(name -> name.endsWith(".trace"));

        // a trace of a page with a megabyte of random text (its DOM snapshot hardly compresses): listed with its size,
        // and read over REST only
        call(sam, "trace_start", Map.of("agent_id", id));
        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/random-text?mb=1")));
        call(sam, "trace_stop", Map.of("agent_id", id));
        long cap = org.springframework.util.unit.DataSize.parse(BrowserIntegrationTest.MAX_RESOURCE_SIZE).toBytes();
        McpSchema.Resource large = sam.listResources().resources().stream().filter(r -> r.uri().equals(uri)).findFirst().orElseThrow();
        assertThat(large.size()).isGreaterThan(cap);
        McpSchema.JSONRPCResponse.JSONRPCError tooLarge = refused(sam, uri);
        assertThat(tooLarge.code()).isEqualTo(McpSchema.ErrorCodes.INVALID_REQUEST);
        assertThat(tooLarge.message()).contains("more than resources/read serves").contains("GET /api/agents/browser/" + id + "/trace");
        assertThat(new Api(port, TestKeys.SAM).getBytes("/api/agents/browser/" + id + "/trace")).hasSize(large.size().intValue());
    }

    @Test
    void aLongListComesInPagesThatACursorWalksWithoutLossOrRepeat() {
        McpSyncClient sam = connected(TestKeys.SAM);
        String id = createAgent(sam);
        String task = screenshotTask(sam, id);
        // 250 more step results on the task, the last 150 at one instant: the first page ends among them, so the next
        // starts by the tie-break on the URI
        java.time.OffsetDateTime tie = java.time.OffsetDateTime.now().minusMinutes(5);
        for (int step = 2; step < 252; step++) {
            jdbc.sql("INSERT INTO task_attachments (task_id, step, media_type, data, created_at) VALUES (?, ?, 'text/plain', ?, ?)")
                    .params(task, step, new byte[] {(byte) step}, step < 102 ? tie.plusSeconds(step) : tie).update();
        }
        List<String> expected = new ArrayList<>(List.of("agent://" + id + "/screenshot", "agent://" + id + "/tasks/" + task + "/result/1"));
        for (int step = 2; step < 252; step++) {
            expected.add("agent://" + id + "/tasks/" + task + "/result/" + step);
        }

        List<String> walked = new ArrayList<>();
        List<Integer> sizes = new ArrayList<>();
        String cursor = null;
        do {
            McpSchema.ListResourcesResult page = sam.listResources(cursor);
            sizes.add(page.resources().size());
            page.resources().forEach(r -> walked.add(r.uri()));
            cursor = page.nextCursor();
        } while (cursor != null && sizes.size() < 20);
        assertThat(sizes).as("pages").hasSizeGreaterThan(1).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(200));
        assertThat(walked).as("no resource twice").doesNotHaveDuplicates();
        assertThat(walked.stream().filter(uri -> uri.startsWith("agent://" + id + "/")).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        // the SDK's own walk (it follows nextCursor) sees the same
        assertThat(uris(sam)).containsExactlyElementsOf(walked);

        McpSchema.JSONRPCResponse.JSONRPCError badCursor = catchThrowableOfType(McpError.class,
                () -> sam.listResources("not-a-cursor")).getJsonRpcError();
        assertThat(badCursor.code()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(badCursor.message()).contains("nextCursor");
    }

    @Test
    void aLongCallThatAsksForProgressIsToldItThenAnswered() {
        List<McpSchema.ProgressNotification> progress = new java.util.concurrent.CopyOnWriteArrayList<>();
        McpSyncClient sam = connected(TestKeys.SAM, progress::add);
        String id = createAgent(sam);
        call(sam, "navigate", Map.of("agent_id", id, "url", pages.url("/")));

        // a 2.5 s wait: a notification a second, carrying the call's token and the wait's length, then the answer
        McpSchema.CallToolResult waited = sam.callTool(McpSchema.CallToolRequest.builder().name("wait_for")
                .arguments(Map.of("agent_id", id, "time", 2.5)).progressToken("wait-1").build());
        assertThat(waited.isError()).as(String.valueOf(waited.content())).isFalse();
        assertThat(json(waited).get("type").asString()).isEqualTo("wait_for");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(progress).isNotEmpty());
        assertThat(progress).allSatisfy(p -> {
            assertThat(p.progressToken()).isEqualTo("wait-1");
            assertThat(p.total()).isEqualTo(2.5);
            assertThat(p.message()).startsWith("wait_for running for");
        });
        assertThat(progress).extracting(McpSchema.ProgressNotification::progress).isSorted();

        // without a token, the same call is answered in plain JSON, with no notification
        progress.clear();
        McpSchema.CallToolResult quiet = call(sam, "wait_for", Map.of("agent_id", id, "time", 1.5));
        assertThat(json(quiet).get("type").asString()).isEqualTo("wait_for");
        assertThat(progress).isEmpty();
    }
}
