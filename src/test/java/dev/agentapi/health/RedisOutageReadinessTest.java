package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Redis vanishes (a relay in front of the real Redis cuts every connection): the service stays
 * ready on both readiness endpoints and reports Redis unhealthy, then healthy again once it is back.
 */
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageReadinessTest {

    static final String PREFIX = TestRedis.RUN_PREFIX + "ready-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    static TcpProxy redis;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        redis = TestRedis.relay();
        registry.add("agent-api.database.url", TestDatabase::shared);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        TestRedis.registerRelayed(registry, redis, PREFIX);
        // this test is about Redis: give the database check room on a busy machine so it cannot be the reason for a 503
        registry.add("agent-api.health.timeout", () -> "5s");
    }

    @AfterAll
    static void closeRelay() {
        redis.close();
    }

    @LocalServerPort
    int port;

    /** Polls the seed readiness report until Redis has the wanted status (checks are cached for about 2 s). */
    private static Api.Response awaitRedis(Api api, String wanted) {
        Api.Response response;
        try {
            response = await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200))
                    .until(() -> api.get("/api/agents/health/ready"), r -> wanted.equals(redisStatus(r)));
        } catch (ConditionTimeoutException notYet) {
            response = api.get("/api/agents/health/ready");
        }
        assertThat(redisStatus(response)).as(response.toString()).isEqualTo(wanted);
        return response;
    }

    private static String redisStatus(Api.Response response) {
        JsonNode redis = response.json().path("components").path("redis").path("status");
        return redis.isString() ? redis.asString() : null;
    }

    @Test
    void redisDownKeepsBothReadinessEndpointsReadyAndReportsRedisUnhealthy() throws Exception {
        Api api = Api.anonymous(port);
        awaitRedis(api, "healthy");

        redis.stop();
        try {
            Api.Response seed = awaitRedis(api, "unhealthy");
            assertThat(seed.status()).as(seed.toString()).isEqualTo(200);
            assertThat(seed.json().get("status").asString()).isEqualTo("ready");
            assertThat(seed.json().get("components").get("database").get("status").asString()).isEqualTo("healthy");

            Api.Response probe = api.get("/health/ready");
            assertThat(probe.status()).as(probe.toString()).isEqualTo(200);
            assertThat(probe.json().get("status").asString()).isEqualTo("UP");
            // still down (the relay has not been started again): the report has not recovered in between
            assertThat(redisStatus(api.get("/api/agents/health/ready"))).isEqualTo("unhealthy");
        } finally {
            redis.start();
        }

        Api.Response back = awaitRedis(api, "healthy");
        assertThat(back.status()).isEqualTo(200);
        assertThat(back.json().get("components").get("redis").get("cache").asString()).isEqualTo("redis");
    }
}
