package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;
import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestKeys;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Redis vanishes (a relay in front of the real Redis cuts every connection): the service stays
 * ready on both readiness endpoints and reports Redis unhealthy, then healthy again once it is back.
 */
@RateLimitIntegrationTest
class RedisOutageReadinessTest {

    static final TcpProxy redis = RateLimitIntegrationTest.Limits.redis();

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
        Api api = new Api(port, TestKeys.ADMIN); // the cache and rate_limit details are an admin's
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
