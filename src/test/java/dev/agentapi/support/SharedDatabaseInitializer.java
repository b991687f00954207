package dev.agentapi.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the service at this test run's database and API keys, as DATABASE_URL and AGENT_API_KEYS would. */
public class SharedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("agent-api.database.url=" + TestDatabase.shared(),
                "agent-api.security.api-keys=" + TestKeys.property()).applyTo(context);
    }
}
