package dev.agentapi.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Thousands of generated hostile requests against the running service: malformed and deeply
 * nested JSON (arrays, and objects inside {@code config}), wrong types, huge and odd strings, NUL
 * characters, nulls, bad headers, odd paths and queries (some reaching the database). Every answer
 * is a 2xx or a problem+json 4xx, never a 5xx or a stack trace; afterwards every list and audit page
 * still renders and the database is consistent (every agent row has its create audit entry).
 */
class HostileInputTest {

    /** How deeply a config may nest (the config object itself is level 1). */
    static final int MAX_CONFIG_DEPTH = 32;
    private static final List<String> LEAKS = List.of("Exception", "\tat ", "at dev.", "org.springframework", "org.hibernate",
            "java.lang", "SQLState", "PSQL", "<html", "Tomcat");
    private static ConfigurableApplicationContext service;
    private static String databaseUrl;
    private static Api api;
    private static int port;
    static final AtomicInteger REQUESTS = new AtomicInteger();

    @BeforeContainer
    static void start() {
        if (!TestDatabase.reachable()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but no PostgreSQL at TEST_POSTGRES_URL / 127.0.0.1:5432");
            }
            System.out.println("SKIPPED: HostileInputTest needs PostgreSQL at TEST_POSTGRES_URL / 127.0.0.1:5432");
            return;
        }
        databaseUrl = TestDatabase.create();
        service = new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + databaseUrl, "--agent-api.security.api-keys=" + TestKeys.property(),
                "--agent-api.rate-limit.policies=* /api/**: 100000000 per minute", "--logging.level.root=WARN");
        port = ((WebServerApplicationContext) service).getWebServer().getPort();
        api = new Api(port);
        api.post("/api/agents/browser", "{\"agent_id\": \"fuzz-target\"}");
    }

    @AfterContainer
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
            System.out.printf("Hostile input: %d requests, %d agents created, database consistent%n",
                    REQUESTS.get(), counts.getLong(1));
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
            assertThat(response.status()).as("%s page %d -> %s", path, page, abbreviate(response.toString())).isEqualTo(200);
            total = response.json().get("total").asLong();
            int count = response.json().get(items).size();
            assertThat(count).as("%s page %d is empty before %d of %d", path, page, seen, total).isPositive();
            seen += count;
        }
        System.out.printf("%s: %d items on %d pages, all render%n", path, seen, (seen + 99) / 100);
    }

    private static void assertHandled(Api.Response response, String what) {
        REQUESTS.incrementAndGet();
        int status = response.status();
        assertThat(status).as("%s -> %s", what, response).isLessThan(500);
        if (status >= 400) {
            assertThat(response.header("Content-Type")).as("%s -> %s", what, response).startsWith("application/problem+json");
        }
        for (String leak : LEAKS) {
            assertThat(response.body()).as("%s leaks %s", what, leak).doesNotContain(leak);
        }
    }

    @Property(tries = 1200)
    void hostileBodiesAreRefusedCleanly(@ForAll("bodies") String body, @ForAll("contentTypes") String contentType) {
        if (service == null) {
            return; // skipped: no PostgreSQL (see above)
        }
        HttpRequest.Builder create = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        assertHandled(api.send(create), "POST " + abbreviate(body));
        HttpRequest.Builder patch = HttpRequest.newBuilder(api.uri("/api/agents/browser/fuzz-target"))
                .header("Content-Type", contentType).method("PATCH", HttpRequest.BodyPublishers.ofString(body));
        assertHandled(api.send(patch), "PATCH " + abbreviate(body));
        HttpRequest.Builder action = HttpRequest.newBuilder(api.uri("/api/agents/browser/fuzz-target/actions"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body));
        assertHandled(api.send(action), "action " + abbreviate(body));
    }

    /** Sent over a plain socket: the JDK client refuses to send a malformed URI, an attacker does not. */
    private static void assertRawHandled(String method, String path) throws java.io.IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestKeys.ADMIN
                    + "\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            REQUESTS.incrementAndGet();
            int status = Integer.parseInt(response.substring(9, 12));
            String head = response.contains("\r\n\r\n") ? response.substring(0, response.indexOf("\r\n\r\n")) : response;
            String body = response.substring(head.length());
            assertThat(status).as("%s %s -> %s", method, path, response).isLessThan(500);
            if (status >= 400) {
                assertThat(head.toLowerCase()).as("%s %s -> %s", method, path, response).contains("content-type: application/problem+json");
            }
            for (String leak : LEAKS) {
                assertThat(body).as("%s %s leaks %s", method, path, leak).doesNotContain(leak);
            }
        }
    }

    @Property(tries = 800)
    void hostilePathsAndQueriesAreRefusedCleanly(@ForAll("pathSegments") String segment, @ForAll("queryValues") String value)
            throws java.io.IOException {
        if (service == null) {
            return; // skipped: no PostgreSQL (see above)
        }
        String encodedValue = URLEncoder.encode(value, StandardCharsets.UTF_8);
        assertRawHandled("GET", "/api/agents/browser/" + segment);
        assertRawHandled("DELETE", "/api/agents/browser/" + segment);
        assertHandled(api.get("/api/agents/browser?status=" + encodedValue + "&page=" + encodedValue + "&size=" + encodedValue),
                "GET query " + value);
        assertHandled(api.get("/api/audit?resource_id=" + encodedValue + "&from=" + encodedValue), "GET audit " + value);
        // Valid companions, so the value reaches the database unless the filter itself refuses it
        assertAuditFilter("resource_id", 255, value, "");
        assertAuditFilter("event_type", 100, value, "&from=2000-01-01T00:00:00Z");
        assertAuditFilter("user_id", 255, value, "&to=2999-01-01T00:00:00Z&size=5");
        assertAuditFilter("resource_type", 50, value, "&resource_id=fuzz-target");
    }

    /** A text filter is refused (400) only when too long or holding NUL; otherwise the query runs (200). */
    private static void assertAuditFilter(String name, int maxLength, String value, String companions) {
        String query = "/api/audit?" + name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8) + companions;
        Api.Response response = api.get(query);
        assertHandled(response, "GET " + abbreviate(query));
        // URLEncoder turns a lone surrogate into '?', one char for one
        boolean refused = value.indexOf('\0') >= 0 || value.length() > maxLength;
        assertThat(response.status()).as("GET %s -> %s", abbreviate(query), response).isEqualTo(refused ? 400 : 200);
    }

    @Property(tries = 400)
    void hostileHeadersAreRefusedCleanly(@ForAll("accepts") String accept, @ForAll("headerValues") String value) {
        if (service == null) {
            return; // skipped: no PostgreSQL (see above)
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                .header("Content-Type", "application/json").header("Accept", accept)
                .header("X-Request-Id", value).header("User-Agent", value)
                .POST(HttpRequest.BodyPublishers.ofString("{\"config\": {\"k\": 1}}"));
        assertHandled(api.send(request), "Accept " + accept + ", header " + abbreviate(value));
        HttpRequest.Builder duplicated = HttpRequest.newBuilder(api.uri("/api/agents/browser/fuzz-target"))
                .header("Accept", accept).header("Accept", "application/json").header("If-Match", value)
                .header("Content-Type", "application/json").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"));
        assertHandled(api.send(duplicated), "duplicated headers, Accept " + accept + ", If-Match " + abbreviate(value));
    }

    @Property(tries = 150)
    void configsNestedBeyondTheLimitAreRefusedAndOthersStored(@ForAll("nestedConfigs") String config) {
        if (service == null) {
            return; // skipped: no PostgreSQL (see above)
        }
        int depth = depth(config);
        String id = "deep-" + REQUESTS.get() + "-" + depth;
        Api.Response created = api.post("/api/agents/browser", "{\"agent_id\": \"" + id + "\", \"config\": " + config + "}");
        assertHandled(created, "POST config of depth " + depth);
        assertThat(created.status()).as("POST config of depth %d -> %s", depth, abbreviate(created.toString()))
                .isEqualTo(depth <= MAX_CONFIG_DEPTH ? 201 : 400);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(depth <= MAX_CONFIG_DEPTH ? 200 : 404);

        Api.Response patched = api.patch("/api/agents/browser/fuzz-target", "{\"config\": " + config + "}", Map.of());
        assertHandled(patched, "PATCH config of depth " + depth);
        assertThat(patched.status()).as("PATCH config of depth %d -> %s", depth, abbreviate(patched.toString()))
                .isEqualTo(depth <= MAX_CONFIG_DEPTH ? 200 : 400);
    }

    @Property(tries = 150)
    void nulCharactersAreRefusedWhereverTheyAre(@ForAll("nulBodies") String body) {
        if (service == null) {
            return; // skipped: no PostgreSQL (see above)
        }
        String id = "nul-" + REQUESTS.get();
        Api.Response created = api.post("/api/agents/browser", body.replace("ID", id));
        assertHandled(created, "POST " + abbreviate(body));
        assertThat(created.status()).as("POST %s -> %s", abbreviate(body), created).isEqualTo(400);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(404);

        Api.Response patched = api.patch("/api/agents/browser/fuzz-target", body.replace("ID", "fuzz-target"), Map.of());
        assertHandled(patched, "PATCH " + abbreviate(body));
        if (body.contains("\"config\"")) {
            assertThat(patched.status()).as("PATCH %s -> %s", abbreviate(body), patched).isEqualTo(400);
        }
    }

    /** Objects and arrays nested about 20 to 600 levels inside {@code config}, with values at the bottom. */
    @Provide
    Arbitrary<String> nestedConfigs() {
        Arbitrary<String> leaves = Arbitraries.of("{}", "[]", "1", "\"x\"", "null", "true", "{\"k\": \"v\"}");
        // half of them close to the limit, where off-by-one mistakes live
        Arbitrary<Integer> levels = Arbitraries.oneOf(Arbitraries.integers().between(19, 40), Arbitraries.integers().between(41, 599));
        Arbitrary<List<Boolean>> shapes = levels.flatMap(n -> Arbitraries.of(true, false).list().ofSize(n));
        return Combinators.combine(shapes, leaves, Arbitraries.strings().alpha().ofMaxLength(5)).as((objects, leaf, key) -> {
            StringBuilder open = new StringBuilder("{\"" + key + "\": ");
            StringBuilder close = new StringBuilder("}");
            for (boolean object : objects) {
                open.append(object ? "{\"" + key + "\": " : "[");
                close.insert(0, object ? "}" : "]");
            }
            return open + leaf + close;
        });
    }

    /** How deeply a generated config nests: its objects and arrays plus an object or array at the bottom. */
    static int depth(String json) {
        int depth = 0;
        int max = 0;
        boolean inString = false;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"' && (i == 0 || json.charAt(i - 1) != '\\')) {
                inString = !inString;
            } else if (!inString && (c == '{' || c == '[')) {
                max = Math.max(max, ++depth);
            } else if (!inString && (c == '}' || c == ']')) {
                depth--;
            }
        }
        return max;
    }

    /** A NUL (escaped, as JSON allows) in a config value or key at some depth, in user_agent, or in agent_id. */
    @Provide
    Arbitrary<String> nulBodies() {
        Arbitrary<String> text = Arbitraries.strings().alpha().numeric().ofMaxLength(8);
        Arbitrary<String> withNul = Combinators.combine(text, text).as((a, b) -> a + "\\u0000" + b);
        Arbitrary<Integer> depth = Arbitraries.integers().between(0, 10);
        Arbitrary<String> inValue = Combinators.combine(withNul, depth).as((v, d) ->
                "{\"agent_id\": \"ID\", \"config\": " + "{\"a\": [".repeat(d) + "{\"k\": \"" + v + "\"}" + "]}".repeat(d) + "}");
        Arbitrary<String> inKey = Combinators.combine(withNul, depth).as((k, d) ->
                "{\"agent_id\": \"ID\", \"config\": " + "{\"a\": ".repeat(d) + "{\"" + k + "\": 1}" + "}".repeat(d) + "}");
        Arbitrary<String> inUserAgent = withNul.map(v -> "{\"agent_id\": \"ID\", \"user_agent\": \"" + v + "\"}");
        Arbitrary<String> inAgentId = withNul.map(v -> "{\"agent_id\": \"ID" + v + "\"}");
        return Arbitraries.oneOf(inValue, inKey, inUserAgent, inAgentId);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0",
                "\\u0000", "\\ud800", "{\"agent_id\":", "\"agent_id\"", "NaN", "'x'", "/*", "\u0000")
                .list().ofMaxSize(30).map(parts -> String.join("", parts));
        Arbitrary<String> nested = Arbitraries.integers().between(10, 3000).map(depth ->
                "{\"config\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
        Arbitrary<String> nestedObjects = Arbitraries.integers().between(20, 600).map(depth ->
                "{\"config\": " + "{\"a\": ".repeat(depth - 1) + "{}" + "}".repeat(depth - 1) + "}");
        Arbitrary<String> huge = Arbitraries.integers().between(1_000, 300_000).map(n ->
                "{\"agent_id\": \"" + "a".repeat(Math.min(n, 300)) + "\", \"config\": {\"blob\": \"" + "x".repeat(n) + "\"}}");
        Arbitrary<Object> values = Arbitraries.oneOf(anyText.map(s -> (Object) s), Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.just((Object) null), Arbitraries.of((Object) true, (Object) false, (Object) List.of(1, "x"),
                        (Object) Map.of("width", -1), (Object) 1.5e300, (Object) Long.MAX_VALUE));
        Arbitrary<String> keys = Arbitraries.of("agent_id", "channel", "headless", "config", "viewport", "user_agent",
                "version", "type", "url", "selector", "value", "key", "state", "timeout_ms", "full_page", "wait_until", "x");
        Arbitrary<String> objects = Combinators.combine(keys.list().ofMaxSize(6), values.list().ofSize(6)).as((ks, vs) -> {
            Map<String, Object> object = new LinkedHashMap<>();
            for (int i = 0; i < ks.size(); i++) {
                object.put(ks.get(i), vs.get(i));
            }
            return toJson(object);
        });
        return Arbitraries.oneOf(anyText, fragments, nested, nestedObjects, huge, objects, Arbitraries.of("", "null", "[]", "\"\"", "0"));
    }

    private static String toJson(Map<String, Object> object) {
        try {
            return Api.json(object);
        } catch (RuntimeException unserializable) {
            return "{}";
        }
    }

    @Provide
    Arbitrary<String> contentTypes() {
        return Arbitraries.of("application/json", "application/json; charset=utf-8", "text/plain", "application/xml",
                "application/json; charset=ebcdic", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded",
                "*/*", "application/merge-patch+json", "garbage", "application/json;;;", "");
    }

    @Provide
    Arbitrary<String> pathSegments() {
        Arbitrary<String> raw = Arbitraries.strings().withChars("abcXYZ019._-~!$&'()*+,;=:@").ofMaxLength(40);
        Arbitrary<String> encoded = Arbitraries.strings().all().ofMaxLength(60)
                .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20"));
        Arbitrary<String> attacks = Arbitraries.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e", "%2e%2e%2f", "..;", "%00", "%u0000",
                "'%20OR%201=1--", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "%252e%252e", "a%5Cb", "%C0%AE%C0%AE", "%ff%fe",
                "x".repeat(300), "%F0%9F%98%80", "%E2%80%AE");
        return Arbitraries.oneOf(raw, encoded, attacks).filter(s -> !s.isEmpty());
    }

    @Provide
    Arbitrary<String> queryValues() {
        return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(100),
                Arbitraries.of("-1", "99999999999999999999", "1e3", "created' OR '1'='1", "<script>", "../..", "\u0000",
                        "2026-13-45T99:99:99Z", "NaN", ""));
    }

    @Provide
    Arbitrary<String> accepts() {
        return Arbitraries.of("application/json", "text/html", "application/xml", "image/png", "*/*", "*/*;q=abc",
                "application/problem+json", "garbage/", ";;;", "text/*", "application/json;q=0", "");
    }

    @Provide
    Arbitrary<String> headerValues() {
        return Arbitraries.oneOf(Arbitraries.strings().ascii().ofMaxLength(100).map(s -> s.replaceAll("[\\r\\n\\x00-\\x1f\\x7f]", "")),
                Arbitraries.integers().between(1, 20_000).map("v"::repeat),
                Arbitraries.of("\"0\"", "W/\"1\"", "*", "\"-1\"", "\"99999999999999999999\"", "null"));
    }

    private static String abbreviate(String text) {
        return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " chars)";
    }
}
