package dev.agentapi.cache;

import dev.agentapi.redis.RedisGateway;
import io.lettuce.core.ScriptOutputType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Agents cached in Redis, shared by every replica. Writes are "set if newer" in one Lua script, so
 * the version check and the write are atomic. While Redis is down, reads miss (PostgreSQL answers)
 * and writes that could not reach Redis are kept and replayed when it is back, so an entry from
 * before the outage cannot outlive a change made during it.
 */
public class RedisAgentCache implements AgentCache {

    private static final String SET_IF_NEWER = """
            local current = redis.call('GET', KEYS[1])
            if current then
              local version = tonumber(string.match(current, '^(%d+)|'))
              if version and version >= tonumber(ARGV[1]) then return 0 end
            end
            redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
            return 1
            """;
    private static final int MAX_PENDING = 10_000;

    private final RedisGateway redis;
    private final CacheProperties properties;
    private final CacheMetrics metrics;
    private final Map<String, CachedAgent> pending = new ConcurrentHashMap<>();

    RedisAgentCache(RedisGateway redis, CacheProperties properties, CacheMetrics metrics) {
        this.redis = redis;
        this.properties = properties;
        this.metrics = metrics;
    }

    @Override
    public Optional<CachedAgent> get(String agentId) {
        if (!pending.isEmpty() && !replayPending()) {
            return metrics.count(Optional.empty());
        }
        Optional<CachedAgent> found = redis.call(c -> Optional.ofNullable(c.sync().get(key(agentId))))
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
        if (!setIfNewer(agentId, entry)) {
            if (pending.size() < MAX_PENDING) {
                pending.merge(agentId, entry, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
    }

    /** Replays writes that failed while Redis was away; true once none are left. */
    private boolean replayPending() {
        for (Map.Entry<String, CachedAgent> entry : pending.entrySet()) {
            if (!setIfNewer(entry.getKey(), entry.getValue())) {
                return false;
            }
            pending.remove(entry.getKey(), entry.getValue());
        }
        return true;
    }

    private boolean setIfNewer(String agentId, CachedAgent entry) {
        return redis.call(c -> c.sync().<Long>eval(SET_IF_NEWER, ScriptOutputType.INTEGER,
                new String[] {key(agentId)}, String.valueOf(entry.version()), entry.encode(),
                String.valueOf(properties.ttl().toMillis()))).isPresent();
    }

    private String key(String agentId) {
        return properties.keyPrefix() + agentId;
    }

    @Override
    public String backend() {
        return redis.breaker().isOpen() ? "local" : "redis";
    }
}
