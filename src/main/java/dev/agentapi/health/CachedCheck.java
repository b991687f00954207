package dev.agentapi.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A component check that a burst of probes cannot multiply: one check runs at a time, its result
 * is reused for a time-to-live, and a caller waits at most a timeout for it.
 */
final class CachedCheck<T> {

    private final Supplier<T> check;
    private final Function<Throwable, T> onFailure;
    private final Duration ttl;
    private final Duration timeout;
    private final Executor executor;
    private final Clock clock;

    private T value;
    private Instant checkedAt = Instant.MIN;
    private CompletableFuture<T> inFlight;

    CachedCheck(Supplier<T> check, Function<Throwable, T> onFailure, Duration ttl, Duration timeout,
                Executor executor, Clock clock) {
        this.check = check;
        this.onFailure = onFailure;
        this.ttl = ttl;
        this.timeout = timeout;
        this.executor = executor;
        this.clock = clock;
    }

    T get() {
        CompletableFuture<T> running;
        synchronized (this) {
            if (value != null && clock.instant().isBefore(checkedAt.plus(ttl))) {
                return value;
            }
            if (inFlight == null) {
                CompletableFuture<T> started = CompletableFuture.supplyAsync(check, executor)
                        .exceptionally(onFailure);
                inFlight = started;
                // may complete (and clear inFlight) at once, on this thread: keep our own reference
                started.thenAccept(result -> remember(started, result));
                running = started;
            } else {
                running = inFlight;
            }
        }
        try {
            return running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            T timedOut = onFailure.apply(new TimeoutException("no answer within " + timeout.toMillis() + " ms"));
            synchronized (this) {
                value = timedOut;
                checkedAt = clock.instant();
            }
            return timedOut;
        } catch (ExecutionException e) {
            return onFailure.apply(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return onFailure.apply(e);
        }
    }

    private synchronized void remember(CompletableFuture<T> finished, T result) {
        value = result;
        checkedAt = clock.instant();
        if (inFlight == finished) {
            inFlight = null;
        }
    }
}
