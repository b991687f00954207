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
 * nested JSON, wrong types, huge and odd strings, nulls, bad headers, odd paths and queries. Every
 * answer is a 2xx or a problem+json 4xx, never a 5xx or a stack trace; afterwards the database is
 * consistent (every agent row has its create audit entry).
 */
class HostileInputTest {

    private static final List<String> LEAKS = List.of("Exception", "\tat ", "org.springframework", "org.hibernate",
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
        } finally {
            service.close();
        }
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
        Api.Response response = api.send(request);
        REQUESTS.incrementAndGet();
        assertThat(response.status()).as("Accept %s, header %s -> %s", accept, abbreviate(value), response).isLessThan(500);
        HttpRequest.Builder duplicated = HttpRequest.newBuilder(api.uri("/api/agents/browser/fuzz-target"))
                .header("Accept", accept).header("Accept", "application/json").header("If-Match", value)
                .header("Content-Type", "application/json").header("Content-Type", "text/plain")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{}"));
        Api.Response second = api.send(duplicated);
        REQUESTS.incrementAndGet();
        assertThat(second.status()).as("duplicated headers -> %s", second).isLessThan(500);
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> anyText = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> fragments = Arbitraries.of("{", "}", "[", "]", "\"", ":", ",", "null", "true", "1e999", "-0",
                "\\u0000", "\\ud800", "{\"agent_id\":", "\"agent_id\"", "NaN", "'x'", "/*", "\u0000")
                .list().ofMaxSize(30).map(parts -> String.join("", parts));
        Arbitrary<String> nested = Arbitraries.integers().between(10, 3000).map(depth ->
                "{\"config\": " + "[".repeat(depth) + "]".repeat(depth) + "}");
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
        return Arbitraries.oneOf(anyText, fragments, nested, huge, objects, Arbitraries.of("", "null", "[]", "\"\"", "0"));
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
