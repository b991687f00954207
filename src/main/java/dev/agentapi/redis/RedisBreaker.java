package dev.agentapi.redis;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers that Redis just failed, so that while it is down requests skip it instead of each
 * paying the command timeout. After {@code retryAfter} one caller is let through to try again;
 * its success closes the breaker. Transitions are logged once and exposed as {@code redis_available}.
 */
public final class RedisBreaker {

    private static final Logger log = LoggerFactory.getLogger(RedisBreaker.class);

    private final Duration retryAfter;
    private final Clock clock;
    private final AtomicReference<Instant> openUntil = new AtomicReference<>(null);
    private final AtomicBoolean trialInFlight = new AtomicBoolean(false);
    private final Counter skipped;
    private final Counter failures;

    public RedisBreaker(Duration retryAfter, Clock clock, MeterRegistry meters) {
        this.retryAfter = retryAfter;
        this.clock = clock;
        Gauge.builder("redis_available", () -> isOpen() ? 0 : 1)
                .description("1 while Redis serves the cache and rate-limit buckets, 0 while local fallbacks do")
                .register(meters);
        this.skipped = Counter.builder("redis_skipped").description("Redis calls skipped while the breaker was open").register(meters);
        this.failures = Counter.builder("redis_failures").description("Redis calls that failed or timed out").register(meters);
    }

    /** May this call go to Redis? False while open, except for one trial call once {@code retryAfter} has passed. */
    public boolean allowsCall() {
        Instant until = openUntil.get();
        if (until == null) {
            return true;
        }
        if (clock.instant().isAfter(until) && trialInFlight.compareAndSet(false, true)) {
            return true;
        }
        skipped.increment();
        return false;
    }

    public void recordSuccess() {
        trialInFlight.set(false);
        if (openUntil.getAndSet(null) != null) {
            log.info("Redis is back: cache and rate-limit buckets use Redis again");
        }
    }

    public void recordFailure(Throwable cause) {
        failures.increment();
        trialInFlight.set(false);
        Instant previous = openUntil.getAndSet(clock.instant().plus(retryAfter));
        if (previous == null) {
            log.warn("Redis unavailable ({}): falling back to the local cache and local rate-limit buckets",
                    cause.getClass().getSimpleName());
        }
    }

    public boolean isOpen() {
        return openUntil.get() != null;
    }
}
