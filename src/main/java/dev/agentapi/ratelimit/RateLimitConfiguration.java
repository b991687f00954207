package dev.agentapi.ratelimit;

import dev.agentapi.redis.ConditionalOnRedis;
import dev.agentapi.redis.RedisGateway;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Where buckets live: in Redis when Redis is configured (with local buckets as its fallback), in this
 * process when no other store is there. (The nested configuration is registered before this class's own
 * beans, so the missing-bean condition sees it whatever order the configuration classes are scanned in.)
 */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    @ConditionalOnMissingBean(BucketStore.class)
    LocalBucketStore localBucketStore(RateLimitProperties properties) {
        return local(properties);
    }

    static LocalBucketStore local(RateLimitProperties properties) {
        return new LocalBucketStore(properties.localMaximumBuckets(), Duration.ofHours(1));
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRedis
    static class RedisBucketConfiguration {

        @Bean
        RedisBucketStore redisBucketStore(RedisGateway redis, LettuceConnectionFactory factory, RateLimitProperties properties) {
            return new RedisBucketStore(redis, local(properties), factory.getClientConfiguration().getCommandTimeout(), properties);
        }
    }
}
