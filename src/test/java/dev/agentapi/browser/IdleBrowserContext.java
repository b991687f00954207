package dev.agentapi.browser;

import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The context of the tests whose browsers stop when idle (a 1 s idle timeout), shared by extending this class (one
 * {@code @DynamicPropertySource} method, so one cached context): {@link IdleAgentTest}, {@link AgentStateTest}. Saved
 * browser state is capped at 256 KB here, so a test can pass the cap without filling 5 MB.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class IdleBrowserContext {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        registry.add("agent-api.database.url", TestDatabase::shared);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.executable-path", () -> RequiresChromium.EXECUTABLE);
        registry.add("agent-api.browser.launch-on-create", () -> "true");
        registry.add("agent-api.browser.idle-timeout", () -> "1s");
        // finds the agent's Chromium by its marker, which a browser pooled before the agent cannot carry
        registry.add("agent-api.browser.warm-pool", () -> "0");
        registry.add("agent-api.browser.navigation.block-private-networks", () -> "false");
        registry.add("agent-api.state.max-size", () -> "256KB");
    }

    @LocalServerPort
    int port;
}
