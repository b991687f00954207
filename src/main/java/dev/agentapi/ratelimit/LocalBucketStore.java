package dev.agentapi.ratelimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Duration;

/** Buckets in this process: with no Redis, and while Redis is down. Bounded, idle buckets expire. */
public class LocalBucketStore implements BucketStore {

    private final Cache<String, Bucket> buckets;

    public LocalBucketStore(long maximumBuckets, Duration idleExpiry) {
        this.buckets = Caffeine.newBuilder().maximumSize(maximumBuckets).expireAfterAccess(idleExpiry).build();
    }

    @Override
    public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
        Bucket bucket = buckets.get(key, k -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build());
        return bucket.tryConsumeAndReturnRemaining(1);
    }

    @Override
    public String backend() {
        return "local";
    }
}
