package dev.agentapi.ratelimit;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Policies in order; the first that matches a request applies. Paths under {@code exempt} (probes,
 * Actuator, API docs, seed health, and requests other replicas forward, whose caller was limited where
 * the request arrived) are never limited.
 *
 * <p>With Redis, a replica may spend up to {@code localShare} of a policy's capacity (rounded down) from its
 * own copy of a bucket before it tells Redis, and tells it at least every {@code syncInterval}: most requests
 * then cost no Redis round trip, and several replicas together can admit at most {@code localShare × capacity}
 * per replica more than the policy allows. A policy whose share rounds down to 0 (10 per minute, say) is
 * exact: every request asks Redis.
 */
@ConfigurationProperties(prefix = "agent-api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"POST /api/agents/browser: 10 per minute", "* /api/**: 1000 per minute"}) List<String> policies,
        @DefaultValue({"/health/**", "/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/api/agents/health/**",
                "/internal/replica/**"}) List<String> exempt,
        @DefaultValue("rate-limit:") String keyPrefix,
        @DefaultValue("100000") long localMaximumBuckets,
        @DefaultValue("0.01") double localShare,
        @DefaultValue("500ms") Duration syncInterval) {

    public RateLimitProperties {
        if (!(localShare >= 0 && localShare <= 1)) {
            throw new IllegalArgumentException("agent-api.rate-limit.local-share (RATE_LIMIT_LOCAL_SHARE) must be between 0 and 1");
        }
        if (syncInterval == null || syncInterval.isNegative()) {
            throw new IllegalArgumentException("agent-api.rate-limit.sync-interval (RATE_LIMIT_SYNC_INTERVAL) must not be negative");
        }
    }

    /** Tokens a replica may take from its own copy of a bucket of this capacity before syncing with Redis. */
    long unsynchronizedTokens(long capacity) {
        return (long) Math.floor(capacity * localShare);
    }
}
