package dev.agentapi.redis;

import dev.agentapi.health.HealthChecks;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Redis ({@code PING}, bounded and cached) and where the roles that use it keep their state right now:
 * the cache and the rate-limit buckets fall back to this process while Redis is away. Reported, never
 * deciding readiness. Contributed by {@link RedisHealthConfiguration} only when Redis is configured.
 */
class RedisHealth implements HealthIndicator {

    private final Supplier<Boolean> ping;
    private final List<RedisBacked> roles;

    RedisHealth(RedisGateway redis, List<RedisBacked> roles, HealthChecks checks) {
        this.ping = checks.cached("redis", () -> redis.call(template -> template.execute(connection -> connection.ping(), true)).isPresent(), failure -> false);
        this.roles = roles;
    }

    @Override
    public Health health() {
        return withBackends(ping.get() ? Health.up() : Health.down(), roles).build();
    }

    /** Each role's backend as a detail named after the role, in the roles' alphabetical order ({@code cache}, {@code rate_limit}). */
    static Health.Builder withBackends(Health.Builder health, List<RedisBacked> roles) {
        roles.stream().sorted(Comparator.comparing(RedisBacked::role))
                .forEach(role -> health.withDetail(role.role(), role.backend()));
        return health;
    }
}
