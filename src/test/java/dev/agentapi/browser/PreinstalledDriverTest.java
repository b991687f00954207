package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.microsoft.playwright.impl.driver.jar.DriverJar;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container image runs the Playwright driver it unpacked at build time ({@code BROWSER_DRIVER_DIR}) instead
 * of unpacking the bundle at every start: the service (a JVM of its own, so the environment variable is real)
 * runs its driver from that folder, with the same allow-listed environment as the bundled one.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class PreinstalledDriverTest {

    @TempDir
    Path work;

    @Test
    void aDriverUnpackedAheadOfTimeRunsFromItsFolderWithoutTheServicesEnvironment() throws Exception {
        Path driver = work.resolve("driver");
        DriverJar.installDriverTo(driver); // what the image build does for its platform
        try (ServiceProcess service = ServiceProcess.start(work, Map.of("BROWSER_DRIVER_DIR", driver.toString(),
                "AGENT_API_PLANTED_SECRET", "not-a-real-secret"), "--agent-api.browser.launch-on-create=true")) {
            service.awaitUp(Duration.ofMinutes(5)); // inside the try, so a start that fails is still stopped; 5 min as the
            // replica tests wait (120 s ran out with two test JVMs beside other builds, load average near 30)
            Api api = new Api(service.port(), TestKeys.ADMIN);
            assertThat(api.post("/api/agents/browser", "{\"agent_id\": \"preinstalled\"}").status()).isEqualTo(201);
            await().atMost(Duration.ofSeconds(60)).until(() -> api.get("/api/agents/browser/preinstalled").json()
                    .get("status").asString().equals("running"));

            List<ProcessHandle> drivers = service.process().toHandle().descendants()
                    .filter(p -> p.info().command().map(c -> c.startsWith(driver.toString())).orElse(false)).toList();
            assertThat(drivers).as("the driver runs from " + driver).isNotEmpty();
            for (ProcessHandle process : drivers) {
                assertThat(environmentNames(process)).as("the driver's environment").doesNotContain("AGENT_API_PLANTED_SECRET",
                        "BROWSER_DRIVER_DIR");
            }
        }
    }

    private static List<String> environmentNames(ProcessHandle process) throws Exception {
        Path environ = Path.of("/proc", Long.toString(process.pid()), "environ");
        return Optional.of(Files.readString(environ)).stream().flatMap(e -> List.of(e.split("\0")).stream())
                .filter(v -> !v.isEmpty()).map(v -> v.contains("=") ? v.substring(0, v.indexOf('=')) : v).toList();
    }
}
