package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.DatabaseOutageIntegrationTest;
import dev.agentapi.support.DatabaseOutageIntegrationTest.Outage;
import dev.agentapi.support.TestKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

/** A database that stops answering: 503 with Retry-After, nothing half-written, and recovery without a restart. */
@DatabaseOutageIntegrationTest // local mode, a database of its own, connections given up after 1 s
class DatabaseOutageTest {

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void outageAnswers503WithRetryAfterAndRecoversByItself() throws Exception {
        Api api = new Api(port);
        // another test of this context may have just ended an outage: the pool replaces its dead connections first
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.post("/api/agents/browser", Api.json(Map.of("agent_id", "before-outage"))).status(), s -> s == 201);

        Outage.cut();
        try {
            Api.Response create = api.post("/api/agents/browser", Api.json(Map.of("agent_id", "during-outage")));
            Api.Response read = api.get("/api/agents/browser");

            for (Api.Response response : new Api.Response[] {create, read}) {
                assertThat(response.status()).as(response.toString()).isEqualTo(503);
                assertThat(response.header("Retry-After")).isNotBlank();
                assertThat(response.header("Content-Type")).startsWith("application/problem+json");
                assertThat(response.body()).doesNotContain("Exception", "SQL", "jdbc");
            }
        } finally {
            Outage.restore();
        }

        // (a single agent may still be served from the cache during the outage; a listing always needs the database)
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(api.get("/api/agents/browser/before-outage").status()).as("service recovers without restart").isEqualTo(200));
        assertThat(jdbc.queryForObject("select count(*) from browser_agents where id = 'during-outage'", Long.class)).isZero();
        assertThat(jdbc.queryForObject("select count(*) from audit_logs where resource_id = 'during-outage' and success", Long.class)).isZero();
    }

    /** Another owner's agent, even one in the cache, answers an outage like a missing one: no existence oracle. */
    @Test
    void duringAnOutageAnotherOwnersAgentAnswersLikeAMissingOne() {
        Api alice = new Api(port, dev.agentapi.support.TestKeys.ALICE);
        Api bob = new Api(port, dev.agentapi.support.TestKeys.BOB);
        String id = "outage-owned-" + java.util.UUID.randomUUID();
        assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
        assertThat(alice.get("/api/agents/browser/" + id).status()).as("now cached").isEqualTo(200);

        Outage.cut();
        try {
            Api.Response hidden = bob.get("/api/agents/browser/" + id);
            Api.Response missing = bob.get("/api/agents/browser/missing-" + java.util.UUID.randomUUID());

            assertThat(hidden.status()).as(hidden.toString()).isEqualTo(missing.status()).isEqualTo(503);
        } finally {
            Outage.restore();
        }
    }

    /** A scrape never queries the database: during an outage it still answers, with the last count. */
    @Test
    void scrapesReadTheLastCountNotTheDatabase() throws Exception {
        Api scraper = Api.anonymous(managementPort);
        // the first count runs at start
        String before = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> activeAgents(scraper), count -> !count.equals("NaN"));

        Outage.cut();
        try {
            assertThat(activeAgents(scraper)).isEqualTo(before);
            assertThat(activeAgents(scraper)).isEqualTo(before);
        } finally {
            Outage.restore();
        }
    }

    private static String activeAgents(Api scraper) {
        Api.Response scrape = scraper.get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        java.util.regex.Matcher sample = java.util.regex.Pattern.compile("^active_agents(?:\\{[^}]*})? (\\S+)$",
                java.util.regex.Pattern.MULTILINE).matcher(scrape.body());
        assertThat(sample.find()).as("active_agents is exported").isTrue();
        return sample.group(1);
    }
}
