package dev.agentapi.health;

import dev.agentapi.cache.AgentCache;
import dev.agentapi.ratelimit.BucketStore;
import dev.agentapi.redis.RedisGateway;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Redis ({@code PING}, bounded and cached) and where the roles that use it keep their state right now:
 * the cache and the rate-limit buckets fall back to this process while Redis is away. Reported, never
 * deciding readiness. Contributed by {@link HealthConfiguration} only when Redis is configured.
 */
class RedisHealth implements HealthIndicator {

    private final Supplier<Boolean> ping;
    private final AgentCache cache;
    private final BucketStore buckets;

    RedisHealth(RedisGateway redis, AgentCache cache, BucketStore buckets, HealthChecks checks) {
        this.ping = checks.cached("redis", () -> redis.call(template -> template.execute(connection -> connection.ping(), true)).isPresent(), failure -> false);
        this.cache = cache;
        this.buckets = buckets;
    }

    @Override
    public Health health() {
        return (ping.get() ? Health.up() : Health.down())
                .withDetail("cache", cache.backend())
                .withDetail("rate_limit", buckets.backend())
                .build();
    }
}
