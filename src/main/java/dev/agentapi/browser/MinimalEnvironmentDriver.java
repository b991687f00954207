package dev.agentapi.browser;

import com.microsoft.playwright.impl.driver.jar.DriverJar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Playwright's driver, started with a minimal environment. Playwright for Java starts its Node driver with the
 * JVM's whole environment plus {@code CreateOptions.env}, and offers no way to leave variables out. It does pick
 * its driver class from the system property {@code playwright.driver.impl} when the first Playwright of the JVM
 * starts, which lets this subclass cut the process environment down to {@link BrowserEnvironment}'s allow-list,
 * and load {@link DriverMessageGuard} into it. Public with a no-argument constructor because Playwright
 * instantiates it by name.
 * {@code PlaywrightDriverEnvironmentTest} reads the real driver's environment, so an upgrade that stops honouring
 * the property fails there.
 *
 * <p>Where the driver comes from: a driver unpacked ahead of time in {@code BROWSER_DRIVER_DIR} (the container
 * image has the one for its platform there, so nothing is unpacked at start), or else Playwright's bundle of every
 * platform's driver on the classpath, unpacked to a temporary folder ({@code ./mvnw spring-boot:run} and the
 * tests; the production jar leaves the 200 MB bundle out). Not Playwright's own {@code PLAYWRIGHT_DRIVER_DIR}: with
 * it Playwright bypasses this class, and the driver would get the service's whole environment.
 */
public class MinimalEnvironmentDriver extends DriverJar {

    static final String PROPERTY = "playwright.driver.impl";
    static final String DRIVER_DIR = "BROWSER_DRIVER_DIR";

    private final Path unpacked;

    public MinimalEnvironmentDriver() throws IOException {
        super();
        String dir = System.getenv(DRIVER_DIR);
        this.unpacked = dir == null || dir.isBlank() ? null : Path.of(dir);
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
    protected void initialize(Boolean installBrowsers) throws Exception {
        if (unpacked != null) {
            if (!Files.isExecutable(unpacked.resolve("node")) || !Files.isRegularFile(unpacked.resolve("package/cli.js"))) {
                throw new IOException(DRIVER_DIR + "=" + unpacked + " holds no Playwright driver (node and package/cli.js)");
            }
            return; // browsers are never installed: the service runs the machine's Chromium
        }
        if (Stream.of("linux", "linux-arm64", "mac", "mac-arm64", "win32_x64")
                .allMatch(platform -> DriverJar.class.getClassLoader().getResource("driver/" + platform + "/") == null)) {
            throw new IOException("no Playwright driver: this build leaves Playwright's driver bundle out; set " + DRIVER_DIR
                    + " to an unpacked driver (the container image does) or run with ./mvnw spring-boot:run");
        }
        super.initialize(installBrowsers);
    }

    @Override
    public Path driverDir() {
        return unpacked != null ? unpacked : super.driverDir();
    }

    @Override
    public ProcessBuilder createProcessBuilder() {
        ProcessBuilder builder = super.createProcessBuilder();
        BrowserEnvironment.restrictForDriver(builder.environment());
        DriverMessageGuard.install(builder.command());
        return builder;
    }
}
