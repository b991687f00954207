package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.browser.BrowserAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What an action's audit entry says of it ({@link AgentBrowsers#auditDetails}), the lowest layer that has it: no test
 * context runs with {@code BROWSER_ALLOW_EVALUATE} on (the browser context keeps it off, and McpServerTest and
 * ActionValidationTest check that it is refused there), and a context of its own only for that would be one more
 * Spring context for one map. {@link AgentBrowsers#act} writes exactly these details, with the outcome's fields added.
 */
class ActionAuditDetailsTest {

    @Test
    void anEvaluationIsAuditedByItsScriptsHashNeverByItsScript() throws Exception {
        String script = "() => fetch('/api', {headers: {Authorization: 'Bearer s3cret-token'}}).then(r => r.status)";
        Map<String, Object> details = AgentBrowsers.auditDetails(new BrowserAction.Evaluate(script, null, null, null));

        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(script.getBytes(StandardCharsets.UTF_8)));
        assertThat(details).containsOnlyKeys("type", "script_sha256")
                .containsEntry("type", "evaluate").containsEntry("script_sha256", expected);
        assertThat(details.values()).noneMatch(value -> String.valueOf(value).contains("s3cret"));
    }

    @Test
    void aNavigationIsAuditedWithItsUrl() {
        assertThat(AgentBrowsers.auditDetails(new BrowserAction.Navigate("https://example.com/", null, null)))
                .containsExactly(Map.entry("type", "navigate"), Map.entry("url", "https://example.com/"));
    }
}
