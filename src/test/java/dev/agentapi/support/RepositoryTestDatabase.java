package dev.agentapi.support;

import dev.agentapi.database.DatabaseUrl;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;

/** Points a {@link RepositoryTest} slice's DataSource at this run's database (the service's own DataSource configuration is not in a slice). */
public class RepositoryTestDatabase implements ApplicationContextInitializer<ConfigurableApplicationContext> {

    @Override
    public void initialize(ConfigurableApplicationContext context) {
        DatabaseUrl url = DatabaseUrl.parse(TestDatabase.shared());
        TestPropertyValues.of("spring.datasource.url=" + url.jdbcUrl(),
                "spring.datasource.username=" + (url.username() == null ? "" : url.username()),
                "spring.datasource.password=" + (url.password() == null ? "" : url.password())).applyTo(context);
    }
}
