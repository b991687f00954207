package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.awaitility.core.ConditionTimeoutException;
import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Redis vanishes mid-test (a relay in front of the real Redis cuts every connection): reads fall
 * through to PostgreSQL, limiting goes on locally, nothing fails, and both cache and buckets
 * return to Redis when it comes back.
 */
@RateLimitIntegrationTest
class RedisOutageTest {

    static final String PREFIX = RateLimitIntegrationTest.Limits.PREFIX;
    static final TcpProxy redis = RateLimitIntegrationTest.Limits.redis();

    @LocalServerPort
    int port;
    @Autowired
    MeterRegistry meters;

    private double count(String meter) {
        return meters.get(meter).counter().count();
    }

    private static String cached(String key) {
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return connection.sync().get(key);
        } finally {
            client.shutdown();
        }
    }

    @Test
    void everyRequestSucceedsWhileRedisIsGoneAndRedisIsUsedAgainWhenBack() throws Exception {
        Api carol = new Api(port, TestKeys.CAROL); // carol's buckets: no other class of this context spends them
        String id = "outage-" + UUID.randomUUID();
        assertThat(carol.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).header("X-RateLimit-Remaining")).isEqualTo("9");
        assertThat(carol.get("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(cached(PREFIX + "agent:" + id)).startsWith("0|");

        redis.stop();
        try {
            double failuresBefore = count("redis_failures");
            int requests = 0;
            for (int i = 0; i < 20; i++, requests++) {
                assertThat(carol.get("/api/agents/browser/" + id).status()).isEqualTo(200);
            }
            assertThat(carol.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of()).status()).isEqualTo(200);
            assertThat(carol.get("/api/agents/browser/" + id).json().get("headless").asBoolean()).isFalse();
            // the breaker spares most requests the Redis timeout: only a few ever try it
            assertThat(count("redis_failures") - failuresBefore).isLessThan(requests / 2.0);
            assertThat(count("redis_skipped")).isPositive();

            // limiting goes on with local buckets: never off, never an error
            int created = 0;
            int refused = 0;
            for (int i = 0; i < 12; i++) {
                Api.Response response = carol.post("/api/agents/browser", "{}");
                assertThat(response.status()).isIn(201, 429);
                assertThat(response.header("X-RateLimit-Limit")).isEqualTo("10");
                if (response.status() == 201) created++; else refused++;
            }
            assertThat(created).isEqualTo(10);
            assertThat(refused).isEqualTo(2);
        } finally {
            redis.start();
        }

        // back: the cache returns to Redis, with the change made during the outage (never the stale copy)
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                // every read on the way answers the change: an assertion error here ends the wait at once
                assertThat(carol.get("/api/agents/browser/" + id).json().get("headless").asBoolean()).isFalse();
                String value = cached(PREFIX + "agent:" + id);
                return value != null && value.startsWith("1|");
            });
        } catch (ConditionTimeoutException notYet) {
            // the assertion below says what Redis holds
        }
        assertThat(cached(PREFIX + "agent:" + id)).startsWith("1|").contains("\"headless\":false");
        assertThat(meters.get("redis_available").gauge().value()).isEqualTo(1.0);

        // and so do the buckets: the Redis bucket still has the tokens it had before the outage
        Api.Response afterOutage = carol.post("/api/agents/browser", "{}");
        assertThat(afterOutage.status()).isEqualTo(201);
        assertThat(afterOutage.header("X-RateLimit-Remaining")).isEqualTo("8");
    }
}
