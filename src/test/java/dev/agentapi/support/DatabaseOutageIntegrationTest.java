package dev.agentapi.support;

import dev.agentapi.browser.PlaywrightServer;
import dev.agentapi.browser.RequiresChromium;
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
 * The whole service in local mode (no Redis) on a database of its own, which a test may take away
 * ({@link Outage#cut()}) and give back: one context for the database outage tests. Spring Data Redis's connection
 * factory points at a relay ({@link Outage#redis()}), so a test can show that nothing ever talks to it. Its agents run
 * on a remote browser server only ({@code BROWSER_MAX=0}, {@link PlaywrightServer#shared()}), for
 * {@code RemoteBrowserTest}; the outage tests launch no browser.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(RequiresPostgres.class)
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = DatabaseOutageIntegrationTest.Outage.class)
public @interface DatabaseOutageIntegrationTest {

    /** The database of this context, and the relay where Redis would be. */
    final class Outage implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        private static String url;
        private static TcpProxy redis;

        private static synchronized void create() {
            if (url == null) {
                url = TestDatabase.create();
                try {
                    redis = TestRedis.relay();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(redis::close));
            }
        }

        /** The database's name. */
        public static String database() {
            create();
            return TestDatabase.nameOf(url);
        }

        /** The relay where Spring Boot's Redis connection factory would connect. */
        public static TcpProxy redis() {
            create();
            return redis;
        }

        /** The database refuses new connections and ends the ones open: the outage. */
        public static void cut() {
            TestDatabase.execute("ALTER DATABASE " + database() + " WITH ALLOW_CONNECTIONS false");
            TestDatabase.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database() + "'");
        }

        /** The database takes connections again (the pool replaces its dead ones by itself). */
        public static void restore() {
            TestDatabase.execute("ALTER DATABASE " + database() + " WITH ALLOW_CONNECTIONS true");
        }

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            create();
            Map<String, Object> properties = new HashMap<>(Map.of(
                    "agent-api.database.url", url,
                    "spring.datasource.hikari.connection-timeout", "1000",
                    "agent-api.security.api-keys", TestKeys.property(),
                    "spring.data.redis.host", "127.0.0.1",
                    "spring.data.redis.port", String.valueOf(redis.port())));
            // RemoteBrowserTest: no local browsers, one remote place on a Playwright server that lives as long as the
            // JVM (the outage tests launch no browser; readiness asks for the endpoint, so it is kept up)
            PlaywrightServer.shared().ifPresent(server -> {
                properties.put("agent-api.browser.executable-path", RequiresChromium.EXECUTABLE);
                properties.put("agent-api.browser.max-browsers", "0");
                properties.put("agent-api.browser.remote.endpoints", server.endpoint(1));
                properties.put("agent-api.browser.navigation.block-private-networks", "false");
            });
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("database outage", properties));
        }
    }
}
