package dev.agentapi.cache;

import dev.agentapi.redis.ConditionalOnRedis;
import dev.agentapi.redis.RedisGateway;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.TaskScheduler;

/**
 * The agent cache: the Redis one when Redis is configured, the in-process one when no other is there.
 * (The nested configuration is registered before this class's own beans, so the missing-bean condition
 * sees it whatever order the configuration classes are scanned in.)
 */
@Configuration(proxyBeanMethods = false)
class CacheConfiguration {

    @Bean
    CacheMetrics cacheMetrics(MeterRegistry meters) {
        return new CacheMetrics(meters);
    }

    @Bean
    @ConditionalOnMissingBean(AgentCache.class)
    LocalAgentCache localAgentCache(CacheProperties properties, CacheMetrics metrics) {
        return new LocalAgentCache(properties, metrics);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRedis
    static class RedisCacheConfiguration {

        @Bean
        RedisAgentCache redisAgentCache(RedisGateway redis, CacheProperties properties, CacheMetrics metrics,
                                        TaskScheduler scheduler) {
            return new RedisAgentCache(redis, properties, metrics, scheduler);
        }
    }
}
