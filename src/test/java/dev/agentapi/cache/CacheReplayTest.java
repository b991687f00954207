package dev.agentapi.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestRedis;
import dev.agentapi.support.TestRedisGateway;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * A replica whose cache writes failed during a Redis outage repairs Redis as soon as it returns,
 * without waiting for a read of its own, so other replicas do not keep reading the old entry.
 */
@ExtendWith(RequiresRedis.class)
class CacheReplayTest {

    final String prefix = TestRedis.RUN_PREFIX + "replay-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    TcpProxy proxy;
    TestRedisGateway gateway;
    RedisClient direct;
    StatefulRedisConnection<String, String> otherReplica;
    ThreadPoolTaskScheduler scheduler;

    @BeforeEach
    void connect() throws Exception {
        proxy = TestRedis.relay();
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        gateway = TestRedisGateway.open("redis://127.0.0.1:" + proxy.port(), Duration.ofMillis(200));
        direct = TestRedis.client();
        otherReplica = direct.connect();
    }

    @AfterEach
    void close() throws Exception {
        otherReplica.close();
        direct.shutdown();
        gateway.close();
        scheduler.destroy();
        proxy.close();
    }

    private RedisAgentCache cache(int maxPending) {
        return new RedisAgentCache(gateway.gateway(), new CacheProperties(Duration.ofMinutes(5), prefix, 100),
                new CacheMetrics(new SimpleMeterRegistry()), scheduler, maxPending);
    }

    @Test
    void aWriteThatFailedDuringTheOutageReachesRedisWhenItReturns() throws Exception {
        try (RedisAgentCache cache = cache(100)) {
            cache.put("a", 1, "{\"v\":1}");
            assertThat(otherReplica.sync().get(prefix + "a")).startsWith("1|");

            proxy.stop();
            cache.put("a", 2, "{\"v\":2}");
            cache.remove("b", 3);
            assertThat(cache.hasPending()).isTrue();
            proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.hasPending());
            assertThat(otherReplica.sync().get(prefix + "a")).as("the change made during the outage").startsWith("2|");
            assertThat(otherReplica.sync().get(prefix + "b")).as("the delete's tombstone").isEqualTo("3|");
        }
    }

    @Test
    void moreFailedWritesThanCanBeKeptEmptyTheCache() throws Exception {
        try (RedisAgentCache cache = cache(2)) {
            cache.put("kept", 1, "{}");
            proxy.stop();
            for (String id : new String[] {"x", "y", "z", "kept"}) {
                cache.put(id, 5, "{}");
            }
            proxy.start();

            await().atMost(Duration.ofSeconds(10)).until(() -> !cache.hasPending());
            assertThat(otherReplica.sync().keys(prefix + "*")).as("no entry from before the outage survives").isEmpty();
        }
    }
}
