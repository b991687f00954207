package dev.agentapi.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * As {@link IntegrationTest}, with Redis behind a relay a test may cut ({@link Relay#redis()}{@code .stop()}) and
 * bring back: one context for the Redis outage tests. Redis is retried 1 s after a failure; cache and rate-limit keys
 * are under {@link Relay#PREFIX}; creating agents is limited to 4 a minute (RedisOutageTest watches local buckets take
 * over); the health checks have 5 s, so a slow database on a busy machine cannot be the reason for a 503.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedDatabaseInitializer.class, RedisOutageIntegrationTest.Relay.class})
public @interface RedisOutageIntegrationTest {

    /** The relay in front of the test Redis. */
    final class Relay implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        public static final String PREFIX = TestRedis.RUN_PREFIX + "outage-" + UUID.randomUUID().toString().substring(0, 6) + ":";
        private static TcpProxy redis;

        public static synchronized TcpProxy redis() {
            if (redis == null) {
                try {
                    redis = TestRedis.relay();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
            }
            return redis;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("redis relay", Map.of(
                    "agent-api.redis.url", "redis://127.0.0.1:" + redis().port(),
                    "agent-api.redis.retry-after", "1s",
                    "agent-api.cache.key-prefix", PREFIX + "agent:",
                    "agent-api.rate-limit.key-prefix", PREFIX,
                    "agent-api.rate-limit.policies", "POST /api/agents/browser: 4 per minute,* /api/**: 1000 per minute",
                    "agent-api.health.timeout", "5s")));
        }
    }
}
