package dev.agentapi.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.cache.AgentCache.CachedAgent;
import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestRedis;
import dev.agentapi.support.TestRedisGateway;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Two replicas' agent caches on one real Redis: replica A answers repeated reads from its near copy, and a
 * write through replica B reaches A through Redis's invalidation, not after A's copy expires. A reaches
 * Redis through a relay, so the test can cut it off: a copy A can no longer hear invalidations for is not
 * served.
 */
@ExtendWith(RequiresRedis.class)
class NearCacheTest {

    final String prefix = TestRedis.RUN_PREFIX + "near-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    TcpProxy relay;
    ThreadPoolTaskScheduler scheduler;
    TestRedisGateway gatewayA;
    TestRedisGateway gatewayB;
    CacheMetrics metricsA;
    RedisAgentCache replicaA;
    RedisAgentCache replicaB;

    @BeforeEach
    void start() throws Exception {
        relay = TestRedis.relay();
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.initialize();
        gatewayA = gateway("redis://127.0.0.1:" + relay.port());
        gatewayB = gateway(TestRedis.URL);
        metricsA = new CacheMetrics(new SimpleMeterRegistry());
        replicaA = new RedisAgentCache(gatewayA.gateway(), properties(), metricsA, scheduler);
        replicaB = new RedisAgentCache(gatewayB.gateway(), properties(), new CacheMetrics(new SimpleMeterRegistry()), scheduler);
        // the tracked connection opens in the background, at start-up; until it is open, reads keep no copies
        await().atMost(Duration.ofSeconds(10)).until(() -> replicaA.nearCacheLive() && replicaB.nearCacheLive());
    }

    private CacheProperties properties() {
        return new CacheProperties(Duration.ofMinutes(5), prefix, 100);
    }

    private static TestRedisGateway gateway(String url) {
        return TestRedisGateway.open(url, Duration.ofMillis(200));
    }

    @AfterEach
    void stop() throws Exception {
        replicaA.close();
        replicaB.close();
        gatewayA.close();
        gatewayB.close();
        scheduler.destroy();
        relay.close();
    }

    private long versionOnA(String id) {
        return replicaA.get(id).map(CachedAgent::version).orElse(-1L);
    }

    @Test
    void aWriteThroughReplicaBDropsReplicaAsNearCopy() {
        replicaB.put("a", 1, "{\"v\":1}");
        assertThat(versionOnA("a")).as("read from Redis").isEqualTo(1);
        double nearHits = metricsA.nearHits();
        assertThat(versionOnA("a")).isEqualTo(1);
        assertThat(metricsA.nearHits() - nearHits).as("the second read is A's own copy").isEqualTo(1.0);

        replicaB.put("a", 2, "{\"v\":2}");

        // Redis pushes the invalidation when B's write runs; A drops its copy when it arrives
        await().atMost(Duration.ofSeconds(5)).until(() -> versionOnA("a") == 2);
        replicaB.remove("a", 3);
        await().atMost(Duration.ofSeconds(5)).until(() -> replicaA.get("a").map(CachedAgent::deleted).orElse(false));
    }

    @Test
    void aReplicaReadsItsOwnWriteAtOnce() {
        replicaA.put("own", 1, "{\"v\":1}");
        assertThat(versionOnA("own")).isEqualTo(1);
        assertThat(versionOnA("own")).isEqualTo(1);

        replicaA.put("own", 2, "{\"v\":2}");

        assertThat(versionOnA("own")).as("no waiting for Redis's invalidation").isEqualTo(2);
    }

    @Test
    void aCopyIsNotServedOnceItsReplicaCanNoLongerHearInvalidations() throws Exception {
        replicaB.put("cut", 1, "{\"v\":1}");
        assertThat(versionOnA("cut")).isEqualTo(1);
        assertThat(versionOnA("cut")).isEqualTo(1);

        relay.stop();
        replicaB.put("cut", 2, "{\"v\":2}");

        // A's tracked connection is gone, so its copy of version 1 is dropped: A misses (PostgreSQL would answer)
        await().atMost(Duration.ofSeconds(5)).until(() -> replicaA.get("cut").isEmpty());
        assertThat(replicaA.nearCacheLive()).isFalse();
        relay.start();
        // reads go to Redis again at once; the next tracked connection is opened in the background meanwhile
        await().atMost(Duration.ofSeconds(10)).until(() -> versionOnA("cut") == 2 && replicaA.nearCacheLive());
        assertThat(versionOnA("cut")).isEqualTo(2);
        double nearHits = metricsA.nearHits();
        assertThat(versionOnA("cut")).as("kept again, on a new tracked connection").isEqualTo(2);
        assertThat(metricsA.nearHits() - nearHits).isEqualTo(1.0);
    }
}
