package dev.agentapi.redis;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Redis is ({@code REDIS_URL}: {@code redis://[:password@]host:port[/db]} or {@code rediss://}
 * for TLS) and how little a slow or absent Redis may cost: every command is bounded by
 * {@code commandTimeout}, and after a failure Redis is skipped for {@code retryAfter} before one
 * request tries it again.
 */
@ConfigurationProperties(prefix = "agent-api.redis")
public record RedisSettings(String url,
                            @DefaultValue("250ms") Duration commandTimeout,
                            @DefaultValue("500ms") Duration connectTimeout,
                            @DefaultValue("2s") Duration retryAfter) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }
}
