package dev.agentapi.redis;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resilience4j's circuit breaker, set up for Redis: one failure opens it, so while Redis is down requests
 * skip it instead of each paying the command timeout; after {@code retryAfter} one caller is let through
 * (half-open, one permitted call) and its success closes it again. Transitions are logged once each way
 * and exposed as {@code redis_available}; {@code redis_failures} and {@code redis_skipped} count the rest.
 */
public final class RedisCircuitBreaker {

    private static final Logger log = LoggerFactory.getLogger(RedisCircuitBreaker.class);

    private RedisCircuitBreaker() {
    }

    public static CircuitBreaker create(Duration retryAfter, MeterRegistry meters) {
        CircuitBreaker breaker = CircuitBreaker.of("redis", CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(1)
                .minimumNumberOfCalls(1)
                .failureRateThreshold(100)
                .waitDurationInOpenState(retryAfter)
                .permittedNumberOfCallsInHalfOpenState(1)
                .build());
        Gauge.builder("redis_available", breaker, b -> b.getState() == CircuitBreaker.State.CLOSED ? 1 : 0)
                .description("1 while Redis serves the cache and rate-limit buckets, 0 while local fallbacks do")
                .register(meters);
        Counter skipped = Counter.builder("redis_skipped").description("Redis calls skipped while the breaker was open").register(meters);
        Counter failures = Counter.builder("redis_failures").description("Redis calls that failed or timed out").register(meters);
        AtomicReference<Throwable> lastFailure = new AtomicReference<>();
        breaker.getEventPublisher()
                .onCallNotPermitted(event -> skipped.increment())
                .onError(event -> {
                    failures.increment();
                    lastFailure.set(event.getThrowable());
                })
                .onStateTransition(event -> {
                    switch (event.getStateTransition()) {
                        case CLOSED_TO_OPEN -> log.warn("Redis unavailable ({}): falling back to the local cache and local rate-limit buckets",
                                lastFailure.get() == null ? "unknown" : lastFailure.get().getClass().getSimpleName());
                        case HALF_OPEN_TO_CLOSED -> log.info("Redis is back: cache and rate-limit buckets use Redis again");
                        default -> { }
                    }
                });
        return breaker;
    }
}
