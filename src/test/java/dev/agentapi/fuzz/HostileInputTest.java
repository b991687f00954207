package dev.agentapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Hostile input against the running service, over real HTTP. Jazzer feeds each target its inputs:
 * in {@code ./mvnw verify} the committed ones under {@code src/test/resources/dev/agentapi/fuzz/
 * HostileInputTestInputs/<target>/} (seeds, and every failure ever found, kept as a regression input);
 * with {@code JAZZER_FUZZ=1} ({@code bench/fuzz.sh}) new ones, guided by coverage.
 * <p>
 * The properties: every answer is a 2xx/3xx or a problem+json 4xx, never a 5xx or a stack trace; after
 * the run every agent row has its create audit entry and every page of the agent list and the audit
 * trail still answers 200. Raw requests go over a plain socket, so request lines, queries and headers
 * can be anything an attacker can send. Routes come from {@link FuzzRoutes}.
 */
@ExtendWith(RequiresPostgres.class)
class HostileInputTest {

    /** How deeply a config may nest (the config object itself is level 1). */
    static final int MAX_CONFIG_DEPTH = 32;
    /** What a stack trace, an SQL error or a container's error page would put in a body. */
    private static final List<String> LEAKS = List.of("Exception", "at dev.agentapi", "at org.", "at java.",
            "org.springframework", "org.hibernate", "java.lang", "SQLState", "PSQL", "<html", "Tomcat");
    private static final java.util.Set<String> LOOPBACK = java.util.Set.of("127.0.0.1", "localhost", "::1", "[::1]",
            "0:0:0:0:0:0:0:1");
    private static ConfigurableApplicationContext service;
    private static String databaseUrl;
    private static Api api;
    private static int port;
    private static final AtomicInteger REQUESTS = new AtomicInteger();
    private static final AtomicInteger UNANSWERED = new AtomicInteger();

