package dev.agentapi.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.agentapi.support.Api;
import dev.agentapi.support.JwtIntegrationTest;
import dev.agentapi.support.TestIdentityProvider;
import dev.agentapi.support.TestKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** JWT bearer tokens signed in the test with a key pair made at test time, its JWK set served over HTTP. */
@JwtIntegrationTest
class JwtAuthenticationTest {

    static final String ISSUER = TestIdentityProvider.ISSUER;
    static final RSAKey IMPOSTOR = TestIdentityProvider.rsaKey("k1");
    static final RSAKey signing = TestIdentityProvider.shared().signingKey();

    @LocalServerPort
    int port;

    static String token(RSAKey key, String issuer, String subject, List<String> roles, Instant expires) {
        return TestIdentityProvider.token(key, issuer, subject, roles, expires);
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        return TestIdentityProvider.sign(key, claims);
    }

    private Api as(String token) {
        return new Api(port, token);
    }

    private static void assertInvalidToken(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(401);
        assertThat(response.raw().headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer") && v.contains("invalid_token"));
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void validTokenAuthenticatesAndNamesTheCallerInTheAudit() {
        Api carol = as(token(signing, ISSUER, "carol", List.of("user"), Instant.now().plusSeconds(300)));
        String id = "jwt-" + UUID.randomUUID();

        assertThat(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        assertThat(carol.get("/api/agents/browser/" + id).json().get("created_by").asString())
                .isEqualTo(TestIdentityProvider.ownerId("carol")).isEqualTo("jwt:c4bda3f5b177:carol");

        JsonNode entry = new Api(port).get("/api/audit?resource_id=" + id).json().get("entries").get(0);
        assertThat(entry.get("user_id").asString()).isEqualTo(TestIdentityProvider.ownerId("carol"));
        assertThat(entry.get("user_email").asString()).isEqualTo("carol@example.com");
    }

    @Test
    void rolesComeFromTheRolesClaim() {
        Api user = as(token(signing, ISSUER, "dave", List.of("user"), Instant.now().plusSeconds(300)));
        Api admin = as(token(signing, ISSUER, "erin", List.of("admin"), Instant.now().plusSeconds(300)));

        assertThat(user.get("/api/audit").status()).isEqualTo(403);
        assertThat(admin.get("/api/audit").status()).isEqualTo(200);
    }

    @Test
    void expiredTokenIsRefused() {
        assertInvalidToken(as(token(signing, ISSUER, "carol", List.of("user"), Instant.now().minusSeconds(600)))
                .get("/api/agents/browser"));
    }

    @Test
    void tokenFromAnotherIssuerIsRefused() {
        assertInvalidToken(as(token(signing, "https://evil.test", "carol", List.of("admin"), Instant.now().plusSeconds(300)))
                .get("/api/agents/browser"));
    }

    @Test
    void tokenForAnotherAudienceIsRefused() {
        Instant later = Instant.now().plusSeconds(300);
        JWTClaimsSet otherApp = TestIdentityProvider.claims(ISSUER, "carol", List.of("admin"))
                .audience("api://another-app").expirationTime(Date.from(later)).build();
        JWTClaimsSet noAudience = TestIdentityProvider.claims(ISSUER, "carol", List.of("admin"))
                .audience((String) null).expirationTime(Date.from(later)).build();

        assertInvalidToken(as(sign(signing, otherApp)).get("/api/agents/browser"));
        assertInvalidToken(as(sign(signing, noAudience)).get("/api/agents/browser"));
    }

    @Test
    void tokenWithoutExpiryIsRefused() {
        assertInvalidToken(as(sign(signing, TestIdentityProvider.claims(ISSUER, "carol", List.of("user")).build()))
                .get("/api/agents/browser"));
    }

    @Test
    void tokenNotYetValidIsRefused() {
        JWTClaimsSet future = TestIdentityProvider.claims(ISSUER, "carol", List.of("user"))
                .notBeforeTime(Date.from(Instant.now().plusSeconds(600)))
                .expirationTime(Date.from(Instant.now().plusSeconds(900))).build();

        assertInvalidToken(as(sign(signing, future)).get("/api/agents/browser"));
    }

    @Test
    void tokenNamingNoKnownRoleIsRefusedByDefault() {
        for (List<String> roles : List.of(List.of("superuser"), List.<String>of())) {
            assertInvalidToken(as(token(signing, ISSUER, "gina", roles, Instant.now().plusSeconds(300))).get("/api/agents/browser"));
        }
    }

    @Test
    void tokenWithABadSignatureIsRefused() {
        assertInvalidToken(as(token(IMPOSTOR, ISSUER, "carol", List.of("admin"), Instant.now().plusSeconds(300)))
                .get("/api/agents/browser"));
    }

    @Test
    void apiDocsOfferBearerJwtBesideApiKeys() {
        JsonNode spec = Api.anonymous(port).get("/v3/api-docs").json();
        JsonNode jwt = spec.get("components").get("securitySchemes").get("BearerJwt");
        assertThat(jwt).as("a JWT scheme once an issuer is configured").isNotNull();
        assertThat(jwt.get("scheme").asString()).isEqualTo("bearer");
        assertThat(jwt.get("bearerFormat").asString()).isEqualTo("JWT");
        assertThat(spec.get("security").toString()).contains("\"BearerJwt\"", "\"ApiKey\"", "\"ApiKeyBearer\"");
    }

    @Test
    void apiKeysStillWorkBesideJwts() {
        assertThat(new Api(port, TestKeys.ALICE).get("/api/agents/browser").status()).isEqualTo(200);
    }

    @Test
    void tokenNamingNoPrincipalIsRefused() {
        String existing = "jwt-owned-" + UUID.randomUUID();
        assertThat(new Api(port).post("/api/agents/browser", Api.json(Map.of("agent_id", existing))).status()).isEqualTo(201);
        JWTClaimsSet.Builder anonymous = new JWTClaimsSet.Builder().issuer(ISSUER).audience(TestIdentityProvider.AUDIENCE).claim("roles", List.of("user"))
                .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(Instant.now().plusSeconds(300)));
        // 239 characters: with jwt:c4bda3f5b177: in front, one more than the 255 an owner column holds
        for (JWTClaimsSet claims : List.of(anonymous.build(), anonymous.subject("").build(), anonymous.subject("  ").build(),
                anonymous.subject("nul\u0000user").build(), anonymous.subject("s".repeat(239)).build())) {
            Api caller = as(sign(signing, claims));

            assertInvalidToken(caller.get("/api/agents/browser/" + existing));
            assertInvalidToken(caller.get("/api/agents/browser"));
            assertInvalidToken(caller.post("/api/agents/browser", "{}"));
        }
    }

    /**
     * The API key named {@code alice} and a token whose subject is {@code alice} are two owners: neither sees, changes or
     * deletes the other's agent, nor finds it in a list, and the audit tells them apart.
     */
    @Test
    void anApiKeyNamedLikeATokensSubjectIsAnotherOwner() {
        Api token = as(token(signing, ISSUER, "alice", List.of("user"), Instant.now().plusSeconds(300)));
        Api key = new Api(port, TestKeys.ALICE);
        String tokens = "jwt-alice-" + UUID.randomUUID();
        String keys = "key-alice-" + UUID.randomUUID();
        assertThat(token.post("/api/agents/browser", Api.json(Map.of("agent_id", tokens))).status()).isEqualTo(201);
        assertThat(key.post("/api/agents/browser", Api.json(Map.of("agent_id", keys))).status()).isEqualTo(201);

        for (Api[] pair : new Api[][] {{token, key}, {key, token}}) {
            Api caller = pair[0];
            String others = caller == token ? keys : tokens;
            assertThat(caller.get("/api/agents/browser/" + others).status()).isEqualTo(404);
            assertThat(caller.patch("/api/agents/browser/" + others, "{\"headless\": false}", Map.of()).status()).isEqualTo(404);
            assertThat(caller.delete("/api/agents/browser/" + others).status()).isEqualTo(404);
            assertThat(caller.get("/api/agents/browser?size=100").json().get("agents").valueStream().map(a -> a.get("agent_id").asString()))
                    .doesNotContain(others);
        }
        assertThat(token.get("/api/agents/browser/" + tokens).json().get("created_by").asString())
                .isEqualTo(TestIdentityProvider.ownerId("alice"));
        assertThat(key.get("/api/agents/browser/" + keys).json().get("created_by").asString()).isEqualTo("key:alice");

        Api admin = new Api(port);
        assertThat(admin.get("/api/audit?event_type=agent.create&user_id=" + TestIdentityProvider.ownerId("alice")).json().get("entries")
                .valueStream().map(e -> e.get("resource_id").asString())).contains(tokens).doesNotContain(keys);
        assertThat(admin.get("/api/audit?event_type=agent.create&user_id=key:alice&size=100").json().get("entries")
                .valueStream().map(e -> e.get("resource_id").asString())).doesNotContain(tokens);
        assertThat(token.delete("/api/agents/browser/" + tokens).status()).isEqualTo(200);
        assertThat(key.delete("/api/agents/browser/" + keys).status()).isEqualTo(200);
    }

    @Test
    void unusableEmailClaimIsLeftOutNotStored() {
        String id = "jwt-email-" + UUID.randomUUID();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(ISSUER).audience(TestIdentityProvider.AUDIENCE).subject("frank").claim("roles", List.of("user"))
                .claim("email", "frank\u0000@example.com")
                .issueTime(Date.from(Instant.now().minusSeconds(60))).expirationTime(Date.from(Instant.now().plusSeconds(300)))
                .build();

        Api.Response created = as(sign(signing, claims)).post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode entry = new Api(port).get("/api/audit?resource_id=" + id).json().get("entries").get(0);
        assertThat(entry.get("user_id").asString()).isEqualTo(TestIdentityProvider.ownerId("frank"));
        assertThat(entry.get("user_email").isNull()).isTrue();
    }

    /**
     * MCP authorization: a 401 points at the protected-resource metadata, which names the issuer; a token then works on
     * /mcp. Both name the service by PUBLIC_BASE_URL, whatever Host the request carried.
     */
    @Test
    void mcpClientsDiscoverTheAuthorizationServer() throws IOException {
        String base = TestIdentityProvider.PUBLIC_BASE_URL;
        Api.Response refused = Api.anonymous(port).send(java.net.http.HttpRequest.newBuilder(new Api(port).uri("/mcp"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"ping\"}")));
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().headers().allValues("WWW-Authenticate"))
                .anyMatch(v -> v.startsWith("Bearer") && v.contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource\""));
        String forged = rawExchange("POST /mcp HTTP/1.1\r\nHost: evil.example:666\r\nX-Forwarded-Host: evil.example\r\n"
                + "Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        assertThat(forged).startsWith("HTTP/1.1 401").contains("resource_metadata=\"" + base + "/.well-known/oauth-protected-resource\"")
                .doesNotContain("evil.example");
        assertThat(rawExchange("GET /.well-known/oauth-protected-resource/mcp HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n"))
                .contains("\"resource\":\"" + base + "/mcp\"").doesNotContain("evil.example");

        JsonNode service = Api.anonymous(port).get("/.well-known/oauth-protected-resource").json();
        assertThat(service.get("resource").asString()).isEqualTo(base);
        assertThat(service.get("authorization_servers").get(0).asString()).isEqualTo(ISSUER);
        // RFC 9728's form for a resource with a path: the metadata of /mcp itself
        JsonNode metadata = Api.anonymous(port).get("/.well-known/oauth-protected-resource/mcp").json();
        assertThat(metadata.get("resource").asString()).isEqualTo(base + "/mcp");
        assertThat(metadata.get("authorization_servers").get(0).asString()).isEqualTo(ISSUER);
        assertThat(metadata.get("bearer_methods_supported").get(0).asString()).isEqualTo("header");

        String token = token(signing, ISSUER, "dora", List.of("user"), Instant.now().plusSeconds(300));
        Api.Response listed = as(token).send(java.net.http.HttpRequest.newBuilder(new Api(port).uri("/mcp"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"jsonrpc\": \"2.0\", \"id\": 2, \"method\": "
                        + "\"tools/call\", \"params\": {\"name\": \"list_agents\", \"arguments\": {}}}")));
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        assertThat(listed.json().at("/result/isError").asBoolean()).as(listed.toString()).isFalse();
    }

    /** One request written as is (any Host), and the whole answer. */
    private String rawExchange(String request) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }
}
