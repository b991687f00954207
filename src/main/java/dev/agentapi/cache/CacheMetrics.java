package dev.agentapi.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * {@code agent_cache_requests_total{result=hit|miss}}, and beside it {@code cache_hit_rate{cache=agent}}: hits
 * over all lookups since start (0 before the first), so a dashboard needs no query to read it; and
 * {@code agent_cache_near_hits_total}: those hits answered by this replica's near copy, with no Redis round trip.
 */
final class CacheMetrics {

    private final Counter hits;
    private final Counter misses;
    private final Counter nearHits;

    CacheMetrics(MeterRegistry meters) {
        this.hits = Counter.builder("agent_cache_requests").tag("result", "hit").register(meters);
        this.misses = Counter.builder("agent_cache_requests").tag("result", "miss").register(meters);
        this.nearHits = Counter.builder("agent_cache_near_hits")
                .description("Agent cache hits answered by this replica's copy, without a Redis round trip").register(meters);
        io.micrometer.core.instrument.Gauge.builder("cache_hit_rate", this, CacheMetrics::hitRate).tag("cache", "agent")
                .description("Agent cache hits over all lookups since start").register(meters);
    }

    double hitRate() {
        double all = hits.count() + misses.count();
        return all == 0 ? 0 : hits.count() / all;
    }

    void nearHit() {
        nearHits.increment();
    }

    double nearHits() {
        return nearHits.count();
    }

    <T> java.util.Optional<T> count(java.util.Optional<T> lookup) {
        (lookup.isPresent() ? hits : misses).increment();
        return lookup;
    }
}
