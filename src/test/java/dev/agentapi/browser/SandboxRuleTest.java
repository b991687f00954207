package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.ServiceProcess;
import dev.agentapi.support.TestKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A service outside local mode (DATABASE_URL set) on a host where Chromium's sandbox cannot start (these machines
 * run tests as root), without BROWSER_ALLOW_NO_SANDBOX (the build sets it for every other test; this one takes it
 * back): no browser is launched, not even for the warm pool; an agent goes {@code error} with a reason naming
 * the fix, its next action is refused with it, and readiness reports {@code browsers} down with it (readiness
 * itself stays up: only the database decides it, and the rest of the service works).
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class SandboxRuleTest {

    @TempDir
    Path workDir;

    @Test
    void outsideLocalModeABrowserThatCannotBeSandboxedIsNotLaunchedAndReadinessSaysWhy() throws Exception {
        assumeFalse(ChromiumSandbox.detect().enabled(), "Chromium's sandbox can start on this host: there is nothing to refuse");
        try (ServiceProcess service = ServiceProcess.start(workDir, Map.of("BROWSER_ALLOW_NO_SANDBOX", "false"),
                "--agent-api.browser.executable-path=" + RequiresChromium.EXECUTABLE,
                "--agent-api.browser.launch-on-create=true",
                "--agent-api.browser.warm-pool=1",
                "--agent-api.health.drain-delay=0s")) {
            service.awaitUp(Duration.ofMinutes(5)); // inside the try, so a start that fails is still stopped; 5 min as the
            // replica tests wait (120 s ran out with two test JVMs beside other builds, load average near 30)
            Api alice = new Api(service.port(), TestKeys.ALICE);
            String id = "no-sandbox-" + UUID.randomUUID();

            Api.Response created = alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id)));

            assertThat(created.status()).as(created.toString()).isEqualTo(201);
            JsonNode agent = created.json().get("agent");
            assertThat(agent.get("status").asString()).isEqualTo("error");
            assertThat(agent.get("status_reason").asString()).contains("sandbox", "non-root user", "BROWSER_ALLOW_NO_SANDBOX=true");
            Api.Response action = alice.post("/api/agents/browser/" + id + "/actions", Api.json(Map.of("type", "content")));
            assertThat(action.status()).as(action.toString()).isEqualTo(409);
            assertThat(action.json().get("detail").asString()).contains("BROWSER_ALLOW_NO_SANDBOX=true");

            Api.Response ready = new Api(service.port(), TestKeys.ADMIN).get("/api/agents/health/ready");
            JsonNode browsers = ready.json().get("components").get("browsers");
            assertThat(browsers.get("status").asString()).isEqualTo("unhealthy");
            assertThat(browsers.get("reason").asString()).contains("sandbox", "BROWSER_ALLOW_NO_SANDBOX=true");
            assertThat(ready.status()).as("the database decides readiness").isEqualTo(200);
            assertThat(Api.anonymous(service.port()).get("/health/ready").status()).isEqualTo(200);

            assertThat(service.process().descendants().filter(p -> p.info().commandLine().orElse("").contains("chrom")))
                    .as("no browser, pooled or not, was started").isEmpty();
            assertThat(service.log()).contains("Browsers are not launched").doesNotContain("BROWSER_ALLOW_NO_SANDBOX=true: where");
        }
    }
}
