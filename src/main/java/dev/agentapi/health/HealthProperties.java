package dev.agentapi.health;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How probes stay cheap: each component check is bounded by {@code timeout}, and its result is
 * reused for {@code cacheTtl}. {@code drainDelay} is how long readiness answers 503 on shutdown
 * before the server stops taking requests (time for Kubernetes to take the pod out of rotation).
 */
@ConfigurationProperties(prefix = "agent-api.health")
public record HealthProperties(@DefaultValue("2s") Duration cacheTtl,
                               @DefaultValue("1s") Duration timeout,
                               @DefaultValue("3s") Duration drainDelay) {
}
