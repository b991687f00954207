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
import dev.agentapi.support.DatabaseOutageIntegrationTest;
import dev.agentapi.support.DatabaseOutageIntegrationTest.Outage;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestKeys;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;

/** The database stops answering: readiness says so, liveness does not, and both recover without a restart. */
@DatabaseOutageIntegrationTest // local mode, a database of its own, connections given up after 1 s
class ReadinessOutageTest {

    /** Where Spring Boot's Redis connection factory would connect, if anything used it in local mode. */
    static final TcpProxy redis = Outage.redis();

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;
    @Autowired
    HealthEndpoint health;

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
        // another test of this context may have just ended an outage: ready again (checks are cached ~2 s) first
        assertThat(awaitStatus(api, "/health/ready", s -> s == 200).status()).isEqualTo(200);

        Outage.cut();
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
            Outage.restore();
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
        // not one Redis command (a Redis client's first bytes on any connection: HELLO or PING, as a RESP array). The
        // relay lives as long as this context, on a port some other test's client may once have known (a cached
        // remote-browser context retrying its stopped endpoint has been seen there), so bytes as such prove nothing
        assertThat(redis.sentToServer()).as("Redis commands sent towards Redis in local mode")
                .doesNotContainPattern("\\*\\d+\\r\\n\\$\\d+\\r\\n");
    }
}
