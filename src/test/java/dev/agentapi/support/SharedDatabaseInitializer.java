package dev.agentapi.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points the service at this run's database, Redis and API keys, as DATABASE_URL, REDIS_URL and AGENT_API_KEYS would,
 * and holds the settings the classes sharing the plain {@link IntegrationTest} context need (one set, so they share
 * it). A test class's own {@code @TestPropertySource} properties win over these (a class with a context of its own
 * names its policies); everything else in the environment gives way to them.
 */
public class SharedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        MapPropertySource shared = new MapPropertySource("shared test services", Map.ofEntries(
                Map.entry("agent-api.database.url", TestDatabase.shared()),
                Map.entry("agent-api.security.api-keys", TestKeys.property()),
                Map.entry("agent-api.redis.url", TestRedis.URL),
                Map.entry("agent-api.cache.key-prefix", TestRedis.RUN_PREFIX + "agent:"),
                Map.entry("agent-api.rate-limit.key-prefix", TestRedis.RUN_PREFIX + "rl:"),
                // AgentCacheTest counts the statements a read sends (Hibernate's statistics, a few counters per query)
                Map.entry("spring.jpa.properties.hibernate.generate_statistics", "true"),
                // functional tests are not about limits; @RateLimitIntegrationTest has its own
                Map.entry("agent-api.rate-limit.policies", "* /api/**: 1000000 per minute"),
                // TaskQueueApiTest: its recording handler, a queue fast enough to watch, fair shares low enough to
                // be met (TaskReplicasTest and the benchmark keep the defaults)
                Map.entry("agent-api.tasks.test-handlers", "true"),
                Map.entry("agent-api.tasks.lease", "3s"),
                Map.entry("agent-api.tasks.heartbeat", "500ms"),
                Map.entry("agent-api.tasks.reap-interval", "300ms"),
                Map.entry("agent-api.tasks.poll-interval", "100ms"),
                Map.entry("agent-api.tasks.backoff", "200ms"),
                Map.entry("agent-api.tasks.metrics-interval", "200ms"),
                Map.entry("agent-api.tasks.max-pending-per-owner", "60"),
                Map.entry("agent-api.tasks.max-urgent-per-owner", "50"),
                Map.entry("agent-api.tasks.max-running-per-owner", "6"),
                Map.entry("agent-api.tasks.max-runtime", "10s")));
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, shared);
        } else {
            sources.addFirst(shared);
        }
    }
}
