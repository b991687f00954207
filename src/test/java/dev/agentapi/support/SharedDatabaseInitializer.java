package dev.agentapi.support;

import java.util.Map;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.test.context.support.TestPropertySourceUtils;

/**
 * Points the service at this run's database, Redis and API keys, as DATABASE_URL, REDIS_URL and AGENT_API_KEYS would.
 * A test class's own {@code @TestPropertySource} properties win over these (a class that is about rate limits names
 * its policies); everything else in the environment gives way to them.
 */
public class SharedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        MapPropertySource shared = new MapPropertySource("shared test services", Map.of(
                "agent-api.database.url", TestDatabase.shared(),
                "agent-api.security.api-keys", TestKeys.property(),
                "agent-api.redis.url", TestRedis.URL,
                "agent-api.cache.key-prefix", TestRedis.RUN_PREFIX + "agent:",
                "agent-api.rate-limit.key-prefix", TestRedis.RUN_PREFIX + "rl:",
                // functional tests are not about limits; RateLimitTest has its own
                "agent-api.rate-limit.policies", "* /api/**: 1000000 per minute"));
        MutablePropertySources sources = context.getEnvironment().getPropertySources();
        if (sources.contains(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME)) {
            sources.addAfter(TestPropertySourceUtils.INLINED_PROPERTIES_PROPERTY_SOURCE_NAME, shared);
        } else {
            sources.addFirst(shared);
        }
    }
}
