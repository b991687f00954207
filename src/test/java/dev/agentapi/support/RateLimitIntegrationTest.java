package dev.agentapi.support;

import dev.agentapi.taskade.TaskadeStandIn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * As {@link IntegrationTest}, with the limits the rate-limit tests assert (the default 10 creates a minute, and agent
 * lists limited to 3 per 2 seconds so a refill can be watched) and Redis behind a relay that a test may cut
 * ({@link Limits#redis()}): one context for the rate-limit and Redis outage tests. Classes sharing it keep out of each
 * other's buckets by their callers (a bucket is a caller's). It runs as on Kubernetes ({@code spring.main.cloud-platform}),
 * where Spring Boot would switch Tomcat's forwarded-header handling on by itself: {@code ForwardedHeadersTest} shows a
 * client still cannot choose the address the audit and the rate limiter see. Browsers here stop (agents that opted out of
 * saved state) or hibernate (the others) after 1 s idle ({@code IdleAgentTest}, {@code AgentStateTest},
 * {@code HibernationTest}; no other class here launches one), and Taskade sits behind a relay with a breaker that opens
 * after 4 calls ({@code TaskadeBreakerTest}; no other class here asks Taskade). Saved browser states are capped at 256 KB
 * ({@code AgentStateTest}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedDatabaseInitializer.class, RateLimitIntegrationTest.Limits.class})
public @interface RateLimitIntegrationTest {

    /** The limits, and the relay where this context's Redis is. */
    final class Limits implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        /** This context's cache and bucket keys in Redis (agents under {@code PREFIX + "agent:"}). */
        public static final String PREFIX = TestRedis.RUN_PREFIX + "limits:";
        private static TcpProxy redis;

        /** The relay in front of the test Redis: {@code stop()} is an outage, {@code start()} its end. */
        public static synchronized TcpProxy redis() {
            if (redis == null) {
                try {
                    redis = TestRedis.relay();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
            }
            return redis;
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new HashMap<>(Map.of(
                    "agent-api.redis.url", "redis://127.0.0.1:" + redis().port(),
                    "agent-api.redis.retry-after", "1s",
                    "agent-api.cache.key-prefix", PREFIX + "agent:",
                    "agent-api.rate-limit.key-prefix", PREFIX,
                    "agent-api.rate-limit.policies",
                    "POST /api/agents/browser: 10 per minute,GET /api/agents/browser: 3 per 2 seconds,* /api/**: 1000 per minute",
                    // the outage tests are about Redis: room for the database check on a busy machine, so it cannot be a 503's reason
                    "agent-api.health.timeout", "5s",
                    "spring.main.cloud-platform", "kubernetes"));
            // IdleAgentTest: browsers stop after 1 s idle (no other class here launches one), on pages served here
            properties.put("agent-api.browser.executable-path", System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
            properties.put("agent-api.browser.idle-timeout", "1s");
            // HibernationTest (and IdleAgentTest, AgentStateTest): agents that keep their state hibernate after 1 s idle
            // too; those that opted out stop after the idle timeout
            properties.put("agent-api.state.hibernate-after", "1s");
            properties.put("agent-api.browser.navigation.block-private-networks", "false");
            // AgentStateTest: saved states capped at 256 KB, so a test can pass the cap without filling 5 MB
            properties.put("agent-api.state.max-size", "256KB");
            // ... and saved only when a browser stops: a periodic save between a login and the idle stop would leave
            // the idle stop nothing new to save, and the save it waits for would read "periodic" (StateRestartTest
            // checks the periodic saves)
            properties.put("agent-api.state.save-interval", "1h");
            // TaskadeBreakerTest: Taskade behind a relay it cuts, a breaker that opens after 4 calls, no retries, no
            // shared workspace (no other class here asks Taskade; Taskade never decides readiness)
            properties.putAll(TaskadeStandIn.properties("http://127.0.0.1:" + TaskadeStandIn.relay().port() + "/api/v1"));
            properties.put("agent-api.taskade.read-retries", "0");
            properties.put("agent-api.taskade.read-timeout", "10s"); // the breaker test is about refused connections, not slowness
            properties.put("agent-api.taskade.breaker.window", "4");
            properties.put("agent-api.taskade.breaker.minimum-calls", "4");
            properties.put("agent-api.taskade.breaker.open-for", "2s");
            properties.put("agent-api.taskade.health-ttl", "100ms");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("rate limits and Redis relay", properties));
        }
    }
}
