package dev.agentapi.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.TestRedisGateway;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The breaker's observable behaviour, without a Redis (the work handed to the gateway is the test's own): one
 * failure switches to the local fallbacks, calls are then skipped without running, and after {@code retryAfter}
 * one trial decides: success brings Redis back, failure keeps it skipped.
 */
class RedisCircuitBreakerTest {

    // nothing listens there, and nothing here connects: the gateway connects lazily, for commands only. Retry-after is
    // what the checks after a trial have to run within (200 ms was missed once with two test JVMs on a loaded machine)
    final TestRedisGateway redis = TestRedisGateway.open("redis://127.0.0.1:1", Duration.ofSeconds(1), Duration.ofMillis(100));
    final RedisGateway gateway = redis.gateway();
    final MeterRegistry meters = redis.meters();
    final AtomicInteger runs = new AtomicInteger();

    @AfterEach
    void close() {
        redis.close();
    }

    private String work() {
        runs.incrementAndGet();
        return "answered";
    }

    private String failingWork() {
        runs.incrementAndGet();
        throw new IllegalStateException("Redis is gone");
    }

    private double count(String meter) {
        return meters.get(meter).counter().count();
    }

    @Test
    void oneFailureSkipsRedisUntilATrialAfterRetryAfterSucceeds() {
        assertThat(gateway.guarded(this::work)).contains("answered");
        assertThat(gateway.available()).isTrue();

        assertThat(gateway.guarded(this::failingWork)).isEmpty();
        assertThat(gateway.available()).isFalse();
        assertThat(count("redis_failures")).isEqualTo(1);
        assertThat(meters.get("redis_available").gauge().value()).isZero();

        int ranBefore = runs.get();
        assertThat(gateway.guarded(this::work)).as("skipped while open").isEmpty();
        assertThat(runs.get()).as("a skipped call never runs").isEqualTo(ranBefore);
        assertThat(count("redis_skipped")).isEqualTo(1);

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.guarded(this::work).isPresent());
        assertThat(gateway.available()).isTrue();
        assertThat(meters.get("redis_available").gauge().value()).isEqualTo(1);
        assertThat(gateway.guarded(this::work)).contains("answered");
    }

    @Test
    void aFailedTrialKeepsRedisSkipped() {
        assertThat(gateway.guarded(this::failingWork)).isEmpty();

        // the first call let through after retry-after is the trial: it fails, and the breaker opens again
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            int before = runs.get();
            gateway.guarded(this::failingWork);
            return runs.get() > before;
        });
        assertThat(count("redis_failures")).isEqualTo(2);
        assertThat(gateway.available()).isFalse();
        int ranBefore = runs.get();
        assertThat(gateway.guarded(this::work)).isEmpty();
        assertThat(runs.get()).isEqualTo(ranBefore);
    }
}