    /**
     * Started on the first input, not in {@code @BeforeAll}: by then Jazzer's agent is installed, so the
     * service's classes are instrumented as they load. Classes loaded before it are retransformed, and on
     * Java 17 retransformation drops their {@code MethodParameters} (JDK-8240908): Spring then cannot bind
     * {@code @RequestParam Instant from} by name and answers 500.
     */
    private static synchronized void start() {
        // Jazzer's SSRF detector refuses every connection while fuzzing; this test's own are to this machine only.
        // Set on every input, as Jazzer's documentation asks ("at the beginning of your fuzz test").
        BugDetectors.allowNetworkConnections((host, anyPort) -> LOOPBACK.contains(host));
        if (service != null) {
            return;
        }
        databaseUrl = TestDatabase.create();
        // No browser can start here (the executable does not exist): fuzzed actions exercise parsing,
        // validation and the problem answers, and never make a real browser fetch a fuzzed URL.
        service = new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + databaseUrl, "--agent-api.security.api-keys=" + TestKeys.property(),
                "--agent-api.rate-limit.policies=* /api/**: 100000000 per minute", "--logging.level.root=WARN",
                "--agent-api.browser.executable-path=/nonexistent/chromium", "--agent-api.browser.channel-fallback=false");
        port = ((WebServerApplicationContext) service).getWebServer().getPort();
        api = new Api(port);
        assertThat(api.post("/api/agents/browser", "{\"agent_id\": \"" + FuzzRoutes.TARGET + "\"}").status()).isEqualTo(201);
    }

    @AfterAll
    static void databaseIsConsistent() throws Exception {
        if (service == null) {
            return;
        }
        try (Connection c = DriverManager.getConnection("jdbc:" + databaseUrl); Statement s = c.createStatement()) {
            ResultSet orphans = s.executeQuery("""
                    SELECT count(*) FROM browser_agents a WHERE NOT EXISTS (
                      SELECT 1 FROM audit_logs l WHERE l.resource_id = a.id AND l.event_type = 'agent.create' AND l.success)""");
            orphans.next();
            assertThat(orphans.getLong(1)).as("agent rows without their create audit entry").isZero();
            ResultSet counts = s.executeQuery("""
                    SELECT (SELECT count(*) FROM browser_agents),
                           (SELECT count(*) FROM audit_logs WHERE event_type = 'agent.create' AND success)""");
            counts.next();
            assertThat(counts.getLong(1)).isEqualTo(counts.getLong(2));
            System.out.printf("Hostile input: %d requests (%d closed without an answer), %d agents created, database consistent%n",
                    REQUESTS.get(), UNANSWERED.get(), counts.getLong(1));
            everyPageStillRenders("/api/agents/browser", "agents");
            everyPageStillRenders("/api/audit", "entries");
        } finally {
            service.close();
        }
    }

    /** Whatever was stored, every page of the admin's list and of the audit trail still answers 200. */
    private static void everyPageStillRenders(String path, String items) {
        long total = Long.MAX_VALUE;
        long seen = 0;
        for (int page = 0; seen < total; page++) {
            Api.Response response = api.get(path + "?size=100&page=" + page);
            assertThat(response.status()).as("%s page %d -> %s", path, page, RawHttp.abbreviate(response.toString())).isEqualTo(200);
            total = response.json().get("total").asLong();
            int count = response.json().get(items).size();
            assertThat(count).as("%s page %d is empty before %d of %d", path, page, seen, total).isPositive();
            seen += count;
        }
        System.out.printf("%s: %d items on %d pages, all render%n", path, seen, (seen + 99) / 100);
    }

    /**
     * Any request at all: the route's request line with a raw method, id segment and query string,
     * raw header lines, a raw body (see {@link RawRequest} for the input's form).
     */
    @FuzzTest(maxDuration = "7m")
    void rawRequests(byte[] input) {
        start();
        RawRequest request = RawRequest.parse(input);
        byte[] wire = request.wire(TestKeys.ADMIN);
        assertAnswered(RawHttp.exchange(port, wire, request.isHead()), new String(wire, StandardCharsets.ISO_8859_1));
    }

    /** The first line is the Content-Type (empty: JSON), the rest the body, sent to every route that reads a body. */
    @FuzzTest(maxDuration = "4m")
    void bodies(byte[] input) {
        start();
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int newline = text.indexOf('\n');
        String contentType = newline < 0 ? "" : text.substring(0, newline).replaceAll("[\\r\\n]", "");
        String body = newline < 0 ? text : text.substring(newline + 1);
        for (FuzzRoutes.Route route : FuzzRoutes.withBodies()) {
            String headers = contentType.isEmpty() ? "" : "Content-Type: " + contentType + "\n";
            byte[] raw = (route.name() + "\n\n\n\n" + headers + "\n" + body).getBytes(StandardCharsets.ISO_8859_1);
            rawRequests(raw);
        }
    }

    /**
     * Objects and arrays nested inside {@code config}, one level per input byte (even: object, odd:
     * array), up to 600: stored up to {@link #MAX_CONFIG_DEPTH}, refused with 400 beyond, never a 5xx.
     */
    @FuzzTest(maxDuration = "1m")
    void nestedConfigs(byte[] input) {
        start();
        int levels = Math.min(input.length, 600);
        StringBuilder open = new StringBuilder("{\"k\": ");
        StringBuilder close = new StringBuilder("}");
        for (int i = 0; i < levels; i++) {
            boolean object = (input[i] & 1) == 0;
            open.append(object ? "{\"k\": " : "[");
            close.insert(0, object ? "}" : "]");
        }
        String config = open + "\"leaf\"" + close;
        int depth = levels + 1;
        String id = "deep-" + REQUESTS.incrementAndGet() + "-" + depth;
        Api.Response created = api.post("/api/agents/browser", "{\"agent_id\": \"" + id + "\", \"config\": " + config + "}");
        assertHandled(created, "POST config of depth " + depth);
        assertThat(created.status()).as("POST config of depth %d -> %s", depth, RawHttp.abbreviate(created.toString()))
                .isEqualTo(depth <= MAX_CONFIG_DEPTH ? 201 : 400);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(depth <= MAX_CONFIG_DEPTH ? 200 : 404);

        Api.Response patched = api.patch("/api/agents/browser/" + FuzzRoutes.TARGET, "{\"config\": " + config + "}", Map.of());
        assertHandled(patched, "PATCH config of depth " + depth);
        assertThat(patched.status()).as("PATCH config of depth %d -> %s", depth, RawHttp.abbreviate(patched.toString()))
                .isEqualTo(depth <= MAX_CONFIG_DEPTH ? 200 : 400);
    }

    /**
     * A NUL (escaped, as JSON allows) in a config value or key at some depth, in user_agent, or in
     * agent_id: refused with 400 wherever it is, and nothing stored. First byte: where; second: depth;
     * the rest: letters and digits around the NUL.
     */
    @FuzzTest(maxDuration = "1m")
    void nulCharacters(byte[] input) {
        start();
        int where = input.length > 0 ? Math.floorMod(input[0], 4) : 0;
        int depth = input.length > 1 ? Math.floorMod(input[1], 11) : 0;
        String text = input.length > 2 ? new String(input, 2, input.length - 2, StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z0-9]", "") : "";
        String value = text.substring(0, text.length() / 2) + "\\u0000" + text.substring(text.length() / 2);
        String body = switch (where) {
            case 0 -> "{\"agent_id\": \"ID\", \"config\": " + "{\"a\": [".repeat(depth) + "{\"k\": \"" + value + "\"}" + "]}".repeat(depth) + "}";
            case 1 -> "{\"agent_id\": \"ID\", \"config\": " + "{\"a\": ".repeat(depth) + "{\"" + value + "\": 1}" + "}".repeat(depth) + "}";
            case 2 -> "{\"agent_id\": \"ID\", \"user_agent\": \"" + value + "\"}";
            default -> "{\"agent_id\": \"ID" + value + "\"}";
        };
        String id = "nul-" + REQUESTS.incrementAndGet();
        Api.Response created = api.post("/api/agents/browser", body.replace("ID", id));
        assertHandled(created, "POST " + body);
        assertThat(created.status()).as("POST %s -> %s", body, created).isEqualTo(400);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(404);

        Api.Response patched = api.patch("/api/agents/browser/" + FuzzRoutes.TARGET, body.replace("ID", FuzzRoutes.TARGET), Map.of());
        assertHandled(patched, "PATCH " + body);
        if (where <= 1) {
            assertThat(patched.status()).as("PATCH %s -> %s", body, patched).isEqualTo(400);
        }
    }

    /**
     * Any text (the input as UTF-8) as each audit filter, with valid companions so it reaches the
     * database: refused (400) only when too long or holding NUL, otherwise the query runs (200).
     */
    @FuzzTest(maxDuration = "1m")
    void auditFilters(byte[] input) {
        start();
        String value = new String(input, StandardCharsets.UTF_8);
        assertAuditFilter("resource_id", 255, value, "");
        assertAuditFilter("event_type", 100, value, "&from=2000-01-01T00:00:00Z");
        assertAuditFilter("user_id", 255, value, "&to=2999-01-01T00:00:00Z&size=5");
        assertAuditFilter("resource_type", 50, value, "&resource_id=" + FuzzRoutes.TARGET);
        String encoded = URLEncoder.encode(value, StandardCharsets.UTF_8);
        assertHandled(api.get("/api/agents/browser?status=" + encoded + "&page=" + encoded + "&size=" + encoded), "GET list " + value);
        assertHandled(api.get("/api/audit?from=" + encoded + "&to=" + encoded + "&page=" + encoded), "GET audit " + value);
    }

    private static void assertAuditFilter(String name, int maxLength, String value, String companions) {
        String query = "/api/audit?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + companions;
        Api.Response response = api.get(query);
        assertHandled(response, "GET " + RawHttp.abbreviate(query));
        // the filter is measured in UTF-16 units, as Java strings are (an unpaired surrogate became U+FFFD)
        boolean refused = value.indexOf('\0') >= 0 || value.length() > maxLength;
        assertThat(response.status()).as("GET %s -> %s", RawHttp.abbreviate(query), response).isEqualTo(refused ? 400 : 200);
    }

    private static void assertHandled(Api.Response response, String request) {
        assertAnswered(List.of(new RawHttp.Response(response.status(),
                Map.of("content-type", response.header("Content-Type") == null ? "" : response.header("Content-Type")),
                response.body())), request);
    }

    /** Never a 5xx; a 4xx is problem+json; no body carries a stack trace or internals the request did not carry itself. */
    private static void assertAnswered(List<RawHttp.Response> responses, String request) {
        if (REQUESTS.incrementAndGet() % 10_000 == 0) {
            System.err.printf("Hostile input: %d requests answered so far%n", REQUESTS.get());
        }
        if (responses.isEmpty()) {
            UNANSWERED.incrementAndGet();
        }
        for (RawHttp.Response response : responses) {
            if (response.status() < 200) {
                continue; // 100 Continue before the final answer
            }
            assertThat(response.status()).as("%s%n-> %s", RawHttp.abbreviate(request), response).isLessThan(500);
            if (response.status() >= 400) {
                assertThat(response.header("content-type")).as("%s%n-> %s", RawHttp.abbreviate(request), response)
                        .startsWith("application/problem+json");
            }
            for (String leak : LEAKS) {
                if (response.body().contains(leak) && !request.contains(leak) && !percentDecoded(request).contains(leak)) {
                    throw new AssertionError(RawHttp.abbreviate(request) + "\n-> " + response + "\nleaks " + leak);
                }
            }
        }
    }

    /** The request with its valid %-escapes decoded (as UTF-8), for telling an echo of the request from a leak. */
    private static String percentDecoded(String request) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < request.length(); i++) {
            char c = request.charAt(i);
            if (c == '%' && i + 2 < request.length() && Character.digit(request.charAt(i + 1), 16) >= 0
                    && Character.digit(request.charAt(i + 2), 16) >= 0) {
                out.write(Integer.parseInt(request.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
