package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

@IntegrationTest
class AgentApiTest {

    @LocalServerPort
    int port;
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
}
