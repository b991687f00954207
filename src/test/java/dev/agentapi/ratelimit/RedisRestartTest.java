package dev.agentapi.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.support.RequiresRedis;
import dev.agentapi.support.TestRedis;
import dev.agentapi.support.TestRedisGateway;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.BucketConfiguration;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A context that is stopped and started again (a checkpoint and restore does that; so does a cached test context
 * that is paused and resumed) gets a new Lettuce client from Spring Data Redis's connection factory: the buckets go on
 * in Redis over a new connection, with the tokens they had, and Redis is never taken for down.
 */
@ExtendWith(RequiresRedis.class)
class RedisRestartTest {

    final String prefix = TestRedis.RUN_PREFIX + "restart-" + UUID.randomUUID().toString().substring(0, 6) + ":";
    final BucketConfiguration fivePerMinute = BucketConfiguration.builder()
            .addLimit(Bandwidth.builder().capacity(5).refillIntervally(5, Duration.ofMinutes(1)).build()).build();
    TestRedisGateway gateway;
    RedisBucketStore buckets;

    @BeforeEach
    void open() {
        // a failure keeps Redis skipped for the rest of the test: a local bucket would answer, and it starts full
        gateway = TestRedisGateway.open(TestRedis.URL, Duration.ofMinutes(1));
        RateLimitProperties properties = new RateLimitProperties(true, List.of(), List.of(), prefix, 1000, 0.0, Duration.ofMillis(500));
        buckets = new RedisBucketStore(gateway.gateway(), RateLimitConfiguration.local(properties), Duration.ofSeconds(2), properties);
    }

    @AfterEach
    void close() {
        gateway.close();
    }

    @Test
    void bucketsStayInRedisAfterTheContextIsStoppedAndStartedAgain() {
        bucketsSurvive(context -> {
            context.stop();
            context.start();
        });
    }

    @Test
    void bucketsStayInRedisAfterTheContextIsPausedAndRestarted() {
        bucketsSurvive(context -> {
            context.pause();
            context.restart();
        });
    }

    private void bucketsSurvive(Consumer<ConfigurableApplicationContext> restart) {
        String key = prefix + "caller";
        assertThat(buckets.tryConsume(key, fivePerMinute).getRemainingTokens()).isEqualTo(4);
        assertThat(buckets.tryConsume(key, fivePerMinute).getRemainingTokens()).isEqualTo(3);

        restart.accept(gateway.context());

        assertThat(buckets.tryConsume(key, fivePerMinute).getRemainingTokens()).as("the Redis bucket, not a fresh local one").isEqualTo(2);
        assertThat(buckets.backend()).isEqualTo("redis");
        assertThat(gateway.meters().get("redis_failures").counter().count()).isZero();
        RedisClient client = TestRedis.client();
        try (StatefulRedisConnection<String, String> redis = client.connect()) {
            assertThat(redis.sync().exists(key)).isEqualTo(1L);
        } finally {
            client.shutdown();
        }
    }
}
