package dev.agentapi.support;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * The whole service on a random port, against this run's own database on the real PostgreSQL and the real Redis.
 * {@link StatementRecorder} is in it for the classes that count or explain the statements a request sends.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedDatabaseInitializer.class, IntegrationTest.BrowserQuota.class})
@Import(StatementRecorder.class)
public @interface IntegrationTest {

    /**
     * BrowserQuotaTest's settings: 3 browsers and 1 per owner. No other class here launches a browser, and the quota
     * counts heidi's and ivan's agents, which are that class's alone. (Not in {@link SharedDatabaseInitializer}, which
     * the other kinds build on.)
     */
    final class BrowserQuota implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("browser quota", Map.of(
                    "agent-api.browser.executable-path", System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"),
                    "agent-api.browser.max-browsers", "3",
                    "agent-api.browser.max-per-owner", "1")));
        }
    }
}
