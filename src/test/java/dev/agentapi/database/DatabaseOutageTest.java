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
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void outageAnswers503WithRetryAfterAndRecoversByItself() throws Exception {
        Api api = new Api(port);
        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", "before-outage"))).status()).isEqualTo(201);

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
}
