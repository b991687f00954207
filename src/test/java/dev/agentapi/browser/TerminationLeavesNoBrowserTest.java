package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM to a service with browsers in every state it keeps them (running, a deleted agent's
 * driver kept for reuse, the spare driver): when the process has exited, none of them is left.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class TerminationLeavesNoBrowserTest {

    @TempDir
    Path workDir;

    @Test
    void sigtermClosesEveryBrowserAndDriver() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of(),
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
}
