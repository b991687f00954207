package dev.agentapi.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.BrowserIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The MCP endpoint driven by the SDK's own client over real HTTP, with real browsers, PostgreSQL and Redis (the browser context). */
@BrowserIntegrationTest
@ExtendWith(RequiresChromium.class)
class McpServerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;
    final List<McpSyncClient> clients = new ArrayList<>();
    final List<String> created = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        Api alice = new Api(port, TestKeys.ALICE);
        created.forEach(id -> alice.delete("/api/agents/browser/" + id));
        clients.forEach(McpSyncClient::closeGracefully);
    }

    private McpSyncClient client(String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder();
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + port)
                        .endpoint("/mcp").requestBuilder(request).build())
                .requestTimeout(Duration.ofSeconds(90)).build();
        clients.add(client);
        return client;
    }

    private McpSyncClient connected(String key) {
        McpSyncClient client = client(key);
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    private static String text(McpSchema.CallToolResult result) {
        return result.content().stream().filter(McpSchema.TextContent.class::isInstance)
                .map(c -> ((McpSchema.TextContent) c).text()).findFirst().orElseThrow();
    }

    private static JsonNode json(McpSchema.CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return JSON.readTree(text(result));
    }

    private String createAgent(McpSyncClient client) {
        String id = "mcp-" + UUID.randomUUID();
        JsonNode body = json(call(client, "create_agent", Map.of("agent_id", id, "viewport", Map.of("width", 800, "height", 600))));
        assertThat(body.get("status").asString()).isEqualTo("running");
        created.add(id);
        return id;
    }

    @Test
    void clientListsEveryToolWithItsSchema() {
        McpSyncClient alice = client(TestKeys.ALICE);
        McpSchema.InitializeResult init = alice.initialize();
        assertThat(init.serverInfo().name()).isEqualTo("agent-api");
        assertThat(init.capabilities().tools()).isNotNull();

        Map<String, McpSchema.Tool> tools = new LinkedHashMap<>();
        alice.listTools().tools().forEach(t -> tools.put(t.name(), t));
        assertThat(tools).containsOnlyKeys("list_agents", "create_agent", "delete_agent", "navigate", "navigate_back", "navigate_forward",
                "click", "fill", "press", "hover", "fill_form", "select_option", "type", "press_key", "drag", "resize", "wait_for", "get_text",
                "snapshot", "screenshot", "content", "pdf", "tabs", "handle_dialog", "console_messages", "network_requests", "cookies",
                "storage_state", "file_upload", "evaluate", "trace_start", "trace_stop", "request_human", "enqueue_task", "get_task");
        // reads say so; page actions change a page, never destroy anything; all of them reach the open web
        assertThat(tools.get("snapshot").annotations().readOnlyHint()).isTrue();
        assertThat(tools.get("pdf").annotations().readOnlyHint()).isTrue();
        assertThat(tools.get("type").annotations().readOnlyHint()).isFalse();
        assertThat(tools.get("drag").annotations().destructiveHint()).isFalse();
        assertThat(tools.get("navigate_back").annotations().openWorldHint()).isTrue();
        assertThat(tools.get("network_requests").annotations().readOnlyHint()).isTrue();
        assertThat(tools.get("cookies").annotations().readOnlyHint()).isFalse();
        assertThat(JSON.valueToTree(tools.get("tabs").inputSchema()).at("/properties/action/enum"))
                .extracting(JsonNode::asString).containsExactly("list", "new", "select", "close");
        assertThat(JSON.valueToTree(tools.get("file_upload").inputSchema()).at("/properties/files/items/required"))
                .extracting(JsonNode::asString).containsExactly("name", "content_base64");
        JsonNode select = JSON.valueToTree(tools.get("select_option").inputSchema());
        assertThat(select.at("/properties/values/items/type").asString()).isEqualTo("string");
        assertThat(select.at("/properties/values/minItems").asInt()).isEqualTo(1);
        assertThat(select.get("required")).extracting(JsonNode::asString).containsExactly("agent_id", "values");
        assertThat(JSON.valueToTree(tools.get("wait_for").inputSchema()).at("/properties/time/type").asString()).isEqualTo("number");
        assertThat(JSON.valueToTree(tools.get("fill_form").inputSchema()).at("/properties/fields/items/required/0").asString())
                .isEqualTo("value");
        assertThat(JSON.valueToTree(tools.get("drag").inputSchema()).get("properties").propertyNames())
                .contains("start_ref", "start_selector", "end_ref", "end_selector");
        // read off the records the REST API validates: names as sent, constraints as checked
        Map<String, Object> navigate = tools.get("navigate").inputSchema();
        assertThat(JSON.valueToTree(navigate).get("required")).extracting(JsonNode::asString).containsExactly("agent_id", "url");
        assertThat(JSON.valueToTree(navigate).at("/properties/timeout_ms/minimum").asInt()).isEqualTo(1);
        assertThat(JSON.valueToTree(tools.get("create_agent").inputSchema()).at("/properties/channel/enum"))
                .extracting(JsonNode::asString).containsExactly("msedge", "chrome", "chromium");
        assertThat(JSON.valueToTree(tools.get("create_agent").inputSchema()).at("/properties/viewport/properties/width/maximum").asInt())
                .isEqualTo(4096);
    }

    @Test
    void agentIsCreatedDrivenAndDeletedThroughTools() throws Exception {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        assertThat(json(call(alice, "list_agents", Map.of())).get("agents").findValuesAsString("agent_id")).contains(id);

        JsonNode navigated = json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/form"))));
        assertThat(navigated.get("title").asString()).isEqualTo("Form");

        String snapshot = json(call(alice, "snapshot", Map.of("agent_id", id))).get("snapshot").asString();
        assertThat(snapshot).contains("- textbox").contains("- button \"Send\"");

        json(call(alice, "fill", Map.of("agent_id", id, "selector", "#name", "value", "Ada")));
        json(call(alice, "click", Map.of("agent_id", id, "selector", "role=button[name=\"Send\"]")));
        json(call(alice, "wait_for", Map.of("agent_id", id, "selector", "#out")));
        assertThat(json(call(alice, "get_text", Map.of("agent_id", id, "selector", "#out"))).get("text").asString())
                .isEqualTo("Hello, Ada!");

        McpSchema.CallToolResult shot = call(alice, "screenshot", Map.of("agent_id", id));
        assertThat(shot.isError()).isFalse();
        McpSchema.ImageContent image = (McpSchema.ImageContent) shot.content().get(0);
        assertThat(image.mimeType()).isEqualTo("image/png");
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(image.data())));
        assertThat(png.getWidth()).isEqualTo(800);
        assertThat(png.getHeight()).isEqualTo(600);

        // the same services as REST: the actions are counted on the agent, and audited
        Api rest = new Api(port, TestKeys.ALICE);
        assertThat(rest.get("/api/agents/browser/" + id).json().get("total_actions").asLong()).isEqualTo(7);
        JsonNode deleted = json(call(alice, "delete_agent", Map.of("agent_id", id)));
        assertThat(deleted.get("success").asBoolean()).isTrue();
        created.remove(id);
        assertThat(rest.get("/api/agents/browser/" + id).status()).isEqualTo(404);
        JsonNode audit = new Api(port, TestKeys.ADMIN).get("/api/audit?resource_id=" + id).json();
        assertThat(audit.get("entries").findValuesAsString("event_type")).contains("agent.create", "agent.delete");
        assertThat(call(alice, "delete_agent", Map.of("agent_id", id)).isError()).isTrue();
    }

    @Test
    void aTraceIsRecordedThroughToolsAndDownloadedOverRest() throws Exception {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        McpSchema.CallToolResult notStarted = call(alice, "trace_stop", Map.of("agent_id", id));
        assertThat(notStarted.isError()).isTrue();
        assertThat(text(notStarted)).startsWith("No trace recording");

        assertThat(json(call(alice, "trace_start", Map.of("agent_id", id))).get("recording").asBoolean()).isTrue();
        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/form"))));
        JsonNode stopped = json(call(alice, "trace_stop", Map.of("agent_id", id)));
        assertThat(stopped.get("size_bytes").asLong()).isPositive();

        java.net.http.HttpResponse<byte[]> zip = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(new Api(port).uri("/api/agents/browser/" + id + "/trace"))
                        .header("Authorization", "Bearer " + TestKeys.ALICE).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat((long) zip.body().length).isEqualTo(stopped.get("size_bytes").asLong());
        assertThat(zip.body()).startsWith((byte) 'P', (byte) 'K');
    }

    @Test
    void snapshotActionWorksOverRestToo() {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        Api rest = new Api(port, TestKeys.ALICE);
        rest.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "navigate", "url", pages.url("/"))));
        Api.Response snapshot = rest.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "snapshot", "depth", 3)));
        assertThat(snapshot.status()).as(snapshot.toString()).isEqualTo(200);
        assertThat(snapshot.json().get("snapshot").asString()).contains("- heading \"Hello\"").contains("- button \"Go\"");
        assertThat(rest.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "snapshot", "depth", 0))).status())
                .isEqualTo(400);

        // bounded: a page with 2,500 list items (about 90,000 characters of snapshot) is cut at 64 Ki characters, and says so
        rest.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "navigate", "url", pages.url("/long"))));
        String longSnapshot = json(call(alice, "snapshot", Map.of("agent_id", id))).get("snapshot").asString();
        assertThat(longSnapshot.length()).isLessThanOrEqualTo(64 * 1024 + 200);
        assertThat(longSnapshot).containsPattern("- listitem \\[ref=(f\\d+)?e\\d+]: item 1000")
                .endsWith("characters; ask for a ref, a selector or a depth").doesNotContain("item 2499");
    }

    @Test
    void aClientDrivesThePageByRefsAlone() {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/form"))));

        String form = json(call(alice, "snapshot", Map.of("agent_id", id))).get("snapshot").asString();
        String name = ref(form, "textbox");
        String send = ref(form, "button \"Send\"");
        json(call(alice, "fill", Map.of("agent_id", id, "ref", name, "value", "Ada")));
        json(call(alice, "click", Map.of("agent_id", id, "ref", send)));
        // the form went: the answer page's paragraph, found in a new snapshot, is read by its ref
        String result = await().atMost(Duration.ofSeconds(20)).until(
                () -> json(call(alice, "snapshot", Map.of("agent_id", id))).get("snapshot").asString(), s -> s.contains("Hello, Ada!"));
        String paragraph = ref(result, "paragraph");
        assertThat(json(call(alice, "get_text", Map.of("agent_id", id, "ref", paragraph))).get("text").asString())
                .isEqualTo("Hello, Ada!");
        assertThat(json(call(alice, "snapshot", Map.of("agent_id", id, "ref", paragraph))).get("snapshot").asString())
                .startsWith("- paragraph").doesNotContain("Send");

        // the form's refs name nothing on the new page
        McpSchema.CallToolResult stale = call(alice, "click", Map.of("agent_id", id, "ref", send));
        assertThat(stale.isError()).isTrue();
        assertThat(text(stale)).contains("ref " + send).contains("take a new snapshot");

        Api rest = new Api(port, TestKeys.ALICE);
        String actions = "/api/agents/browser/" + id + "/actions";
        Api.Response gone = rest.post(actions, Api.json(Map.of("type", "click", "ref", send)));
        assertThat(gone.status()).as(gone.toString()).isEqualTo(409);
        assertThat(gone.json().get("type").asString()).endsWith("browser-stale-ref");
        // a waiter for the old element to go away needs no element: it is gone already
        assertThat(rest.post(actions, Api.json(Map.of("type", "wait_for", "ref", send, "state", "detached"))).status()).isEqualTo(200);
        assertThat(rest.post(actions, Api.json(Map.of("type", "wait_for", "ref", send))).status()).isEqualTo(409);
    }

    @Test
    void theWholeToolSetRunsOverMcpAndRest() throws Exception {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/controls"))));

        String controls = json(call(alice, "snapshot", Map.of("agent_id", id))).get("snapshot").asString();
        json(call(alice, "select_option", Map.of("agent_id", id, "ref", ref(controls, "combobox"), "values", List.of("Blue"))));
        assertThat(text(alice, id, "#out")).isEqualTo("color b");
        json(call(alice, "fill_form", Map.of("agent_id", id, "fields", List.of(Map.of("selector", "#agree", "value", "true")))));
        assertThat(text(alice, id, "#out")).isEqualTo("agree true");
        json(call(alice, "type", Map.of("agent_id", id, "selector", "#q", "text", "hi", "slowly", true, "submit", true)));
        assertThat(text(alice, id, "#out")).isEqualTo("submitted hi");
        json(call(alice, "press_key", Map.of("agent_id", id, "key", "Escape")));
        assertThat(text(alice, id, "#key")).isEqualTo("Escape");
        json(call(alice, "hover", Map.of("agent_id", id, "selector", "#hover")));
        assertThat(text(alice, id, "#out")).isEqualTo("hovered");
        json(call(alice, "drag", Map.of("agent_id", id, "start_selector", "#src", "end_selector", "#dst")));
        json(call(alice, "wait_for", Map.of("agent_id", id, "text", "dropped", "timeout_ms", 10_000)));

        json(call(alice, "resize", Map.of("agent_id", id, "width", 640, "height", 480)));
        assertThat(png(call(alice, "screenshot", Map.of("agent_id", id)))).extracting(BufferedImage::getWidth, BufferedImage::getHeight)
                .containsExactly(640, 480);
        assertThat(png(call(alice, "screenshot", Map.of("agent_id", id, "selector", "#box"))))
                .extracting(BufferedImage::getWidth, BufferedImage::getHeight).containsExactly(120, 60);

        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/"))));
        assertThat(json(call(alice, "navigate_back", Map.of("agent_id", id))).get("title").asString()).isEqualTo("Controls");
        assertThat(json(call(alice, "navigate_forward", Map.of("agent_id", id))).get("title").asString()).isEqualTo("Home");
        assertThat(json(call(alice, "content", Map.of("agent_id", id))).get("html").asString()).contains("<h1 id=\"h\">Hello</h1>");

        McpSchema.CallToolResult pdf = call(alice, "pdf", Map.of("agent_id", id));
        assertThat(pdf.isError()).as(text(pdf)).isFalse();
        McpSchema.BlobResourceContents blob = (McpSchema.BlobResourceContents) ((McpSchema.EmbeddedResource) pdf.content().get(0)).resource();
        assertThat(blob.mimeType()).isEqualTo("application/pdf");
        assertThat(new String(Base64.getDecoder().decode(blob.blob()), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF");

        McpSchema.CallToolResult halfDrag = call(alice, "drag", Map.of("agent_id", id, "start_selector", "#src"));
        assertThat(halfDrag.isError()).isTrue();
        assertThat(text(halfDrag)).contains("end_selector: give a selector or a ref");

        // the same actions over REST
        Api rest = new Api(port, TestKeys.ALICE);
        String actions = "/api/agents/browser/" + id + "/actions";
        rest.post(actions, Api.json(Map.of("type", "navigate", "url", pages.url("/controls"))));
        Api.Response selected = rest.post(actions, Api.json(Map.of("type", "select_option", "selector", "#color", "values", List.of("Green"))));
        assertThat(selected.status()).as(selected.toString()).isEqualTo(200);
        assertThat(selected.json().get("type").asString()).isEqualTo("select_option");
        Api.Response waited = rest.post(actions, Api.json(Map.of("type", "wait_for", "time", 0.2)));
        assertThat(waited.status()).as(waited.toString()).isEqualTo(200);
        assertThat(text(alice, id, "#out")).isEqualTo("color g");
    }

    @Test
    void tabsDialogsLogsCookiesAndFilesOverMcpAndRest() throws Exception {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        Api rest = new Api(port, TestKeys.ALICE);
        String actions = "/api/agents/browser/" + id + "/actions";

        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/"))));
        JsonNode opened = json(call(alice, "tabs", Map.of("agent_id", id, "action", "new", "url", pages.url("/dialogs"))));
        assertThat(opened.get("active").asInt()).isEqualTo(1);
        assertThat(opened.get("tabs").findValuesAsString("title")).containsExactly("Home", "Dialogs");
        json(call(alice, "handle_dialog", Map.of("agent_id", id, "accept", true)));
        json(call(alice, "click", Map.of("agent_id", id, "selector", "#confirm")));
        assertThat(text(alice, id, "#out")).isEqualTo("confirm true");
        Api.Response listed = rest.post(actions, Api.json(Map.of("type", "tabs", "action", "select", "index", 0)));
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().get("title").asString()).isEqualTo("Home");
        assertThat(listed.json().get("tabs").size()).isEqualTo(2);

        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/console"))));
        json(call(alice, "wait_for", Map.of("agent_id", id, "text", "fetched", "timeout_ms", 10_000)));
        Api.Response console = rest.post(actions, Api.json(Map.of("type", "console_messages")));
        assertThat(console.json().get("messages").findValuesAsString("text")).contains("hello from the page");
        String requests = json(call(alice, "network_requests", Map.of("agent_id", id))).get("requests").toString();
        assertThat(requests).contains("access_token=REDACTED").doesNotContain("s3cret");

        json(call(alice, "cookies", Map.of("agent_id", id, "action", "add",
                "cookies", List.of(Map.of("name", "flavour", "value", "oat", "url", pages.url("/"))))));
        Api.Response cookies = rest.post(actions, Api.json(Map.of("type", "cookies", "action", "get")));
        assertThat(cookies.json().get("cookies").findValuesAsString("name")).containsExactly("flavour");
        Api.Response state = rest.post(actions, Api.json(Map.of("type", "storage_state")));
        assertThat(state.status()).as(state.toString()).isEqualTo(200);
        assertThat(state.json().at("/storage_state/cookies/0/value").asString()).isEqualTo("oat");

        json(call(alice, "navigate", Map.of("agent_id", id, "url", pages.url("/upload"))));
        Api.Response uploaded = rest.post(actions, Api.json(Map.of("type", "file_upload", "selector", "#file", "files",
                List.of(Map.of("name", "a.txt", "mime_type", "text/plain", "content_base64", "aGk=")))));
        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        json(call(alice, "wait_for", Map.of("agent_id", id, "text", "a.txt:text/plain:hi", "timeout_ms", 10_000)));

        // off here (BROWSER_ALLOW_EVALUATE unset): a tool error naming the setting
        McpSchema.CallToolResult evaluate = call(alice, "evaluate", Map.of("agent_id", id, "script", "document.title"));
        assertThat(evaluate.isError()).isTrue();
        assertThat(text(evaluate)).contains("BROWSER_ALLOW_EVALUATE");
    }

    private static String text(McpSyncClient client, String agent, String selector) {
        return json(call(client, "get_text", Map.of("agent_id", agent, "selector", selector))).get("text").asString();
    }

    private static BufferedImage png(McpSchema.CallToolResult shot) throws java.io.IOException {
        assertThat(shot.isError()).as(text(shot)).isFalse();
        return ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(((McpSchema.ImageContent) shot.content().get(0)).data())));
    }

    /** The ref of the first element the snapshot lists as {@code - <element>}. */
    private static String ref(String snapshot, String element) {
        java.util.regex.Matcher found = java.util.regex.Pattern.compile(
                java.util.regex.Pattern.quote("- " + element) + "[^\\n]*?\\[ref=([a-z0-9]+)]").matcher(snapshot);
        assertThat(found.find()).as(element + " in\n" + snapshot).isTrue();
        return found.group(1);
    }

    @Test
    void callersWithoutCredentialsAreRefused() {
        assertThatThrownBy(() -> client(null).initialize()).isInstanceOf(RuntimeException.class);
        Api.Response raw = Api.anonymous(port).send(HttpRequest.newBuilder(new Api(port).uri("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize())));
        assertThat(raw.status()).isEqualTo(401);
        assertThat(raw.header("Content-Type")).startsWith("application/problem+json");
        assertThat(raw.header("WWW-Authenticate")).contains("Bearer");
        // no identity provider configured: no OAuth metadata to publish
        assertThat(Api.anonymous(port).get("/.well-known/oauth-protected-resource/mcp").status()).isEqualTo(404);
    }

    @Test
    void anotherOwnersAgentIsAsAbsentAsAMissingOne() {
        McpSyncClient alice = connected(TestKeys.ALICE);
        McpSyncClient bob = connected(TestKeys.BOB);
        String id = createAgent(alice);

        for (String tool : List.of("get_text", "snapshot", "screenshot", "trace_start", "trace_stop", "request_human", "delete_agent")) {
            Map<String, Object> arguments = tool.equals("request_human") ? Map.of("agent_id", id, "message", "help") : Map.of("agent_id", id);
            McpSchema.CallToolResult refused = call(bob, tool, arguments);
            assertThat(refused.isError()).as(tool).isTrue();
            assertThat(text(refused)).as(tool).isEqualTo("Agent not found: No browser agent with id '" + id + "'");
        }
        assertThat(json(call(bob, "list_agents", Map.of())).get("agents").findValuesAsString("agent_id")).doesNotContain(id);
        assertThat(new Api(port, TestKeys.ALICE).get("/api/agents/browser/" + id).json().get("status").asString()).isEqualTo("running");
    }

    @Test
    void badArgumentsAreToolErrorsAndStoreNothing() {
        McpSyncClient alice = connected(TestKeys.ALICE);
        Api admin = new Api(port, TestKeys.ADMIN);
        String id = "mcp-bad-" + UUID.randomUUID();

        McpSchema.CallToolResult invalid = call(alice, "create_agent", Map.of("agent_id", id, "channel", "netscape",
                "viewport", Map.of("width", 5, "height", 600)));
        assertThat(invalid.isError()).isTrue();
        assertThat(text(invalid)).startsWith("Invalid request").contains("channel: must be one of msedge, chrome, chromium")
                .contains("viewport.width: must be greater than or equal to 100");
        McpSchema.CallToolResult wrongType = call(alice, "create_agent", Map.of("agent_id", id, "headless", Map.of("no", 1)));
        assertThat(wrongType.isError()).isTrue();
        assertThat(text(wrongType)).contains("headless: has the wrong type").doesNotContain("dev.agentapi").doesNotContain("Exception");
        assertThat(admin.get("/api/agents/browser/" + id).status()).isEqualTo(404);

        String agent = createAgent(alice);
        McpSchema.CallToolResult noUrl = call(alice, "navigate", Map.of("agent_id", agent));
        assertThat(noUrl.isError()).isTrue();
        assertThat(text(noUrl)).contains("url: must not be blank");
        assertThat(text(call(alice, "click", Map.of("agent_id", agent, "selector", "#x", "timeout_ms", -1)))).contains("timeout_ms");
        assertThat(text(call(alice, "get_text", Map.of()))).contains("agent_id: is required");
        JsonNode stored = admin.get("/api/agents/browser/" + agent).json();
        assertThat(stored.get("total_actions").asLong()).isZero();
        assertThat(stored.get("total_errors").asLong()).isZero();
        assertThat(text(call(alice, "enqueue_task", Map.of("task_type", "generic")))).startsWith("Invalid request").contains("title");
    }

    @Test
    void egressGuardAppliesToToolCalls() {
        McpSyncClient alice = connected(TestKeys.ALICE);
        String id = createAgent(alice);
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", pages.url("/to-metadata"), "file:///etc/passwd")) {
            McpSchema.CallToolResult refused = call(alice, "navigate", Map.of("agent_id", id, "url", url));
            assertThat(refused.isError()).as(url).isTrue();
            assertThat(text(refused)).as(url).startsWith("Forbidden: Navigation refused");
        }
    }

    @Test
    void toolCallsSpendTheirRestRoutesRateLimit() {
        // judy lists nowhere else: her bucket of the agent list's policy is whole, and this test empties it
        McpSyncClient judy = connected(TestKeys.JUDY);
        for (int i = 0; i < BrowserIntegrationTest.LISTS_PER_MINUTE; i++) {
            assertThat(call(judy, "list_agents", Map.of()).isError()).as("list " + (i + 1)).isFalse();
        }
        McpSchema.CallToolResult limited = call(judy, "list_agents", Map.of());
        assertThat(limited.isError()).isTrue();
        assertThat(text(limited)).startsWith("Too Many Requests");
        // and the same bucket as the REST route: it is empty there too
        assertThat(new Api(port, TestKeys.JUDY).get("/api/agents/browser").status()).isEqualTo(429);

        Api.Response raw = new Api(port, TestKeys.ADMIN).send(HttpRequest.newBuilder(new Api(port).uri("/mcp"))
                .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(initialize())));
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.header("X-RateLimit-Limit")).isEqualTo("1000");
    }

    @Test
    void malformedMessagesAreRefusedAsProblems() {
        Api admin = new Api(port, TestKeys.ADMIN);
        for (String body : List.of("{", "null", "[]", "42", "{\"jsonrpc\": \"2.0\"}", "{\"jsonrpc\": \"1.0\", \"id\": 1, \"method\": \"ping\"}",
                "{\"jsonrpc\": \"2.0\", \"id\": {}, \"method\": \"ping\"}", "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": []}")) {
            Api.Response response = mcp(admin, body);
            assertThat(response.status()).as(body + " -> " + response).isEqualTo(400);
            assertThat(response.header("Content-Type")).as(body).startsWith("application/problem+json");
        }
        Api.Response unknown = mcp(admin, "{\"jsonrpc\": \"2.0\", \"id\": 7, \"method\": \"no/such/method\"}");
        assertThat(unknown.status()).isEqualTo(200);
        assertThat(unknown.json().at("/error/code").asInt()).isEqualTo(McpSchema.ErrorCodes.METHOD_NOT_FOUND);
        Api.Response notAnObject = mcp(admin, "{\"jsonrpc\": \"2.0\", \"id\": 8, \"method\": \"tools/call\", "
                + "\"params\": {\"name\": \"list_agents\", \"arguments\": [1, 2]}}");
        assertThat(notAnObject.status()).isEqualTo(200);
        assertThat(notAnObject.json().at("/error/code").asInt()).isEqualTo(McpSchema.ErrorCodes.INVALID_PARAMS);
        assertThat(notAnObject.body()).doesNotContain("jackson").doesNotContain("Exception");
        assertThat(admin.get("/mcp").status()).isEqualTo(405);
    }

    @Test
    void originsAndProtocolVersionsAreCheckedBeforeAnythingElse() {
        Api admin = new Api(port, TestKeys.ADMIN);
        String ping = "{\"jsonrpc\": \"2.0\", \"id\": 3, \"method\": \"ping\"}";
        // a page of another origin (a DNS-rebinding page among them) is refused, with a key or without one
        for (String origin : List.of("http://evil.example", "http://console.test.evil.example", "https://console.test", "null")) {
            for (Api api : List.of(admin, Api.anonymous(port))) {
                Api.Response refused = mcp(api, ping, Map.of("Origin", origin));
                assertThat(refused.status()).as(origin).isEqualTo(403);
                assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                assertThat(refused.body()).contains("MCP_ALLOWED_ORIGINS");
            }
        }
        for (String origin : List.of("http://console.test", "http://localhost:5173")) {
            assertThat(mcp(admin, ping, Map.of("Origin", origin)).status()).as(origin).isEqualTo(200);
        }
        assertThat(mcp(admin, ping, Map.of()).status()).as("no Origin: not a web page").isEqualTo(200);
        // the protocol version a client says it speaks, when it says one
        for (String version : List.of("2025-03-26", "2025-06-18", "2025-11-25")) {
            assertThat(mcp(admin, ping, Map.of("MCP-Protocol-Version", version)).status()).as(version).isEqualTo(200);
        }
        for (String version : List.of("2024-11-05", "1999-01-01", "latest", "")) {
            Api.Response refused = mcp(admin, ping, Map.of("MCP-Protocol-Version", version));
            assertThat(refused.status()).as("'" + version + "'").isEqualTo(400);
            assertThat(refused.body()).contains("2025-11-25");
        }
    }

    private Api.Response mcp(Api api, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return api.send(request);
    }

    private Api.Response mcp(Api api, String body) {
        return api.send(HttpRequest.newBuilder(api.uri("/mcp")).header("Content-Type", "application/json")
                .header("Accept", "application/json, text/event-stream").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static String initialize() {
        return "{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \"2025-06-18\", "
                + "\"capabilities\": {}, \"clientInfo\": {\"name\": \"raw\", \"version\": \"1\"}}}";
    }
}
