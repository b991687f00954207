package dev.agentapi.ratelimit;

import dev.agentapi.redis.RedisGateway;
import dev.agentapi.redis.RedisSettings;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Redis buckets when Redis is configured (local ones as their fallback), local buckets otherwise. */
@Configuration(proxyBeanMethods = false)
class RateLimitConfiguration {

    @Bean
    BucketStore bucketStore(ObjectProvider<RedisGateway> redis, RedisSettings settings, RateLimitProperties properties) {
        LocalBucketStore local = new LocalBucketStore(properties.localMaximumBuckets(), Duration.ofHours(1));
        RedisGateway gateway = redis.getIfAvailable();
        return gateway != null ? new RedisBucketStore(gateway, local, settings.commandTimeout()) : local;
    }
}
