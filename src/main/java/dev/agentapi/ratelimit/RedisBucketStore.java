package dev.agentapi.ratelimit;

import dev.agentapi.redis.RedisGateway;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import java.time.Duration;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager, so every replica draws from the same
 * bucket. When Redis fails or the breaker is open, the local store answers instead: limiting is
 * never off, and never an error.
 */
public class RedisBucketStore implements BucketStore {

    private final RedisGateway redis;
    private final LocalBucketStore fallback;
    private final Duration requestTimeout;
    private volatile ProxyManager<String> proxies;
    /** Bucket handles reused per key, so concurrent requests on one key share a Redis round trip (batching). */
    private final Cache<String, BucketProxy> buckets = Caffeine.newBuilder()
            .maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10)).build();

    RedisBucketStore(RedisGateway redis, LocalBucketStore fallback, Duration requestTimeout) {
        this.redis = redis;
        this.fallback = fallback;
        this.requestTimeout = requestTimeout;
    }

    @Override
    public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
        return redis.guarded(() -> buckets.get(key, k -> proxies().builder()
                        .withOptimization(Optimizations.batching())
                        .build(k, () -> configuration)).tryConsumeAndReturnRemaining(1))
                .orElseGet(() -> fallback.tryConsume(key, configuration));
    }

    private ProxyManager<String> proxies() {
        ProxyManager<String> current = proxies;
        if (current == null) {
            synchronized (this) {
                if (proxies == null) {
                    proxies = Bucket4jLettuce.casBasedBuilder(redis.bytes())
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
                            .requestTimeout(requestTimeout)
                            .build();
                }
                current = proxies;
            }
        }
        return current;
    }

    @Override
    public String backend() {
        return redis.available() ? "redis" : "local";
    }
}
