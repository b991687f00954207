package dev.agentapi.ratelimit;

import dev.agentapi.redis.RedisBacked;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where token buckets live: Redis (shared by every replica) or this process. */
public interface BucketStore extends RedisBacked {

    ConsumptionProbe tryConsume(String key, BucketConfiguration configuration);

    /** {@code redis} or {@code local}: where buckets live right now (local while Redis is skipped after a failure). */
    @Override
    String backend();

    @Override
    default String role() {
        return "rate_limit";
    }
}
