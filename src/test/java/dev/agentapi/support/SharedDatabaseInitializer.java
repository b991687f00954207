package dev.agentapi.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the service at this run's database, Redis and API keys, as DATABASE_URL, REDIS_URL and AGENT_API_KEYS would. */
public class SharedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("agent-api.database.url=" + TestDatabase.shared(),
                "agent-api.security.api-keys=" + TestKeys.property(),
                "agent-api.redis.url=" + TestRedis.URL,
                "agent-api.cache.key-prefix=" + TestRedis.RUN_PREFIX + "agent:",
                "agent-api.rate-limit.key-prefix=" + TestRedis.RUN_PREFIX + "rl:",
                // functional tests are not about limits; RateLimitTest has its own
                "agent-api.rate-limit.policies=* /api/**: 1000000 per minute").applyTo(context);
    }
}
