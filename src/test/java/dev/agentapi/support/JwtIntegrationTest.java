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
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfiguration;

/**
 * As {@link IntegrationTest}, with JWTs accepted besides API keys: the service trusts this run's
 * {@link TestIdentityProvider#shared() shared identity provider}. Every class so annotated shares one context (access
 * control, JWT authentication, the operator console's sign-in, {@code browser.actions} tasks); agents launch a browser
 * on their first action, the actions route is limited to 10 per 30 seconds (a caller's bucket, which a task's steps
 * spend too), and a task may run 15 minutes (a step over the actions limit waits for the refill). Taskade is
 * configured here, with a shared workspace, on {@link TaskadeStandIn#shared()} ({@code TaskadeApiTest}; no other class
 * here asks Taskade), its breaker set never to open.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith({RequiresPostgres.class, RequiresRedis.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ContextConfiguration(initializers = {SharedDatabaseInitializer.class, JwtIntegrationTest.IdentityProvider.class})
public @interface JwtIntegrationTest {

    /** Points the service at the shared identity provider, as OIDC_ISSUER_URI, OIDC_JWK_SET_URI, OIDC_AUDIENCE would. */
    class IdentityProvider implements ApplicationContextInitializer<ConfigurableApplicationContext> {

        @Override
        public void initialize(ConfigurableApplicationContext context) {
            Map<String, Object> properties = new HashMap<>(TestIdentityProvider.shared().properties());
            // the console test drives agents on pages served on localhost, two browsers at most
            properties.put("agent-api.browser.executable-path", System.getenv().getOrDefault("CHROMIUM_PATH", "/usr/bin/chromium"));
            properties.put("agent-api.browser.max-browsers", "2");
            properties.put("agent-api.browser.navigation.block-private-networks", "false");
            // BrowserActionsTaskTest: the actions route's own policy, small enough for a task to meet, and room to wait for it
            properties.put("agent-api.rate-limit.policies", "POST /api/agents/browser/*/actions: 10 per 30 seconds,* /api/**: 1000000 per minute");
            properties.put("agent-api.tasks.max-runtime", "15m");
            // TaskadeApiTest: Taskade's stand-in with a shared workspace, and a breaker that never opens
            properties.putAll(TaskadeStandIn.properties(TaskadeStandIn.shared().baseUrl() + "/api/v1"));
            properties.put("agent-api.taskade.workspace-id", TaskadeStandIn.WORKSPACE);
            properties.put("agent-api.taskade.breaker.minimum-calls", "1000");
            properties.put("agent-api.taskade.breaker.window", "1000");
            // TraceTest: a trace of a page with megabytes of random text is over this cap, one of a small page well under
            properties.put("agent-api.traces.max-size", "2MB");
            context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("test identity provider", properties));
        }
    }
}
