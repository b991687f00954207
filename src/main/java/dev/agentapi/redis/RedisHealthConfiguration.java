package dev.agentapi.redis;

import dev.agentapi.health.HealthChecks;
import java.util.List;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The {@code redis} health indicator: the ping-and-backends one when Redis is configured, else one that says so
 * ({@code UNKNOWN}, the seed's {@code not_configured}) and where the roles that would use Redis keep their state.
 * (The nested configuration is registered before this class's own beans, so the missing-bean condition sees it.)
 */
@Configuration(proxyBeanMethods = false)
class RedisHealthConfiguration {

    /**
     * Reported as {@code redis}: under this bean name, Spring Boot's own Redis health indicator backs off (in local
     * mode it would ping a Redis on localhost that nothing else uses).
     */
    static final String REDIS = "redisHealthIndicator";

    @Bean(REDIS)
    @ConditionalOnMissingBean(name = REDIS)
    HealthIndicator redisNotConfigured(List<RedisBacked> roles) {
        return () -> RedisHealth.withBackends(Health.unknown(), roles).build();
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRedis
    static class Configured {

        @Bean(REDIS)
        RedisHealth redisHealth(RedisGateway redis, List<RedisBacked> roles, HealthChecks checks) {
            return new RedisHealth(redis, roles, checks);
        }
    }
}
