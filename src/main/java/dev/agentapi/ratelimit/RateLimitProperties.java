package dev.agentapi.ratelimit;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Policies in order; the first that matches a request applies. Paths under {@code exempt} (probes,
 * Actuator, API docs, seed health, and requests other replicas forward, whose caller was limited where
 * the request arrived) are never limited.
 */
@ConfigurationProperties(prefix = "agent-api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue({"POST /api/agents/browser: 10 per minute", "* /api/**: 1000 per minute"}) List<String> policies,
        @DefaultValue({"/health/**", "/actuator/**", "/v3/api-docs/**", "/swagger-ui/**", "/api/agents/health/**",
                "/internal/replica/**"}) List<String> exempt,
        @DefaultValue("rate-limit:") String keyPrefix,
        @DefaultValue("100000") long localMaximumBuckets) {
}
