package dev.agentapi.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CachedCheckTest {

    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final AtomicInteger runs = new AtomicInteger();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final Clock clock = new Clock() {
        @Override public ZoneOffset getZone() { return ZoneOffset.UTC; }
        @Override public Clock withZone(java.time.ZoneId zone) { return this; }
        @Override public Instant instant() { return now; }
    };

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void resultIsReusedWithinItsTimeToLiveAndRefreshedAfter() {
        CachedCheck<String> check = new CachedCheck<>(() -> "up-" + runs.incrementAndGet(), e -> "down",
                Duration.ofSeconds(2), Duration.ofSeconds(1), executor, clock);

        assertThat(check.get()).isEqualTo("up-1");
        now = now.plusMillis(1500);
        assertThat(check.get()).isEqualTo("up-1");
        now = now.plusMillis(600);
        assertThat(check.get()).isEqualTo("up-2");
    }

    @Test
    void aHangingCheckAnswersDownWithinTheTimeoutAndIsNotStartedTwice() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CachedCheck<String> check = new CachedCheck<>(() -> {
            runs.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "up";
        }, e -> "down", Duration.ZERO, Duration.ofMillis(100), executor, clock);

        assertThat(check.get()).isEqualTo("down");
        assertThat(check.get()).isEqualTo("down");
        assertThat(runs.get()).as("one check in flight at a time").isEqualTo(1);
        release.countDown();
    }

    @Test
    void aFailingCheckAnswersWithItsFailureValue() {
        CachedCheck<String> check = new CachedCheck<>(() -> {
            throw new IllegalStateException("boom");
        }, e -> "down:" + e.getClass().getSimpleName(), Duration.ofSeconds(2), Duration.ofSeconds(1), executor, clock);

        assertThat(check.get()).startsWith("down:");
    }
}
