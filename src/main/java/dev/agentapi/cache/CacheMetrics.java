package dev.agentapi.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** {@code agent_cache_requests_total{result=hit|miss}}: the hit rate, observable. */
final class CacheMetrics {

    private final Counter hits;
    private final Counter misses;

    CacheMetrics(MeterRegistry meters) {
        this.hits = Counter.builder("agent_cache_requests").tag("result", "hit").register(meters);
        this.misses = Counter.builder("agent_cache_requests").tag("result", "miss").register(meters);
    }

    <T> java.util.Optional<T> count(java.util.Optional<T> lookup) {
        (lookup.isPresent() ? hits : misses).increment();
        return lookup;
    }
}
