package dev.agentapi.support;

import dev.agentapi.redis.RedisConfiguration;
import dev.agentapi.redis.RedisGateway;
import dev.agentapi.redis.RedisSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A {@link RedisGateway} made as the service makes it (Spring Boot's Redis auto-configuration and the service's
 * {@link RedisConfiguration}), in a context of its own, so a test can have two replicas' gateways or one behind a
 * relay. Close it after use.
 */
public final class TestRedisGateway implements AutoCloseable {

    private final AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();

    private TestRedisGateway(String url, Duration retryAfter, Duration commandTimeout) {
        TestPropertyValues.of("agent-api.redis.url=" + url, "agent-api.redis.retry-after=" + retryAfter.toMillis() + "ms",
                "spring.data.redis.timeout=" + commandTimeout.toMillis() + "ms", "spring.data.redis.connect-timeout=500ms")
                .applyTo(context);
        context.register(RedisOnly.class);
        context.refresh();
    }

    /** A gateway to {@code url}, commands bounded at 250 ms, Redis skipped for {@code retryAfter} after a failure. */
    public static TestRedisGateway open(String url, Duration retryAfter) {
        return new TestRedisGateway(url, retryAfter, Duration.ofMillis(250));
    }

    public static TestRedisGateway open(String url, Duration retryAfter, Duration commandTimeout) {
        return new TestRedisGateway(url, retryAfter, commandTimeout);
    }

    public RedisGateway gateway() {
        return context.getBean(RedisGateway.class);
    }

    public MeterRegistry meters() {
        return context.getBean(MeterRegistry.class);
    }

    /** The gateway's context, to stop and start it (or pause and restart it) as a whole service's would be. */
    public org.springframework.context.ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RedisSettings.class)
    @Import(RedisConfiguration.class)
    @ImportAutoConfiguration(DataRedisAutoConfiguration.class)
    static class RedisOnly {

        @Bean
        SimpleMeterRegistry meters() {
            return new SimpleMeterRegistry();
        }
    }
}
