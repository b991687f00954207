package dev.agentapi.support;

import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points the service at this test run's database, as DATABASE_URL would in production. */
public class SharedDatabaseInitializer implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        TestPropertyValues.of("agent-api.database.url=" + TestDatabase.shared()).applyTo(context);
    }
}
