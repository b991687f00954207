package dev.agentapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import dev.agentapi.support.TestKeys;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import tools.jackson.databind.JsonNode;

/**
 * What the seed's clients read, answered the seed's way. Shares the default test context, where no
 * Taskade key is configured (test config/application.yml).
 */
@IntegrationTest
@ExtendWith(OutputCaptureExtension.class)
class SeedContractTest {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void seedLivenessIsPublicAndInTheSeedShape() {
        Api.Response live = Api.anonymous(port).get("/api/agents/health/live");

        assertThat(live.status()).isEqualTo(200);
        JsonNode body = live.json();
        assertThat(body.get("status").asString()).isEqualTo("alive");
        assertThat(body.get("service").asString()).isEqualTo("agent-api");
        assertThat(body.get("timestamp").asString()).isNotBlank();
        assertThat(live.header("X-RateLimit-Limit")).isNull();
    }

    @Test
    void listItemsCarryIdBesideAgentIdAndCreatesAnnouncePersisted(CapturedOutput output) {
        Api carol = new Api(port, TestKeys.ALICE);
        String id = "seed-" + UUID.randomUUID();
        assertThat(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);

        JsonNode agents = carol.get("/api/agents/browser?size=100").json().get("agents");

        JsonNode item = null;
        for (JsonNode agent : agents) {
            if (id.equals(agent.get("agent_id").asString())) {
                item = agent;
            }
        }
        assertThat(item).as("the new agent is listed").isNotNull();
        assertThat(item.get("id").asString()).isEqualTo(id);
        assertThat(item.get("status").asString()).isEqualTo("created");
        assertThat(output.getAll().lines().filter(l -> l.contains("event agent.created") && l.contains(id)))
                .singleElement().asString().contains("persisted=true");
    }

    @Test
    void agentNotFoundCarriesTheSeedsErrorBesideTheProblemFields() {
        Api.Response missing = new Api(port).get("/api/agents/browser/no-such-" + UUID.randomUUID());

        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("Content-Type")).startsWith("application/problem+json");
        assertThat(missing.json().get("error").asString()).isEqualTo("Agent not found");
        assertThat(missing.json().get("title").asString()).isEqualTo("Agent not found");
        assertThat(missing.json().get("status").asInt()).isEqualTo(404);
    }

    @Test
    void cacheHitRateIsAGaugeBesideTheCounters() {
        Api admin = new Api(port);
        String id = "rate-" + UUID.randomUUID();
        admin.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
        admin.get("/api/agents/browser/" + id);
        admin.get("/api/agents/browser/" + id);

        String scrape = new Api(managementPort, TestKeys.ADMIN).get("/actuator/prometheus").body();

        assertThat(scrape).contains("agent_cache_requests_total").containsPattern("(?m)^cache_hit_rate\\{cache=\"agent\"\\} (0\\.\\d+|1\\.0)$");
        assertThat(scrape).doesNotContainPattern("(?m)^cache_hit_rate\\{cache=\"agent\"\\} 0\\.0$");
    }

    @Test
    void withoutAKeyTaskadeRoutesAnswer503WithRetryAfterAndReadinessSaysNotConfigured() {
        Api alice = new Api(port, TestKeys.ALICE);
        for (String path : new String[] {"/api/agents/taskade", "/api/agents/taskade/projects",
                "/api/agents/taskade/projects/abc123DEF4567890/tasks"}) {
            Api.Response answer = alice.get(path);
            assertThat(answer.status()).as(path + " " + answer).isEqualTo(503);
            assertThat(answer.header("Retry-After")).isEqualTo("60");
            assertThat(answer.header("Content-Type")).startsWith("application/problem+json");
            assertThat(answer.json().get("success").asBoolean()).isFalse();
            assertThat(answer.json().get("error").asString()).isEqualTo("Taskade is not configured");
        }
        String title = "Unsent " + UUID.randomUUID();
        Api.Response create = alice.post("/api/agents/taskade/projects", Api.json(Map.of("title", title)));
        assertThat(create.status()).isEqualTo(503);
        assertThat(create.json().has("project")).isTrue();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_logs WHERE event_type = 'project.create' "
                + "AND success = false AND details->>'title' = ?", Long.class, title)).isEqualTo(1);
        assertThat(alice.post("/api/agents/taskade/projects", "{}").status()).as("bad input is still 400").isEqualTo(400);

        JsonNode ready = Api.anonymous(port).get("/api/agents/health/ready").json();
        assertThat(ready.get("components").get("taskade_api").get("status").asString()).isEqualTo("not_configured");
    }
}
