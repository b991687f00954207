package dev.agentapi.cache;

import dev.agentapi.redis.RedisGateway;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.scheduling.TaskScheduler;

/**
 * Agents cached in Redis, shared by every replica. Writes are "set if newer" in one Lua script, so
 * the version check and the write are atomic. While Redis is down, reads miss (PostgreSQL answers)
 * and writes that could not reach Redis are kept and replayed as soon as it is back (checked every
 * {@link #REPLAY_INTERVAL}, and before this replica's own reads), so an entry from before the
 * outage cannot outlive a change made during it. If more writes fail than can be kept, the
 * replay empties the whole agent cache instead.
 *
 * <p>In front of Redis sits a {@link NearCache}: this replica's copies, which Redis invalidates when any
 * replica changes the entry, so a hit costs no round trip. It holds nothing while Redis is not available.
 */
public class RedisAgentCache implements AgentCache, AutoCloseable {

    static final Duration REPLAY_INTERVAL = Duration.ofMillis(500);

    /** Sent by its SHA1 (EVALSHA), its text only the first time a Redis has not seen it. */
    private static final RedisScript<Long> SET_IF_NEWER = RedisScript.of("""
            local current = redis.call('GET', KEYS[1])
            if current then
              local version = tonumber(string.match(current, '^(%d+)|'))
              if version and version >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """, Long.class);
    private static final int MAX_PENDING = 10_000;

    private final RedisGateway redis;
    private final CacheProperties properties;
    private final CacheMetrics metrics;
    private final Map<String, CachedAgent> pending = new ConcurrentHashMap<>();
    private final int maxPending;
    /** More writes failed than {@code pending} keeps: only emptying the cache makes it safe again. */
    private volatile boolean overflowed;
    private final ScheduledFuture<?> replayer;
    private final NearCache<CachedAgent> near;

    RedisAgentCache(RedisGateway redis, CacheProperties properties, CacheMetrics metrics, TaskScheduler scheduler) {
        this(redis, properties, metrics, scheduler, MAX_PENDING);
    }

    RedisAgentCache(RedisGateway redis, CacheProperties properties, CacheMetrics metrics, TaskScheduler scheduler,
                    int maxPending) {
        this.maxPending = maxPending;
        this.redis = redis;
        this.properties = properties;
        this.metrics = metrics;
        this.near = new NearCache<>(redis, properties.localMaximumSize(), properties.ttl(), CachedAgent::decode);
        scheduler.schedule(near::open, Instant.now());
        // on Boot's scheduler (spring.task.scheduling): a replay is cheap, and nothing at all while none is pending
        this.replayer = scheduler.scheduleWithFixedDelay(() -> {
            if (hasPending()) {
                replayPending();
            }
        }, Instant.now().plus(REPLAY_INTERVAL), REPLAY_INTERVAL);
    }

    @Override
    public Optional<CachedAgent> get(String agentId) {
        if (hasPending() && !replayPending()) {
            return metrics.count(Optional.empty());
        }
        String key = key(agentId);
        if (redis.available()) {
            Optional<CachedAgent> copy = near.copy(key);
            if (copy.isPresent()) {
                metrics.nearHit();
                return metrics.count(copy);
            }
            Optional<Optional<CachedAgent>> read = near.read(key);
            if (read.isPresent()) {
                return metrics.count(read.get());
            }
        }
        Optional<CachedAgent> found = redis.call(template -> Optional.ofNullable(template.opsForValue().get(key)))
                .flatMap(value -> value.flatMap(CachedAgent::decode));
        return metrics.count(found);
    }

    @Override
    public void put(String agentId, long version, String json) {
        write(agentId, new CachedAgent(version, json));
    }

    @Override
    public void remove(String agentId, long version) {
        write(agentId, new CachedAgent(version, null));
    }

    private void write(String agentId, CachedAgent entry) {
        boolean written = setIfNewer(agentId, entry);
        near.written(key(agentId));
        if (!written) {
            if (pending.size() < maxPending || pending.containsKey(agentId)) {
                pending.merge(agentId, entry, (a, b) -> b.version() > a.version() ? b : a);
            } else {
                overflowed = true;
            }
        }
    }

    /** Whether this replica keeps near copies right now (its tracked connection is open). */
    boolean nearCacheLive() {
        return near.live();
    }

    boolean hasPending() {
        return overflowed || !pending.isEmpty();
    }

    /** Replays writes that failed while Redis was away; true once none are left. */
    private synchronized boolean replayPending() {
        if (overflowed) {
            if (!flushAll()) {
                return false;
            }
            pending.clear();
            overflowed = false;
            return true;
        }
        for (Map.Entry<String, CachedAgent> entry : pending.entrySet()) {
            if (!setIfNewer(entry.getKey(), entry.getValue())) {
                return false;
            }
            pending.remove(entry.getKey(), entry.getValue());
        }
        return true;
    }

    private boolean setIfNewer(String agentId, CachedAgent entry) {
        return redis.call(template -> template.execute(SET_IF_NEWER, List.of(key(agentId)), String.valueOf(entry.version()),
                entry.encode(), String.valueOf(properties.ttl().toMillis()))).isPresent();
    }

    /** Deletes every cached agent (a scan over the key prefix); true once done. */
    private boolean flushAll() {
        return redis.call(template -> {
            ScanOptions match = ScanOptions.scanOptions().match(properties.keyPrefix() + "*").count(1000).build();
            try (Cursor<String> keys = template.scan(match)) {
                List<String> batch = new ArrayList<>(1000);
                while (keys.hasNext()) {
                    batch.add(keys.next());
                    if (batch.size() == 1000 || !keys.hasNext()) {
                        template.unlink(batch);
                        batch.clear();
                    }
                }
            }
            return true;
        }).isPresent();
    }

    @Override
    public void close() {
        replayer.cancel(false);
        near.close();
    }

    private String key(String agentId) {
        return properties.keyPrefix() + agentId;
    }

    @Override
    public String backend() {
        return redis.available() ? "redis" : "local";
    }
}
