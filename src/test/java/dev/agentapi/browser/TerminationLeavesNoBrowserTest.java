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
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The service in a JVM of its own, started as the container image starts it: with the Playwright driver the image
 * unpacked at build time ({@code BROWSER_DRIVER_DIR}) instead of the bundle unpacked at every start. Its drivers run
 * from that folder with the same allow-listed environment as the bundled one (no variable of the service's). Then
 * SIGTERM, with browsers in every state the service keeps them (running, a deleted agent's driver kept for reuse,
 * the spare driver): when the process has exited, none of them is left.
 *
 * <p>One JVM for both (they were two classes, each starting a service JVM): the preinstalled driver is what the image
 * terminates too, and a JVM start is the larger part of either test's CPU.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class TerminationLeavesNoBrowserTest {

    @TempDir
    Path workDir;

    @Test
    void aPreinstalledDriverRunsWithoutTheServicesEnvironmentAndSigtermClosesEveryBrowserAndDriver() throws Exception {
        Path driver = workDir.resolve("driver");
        DriverJar.installDriverTo(driver); // what the image build does for its platform
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of("BROWSER_DRIVER_DIR", driver.toString(),
                        "AGENT_API_PLANTED_SECRET", "not-a-real-secret"),
                "--agent-api.browser.executable-path=" + RequiresChromium.EXECUTABLE,
                "--agent-api.browser.launch-on-create=true",
                "--agent-api.browser.warm-pool=0", // it finds agents' Chromium by marker; BrowserPoolTest covers pooled ones
                "--agent-api.health.drain-delay=0s")) {
            service.awaitUp(Duration.ofMinutes(5)); // inside the try, so a start that fails is still stopped; 5 min as the
            // replica tests wait (120 s ran out with two test JVMs beside other builds, load average near 30)
            Api alice = new Api(service.port(), TestKeys.ALICE);
            String running = "sigterm-" + UUID.randomUUID();
            String deleted = "sigterm-" + UUID.randomUUID();
            for (String id : List.of(running, deleted)) {
                Api.Response created = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));
                assertThat(created.json().get("status").asString()).as(created.toString()).isEqualTo("running");
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> alice.get("/api/agents/browser/" + running).json()
                    .get("status").asString().equals("running"));

            List<ProcessHandle> fromTheFolder = service.process().toHandle().descendants()
                    .filter(p -> p.info().command().map(c -> c.startsWith(driver.toString())).orElse(false)).toList();
            assertThat(fromTheFolder).as("the driver runs from " + driver).isNotEmpty();
            for (ProcessHandle process : fromTheFolder) {
                assertThat(environmentNames(process)).as("the driver's environment").doesNotContain("AGENT_API_PLANTED_SECRET",
                        "BROWSER_DRIVER_DIR");
            }

            assertThat(alice.delete("/api/agents/browser/" + deleted).status()).isEqualTo(200);

            List<ProcessHandle> spawned = service.process().descendants().toList();
            assertThat(BrowserProcesses.of(running)).isNotEmpty();
            assertThat(spawned).as("drivers: the running browser's, the deleted agent's (kept) and the spare")
                    .filteredOn(BrowserProcesses::isDriver)
                    .hasSizeGreaterThanOrEqualTo(2);

            assertThat(service.terminate(Duration.ofSeconds(60))).as("exited after SIGTERM; log:%n%s", service.log()).isTrue();

            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> spawned.stream().noneMatch(ProcessHandle::isAlive));
            } catch (ConditionTimeoutException stillAlive) {
                // the assertion below names them
            }
            assertThat(spawned.stream().filter(ProcessHandle::isAlive).map(p -> p.pid() + " " + p.info().commandLine().orElse("?")))
                    .as("processes the service started, still alive after it exited").isEmpty();
        }
    }

    private static List<String> environmentNames(ProcessHandle process) throws Exception {
        Path environ = Path.of("/proc", Long.toString(process.pid()), "environ");
        return Optional.of(Files.readString(environ)).stream().flatMap(e -> List.of(e.split("\0")).stream())
                .filter(v -> !v.isEmpty()).map(v -> v.contains("=") ? v.substring(0, v.indexOf('=')) : v).toList();
    }
}
