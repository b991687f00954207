package dev.agentapi.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The Redis {@link TestServices} chose (127.0.0.1:6379 here; {@code TEST_REDIS_URL}, or a container
 * where Docker runs). It is
 * shared with other runs, so every run keeps its keys under its own prefix.
 */
public final class TestRedis {

    public static final String URL = TestServices.REDIS_URL;
    public static final String RUN_PREFIX = "test-" + UUID.randomUUID().toString().substring(0, 8) + ":";

    private TestRedis() {
    }

    static boolean reachable() {
        RedisURI uri = RedisURI.create(URL);
        uri.setTimeout(Duration.ofSeconds(2));
        RedisClient client = RedisClient.create(uri);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            return "PONG".equals(connection.sync().ping());
        } catch (RuntimeException e) {
            return false;
        } finally {
            client.shutdown();
        }
    }

    /** A relay in front of the test Redis, so a test can cut it off ({@code stop()}) and bring it back. */
    public static TcpProxy relay() throws IOException {
        RedisURI real = RedisURI.create(URL);
        return new TcpProxy(real.getHost(), real.getPort());
    }

    /**
     * Points a test's service at Redis through the relay, retried 1 s after a failure, with its
     * cache and rate-limit keys under {@code prefix}.
     */
    public static void registerRelayed(DynamicPropertyRegistry registry, TcpProxy relay, String prefix) {
        registry.add("agent-api.redis.url", () -> "redis://127.0.0.1:" + relay.port());
        registry.add("agent-api.redis.retry-after", () -> "1s");
        registry.add("agent-api.cache.key-prefix", () -> prefix + "agent:");
        registry.add("agent-api.rate-limit.key-prefix", () -> prefix);
    }

    /** A direct connection, to look at what the service stored. Close it after use. */
    public static RedisClient client() {
        return RedisClient.create(URL);
    }
}
