package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class AccessControlTest {

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
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
        assertThat(aliceList.get("agents").valueStream().map(a -> a.get("created_by").asString())).containsOnly("alice");
        assertThat(aliceList.get("agents").valueStream().map(a -> a.get("agent_id").asString())).contains(mine).doesNotContain(theirs);

        JsonNode adminList = admin.get("/api/agents/browser?size=100").json();
        assertThat(adminList.get("agents").valueStream().map(a -> a.get("agent_id").asString())).contains(mine, theirs);
        assertThat(admin.get("/api/agents/browser/" + theirs).status()).isEqualTo(200);
        assertThat(alice.get("/api/agents/browser/" + mine).json().get("created_by").asString()).isEqualTo("alice");
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
        assertThat(entry.get("user_id").asString()).isEqualTo("alice");
        assertThat(entry.get("ip_address").asString()).isEqualTo("127.0.0.1");
        assertThat(entry.toString()).doesNotContain(TestKeys.ALICE);
    }

    @Test
    void probesAndDocsNeedNoCredentials() {
        for (String path : new String[] {"/health/live", "/api/agents/health", "/v3/api-docs", "/swagger-ui/index.html",
                "/actuator/prometheus"}) {
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
        assertThat(response.header("Content-Security-Policy")).contains("frame-ancestors 'none'", "script-src 'self'");
        assertThat(response.header("Strict-Transport-Security")).as("plain HTTP from an untrusted peer").isNull();

        Api.Response preflight = anonymous.send(HttpRequest.newBuilder(anonymous.uri("/api/agents/browser"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST"));
        assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
    }

    @Test
    void keysAndTokensNeverReachLogsOrResponses(CapturedOutput output) {
        String id = "quiet-" + UUID.randomUUID();
        Api.Response created = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        new Api(port, "wrong-" + TestKeys.BOB).get("/api/agents/browser");
        alice.get("/api/agents/browser/" + id);

        assertThat(output.getAll()).doesNotContain(TestKeys.ALICE, TestKeys.BOB);
        assertThat(created.body()).doesNotContain(TestKeys.ALICE);
        assertThat(jdbc.queryForObject("select count(*) from audit_logs where details::text like ? or user_agent like ?",
                Long.class, "%" + TestKeys.ALICE + "%", "%" + TestKeys.ALICE + "%")).isZero();
    }
}
