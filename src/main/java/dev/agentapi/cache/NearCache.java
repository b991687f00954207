package dev.agentapi.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.agentapi.redis.RedisGateway;
import io.lettuce.core.api.StatefulRedisConnection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * This replica's copies of Redis values, kept coherent by Redis itself (client-side caching with
 * server-assisted invalidation): values are read on a tracked connection, and Redis tells that connection
 * when a key it read changes, from whichever replica, so the copy is dropped. A hit costs no round trip.
 *
 * <p>A copy is only kept while it cannot miss an invalidation:
 * <ul>
 * <li>a read marks its key before asking Redis, and keeps the answer only if nothing invalidated the key
 * meanwhile (an invalidation for a change after the read arrives after the reply, on the same connection);</li>
 * <li>when the tracked connection drops, or Redis stops being available (the breaker opens), every copy is
 * dropped and the connection closed: a new one is opened, tracking afresh, on the next read;</li>
 * <li>this replica's own writes drop their key's copy as soon as they return, so it reads its own writes.</li>
 * </ul>
 * Another replica's write reaches this copy as fast as Redis's invalidation push travels (Redis queues it
 * while running the write and sends it in the same pass as the writer's reply): a read racing the push can
 * still answer the old copy, never one older than that.
 */
final class NearCache<V> implements AutoCloseable {

    static final java.time.Duration REOPEN_DELAY = java.time.Duration.ofSeconds(1);

    /** A read in flight: its answer is kept only if this marker is still there when it returns. */
    private static final class Reading {
    }

    private final RedisGateway redis;
    private final Cache<String, Object> copies;
    private final Function<String, Optional<V>> decode;
    private volatile Tracking tracking;
    private final AtomicBoolean opening = new AtomicBoolean();
    private volatile long lastAttempt = System.nanoTime() - REOPEN_DELAY.toNanos();

    /** One tracked connection; once not live, never again (its successor is a new connection). */
    private static final class Tracking {
        volatile StatefulRedisConnection<String, String> connection;
        final AtomicBoolean live = new AtomicBoolean(true);
    }

    NearCache(RedisGateway redis, long maximumSize, java.time.Duration ttl, Function<String, Optional<V>> decode) {
        this.redis = redis;
        this.decode = decode;
        this.copies = Caffeine.newBuilder().maximumSize(maximumSize).expireAfterWrite(ttl).build();
        redis.onUnavailable(this::dropAll);
        redis.onStop(this::dropAll); // its connection closes with the client; a started gateway opens a new one
    }

    /** This replica's copy of {@code key}, if it holds a current one. */
    @SuppressWarnings("unchecked")
    Optional<V> copy(String key) {
        Object copy = copies.getIfPresent(key);
        return copy == null || copy instanceof Reading ? Optional.empty() : Optional.of((V) copy);
    }

    /**
     * Reads {@code key} from Redis on the tracked connection and keeps a copy. Empty when Redis could not
     * answer (skipped, failed, or no tracked connection could be opened); else the decoded value, if any.
     */
    Optional<Optional<V>> read(String key) {
        Tracking current = tracking();
        if (current == null) {
            return Optional.empty();
        }
        Reading marker = new Reading();
        copies.put(key, marker);
        Optional<Optional<V>> answer = redis.guarded(() -> Optional.ofNullable(current.connection.sync().get(key)).flatMap(decode));
        Optional<V> value = answer.flatMap(v -> v);
        if (value.isPresent() && copies.asMap().replace(key, marker, value.get())) {
            if (!current.live.get()) {
                // the connection dropped while this read was out: its invalidations may be lost
                copies.asMap().remove(key, value.get());
            }
        } else {
            copies.asMap().remove(key, marker);
        }
        return answer;
    }

    /** Drops this replica's copy of a key it has just written (Redis's invalidation may still be on its way). */
    void written(String key) {
        copies.invalidate(key);
    }

    /** Whether copies are being kept: a tracked connection is open. */
    boolean live() {
        Tracking current = tracking;
        return current != null && current.live.get();
    }

    /** Opens the tracked connection ahead of the first read (at start-up). */
    void open() {
        tracking();
    }

    /**
     * The live tracked connection; when there is none, null, and one is opened in the background (one attempt
     * at a time, at most one per {@link #REOPEN_DELAY}): no request waits for it, they read without keeping
     * copies meanwhile.
     */
    private Tracking tracking() {
        Tracking current = tracking;
        if (current != null && current.live.get()) {
            return current;
        }
        if (redis.available() && System.nanoTime() - lastAttempt >= REOPEN_DELAY.toNanos() && opening.compareAndSet(false, true)) {
            lastAttempt = System.nanoTime();
            Tracking fresh = new Tracking();
            redis.openTracked(this::invalidated, () -> lost(fresh)).whenComplete((opened, failed) -> {
                try {
                    StatefulRedisConnection<String, String> connection = opened == null ? null : opened.orElse(null);
                    if (connection != null) {
                        fresh.connection = connection;
                        if (fresh.live.get()) {
                            tracking = fresh;
                        } else {
                            connection.closeAsync(); // dropped while it was being opened
                        }
                    }
                } finally {
                    opening.set(false);
                }
            });
        }
        return null;
    }

    private void invalidated(List<String> keys) {
        if (keys == null) {
            copies.invalidateAll();
        } else {
            copies.invalidateAll(keys);
        }
    }

    private void lost(Tracking lost) {
        if (lost != null && lost.live.compareAndSet(true, false)) {
            StatefulRedisConnection<String, String> connection = lost.connection;
            if (connection != null && connection.isOpen()) {
                connection.closeAsync();
            }
        }
        copies.invalidateAll();
    }

    /** Redis is not available: no invalidation can be trusted to arrive, so nothing held is kept. */
    private void dropAll() {
        Tracking current = tracking;
        tracking = null;
        lost(current);
    }

    @Override
    public void close() {
        dropAll();
    }
}
