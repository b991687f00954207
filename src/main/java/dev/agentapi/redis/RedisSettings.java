package dev.agentapi.redis;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where Redis is ({@code REDIS_URL}: {@code redis://[:password@]host:port[/db]} or {@code rediss://}
 * for TLS) and how long a failed Redis is skipped ({@code retryAfter}) before one request tries it again.
 * Command and connect timeouts are Spring Data Redis's ({@code spring.data.redis.timeout} and
 * {@code connect-timeout}, from {@code REDIS_COMMAND_TIMEOUT}).
 */
@ConfigurationProperties(prefix = "agent-api.redis")
public record RedisSettings(String url, @DefaultValue("2s") Duration retryAfter) {

    public boolean configured() {
        return url != null && !url.isBlank();
    }

    /**
     * The URL as Lettuce reads it. A malformed one is refused with a message that does not repeat it:
     * Lettuce's, {@link java.net.URI}'s and Spring Boot's own messages quote the whole URL, password included,
     * into the startup log.
     */
    public RedisURI redisUri() {
        RedisURI uri;
        try {
            uri = RedisURI.create(url);
        } catch (RuntimeException malformed) {
            throw invalid();
        }
        // an unencoded '#', '?' or '/' in a password ends the authority early: what is left of the password
        // becomes the host (":secret"), and Lettuce prints the host in every connection failure
        if (url.indexOf('#') >= 0 || (uri.getHost() != null && uri.getHost().startsWith(":"))) {
            throw invalid();
        }
        return uri;
    }

    private static IllegalArgumentException invalid() {
        return new IllegalArgumentException("REDIS_URL is not a valid Redis URL (expected redis://[:password@]host:port[/db] "
                + "or rediss://..., with '#', '?', '/' and '@' in a password written %23, %3F, %2F, %40)");
    }
}
