package dev.agentapi.browser;

import com.microsoft.playwright.impl.driver.jar.DriverJar;
import java.io.IOException;

/**
 * Playwright's bundled driver, started with a minimal environment. Playwright for Java starts its Node
 * driver with the JVM's whole environment plus {@code CreateOptions.env}, and offers no way to leave
 * variables out. It does pick its driver class from the system property {@code playwright.driver.impl} when
 * the first Playwright of the JVM starts, which lets this subclass cut the process environment down to
 * {@link BrowserEnvironment}'s allow-list, and to load {@link DriverMessageGuard} into it. Public with a no-argument constructor because Playwright
 * instantiates it by name. {@code PlaywrightDriverEnvironmentTest} reads the real driver's environment,
 * so an upgrade that stops honouring the property fails there.
 */
public class MinimalEnvironmentDriver extends DriverJar {

    static final String PROPERTY = "playwright.driver.impl";

    public MinimalEnvironmentDriver() throws IOException {
        super();
    }

    /** Makes Playwright use this driver; to take effect it must run before the first Playwright of the JVM starts. */
    static void install() {
        String current = System.getProperty(PROPERTY);
        if (current == null) {
            System.setProperty(PROPERTY, MinimalEnvironmentDriver.class.getName());
        } else if (!current.equals(MinimalEnvironmentDriver.class.getName())) {
            org.slf4j.LoggerFactory.getLogger(MinimalEnvironmentDriver.class).warn(
                    "{} is set to {}: the browser driver gets the service's whole environment", PROPERTY, current);
        }
    }

    /** The driver's environment cut to the allow-list, and its messages to the service bounded ({@link DriverMessageGuard}). */
    @Override
    public ProcessBuilder createProcessBuilder() {
        ProcessBuilder builder = super.createProcessBuilder();
        BrowserEnvironment.restrictForDriver(builder.environment());
        DriverMessageGuard.install(builder.command());
        return builder;
    }
}
