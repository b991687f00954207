package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TraceLogging;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/** API keys and (with an identity provider configured) JWTs: who may call what, and that credentials never leak. */
@JwtIntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AccessControlTest {

    static final TestIdentityProvider identityProvider = TestIdentityProvider.shared();

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    LoggingSystem logging;
    Api alice;
    Api bob;
    Api admin;
    Api anonymous;

    @BeforeEach
    void setUp() {
        alice = new Api(port, TestKeys.ALICE);
        bob = new Api(port, TestKeys.BOB);
        admin = new Api(port, TestKeys.ADMIN);
        anonymous = Api.anonymous(port);
    }

    private static void assertUnauthorized(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.raw().headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer"));
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(401);
    }

    @Test
    void noCredentialsOrAWrongKeyAnswer401() {
        assertUnauthorized(anonymous.get("/api/agents/browser"));
        assertUnauthorized(anonymous.post("/api/agents/browser", "{}"));
        assertUnauthorized(new Api(port, "wrong-key").get("/api/agents/browser"));
        assertUnauthorized(anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/agents/browser"))
                .header("X-API-Key", "wrong-key").GET()));
        assertUnauthorized(new Api(port, "not.a.jwt").get("/api/agents/browser"));
    }

    @Test
    void keysWorkAsBearerOrXApiKey() {
        assertThat(alice.get("/api/agents/browser").status()).isEqualTo(200);
        assertThat(anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/agents/browser"))
                .header("X-API-Key", TestKeys.ALICE).GET()).status()).isEqualTo(200);
    }

    @Test
    void usersSeeChangeAndDeleteOnlyTheirOwnAgents() {
        String mine = "alice-" + UUID.randomUUID();
        String theirs = "bob-" + UUID.randomUUID();
        assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", mine))).status()).isEqualTo(201);
        assertThat(bob.post("/api/agents/browser", Api.json(Map.of("agent_id", theirs))).status()).isEqualTo(201);

        assertThat(alice.get("/api/agents/browser/" + theirs).status()).isEqualTo(404);
        assertThat(alice.patch("/api/agents/browser/" + theirs, "{\"headless\": false}", Map.of()).status()).isEqualTo(404);
        assertThat(alice.delete("/api/agents/browser/" + theirs).status()).isEqualTo(404);
        assertThat(bob.get("/api/agents/browser/" + theirs).json().get("headless").asBoolean()).isTrue();

        JsonNode aliceList = alice.get("/api/agents/browser?size=100").json();
        assertThat(aliceList.get("agents").valueStream().map(a -> a.get("created_by").asString())).containsOnly("key:alice");
        assertThat(aliceList.get("agents").valueStream().map(a -> a.get("agent_id").asString())).contains(mine).doesNotContain(theirs);

        JsonNode adminList = admin.get("/api/agents/browser?size=100").json();
        assertThat(adminList.get("agents").valueStream().map(a -> a.get("agent_id").asString())).contains(mine, theirs);
        assertThat(admin.get("/api/agents/browser/" + theirs).status()).isEqualTo(200);
        assertThat(alice.get("/api/agents/browser/" + mine).json().get("created_by").asString()).isEqualTo("key:alice");
    }

    @Test
    void auditTrailIsForAdminsOnly() {
        Api.Response forbidden = alice.get("/api/audit");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.header("Content-Type")).startsWith("application/problem+json");
        assertThat(admin.get("/api/audit").status()).isEqualTo(200);
        assertThat(alice.get("/actuator/info").status()).isEqualTo(403);
    }

    @Test
    void auditEntriesNameTheCaller() {
        String id = "audited-by-" + UUID.randomUUID();
        alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        JsonNode entry = admin.get("/api/audit?resource_id=" + id).json().get("entries").get(0);
        assertThat(entry.get("user_id").asString()).isEqualTo("key:alice");
        assertThat(entry.get("ip_address").asString()).isEqualTo("127.0.0.1");
        assertThat(entry.toString()).doesNotContain(TestKeys.ALICE);
    }

    /**
     * Agent ids are one service-wide namespace: a taken id answers 409 to everybody, and the answer is
     * the same whether the caller, another user or nobody any more (a deleted agent) holds it.
     */
    @Test
    void aTakenIdAnswersAlikeWhoeverHoldsIt() {
        String bobs = "taken-by-bob-" + UUID.randomUUID();
        String alicesDeleted = "taken-by-alice-" + UUID.randomUUID();
        assertThat(bob.post("/api/agents/browser", Api.json(Map.of("agent_id", bobs))).status()).isEqualTo(201);
        assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", alicesDeleted))).status()).isEqualTo(201);
        assertThat(alice.delete("/api/agents/browser/" + alicesDeleted).status()).isEqualTo(200);

        JsonNode othersId = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", bobs))).json();
        JsonNode ownDeletedId = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", alicesDeleted))).json();

        assertThat(othersId.get("status").asInt()).isEqualTo(ownDeletedId.get("status").asInt()).isEqualTo(409);
        assertThat(othersId.get("type").asString()).isEqualTo(ownDeletedId.get("type").asString());
        assertThat(othersId.get("title").asString()).isEqualTo(ownDeletedId.get("title").asString());
        assertThat(othersId.get("detail").asString().replace(bobs, "ID"))
                .isEqualTo(ownDeletedId.get("detail").asString().replace(alicesDeleted, "ID"))
                .doesNotContain("bob");
        assertThat(alice.get("/api/agents/browser/" + bobs).status()).isEqualTo(404);
    }

    @Test
    void probesAndDocsNeedNoCredentials() {
        for (String path : new String[] {"/health/live", "/api/agents/health", "/v3/api-docs", "/swagger-ui/index.html"}) {
            Api.Response response = anonymous.get(path);
            assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
        }
        // readiness may honestly say 503 on a loaded machine (its check is bounded at 1 s); it never asks for credentials
        for (String path : new String[] {"/health/ready", "/api/agents/health/ready"}) {
            assertThat(anonymous.get(path).status()).as(path).isIn(200, 503);
        }
    }

    @Test
    void responsesCarrySecurityHeadersAndNoCorsByDefault() {
        Api.Response response = alice.get("/api/agents/browser");
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(response.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(response.header("Referrer-Policy")).isEqualTo("no-referrer");
        // an API response may load nothing if shown as a page; Swagger UI's pages get what they work under
        assertThat(response.header("Content-Security-Policy")).isEqualTo("default-src 'none'; frame-ancestors 'none'");
        assertThat(anonymous.get("/v3/api-docs").header("Content-Security-Policy"))
                .isEqualTo("default-src 'none'; frame-ancestors 'none'");
        Api.Response docsPage = anonymous.get("/swagger-ui/index.html");
        assertThat(docsPage.status()).isEqualTo(200);
        assertThat(docsPage.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "script-src 'self'")
                .doesNotContain("default-src 'none'");
        assertThat(response.header("Strict-Transport-Security")).as("plain HTTP from an untrusted peer").isNull();

        Api.Response preflight = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/agents/browser"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void noRequestMakesASession() {
        String token = identityProvider.token("carol", List.of("user"), Instant.now().plusSeconds(300));
        List<Api.Response> responses = List.of(
                alice.get("/api/agents/browser"),
                alice.post("/api/agents/browser", Api.json(Map.of("agent_id", "session-" + UUID.randomUUID()))),
                new Api(port, token).get("/api/agents/browser"),
                anonymous.get("/api/agents/browser"),
                bob.get("/api/audit"),
                anonymous.get("/console/"),
                anonymous.get("/swagger-ui/index.html"));
        for (Api.Response response : responses) {
            assertThat(response.status()).as(response.toString()).isLessThan(500);
            assertThat(response.raw().headers().allValues("Set-Cookie")).as(response.toString()).isEmpty();
        }
        assertThat(responses.get(2).status()).as("the JWT's caller is authenticated for the request").isEqualTo(200);
        assertThat(responses.get(3).status()).isEqualTo(401);
        assertThat(responses.get(4).status()).isEqualTo(403);
    }

    /** Loggers that could print a request's headers or credentials, at their most talkative for the leak test. */
    static final List<String> VERBOSE = List.of("org.apache.coyote", "org.apache.tomcat", "org.apache.catalina",
            "org.springframework.web", "org.springframework.security", "org.hibernate.orm.jdbc.bind", "dev.agentapi");

    private void verbosely(Runnable requests) {
        TraceLogging.verbosely(logging, VERBOSE, requests);
    }

    private static void assertNoneContain(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            assertThat(text).as(where).doesNotContain(secret);
        }
    }

    @Test
    void keysAndTokensNeverReachLogsOrResponses(CapturedOutput output) {
        String id = "quiet-" + UUID.randomUUID();
        String jwtId = "quiet-jwt-" + UUID.randomUUID();
        String token = identityProvider.token("carol", List.of("user"), Instant.now().plusSeconds(300));
        String expired = identityProvider.token("carol", List.of("user"), Instant.now().minusSeconds(600));
        String wrongKey = "wrong-" + TestKeys.BOB;
        List<Api.Response> responses = new ArrayList<>();

        verbosely(() -> {
            responses.add(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id))));
            responses.add(alice.get("/api/agents/browser/" + id));
            responses.add(anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/agents/browser/" + id))
                    .header("X-API-Key", TestKeys.ALICE).GET()));
            responses.add(new Api(port, wrongKey).get("/api/agents/browser"));
            Api carol = new Api(port, token);
            responses.add(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", jwtId))));
            responses.add(carol.get("/api/agents/browser/" + jwtId));
            responses.add(new Api(port, expired).get("/api/agents/browser"));
        });

        assertThat(responses).extracting(Api.Response::status).containsExactly(201, 200, 200, 401, 201, 200, 401);
        assertThat(output.getAll()).as("the loggers really were verbose").contains("Securing POST /api/agents/browser")
                .as("Tomcat's request dump was logged, credentials redacted").contains("Authorization: Bearer [REDACTED]");
        // whole secrets, and telling pieces of them: a key's random part, a token's signature
        List<String> secrets = List.of(TestKeys.ALICE, TestKeys.ALICE.substring(5, 21), TestKeys.BOB.substring(5, 21),
                token, token.substring(token.lastIndexOf('.') + 1), expired.substring(expired.lastIndexOf('.') + 1));
        assertNoneContain("log output", output.getAll(), secrets);
        for (Api.Response response : responses) {
            assertNoneContain("response", response.raw().headers().map() + " " + response.body(), secrets);
        }
        for (String secret : secrets) {
            assertThat(jdbc.queryForObject("select count(*) from audit_logs a where position(? in a::text) > 0", Long.class, secret))
                    .as("audit rows, every column").isZero();
        }
    }
}
