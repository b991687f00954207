package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;
import dev.agentapi.cache.AgentCache;
import dev.agentapi.cache.LocalAgentCache;
import dev.agentapi.ratelimit.BucketStore;
import dev.agentapi.ratelimit.LocalBucketStore;
import dev.agentapi.redis.RedisGateway;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The database stops answering: readiness says so, liveness does not, and both recover without a restart. */
@ExtendWith(RequiresPostgres.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ReadinessOutageTest {

    static String name;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) {
        String url = TestDatabase.create();
        name = TestDatabase.nameOf(url);
        registry.add("agent-api.database.url", () -> url);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("agent-api.security.api-keys", TestKeys::property);
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    /** The first answer with a wanted status, or (after 30 s) the last one, for the caller's assertion to show. */
    private static Api.Response awaitStatus(Api api, String path, Predicate<Integer> wanted) {
        try {
            return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> api.get(path), response -> wanted.test(response.status()));
        } catch (ConditionTimeoutException notYet) {
            return api.get(path);
        }
    }

    @Test
    void databaseOutageMakesReadinessFailButNeverLiveness() throws Exception {
        Api api = new Api(port);
        assertThat(api.get("/health/ready").status()).isEqualTo(200);

        TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS false");
        TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
        try {
            Api.Response ready = awaitStatus(api, "/health/ready", s -> s == 503);
            assertThat(ready.status()).isEqualTo(503);
            assertThat(api.get("/health/live").status()).isEqualTo(200);
            Api.Response seed = api.get("/api/agents/health/ready");
            assertThat(seed.status()).isEqualTo(503);
            assertThat(seed.json().get("status").asString()).isEqualTo("not_ready");
            assertThat(seed.json().get("components").get("database").get("status").asString()).isEqualTo("unhealthy");
            assertThat(api.get("/api/agents/health").status()).isEqualTo(200);
        } finally {
            TestDatabase.execute("ALTER DATABASE " + name + " WITH ALLOW_CONNECTIONS true");
        }

        assertThat(awaitStatus(api, "/health/ready", s -> s == 200).status()).isEqualTo(200);
        assertThat(api.get("/api/agents/health/ready").status()).isEqualTo(200);
    }

    /** No REDIS_URL (this context has none): the local forms apply, and the seed report says Redis is not configured. */
    @Test
    void withoutRedisTheLocalFormsApplyAndRedisIsReportedNotConfigured() {
        assertThat(context.getBeanNamesForType(RedisGateway.class)).isEmpty();
        assertThat(context.getBean(AgentCache.class)).isInstanceOf(LocalAgentCache.class);
        assertThat(context.getBean(BucketStore.class)).isInstanceOf(LocalBucketStore.class);

        Api.Response seed = new Api(port).get("/api/agents/health/ready");
        assertThat(seed.body()).as(seed.toString())
                .contains("\"redis\":{\"status\":\"not_configured\",\"cache\":\"local\",\"rate_limit\":\"local\"}");
    }
}
