package dev.agentapi.redis;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.event.DefaultEventPublisherOptions;
import io.lettuce.core.metrics.CommandLatencyRecorder;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientConfigurationBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * Redis through Spring Data Redis: Boot's auto-configuration makes the Lettuce connection factory and the
 * {@link StringRedisTemplate}; this class only feeds it and tunes it through Boot's customizers. In local mode
 * (no {@code REDIS_URL}) the factory exists but nothing uses it, so no connection is ever attempted, and the
 * cache and rate limiter use their local forms.
 */
@Configuration(proxyBeanMethods = false)
public class RedisConfiguration {

    /**
     * Reconnect quickly once Redis is back (Lettuce's default backs off to 30 s). No command latency
     * statistics: Lettuce would keep an HdrHistogram per command type and connection (with a pause detector)
     * and publish them every 10 minutes to nothing here (Redis commands are timed as observations).
     */
    @Bean
    ClientResourcesBuilderCustomizer redisClientResources() {
        return resources -> resources
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(CommandLatencyRecorder.disabled())
                .commandLatencyPublisherOptions(DefaultEventPublisherOptions.disabled());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnRedis
    static class Configured {

        /**
         * Where the factory connects: {@code REDIS_URL}, read (and refused without repeating it) by
         * {@link RedisSettings} rather than {@code spring.data.redis.url}, whose failure message quotes the URL,
         * password included.
         */
        @Bean
        DataRedisConnectionDetails redisConnectionDetails(RedisSettings settings) {
            RedisURI uri = settings.redisUri();
            return new DataRedisConnectionDetails() {
                @Override
                public String getUsername() {
                    return uri.getUsername();
                }

                @Override
                public String getPassword() {
                    return uri.getPassword() == null ? null : new String(uri.getPassword());
                }

                @Override
                public Standalone getStandalone() {
                    return Standalone.of(uri.getHost(), uri.getPort(), uri.getDatabase());
                }
            };
        }

        /** TLS for {@code rediss://} (the connection details carry no SSL bundle: the JDK's trust store decides). */
        @Bean
        LettuceClientConfigurationBuilderCustomizer redisTls(RedisSettings settings) {
            boolean tls = settings.redisUri().isSsl();
            return client -> {
                if (tls) {
                    client.useSsl();
                }
            };
        }

        /** While disconnected, commands fail at once instead of queueing until the command timeout. */
        @Bean
        LettuceClientOptionsBuilderCustomizer redisRejectWhileDisconnected() {
            return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
        }

        @Bean
        RedisGateway redisGateway(StringRedisTemplate template, LettuceConnectionFactory factory, RedisSettings settings,
                                  MeterRegistry meters) {
            RedisURI uri = settings.redisUri();
            uri.setTimeout(factory.getClientConfiguration().getCommandTimeout());
            return new RedisGateway(template, factory, uri, RedisCircuitBreaker.create(settings.retryAfter(), meters));
        }
    }
}
