package dev.agentapi.support;

import dev.agentapi.taskade.TaskadeStandIn;
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
import org.springframework.context.annotation.Import;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * As {@link IntegrationTest}, with real browsers launched on create: two at most, no warm pool (tests find an agent's
 * Chromium by the marker on its command line, which a pooled browser cannot carry), private networks allowed (the
 * pages are served on localhost), results bounded small enough for those pages to meet the limits. One context for
 * the REST browser tests ({@code AgentBrowserApiTest}), the MCP endpoint ({@code McpServerTest}) and the contract
 * tests ({@code ApiContractTest}), with Taskade's stand-in ({@link TaskadeStandIn#forContract()}) and MCP origins.
 * Limited routes, each a caller's bucket: Taskade's workspaces 1 a minute (the contract's 429s), the agent list 12 a
 * minute ({@code McpServerTest} empties judy's; the others list fewer times a minute).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedDatabaseInitializer.class, BrowserIntegrationTest.Browsers.class})
@Import(StatementRecorder.class)
public @interface BrowserIntegrationTest {

    /** How many lists of the agents a caller may ask for in a minute here. */
    int LISTS_PER_MINUTE = 12;
    /** The largest resource MCP's resources/read answers here. */
    String MAX_RESOURCE_SIZE = "512KB";

    /** The settings of the browser context. */
    final class Browsers implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new HashMap<>();
            properties.put("agent-api.browser.executable-path", System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
            properties.put("agent-api.browser.launch-on-create", "true");
            properties.put("agent-api.browser.max-browsers", "2");
            properties.put("agent-api.browser.warm-pool", "0");
            properties.put("agent-api.browser.navigation.block-private-networks", "false");
            // AgentBrowserApiTest: limits small enough for pages served here to pass them
            properties.put("agent-api.browser.limits.text", "1MB");
            properties.put("agent-api.browser.limits.html", "1MB");
            properties.put("agent-api.browser.limits.image", "1MB");
            properties.put("agent-api.browser.limits.pdf", "1MB");
            properties.put("agent-api.browser.limits.capture-height", "8000");
            properties.put("agent-api.browser.limits.pages", "3");
            properties.put("agent-api.browser.downloads.max-size", "3MB");
            properties.put("agent-api.browser.downloads.max-count", "2");
            // McpServerTest: the console's origin and local clients
            properties.put("agent-api.mcp.allowed-origins", "http://console.test,http://localhost:*");
            // McpResourcesTest: a trace of a page with a megabyte of random text is more than resources/read serves here
            properties.put("agent-api.mcp.max-resource-size", MAX_RESOURCE_SIZE);
            // ApiContractTest: a configured Taskade
            properties.put("agent-api.taskade.api-key", TaskadeStandIn.KEY);
            properties.put("agent-api.taskade.api-url", TaskadeStandIn.forContract().baseUrl() + "/api/v1");
            properties.put("agent-api.taskade.workspace-id", TaskadeStandIn.WORKSPACE);
            properties.put("agent-api.rate-limit.key-prefix", TestRedis.RUN_PREFIX + "browsers:");
            properties.put("agent-api.rate-limit.policies", "GET /api/agents/taskade: 1 per minute,GET /api/agents/browser: "
                    + LISTS_PER_MINUTE + " per minute,* /api/**: 1000 per minute,POST /mcp: 1000 per minute");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("browsers", properties));
        }
    }
}
