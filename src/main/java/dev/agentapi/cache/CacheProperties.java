package dev.agentapi.cache;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** How long agents stay cached, under which key prefix, and how many the local cache holds. */
@ConfigurationProperties(prefix = "agent-api.cache")
public record CacheProperties(@DefaultValue("1h") Duration ttl,
                              @DefaultValue("agent:") String keyPrefix,
                              @DefaultValue("10000") long localMaximumSize) {
}
