package dev.agentapi.support;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;

/**
 * The Redis beside the tests (127.0.0.1:6379 here; override with {@code TEST_REDIS_URL}). It is
 * shared with other runs, so every run keeps its keys under its own prefix.
 */
public final class TestRedis {

    public static final String URL = System.getenv().getOrDefault("TEST_REDIS_URL", "redis://127.0.0.1:6379");
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

    /** A direct connection, to look at what the service stored. Close it after use. */
    public static RedisClient client() {
        return RedisClient.create(URL);
    }
}
