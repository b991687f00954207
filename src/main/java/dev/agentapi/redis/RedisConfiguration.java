package dev.agentapi.redis;

import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis exists for the service only when {@code REDIS_URL} names one; otherwise no connection is
 * ever attempted and the cache and rate limiter use their local forms. (Spring Boot's own Redis
 * auto-configuration is excluded: it would default to localhost.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnRedis
public class RedisConfiguration {

    @Bean
    RedisGateway redisGateway(RedisSettings settings, MeterRegistry meters) {
        return new RedisGateway(settings, RedisCircuitBreaker.create(settings.retryAfter(), meters));
    }
}
