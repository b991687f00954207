package dev.agentapi.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.agentapi.redis.RedisGateway;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import java.time.Duration;

/**
 * Buckets in Redis through Bucket4j's Lettuce proxy manager, so every replica draws from the same
 * bucket. When Redis fails or the breaker is open, the local store answers instead: limiting is
 * never off, and never an error.
 *
 * <p>Each bucket handle is reused per key with one of Bucket4j's optimizations. A policy large enough
 * that {@link RateLimitProperties#localShare()} of it is a token or more gets {@code delaying}: the handle
 * keeps a copy of the bucket, answers from it, and sends what it took to Redis (in the same round trip
 * that fetches the bucket's state again) once it has taken that many tokens unsynchronized or
 * {@link RateLimitProperties#syncInterval()} has passed. A copy never admits more than its last known
 * state allowed, so a replica overshoots only by what other replicas took meanwhile, at most their
 * unsynchronized tokens each. Smaller policies get {@code batching} only: exact, one round trip shared by
 * the requests waiting on one key.
 *
 * <p>The proxy manager and the handles are built on the gateway's byte-valued connection; when the gateway stops
 * (and may start again, on a new connection), the handles hand what they took to Redis and are dropped with the proxy
 * manager, and the next request builds both afresh.
 */
public class RedisBucketStore implements BucketStore {

    private final RedisGateway redis;
    private final LocalBucketStore fallback;
    private final Duration requestTimeout;
    private final RateLimitProperties properties;
    private volatile ProxyManager<String> proxies;
    /** Bucket handles (and their unsynchronized copies) reused per key; an evicted one hands its tokens to Redis first. */
    private final Cache<String, BucketProxy> buckets;

    RedisBucketStore(RedisGateway redis, LocalBucketStore fallback, Duration requestTimeout, RateLimitProperties properties) {
        this.redis = redis;
        this.fallback = fallback;
        this.requestTimeout = requestTimeout;
        this.properties = properties;
        this.buckets = Caffeine.newBuilder().maximumSize(100_000).expireAfterAccess(Duration.ofMinutes(10))
                .removalListener((String key, BucketProxy bucket, RemovalCause cause) -> {
                    // an explicit removal is the gateway stopping, which has synced every handle already
                    if (bucket != null && cause.wasEvicted()) {
                        sync(bucket);
                    }
                })
                .build();
        redis.onStop(this::connectionClosing);
    }

    private void sync(BucketProxy bucket) {
        redis.guarded(() -> {
            bucket.getOptimizationController().syncImmediately();
            return true;
        });
    }

    /** The gateway's connection is about to close: what the handles took goes to Redis, then they and the proxy manager go. */
    private synchronized void connectionClosing() {
        buckets.asMap().values().forEach(this::sync);
        buckets.invalidateAll();
        proxies = null;
    }

    @Override
    public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
        return redis.guarded(() -> buckets.get(key, k -> proxies().builder()
                        .withOptimization(optimization(configuration))
                        .build(k, () -> configuration)).tryConsumeAndReturnRemaining(1))
                .orElseGet(() -> fallback.tryConsume(key, configuration));
    }

    Optimization optimization(BucketConfiguration configuration) {
        long unsynchronized = properties.unsynchronizedTokens(configuration.getBandwidths()[0].getCapacity());
        return unsynchronized < 1 ? Optimizations.batching()
                : Optimizations.delaying(new DelayParameters(unsynchronized, properties.syncInterval()));
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
