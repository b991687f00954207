package dev.agentapi.agent;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Recordings ({@code POST/DELETE/GET /api/agents/browser/{id}/trace}): a stopped trace larger than {@code maxSize} is
 * not stored; a stored one is kept for {@code retention} (deleted by a cleanup every {@code cleanupInterval}, and never
 * served after); stopping waits at most {@code stopTimeout} for Playwright to write the zip.
 */
@ConfigurationProperties(prefix = "agent-api.traces")
public record TraceProperties(@DefaultValue("50MB") DataSize maxSize,
                              @DefaultValue("7d") Duration retention,
                              @DefaultValue("1h") Duration cleanupInterval,
                              @DefaultValue("60s") Duration stopTimeout) {

    public TraceProperties {
        if (maxSize.toBytes() < 1 || maxSize.toBytes() > 1024L * 1024 * 1024) {
            throw new IllegalArgumentException("agent-api.traces.max-size must be 1 B to 1 GB");
        }
        if (retention.toSeconds() < 1 || cleanupInterval.toSeconds() < 1 || stopTimeout.toSeconds() < 1) {
            throw new IllegalArgumentException("agent-api.traces retention, cleanup-interval and stop-timeout must be at least 1 s");
        }
    }
}
