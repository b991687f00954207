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
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import org.junit.jupiter.api.AfterAll;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
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
    /** Where Spring Boot's Redis connection factory would connect, if anything used it in local mode. */
    static TcpProxy redis;

    @DynamicPropertySource
    static void ownDatabase(DynamicPropertyRegistry registry) throws Exception {
        redis = TestRedis.relay();
        registry.add("spring.data.redis.host", () -> "127.0.0.1");
        registry.add("spring.data.redis.port", redis::port);
        String url = TestDatabase.create();
        name = TestDatabase.nameOf(url);
        registry.add("agent-api.database.url", () -> url);
        registry.add("spring.datasource.hikari.connection-timeout", () -> "1000");
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.launch-on-create", () -> "false");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    HealthEndpoint health;

    @AfterAll
    static void closeRelay() {
        redis.close();
    }

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
        // Spring Data Redis's factory is there (its auto-configuration is not excluded), but nothing uses it:
        // every health contributor asked, an agent created and read, and still not a byte towards Redis
        assertThat(health.health().getStatus()).isNotNull();
        Api admin = new Api(port, TestKeys.ADMIN);
        admin.post("/api/agents/browser", "{\"agent_id\": \"local-mode-agent\"}");
        assertThat(admin.get("/api/agents/browser/local-mode-agent").status()).isEqualTo(200);
        assertThat(redis.sentToServer()).as("bytes sent towards Redis in local mode").isEmpty();
    }
}
