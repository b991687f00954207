package dev.agentapi.health;

import dev.agentapi.browser.BrowserRuntime;
import dev.agentapi.cache.AgentCache;
import dev.agentapi.ratelimit.BucketStore;
import dev.agentapi.redis.ConditionalOnRedis;
import dev.agentapi.redis.RedisGateway;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Health indicators of the roles that have a distributed and a local form. Redis: the ping-and-backends
 * indicator when Redis is configured, else one that says so ({@code UNKNOWN}, the seed's {@code not_configured})
 * and where cache and buckets live. The browser runtime: ready when its browser can be launched here.
 * (The nested configuration is registered before this class's own beans, so the missing-bean condition sees it.)
 */
@Configuration(proxyBeanMethods = false)
class HealthConfiguration {

    /**
     * Reported as {@code redis}: under this bean name, Spring Boot's own Redis health indicator backs off (in local
     * mode it would ping a Redis on localhost that nothing else uses).
     */
    static final String REDIS = "redisHealthIndicator";

    @Bean(REDIS)
    @ConditionalOnMissingBean(name = REDIS)
    HealthIndicator redisNotConfigured(AgentCache cache, BucketStore buckets) {
        return () -> Health.unknown()
                .withDetail("cache", cache.backend())
                .withDetail("rate_limit", buckets.backend())
                .build();
    }

    /**
     * Up while some place can take a browser (Chromium, full or headless shell, installed here and allowed to launch
     * there, or a remote endpoint not known to be down); {@code max} counts only reachable places. Down, it says why
     * ({@code reason}: outside local mode, for instance, that Chromium's sandbox cannot start and how to fix that).
     * Each remote endpoint is listed with its own state.
     */
    @Bean("browsers")
    HealthIndicator browsers(BrowserRuntime runtime) {
        return () -> {
            boolean ready = runtime.isReady();
            Health.Builder health = (ready ? Health.up() : Health.down())
                    .withDetail("in_use", runtime.inUse())
                    .withDetail("max", runtime.capacity());
            if (!ready) {
                runtime.unavailable().ifPresent(reason -> health.withDetail("reason", reason));
            }
            List<BrowserRuntime.RemoteState> remote = runtime.remoteEndpoints();
            if (!remote.isEmpty()) {
                // keyed by the endpoint's name (no token): renders as name/value pairs in the console too
                Map<String, Object> endpoints = new LinkedHashMap<>();
                remote.forEach(state -> endpoints.put(state.endpoint(), remoteEndpoint(state)));
                health.withDetail("remote_endpoints", endpoints);
            }
            return health.build();
        };
    }

    private static Map<String, Object> remoteEndpoint(BrowserRuntime.RemoteState state) {
        Map<String, Object> endpoint = new LinkedHashMap<>();
        endpoint.put("status", state.status());
        endpoint.put("in_use", state.inUse());
        endpoint.put("max", state.max());
        if (state.error() != null) {
            endpoint.put("error", state.error());
        }
        return endpoint;
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRedis
    static class RedisHealthConfiguration {

        @Bean(REDIS)
        RedisHealth redisHealth(RedisGateway redis, AgentCache cache, BucketStore buckets, HealthChecks checks) {
            return new RedisHealth(redis, cache, buckets, checks);
        }
    }
}
