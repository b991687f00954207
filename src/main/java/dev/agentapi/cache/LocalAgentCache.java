package dev.agentapi.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Optional;

/** In-process cache (Caffeine): used when no Redis is configured, and while Redis is down. */
public class LocalAgentCache implements AgentCache {

    private final Cache<String, CachedAgent> entries;
    private final CacheMetrics metrics;

    LocalAgentCache(CacheProperties properties, CacheMetrics metrics) {
        this.entries = Caffeine.newBuilder().expireAfterWrite(properties.ttl())
                .maximumSize(properties.localMaximumSize()).build();
        this.metrics = metrics;
    }

    @Override
    public Optional<CachedAgent> get(String agentId) {
        return metrics.count(Optional.ofNullable(entries.getIfPresent(agentId)));
    }

    @Override
    public void put(String agentId, long version, String json) {
        store(agentId, new CachedAgent(version, json));
    }

    @Override
    public void remove(String agentId, long version) {
        store(agentId, new CachedAgent(version, null));
    }

    void store(String agentId, CachedAgent entry) {
        entries.asMap().merge(agentId, entry, (current, offered) -> offered.version() > current.version() ? offered : current);
    }

    @Override
    public String backend() {
        return "local";
    }
}
