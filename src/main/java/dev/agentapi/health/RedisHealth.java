package dev.agentapi.health;

import dev.agentapi.redis.RedisGateway;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/** Redis as the readiness report shows it; it never decides readiness. */
@Component
public class RedisHealth implements ComponentHealth {

    private final RedisGateway redis;
    private final Supplier<Boolean> ping;

    public RedisHealth(ObjectProvider<RedisGateway> redis, HealthChecks checks) {
        this.redis = redis.getIfAvailable();
        this.ping = this.redis == null ? () -> false
                : checks.cached("redis", () -> this.redis.call(c -> c.sync().ping()).isPresent(), failure -> false);
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Map<String, Object> check() {
        Map<String, Object> report = new LinkedHashMap<>();
        if (redis == null) {
            report.put("status", NOT_CONFIGURED);
            report.put("cache", "local");
            report.put("rate_limit", "local");
            return report;
        }
        boolean up = ping.get();
        report.put("status", up ? HEALTHY : UNHEALTHY);
        String backend = redis.breaker().isOpen() ? "local" : "redis";
        report.put("cache", backend);
        report.put("rate_limit", backend);
        return report;
    }
}
