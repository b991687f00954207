package dev.agentapi.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.ScreenshotType;
import com.sun.net.httpserver.HttpServer;
import dev.agentapi.browser.RequiresChromium;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The operator console in real Chromium, against the whole service with real browser agents. Every
 * page is watched for CSP violations and script errors, which fail the test.
 *
 * <p>With {@code -Dconsole.screenshots=docs/console} it also writes the screenshots docs/operations.md shows.
 */
// the JWT context: Chromium at CHROMIUM_PATH, two browsers at most, pages on localhost allowed. Launch-on-create
// stays off (test default): agents get a browser on their first action, so only the test that drives one launches a
// browser, and the live view is seen waiting for it first
@JwtIntegrationTest
@ExtendWith(RequiresChromium.class)
class ConsoleTest {

    private static final String CHROMIUM = System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium");
    private static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync");
    private static final String SCREENSHOTS = System.getProperty("console.screenshots", "");

    static final TestIdentityProvider identityProvider = TestIdentityProvider.shared();

    static HttpServer pages;
    static Playwright playwright;
    static Browser browser;

    @BeforeAll
    static void start() throws IOException {
        pages = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        page("/red", "Red", "#d00000");
        page("/blue", "Blue", "#0030d0");
        pages.start();
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(CHROMIUM)).setHeadless(true).setArgs(ARGS));
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        if (pages != null) {
            pages.stop(0);
        }
    }

    private static void page(String path, String title, String color) {
        byte[] body = ("<!doctype html><html><head><title>" + title + "</title></head>"
                + "<body style='margin:0;background:" + color + "'><h1 id='h' style='color:#fff'>" + title + " page</h1></body></html>")
                .getBytes(StandardCharsets.UTF_8);
        pages.createContext(path, exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private static String pageUrl(String path) {
        return "http://127.0.0.1:" + pages.getAddress().getPort() + path;
    }

    @LocalServerPort
    int port;
    BrowserContext context;
    Page page;
    /** Uncaught script errors, console errors other than failed requests, and CSP violations. */
    final List<String> problems = new CopyOnWriteArrayList<>();
    /** Every URL the console requested. */
    final List<String> requested = new CopyOnWriteArrayList<>();
    final List<String> created = new CopyOnWriteArrayList<>();

    @BeforeEach
    void openBrowser() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1180, 860));
        // an upper bound for each wait (a create launches a browser; the machine may be busy), not a timing assertion
        context.setDefaultTimeout(60_000);
        // CDP-injected, so not subject to the page's CSP: records every violation the page reports
        context.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "(window.__cspViolations = window.__cspViolations || []).push(e.violatedDirective + ' ' + e.blockedURI));");
        page = context.newPage();
        page.onPageError(error -> problems.add("page error: " + error));
        page.onConsoleMessage(message -> {
            if ("error".equals(message.type()) && !message.text().startsWith("Failed to load resource")) {
                problems.add("console error: " + message.text());
            }
        });
        page.onRequest(request -> requested.add(request.url()));
    }

    @AfterEach
    void closeBrowser() {
        if (page != null && !page.isClosed()) {
            assertThat(cspViolations()).as("CSP violations").isEmpty();
        }
        context.close();
        Api admin = new Api(port);
        created.forEach(id -> admin.delete("/api/agents/browser/" + id));
        assertThat(problems).as("script errors and CSP reports").isEmpty();
        assertThat(requested).as("the console calls its own origin only")
                .allMatch(url -> url.startsWith(base() + "/console") || url.startsWith(base() + "/api/") || url.startsWith("blob:"));
    }

    @SuppressWarnings("unchecked")
    private List<String> cspViolations() {
        return (List<String>) page.evaluate("() => window.__cspViolations || []");
    }

    private String base() {
        return "http://127.0.0.1:" + port;
    }

    private void openConsole(String hash) {
        page.navigate(base() + "/console/" + hash);
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setLevel(1)).waitFor();
    }

    private void signIn(String key) {
        page.getByLabel("API key").fill(key);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Use key")).click();
    }

    @Test
    void operatorCreatesAndDrivesAnAgentAndReadsItsAudit() throws IOException {
        openConsole("");
        signIn(TestKeys.ADMIN);
        assertThat(page.locator("#key-state")).isNotNull();
        page.locator("#key-state").filter(new Locator.FilterOptions().setHasText("Key in use")).waitFor();

        String id = "console-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(id);
        page.getByLabel("Agent id (optional)").fill(id);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create agent")).click();
        page.locator(".done").filter(new Locator.FilterOptions().setHasText(id)).waitFor();
        page.locator("table a.agent-link").filter(new Locator.FilterOptions().setHasText(id)).waitFor();
        assertEveryControlIsLabelled();
        screenshot("agents");

        page.locator("table a.agent-link").filter(new Locator.FilterOptions().setHasText(id)).click();
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Agent " + id)).waitFor();

        page.locator(".live-state").filter(new Locator.FilterOptions().setHasText("the agent is created")).waitFor();
        run("navigate", Map.of("URL", pageUrl("/red")));
        page.locator(".result.ok").filter(new Locator.FilterOptions().setHasText("Red")).first().waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> liveViewColor() == Color.RED);

        run("navigate", Map.of("URL", pageUrl("/blue")));
        page.locator(".result.ok").filter(new Locator.FilterOptions().setHasText("Blue")).first().waitFor();
        await().atMost(Duration.ofSeconds(30)).until(() -> liveViewColor() == Color.BLUE);

        // a takeover from the live view: the agent's actions are refused while held, and run again once released
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over")).click();
        page.getByText("You hold this agent").waitFor();
        run("text", Map.of("Selector", "#h"));
        page.locator(".result.failed").filter(new Locator.FilterOptions().setHasText("HTTP 409")).first().waitFor();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Release")).click();
        page.getByText("Released after").waitFor();

        run("text", Map.of("Selector", "#h"));
        page.locator(".text-result").filter(new Locator.FilterOptions().setHasText("Blue page")).first().waitFor();

        // an action the API refuses: its problem, as the API sent it
        run("click", Map.of("Selector", "#nowhere"));
        // the newest failed result (the takeover's 409 is an older one)
        Locator refused = page.locator(".result.failed [role=alert]").filter(new Locator.FilterOptions().setHasText("HTTP 422")).first();
        refused.waitFor();
        assertThat(page.locator(".result.failed [role=alert]").first().textContent()).contains("HTTP 422");
        assertEveryControlIsLabelled();
        screenshot("agent");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit trail of this agent")).click();
        page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("Audit trail")).waitFor();
        assertThat(page.getByLabel("Resource id").inputValue()).isEqualTo(id);
        page.locator("table tbody tr").filter(new Locator.FilterOptions().setHasText("agent.action")).first().waitFor();
        assertThat(page.locator("table tbody tr").first().textContent()).contains(id);
        assertEveryControlIsLabelled();
        screenshot("audit");
        page.getByLabel("Event type").fill("agent.create");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Apply")).click();
        page.getByText("1 of 1 entries").waitFor();
        assertThat(page.locator("table tbody tr").first().textContent()).contains("agent.create").contains(id).contains("admin");
    }

    /** An AI client asks for a person (MCP request_human): the agent's page shows its message, and the takeover that answers it. */
    @Test
    void anAgentWaitingForAPersonShowsTheMessageAndTheTakeoverAnswersIt() throws Exception {
        String id = "human-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(id);
        Api peter = new Api(port, TestKeys.PETER);
        assertThat(peter.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        assertThat(peter.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "navigate", "url", pageUrl("/red"))))
                .status()).isEqualTo(200);
        String message = "Approve the sign-in on the phone, then release the agent";
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base()).endpoint("/mcp")
                        .requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + TestKeys.PETER)).build())
                .requestTimeout(Duration.ofMinutes(6)).build();
        try {
            client.initialize();
            CompletableFuture<McpSchema.CallToolResult> call = CompletableFuture.supplyAsync(() -> client.callTool(
                    new McpSchema.CallToolRequest("request_human", Map.of("agent_id", id, "message", message, "timeout_seconds", 300))));

            openConsole("#/agents/" + id);
            signIn(TestKeys.PETER);
            page.locator(".human-message").filter(new Locator.FilterOptions().setHasText(message)).waitFor();
            assertThat(page.getByRole(AriaRole.HEADING, new Page.GetByRoleOptions().setName("A person is needed")).isVisible()).isTrue();
            assertEveryControlIsLabelled();
            screenshot("human-request");

            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Take over to help").setExact(true)).click();
            page.getByText("You hold this agent: do what it asks").waitFor();
            assertThat(call).as("the client waits while the person holds the agent").isNotDone();
            page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Release").setExact(true)).click();
            page.getByText("Released after").waitFor();

            McpSchema.CallToolResult answered = call.get(60, TimeUnit.SECONDS);
            String text = ((McpSchema.TextContent) answered.content().get(0)).text();
            assertThat(answered.isError()).as(text).isFalse();
            assertThat(text).contains("\"outcome\":\"released\"").contains("\"held_by\":\"key:peter\"");
            page.locator(".human-request").waitFor(new Locator.WaitForOptions().setState(com.microsoft.playwright.options.WaitForSelectorState.HIDDEN));
        } finally {
            client.closeGracefully();
        }
    }

    @Test
    void wrongKeyFailsCleanlyAndIsNotKept() {
        openConsole("#/agents");
        signIn("aak_not-a-real-key");
        Locator alert = page.locator(".key-problem [role=alert]");
        alert.waitFor();
        assertThat(alert.textContent()).contains("HTTP 401").contains("Check the API key");
        assertThat(page.locator("#key-state").textContent()).contains("Key refused");
        assertThat(page.evaluate("() => sessionStorage.length")).isEqualTo(0);
        assertThat(page.locator("a.agent-link").count()).isZero();

        // the API's own answer to a list without a key: the same 401 problem
        page.reload();
        page.locator("[role=alert]").filter(new Locator.FilterOptions().setHasText("HTTP 401")).first().waitFor();
    }

    @Test
    void tokenFromTheIdentityProviderSeesOnlyItsOwnAgents() {
        // a subject of its own: other test classes share the database and leave agents behind
        String subject = "carol-" + UUID.randomUUID().toString().substring(0, 8);
        String mine = subject + "-agent";
        String theirs = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String token = identityProvider.token(subject, List.of("user"), Instant.now().plusSeconds(600));
        Api carol = new Api(port, token);
        created.add(mine);
        created.add(theirs);
        assertThat(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", mine))).status()).isEqualTo(201);
        assertThat(new Api(port, TestKeys.ALICE).post("/api/agents/browser", Api.json(Map.of("agent_id", theirs))).status()).isEqualTo(201);

        openConsole("");
        signIn(token);
        page.locator("#key-state").filter(new Locator.FilterOptions().setHasText("Token in use")).waitFor();
        page.locator("table a.agent-link").filter(new Locator.FilterOptions().setHasText(mine)).waitFor();
        assertThat(page.locator("table a.agent-link").allTextContents()).containsExactly(mine);

        // an expired token is refused like a wrong key
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Forget")).click();
        signIn(identityProvider.token(subject, List.of("user"), Instant.now().minusSeconds(600)));
        page.locator(".key-problem [role=alert]").filter(new Locator.FilterOptions().setHasText("HTTP 401")).waitFor();
    }

    @Test
    void tasksAndHealthPagesDrawWhatTheApiAnswers() throws IOException {
        Api admin = new Api(port);
        assertThat(admin.post("/api/agents/mcp/tasks", Api.json(Map.of("title", "Summarise the front page", "priority", "high"))).status())
                .isEqualTo(201);
        openConsole("");
        signIn(TestKeys.ADMIN);
        page.locator("#key-state").filter(new Locator.FilterOptions().setHasText("Key in use")).waitFor();

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Tasks")).click();
        page.locator("table tbody tr").filter(new Locator.FilterOptions().setHasText("Summarise the front page")).waitFor();
        assertEveryControlIsLabelled();
        screenshot("tasks");

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Health")).click();
        page.locator(".cards .card h3").filter(new Locator.FilterOptions().setHasText("database")).waitFor();
        assertThat(page.locator(".cards .card").count()).isGreaterThanOrEqualTo(5);
        page.getByText("requests left in this window").waitFor();
        screenshot("health");

        // a user key sees the audit trail refused, as the API refuses it
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Forget")).click();
        signIn(TestKeys.BOB);
        page.locator("#key-state").filter(new Locator.FilterOptions().setHasText("Key in use")).waitFor();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Audit")).click();
        page.locator("[role=alert]").filter(new Locator.FilterOptions().setHasText("HTTP 403")).waitFor();
    }

    /** The agent list's keyset paging: a page's `next` goes back as `cursor`; without one, page numbers. */
    @Test
    void pagerFollowsTheListsCursorWhenItGivesOne() {
        openConsole("");
        Object steps = page.evaluate("""
                async () => {
                  const {Pager} = await import('/console/paging.js');
                  const pager = new Pager(2);
                  const seen = [JSON.stringify(pager.parameters())];
                  const first = {agents: [1, 2], count: 2, page: 0, size: 2, total: 5, total_exact: false, next: 'c1'};
                  seen.push(String(pager.hasNext(first)));
                  pager.next(first);
                  seen.push(JSON.stringify(pager.parameters()), pager.describe(first, 'agents'));
                  const last = {agents: [5], count: 1, page: null, size: 2, total: 5, total_exact: true, next: null};
                  seen.push(String(pager.hasNext(last)));
                  pager.back();
                  seen.push(JSON.stringify(pager.parameters()));
                  const numbered = {count: 2, page: 0, size: 2, total: 5};
                  seen.push(String(pager.hasNext(numbered)));
                  pager.next(numbered);
                  seen.push(JSON.stringify(pager.parameters()));
                  return seen;
                }""");
        assertThat(steps).isEqualTo(List.of("{\"page\":0,\"size\":2}", "true", "{\"cursor\":\"c1\",\"size\":2}",
                "Page 2 · 2 of about 5 agents", "false", "{\"page\":0,\"size\":2}", "true", "{\"page\":1,\"size\":2}"));
    }

    @Test
    void fitsAPhoneScreen() throws IOException {
        String id = "phone-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(id);
        assertThat(new Api(port).post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        page.setViewportSize(390, 844);
        openConsole("");
        // keyboard only: the skip link is the first stop, then the navigation; a key is entered and used with Enter
        page.keyboard().press("Tab");
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("Skip to content");
        page.keyboard().press("Tab");
        assertThat(page.evaluate("() => document.activeElement.textContent")).isEqualTo("Agents");
        page.getByLabel("API key").focus();
        page.keyboard().type(TestKeys.ADMIN);
        page.keyboard().press("Enter");
        page.locator("#key-state").filter(new Locator.FilterOptions().setHasText("Key in use")).waitFor();
        page.locator("table a.agent-link").first().waitFor();
        assertThat(page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")).isEqualTo(true);
        screenshot("phone");
    }

    @Test
    void consoleIsStaticPublicAndUnderAStrictContentSecurityPolicy() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> index = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/"))
                .header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
        String csp = index.headers().firstValue("Content-Security-Policy").orElseThrow();
        assertThat(csp).contains("default-src 'self'", "script-src 'self'", "style-src 'self'", "frame-ancestors 'none'",
                "object-src 'none'", "base-uri 'none'").doesNotContain("unsafe-inline").doesNotContain("unsafe-eval");
        assertThat(index.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(index.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(index.headers().firstValue("X-RateLimit-Limit")).as("static files are not rate limited").isEmpty();
        // no inline script, style or event handler: everything comes from the console's own files
        String html = index.body();
        assertThat(html).containsPattern("<script type=\"module\" src=\"app.js\"></script>")
                .doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>")
                .doesNotContainPattern("(?i)<style")
                .doesNotContainPattern("(?i)\\sstyle=")
                .doesNotContainPattern("(?i)\\son[a-z]+=");

        HttpResponse<String> bare = http.send(HttpRequest.newBuilder(URI.create(base() + "/console")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bare.statusCode()).isEqualTo(302);
        assertThat(bare.headers().firstValue("Location").orElseThrow()).endsWith("/console/");

        HttpResponse<String> module = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/app.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(module.statusCode()).isEqualTo(200);
        assertThat(module.headers().firstValue("Content-Type").orElseThrow()).contains("javascript");
        assertThat(module.headers().firstValue("Content-Security-Policy")).hasValue(csp);

        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/nope.js")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);

        // the API keeps its own policy and its authentication
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/agents/browser")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);

        // the browser enforces it: an injected inline script is refused and reported (so the watch on every page works)
        openConsole("");
        Object ran = page.evaluate("() => { try { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                + " document.head.append(s); } catch (e) { return 'refused: ' + e.name; } return window.__ran === 1 ? 'ran' : 'blocked'; }");
        assertThat(ran).isNotEqualTo("ran");
        await().atMost(Duration.ofSeconds(5)).until(() -> !cspViolations().isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> problems.stream().anyMatch(p -> p.contains("TrustedScript")));
        page.close();
        problems.clear();
    }

    /** Every form control has a label (or an aria-label), and every button a name a screen reader can read. */
    private void assertEveryControlIsLabelled() {
        Object unlabelled = page.evaluate("() => [...document.querySelectorAll('input, select, textarea, button')]"
                + ".filter(c => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())"
                + ".map(c => c.outerHTML)");
        assertThat((List<?>) unlabelled).isEmpty();
    }

    private void run(String type, Map<String, String> fields) {
        page.getByLabel("Action", new Page.GetByLabelOptions().setExact(true)).selectOption(type);
        fields.forEach((label, value) -> page.getByLabel(label, new Page.GetByLabelOptions().setExact(true)).fill(value));
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Run action")).click();
    }

    private enum Color { RED, BLUE, OTHER }

    /** The colour in the middle of the live view's current frame, as the operator sees it. */
    private Color liveViewColor() throws IOException {
        Locator image = page.locator("#live-view img");
        if (!image.isVisible()) {
            return Color.OTHER;
        }
        BufferedImage shot = ImageIO.read(new ByteArrayInputStream(image.screenshot()));
        int rgb = shot.getRGB(shot.getWidth() / 2, shot.getHeight() / 2);
        int red = (rgb >> 16) & 0xff;
        int blue = rgb & 0xff;
        if (red > 180 && blue < 80) {
            return Color.RED;
        }
        if (blue > 180 && red < 80) {
            return Color.BLUE;
        }
        return Color.OTHER;
    }

    /** Documentation images, only when asked for ({@code -Dconsole.screenshots=docs/console}). */
    private void screenshot(String name) throws IOException {
        if (SCREENSHOTS.isBlank()) {
            return;
        }
        Path directory = Path.of(SCREENSHOTS);
        Files.createDirectories(directory);
        page.screenshot(new Page.ScreenshotOptions().setPath(directory.resolve(name + ".png")).setType(ScreenshotType.PNG));
    }
}
