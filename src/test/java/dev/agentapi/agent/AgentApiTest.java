package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.net.http.HttpRequest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AgentApiTest {

    /** How deeply a config may nest (the config object itself is level 1). */
    static final int MAX_CONFIG_DEPTH = 32;

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    Api api;

    @BeforeEach
    void setUp() {
        api = new Api(port);
    }

    static String uniqueId() {
        return "t-" + UUID.randomUUID();
    }

    @Test
    void createAnswers201WithLocationAndSeedEnvelope() {
        String id = uniqueId();
        Api.Response created = api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.header("Location")).isEqualTo("/api/agents/browser/" + id);
        JsonNode body = created.json();
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(body.get("persisted").asBoolean()).isTrue();
        assertThat(body.get("agent_id").asString()).isEqualTo(id);
        assertThat(body.get("status").asString()).isEqualTo("created");
        JsonNode agent = body.get("agent");
        assertThat(agent.get("channel").asString()).isEqualTo("chromium");
        assertThat(agent.get("headless").asBoolean()).isTrue();
        assertThat(agent.get("viewport").get("width").asInt()).isEqualTo(1920);
        assertThat(agent.get("viewport").get("height").asInt()).isEqualTo(1080);
        assertThat(agent.get("total_actions").asLong()).isZero();
        assertThat(agent.has("created_at")).isTrue();
        assertThat(agent.has("last_action_at")).isTrue();
    }

    @Test
    void createWithoutIdGeneratesOne() {
        Api.Response created = api.post("/api/agents/browser", "{}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().get("agent_id").asString();
        assertThat(id).matches(AgentIds.PATTERN);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(200);
    }

    @Test
    void channelAndHeadlessAreReadTopLevelOrInsideConfig() {
        JsonNode nested = api.post("/api/agents/browser", Api.json(Map.of("agent_id", uniqueId(),
                "config", Map.of("channel", "msedge", "headless", false)))).json().get("agent");
        assertThat(nested.get("channel").asString()).isEqualTo("msedge");
        assertThat(nested.get("headless").asBoolean()).isFalse();

        JsonNode topLevelWins = api.post("/api/agents/browser", Api.json(Map.of("agent_id", uniqueId(),
                "channel", "chrome", "headless", true,
                "config", Map.of("channel", "msedge", "headless", false)))).json().get("agent");
        assertThat(topLevelWins.get("channel").asString()).isEqualTo("chrome");
        assertThat(topLevelWins.get("headless").asBoolean()).isTrue();
    }

    @Test
    void aReadWithTheCurrentEtagIs304WithoutABodyAndAnOlderOneGetsTheAgent() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        String path = "/api/agents/browser/" + id;

        Api.Response current = api.send(HttpRequest.newBuilder(api.uri(path)).header("If-None-Match", "\"0\"").GET());
        Api.Response older = api.send(HttpRequest.newBuilder(api.uri(path)).header("If-None-Match", "\"7\", W/\"8\"").GET());
        Api.Response head = api.send(HttpRequest.newBuilder(api.uri(path)).method("HEAD", HttpRequest.BodyPublishers.noBody()));

        assertThat(current.status()).isEqualTo(304);
        assertThat(current.body()).isEmpty();
        assertThat(current.header("ETag")).isEqualTo("\"0\"");
        assertThat(older.status()).isEqualTo(200);
        assertThat(older.header("ETag")).isEqualTo("\"0\"");
        assertThat(older.header("Content-Type")).isEqualTo("application/json");
        assertThat(older.json().get("agent_id").asString()).isEqualTo(id);
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.header("ETag")).isEqualTo("\"0\"");
        assertThat(head.header("Content-Length")).isEqualTo(String.valueOf(older.raw().headers()
                .firstValue("Content-Length").orElseThrow()));
    }

    @Test
    void takenIdAnswers409() {
        String id = uniqueId();
        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);

        Api.Response again = api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        assertThat(again.status()).isEqualTo(409);
        assertThat(again.header("Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void getReturnsTheAgentWithItsVersionAsEtag() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", Map.of("goal", "read news"))));

        Api.Response read = api.get("/api/agents/browser/" + id);

        assertThat(read.status()).isEqualTo(200);
        assertThat(read.header("ETag")).isEqualTo("\"0\"");
        JsonNode agent = read.json();
        for (String field : new String[] {"agent_id", "status", "channel", "headless", "config", "viewport",
                "created_at", "updated_at", "total_actions", "total_errors", "last_action_at"}) {
            assertThat(agent.has(field)).as(field).isTrue();
        }
        assertThat(agent.get("config").get("goal").asString()).isEqualTo("read news");
    }

    @Test
    void unknownAgentAnswers404Problem() {
        Api.Response missing = api.get("/api/agents/browser/" + uniqueId());

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void listPagesExcludesDeletedAndFiltersByStatus() {
        String owner = "list-" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            api.post("/api/agents/browser", Api.json(Map.of("agent_id", owner + "-" + i)));
        }
        api.delete("/api/agents/browser/" + owner + "-1");

        JsonNode page = api.get("/api/agents/browser?size=100&status=created").json();
        assertThat(page.get("count").asInt()).isEqualTo(page.get("agents").size());
        assertThat(page.get("agents").valueStream().map(a -> a.get("agent_id").asString()))
                .contains(owner + "-0", owner + "-2")
                .doesNotContain(owner + "-1");
        assertThat(page.get("agents").valueStream().map(a -> a.get("status").asString())).containsOnly("created");

        JsonNode stopped = api.get("/api/agents/browser?size=100&status=stopped").json();
        assertThat(stopped.get("agents").valueStream().map(a -> a.get("agent_id").asString()))
                .doesNotContain(owner + "-1");

        JsonNode small = api.get("/api/agents/browser?page=0&size=2").json();
        assertThat(small.get("agents").size()).isEqualTo(2);
        assertThat(small.get("total").asLong()).isGreaterThanOrEqualTo(2);
    }

    @Test
    void listRejectsBadPagingAndStatus() {
        assertThat(api.get("/api/agents/browser?size=101").status()).isEqualTo(400);
        assertThat(api.get("/api/agents/browser?size=0").status()).isEqualTo(400);
        assertThat(api.get("/api/agents/browser?page=-1").status()).isEqualTo(400);
        assertThat(api.get("/api/agents/browser?page=abc").status()).isEqualTo(400);
        Api.Response status = api.get("/api/agents/browser?status=flying");
        assertThat(status.status()).isEqualTo(400);
        assertThat(status.json().get("errors").has("status")).isTrue();
    }

    @Test
    void patchChangesConfigViewportAndHeadlessAndBumpsVersion() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        Api.Response patched = api.patch("/api/agents/browser/" + id,
                Api.json(Map.of("config", Map.of("k", "v"), "headless", false, "viewport", Map.of("width", 800, "height", 600))),
                Map.of("If-Match", "\"0\""));

        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.header("ETag")).isEqualTo("\"1\"");
        JsonNode read = api.get("/api/agents/browser/" + id).json();
        assertThat(read.get("config").get("k").asString()).isEqualTo("v");
        assertThat(read.get("headless").asBoolean()).isFalse();
        assertThat(read.get("viewport").get("width").asInt()).isEqualTo(800);
        assertThat(read.get("version").asLong()).isEqualTo(1);
    }

    @Test
    void staleIfMatchAnswers412AndStaleBodyVersion409() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        api.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of());

        Api.Response staleHeader = api.patch("/api/agents/browser/" + id, "{\"headless\": true}", Map.of("If-Match", "\"0\""));
        Api.Response staleBody = api.patch("/api/agents/browser/" + id, "{\"headless\": true, \"version\": 0}", Map.of());

        assertThat(staleHeader.status()).isEqualTo(412);
        assertThat(staleBody.status()).isEqualTo(409);
        assertThat(api.get("/api/agents/browser/" + id).json().get("headless").asBoolean()).isFalse();
    }

    @Test
    void deleteSoftDeletesThenAnswers404() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

        Api.Response deleted = api.delete("/api/agents/browser/" + id);

        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().get("success").asBoolean()).isTrue();
        assertThat(deleted.json().get("agent_id").asString()).isEqualTo(id);
        assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(404);
        assertThat(api.delete("/api/agents/browser/" + id).status()).isEqualTo(404);
        assertThat(api.patch("/api/agents/browser/" + id, "{}", Map.of()).status()).isEqualTo(404);
    }

    /** A JSON object nested {@code depth} levels deep: the outermost object is level 1. */
    static String nestedObject(int depth) {
        return "{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
    }

    private static void assertProblem(Api.Response response, int status) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.header("Content-Type")).as(response.toString()).startsWith("application/problem+json");
        assertThat(response.json().get("status").asInt()).isEqualTo(status);
        assertThat(response.body()).doesNotContain("Exception", "at dev.", "SQL", "org.hibernate", "java.");
    }

    private long rows(String id) {
        return jdbc.queryForObject("select count(*) from browser_agents where id = ?", Long.class, id);
    }

    private long successfulAuditEntries(String id) {
        return jdbc.queryForObject("select count(*) from audit_logs where resource_id = ? and success", Long.class, id);
    }

    /** Lists and audit pages still render: a stored agent never makes them fail. */
    private void listsAndAuditStillAnswer(String id) {
        assertThat(api.get("/api/agents/browser?size=100").status()).isEqualTo(200);
        assertThat(api.get("/api/audit").status()).isEqualTo(200);
        assertThat(api.get("/api/audit?resource_id=" + id).status()).isEqualTo(200);
    }

    @Test
    void configNestedUpToTheLimitIsStoredAndListed() {
        String id = uniqueId();
        String body = "{\"agent_id\": \"" + id + "\", \"config\": " + nestedObject(MAX_CONFIG_DEPTH) + "}";

        assertThat(api.post("/api/agents/browser", body).status()).isEqualTo(201);

        JsonNode stored = api.get("/api/agents/browser/" + id).json().get("config");
        for (int level = 2; level <= MAX_CONFIG_DEPTH; level++) {
            stored = stored.get("a");
        }
        assertThat(stored.isObject()).isTrue();
        assertThat(stored.isEmpty()).isTrue();
        listsAndAuditStillAnswer(id);
    }

    @Test
    void configNestedTooDeeplyIs400AndNothingIsStored() {
        for (int depth : new int[] {MAX_CONFIG_DEPTH + 1, 498, 499}) {
            String id = uniqueId();
            Api.Response created = api.post("/api/agents/browser",
                    "{\"agent_id\": \"" + id + "\", \"config\": " + nestedObject(depth) + "}");

            assertProblem(created, 400);
            assertThat(created.json().get("errors").get("config").asString()).as("depth %d", depth).contains("nested");
            assertThat(rows(id)).as("depth %d", depth).isZero();
            assertThat(successfulAuditEntries(id)).as("depth %d", depth).isZero();
            listsAndAuditStillAnswer(id);
        }
        String arrays = "[".repeat(MAX_CONFIG_DEPTH) + "]".repeat(MAX_CONFIG_DEPTH);
        assertProblem(api.post("/api/agents/browser", "{\"config\": {\"list\": " + arrays + "}}"), 400);
    }

    @Test
    void patchWithConfigNestedTooDeeplyIs400AndKeepsTheAgent() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", Map.of("goal", "kept"))));

        for (int depth : new int[] {MAX_CONFIG_DEPTH + 1, 498, 499}) {
            Api.Response patched = api.patch("/api/agents/browser/" + id, "{\"config\": " + nestedObject(depth) + "}", Map.of());

            assertProblem(patched, 400);
            assertThat(patched.json().get("errors").has("config")).isTrue();
        }
        JsonNode agent = api.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("config").get("goal").asString()).isEqualTo("kept");
        assertThat(agent.get("version").asLong()).isZero();
        assertThat(successfulAuditEntries(id)).isEqualTo(1);
        listsAndAuditStillAnswer(id);
    }

    @Test
    void nulCharactersInStoredStringsAre400AndNothingIsStored() {
        Map<String, String> bodies = new java.util.LinkedHashMap<>();
        bodies.put("config", "{\"agent_id\": \"%s\", \"config\": {\"k\": \"a\\u0000b\"}}");
        bodies.put("config.k", "{\"agent_id\": \"%s\", \"config\": {\"k\\u0000\": 1}}");
        bodies.put("config.deep", "{\"agent_id\": \"%s\", \"config\": {\"a\": [{\"b\": [\"\\u0000\"]}]}}");
        bodies.put("user_agent", "{\"agent_id\": \"%s\", \"user_agent\": \"Mozilla\\u0000\"}");
        for (Map.Entry<String, String> body : bodies.entrySet()) {
            String id = uniqueId();
            Api.Response created = api.post("/api/agents/browser", body.getValue().formatted(id));

            assertProblem(created, 400);
            String field = body.getKey().startsWith("config") ? "config" : body.getKey();
            assertThat(created.json().get("errors").get(field).asString()).as(body.getKey()).contains("NUL");
            assertThat(rows(id)).as(body.getKey()).isZero();
            assertThat(successfulAuditEntries(id)).as(body.getKey()).isZero();
        }
        Api.Response badId = api.post("/api/agents/browser", "{\"agent_id\": \"nul\\u0000id\"}");
        assertProblem(badId, 400);
        assertThat(badId.json().get("errors").has("agent_id")).isTrue();
    }

    @Test
    void patchWithNulInConfigIs400AndKeepsTheAgent() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", Map.of("goal", "kept"))));

        Api.Response value = api.patch("/api/agents/browser/" + id, "{\"config\": {\"k\": \"\\u0000\"}}", Map.of());
        Api.Response key = api.patch("/api/agents/browser/" + id, "{\"config\": {\"x\": {\"\\u0000\": true}}}", Map.of());

        assertProblem(value, 400);
        assertProblem(key, 400);
        assertThat(value.json().get("errors").get("config").asString()).contains("NUL");
        JsonNode agent = api.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("config").get("goal").asString()).isEqualTo("kept");
        assertThat(agent.get("version").asLong()).isZero();
    }

    @Test
    void createThatCannotAnswerInTheAcceptedTypeIs406AndStoresNothing() {
        for (String accept : new String[] {"text/html", "image/png"}) {
            String id = uniqueId();
            HttpRequest.Builder create = HttpRequest.newBuilder(api.uri("/api/agents/browser"))
                    .header("Content-Type", "application/json").header("Accept", accept)
                    .POST(HttpRequest.BodyPublishers.ofString(Api.json(Map.of("agent_id", id))));

            Api.Response refused = api.send(create);

            assertProblem(refused, 406);
            assertThat(rows(id)).as(accept).isZero();
            assertThat(successfulAuditEntries(id)).as(accept).isZero();
            assertThat(api.get("/api/agents/browser/" + id).status()).isEqualTo(404);
            assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).as("retry").isEqualTo(201);
        }
    }

    @Test
    void patchAndDeleteThatCannotAnswerInTheAcceptedTypeAre406AndChangeNothing() {
        String id = uniqueId();
        api.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "config", Map.of("goal", "kept"))));

        Api.Response patch = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser/" + id))
                .header("Content-Type", "application/json").header("Accept", "text/html")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"config\": {\"goal\": \"changed\"}}")));
        Api.Response delete = api.send(HttpRequest.newBuilder(api.uri("/api/agents/browser/" + id))
                .header("Accept", "image/png").DELETE());

        assertProblem(patch, 406);
        assertProblem(delete, 406);
        JsonNode agent = api.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("config").get("goal").asString()).isEqualTo("kept");
        assertThat(agent.get("version").asLong()).isZero();
        assertThat(successfulAuditEntries(id)).isEqualTo(1);
    }

    @Test
    void databaseRefusalOtherThanATakenIdIsNotReportedAsTaken() {
        String id = uniqueId();
        // A rule only the database knows (a CHECK constraint): breaking it is not "the id is taken".
        jdbc.execute("ALTER TABLE browser_agents ADD CONSTRAINT test_refuse_user_agent "
                + "CHECK (user_agent IS DISTINCT FROM 'refused-by-database') NOT VALID");
        try {
            Api.Response refused = api.post("/api/agents/browser",
                    Api.json(Map.of("agent_id", id, "user_agent", "refused-by-database")));

            assertProblem(refused, 422);
            assertThat(refused.json().get("detail").asString()).doesNotContain("already exists");
        } finally {
            jdbc.execute("ALTER TABLE browser_agents DROP CONSTRAINT test_refuse_user_agent");
        }
        assertThat(rows(id)).isZero();
        assertThat(successfulAuditEntries(id)).isZero();
        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
    }
}
