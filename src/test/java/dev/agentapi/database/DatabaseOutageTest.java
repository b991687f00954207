package dev.agentapi.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A database that stops answering: 503 with Retry-After, nothing half-written, and recovery without a restart. */
@ExtendWith(RequiresPostgres.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class DatabaseOutageTest {

    static String url;
    static String name;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        url = TestDatabase.create();
        name = TestDatabase.nameOf(url);
        registry.add("agent-api.database.url", () -> url);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("agent-api.security.api-keys", TestKeys::property);
    }

    @LocalServerPort
    int port;
    @LocalManagementPort
    int managementPort;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void outageAnswers503WithRetryAfterAndRecoversByItself() throws Exception {
        Api api = new Api(port);
        // another test of this class may have just ended an outage: the pool replaces its dead connections first
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> api.post("/api/agents/browser", Api.json(Map.of("agent_id", "before-outage"))).status(), s -> s == 201);

        TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
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
            TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
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

        TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        try {
            Api.Response hidden = bob.get("/api/agents/browser/" + id);
            Api.Response missing = bob.get("/api/agents/browser/missing-" + java.util.UUID.randomUUID());

            assertThat(hidden.status()).as(hidden.toString()).isEqualTo(missing.status()).isEqualTo(503);
        } finally {
            TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
        }
    }

    /** A scrape never queries the database: during an outage it still answers, with the last count. */
    @Test
    void scrapesReadTheLastCountNotTheDatabase() throws Exception {
        Api scraper = Api.anonymous(managementPort);
        // the first count runs at start
        String before = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> activeAgents(scraper), count -> !count.equals("NaN"));

        TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        try {
            assertThat(activeAgents(scraper)).isEqualTo(before);
            assertThat(activeAgents(scraper)).isEqualTo(before);
        } finally {
            TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
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
