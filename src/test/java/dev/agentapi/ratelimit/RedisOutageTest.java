package dev.agentapi.ratelimit;

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
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Redis vanishes mid-test (a relay in front of the real Redis cuts every connection): reads fall
 * through to PostgreSQL, limiting goes on locally, nothing fails, and both cache and buckets
 * return to Redis when it comes back.
 */
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RedisOutageTest {

    static final String PREFIX = TestRedis.RUN_PREFIX + "outage-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    static TcpProxy redis;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        redis = TestRedis.relay();
        registry.add("agent-api.database.url", TestDatabase::shared);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        TestRedis.registerRelayed(registry, redis, PREFIX);
        registry.add("agent-api.rate-limit.policies", () -> "POST /api/agents/browser: 4 per minute,* /api/**: 1000 per minute");
    }

    @AfterAll
    static void closeRelay() {
        redis.close();
    }

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
        Api alice = new Api(port, TestKeys.ALICE);
        String id = "outage-" + UUID.randomUUID();
        assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).header("X-RateLimit-Remaining")).isEqualTo("3");
        assertThat(alice.get("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(cached(PREFIX + "agent:" + id)).startsWith("0|");

        redis.stop();
        try {
            double failuresBefore = count("redis_failures");
            int requests = 0;
            for (int i = 0; i < 20; i++, requests++) {
                assertThat(alice.get("/api/agents/browser/" + id).status()).isEqualTo(200);
            }
            assertThat(alice.patch("/api/agents/browser/" + id, "{\"headless\": false}", Map.of()).status()).isEqualTo(200);
            assertThat(alice.get("/api/agents/browser/" + id).json().get("headless").asBoolean()).isFalse();
            // the breaker spares most requests the Redis timeout: only a few ever try it
            assertThat(count("redis_failures") - failuresBefore).isLessThan(requests / 2.0);
            assertThat(count("redis_skipped")).isPositive();

            // limiting goes on with local buckets: never off, never an error
            int created = 0;
            int refused = 0;
            for (int i = 0; i < 6; i++) {
                Api.Response response = alice.post("/api/agents/browser", "{}");
                assertThat(response.status()).isIn(201, 429);
                assertThat(response.header("X-RateLimit-Limit")).isEqualTo("4");
                if (response.status() == 201) created++; else refused++;
            }
            assertThat(created).isEqualTo(4);
            assertThat(refused).isEqualTo(2);
        } finally {
            redis.start();
        }

        // back: the cache returns to Redis, with the change made during the outage (never the stale copy)
        try {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(250)).until(() -> {
                // every read on the way answers the change: an assertion error here ends the wait at once
                assertThat(alice.get("/api/agents/browser/" + id).json().get("headless").asBoolean()).isFalse();
                String value = cached(PREFIX + "agent:" + id);
                return value != null && value.startsWith("1|");
            });
        } catch (ConditionTimeoutException notYet) {
            // the assertion below says what Redis holds
        }
        assertThat(cached(PREFIX + "agent:" + id)).startsWith("1|").contains("\"headless\":false");
        assertThat(meters.get("redis_available").gauge().value()).isEqualTo(1.0);

        // and so do the buckets: the Redis bucket still has the tokens it had before the outage
        Api.Response afterOutage = alice.post("/api/agents/browser", "{}");
        assertThat(afterOutage.status()).isEqualTo(201);
        assertThat(afterOutage.header("X-RateLimit-Remaining")).isEqualTo("2");
    }
}
