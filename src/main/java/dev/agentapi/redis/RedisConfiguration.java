package dev.agentapi.redis;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Redis exists for the service only when {@code REDIS_URL} names one; otherwise no connection is
 * ever attempted and the cache and rate limiter use their local forms. (Spring Boot's own Redis
 * auto-configuration is excluded: it would default to localhost.)
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression(RedisConfiguration.CONFIGURED)
public class RedisConfiguration {

    public static final String CONFIGURED = "T(org.springframework.util.StringUtils).hasText('${agent-api.redis.url:}')";

    @Bean
    RedisBreaker redisBreaker(RedisSettings settings, MeterRegistry meters) {
        return new RedisBreaker(settings.retryAfter(), Clock.systemUTC(), meters);
    }

    @Bean
    RedisGateway redisGateway(RedisSettings settings, RedisBreaker breaker) {
        return new RedisGateway(settings, breaker);
    }
}
