package dev.agentapi.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentapi.browser.BrowserAction;
import dev.agentapi.browser.BrowserActionRules;
import dev.agentapi.support.Api;
import dev.agentapi.support.IntegrationTest;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Actions that could never run are refused at the door: 400 naming the field or the type, before
 * a browser is launched and without counting an error on the agent. (Agents here launch their
 * browser on their first action, so a launch would show as a status other than {@code created}.)
 */
@IntegrationTest
class ActionValidationTest {

    @LocalServerPort
    int port;
    @Autowired
    BrowserActionRules rules;
    Api api;
    String id;

    @BeforeEach
    void createAgent() {
        api = new Api(port);
        id = "v-" + UUID.randomUUID();
        assertThat(api.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
    }

    private Api.Response act(String body) {
        return api.post("/api/agents/browser/" + id + "/actions", body);
    }

    private static JsonNode refused(Api.Response response) {
        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.header("Content-Type")).startsWith("application/problem+json");
        return response.json().get("errors");
    }

    @Test
    void missingFieldsAreNamed() {
        assertThat(refused(act("{\"type\": \"navigate\"}")).get("url").asString()).isNotBlank();
        assertThat(refused(act("{\"type\": \"click\"}")).get("selector").asString()).isNotBlank();
        assertThat(refused(act("{\"type\": \"fill\", \"selector\": \"  \"}")).has("selector")).isTrue();
        JsonNode press = refused(act("{\"type\": \"press\"}"));
        assertThat(press.has("selector")).isTrue();
        assertThat(press.has("key")).isTrue();
        assertThat(refused(act("{\"type\": \"wait_for\", \"selector\": \"#a\", \"state\": \"gone\"}")).get("state").asString())
                .contains("visible");
        assertThat(refused(act("{\"type\": \"navigate\", \"url\": \"https://example.com\", \"wait_until\": \"soon\"}"))
                .get("wait_until").asString()).contains("networkidle");
        assertThat(refused(act("{\"type\": \"content\", \"timeout_ms\": 0}")).has("timeout_ms")).isTrue();
        // an element by selector or by a snapshot's ref: one of them
        assertThat(refused(act("{\"type\": \"click\"}")).get("selector").asString()).contains("ref");
        assertThat(refused(act("{\"type\": \"click\", \"selector\": \"#a\", \"ref\": \"e3\"}")).get("ref").asString())
                .contains("not both");
        assertThat(refused(act("{\"type\": \"text\", \"selector\": \"#a\", \"ref\": \"e3\"}")).has("ref")).isTrue();
        for (String ref : new String[] {"\"3\"", "\"e\"", "\"e3 \"", "\"#e3\"", "\"aria-ref=e3\""}) {
            assertThat(refused(act("{\"type\": \"fill\", \"ref\": " + ref + ", \"value\": \"x\"}")).get("ref").asString())
                    .as(ref).contains("ref from the latest snapshot");
        }

        assertNothingRanOrCounted();
    }

    @Test
    void unknownOrMissingTypeIsNamedNotCalledMalformedJson() {
        JsonNode unknown = refused(act("{\"type\": \"run_script\", \"script\": \"1+1\"}"));
        assertThat(unknown.get("type").asString()).contains("navigate").contains("screenshot");
        JsonNode missing = refused(act("{\"url\": \"https://example.com\"}"));
        assertThat(missing.get("type").asString()).contains("required");

        assertNothingRanOrCounted();
    }

    @Test
    void theRulesAnswerCallersOutsideTheController() {
        assertThat(rules.violations(new BrowserAction.Navigate(null, null, null))).containsOnlyKeys("url");
        assertThat(rules.violations(new BrowserAction.WaitFor("#a", null, "VISIBLE", 5))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Screenshot(true, -1))).containsOnlyKeys("timeout_ms");
        assertThat(rules.violations(new BrowserAction.Click(null, "f1e12", null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Click(null, null, null))).containsOnlyKeys("selector");
        assertThat(rules.violations(new BrowserAction.Snapshot(null, null, null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Snapshot("#a", "e1", null, null))).containsOnlyKeys("ref");
    }

    @Test
    void theNewerActionsNameTheFieldToFix() {
        assertThat(refused(act("{\"type\": \"hover\"}")).get("selector").asString()).contains("ref");
        assertThat(refused(act("{\"type\": \"select_option\", \"selector\": \"#s\", \"values\": []}")).has("values")).isTrue();
        assertThat(refused(act("{\"type\": \"type\", \"ref\": \"e2\"}")).has("text")).isTrue();
        assertThat(refused(act("{\"type\": \"press_key\", \"key\": \" \"}")).has("key")).isTrue();
        JsonNode drag = refused(act("{\"type\": \"drag\", \"start_ref\": \"e1\", \"start_selector\": \"#a\"}"));
        assertThat(drag.get("start_ref").asString()).contains("not both");
        assertThat(drag.get("end_selector").asString()).contains("ref");
        JsonNode resize = refused(act("{\"type\": \"resize\", \"width\": 99}"));
        assertThat(resize.get("width").asString()).contains("100");
        assertThat(resize.has("height")).isTrue();
        assertThat(refused(act("{\"type\": \"screenshot\", \"full_page\": true, \"ref\": \"e4\"}")).get("full_page").asString())
                .contains("whole page");
        assertThat(refused(act("{\"type\": \"fill_form\", \"fields\": []}")).has("fields")).isTrue();
        JsonNode form = refused(act("{\"type\": \"fill_form\", \"fields\": [{\"ref\": \"e1\", \"value\": \"a\"}, {\"value\": \"b\"}]}"));
        assertThat(form.get("fields[1].selector").asString()).contains("ref");
        assertThat(form.has("fields[0].ref")).isFalse();
        // wait_for: exactly one thing to wait for
        assertThat(refused(act("{\"type\": \"wait_for\"}")).get("selector").asString()).contains("text_gone");
        assertThat(refused(act("{\"type\": \"wait_for\", \"selector\": \"#a\", \"text\": \"Done\"}")).get("text").asString())
                .contains("one thing");
        assertThat(refused(act("{\"type\": \"wait_for\", \"text\": \"Done\", \"state\": \"hidden\"}")).get("state").asString())
                .contains("element");
        assertThat(refused(act("{\"type\": \"wait_for\", \"time\": 121}")).get("time").asString()).contains("120");
        assertThat(refused(act("{\"type\": \"wait_for\", \"time\": 0}")).has("time")).isTrue();

        assertNothingRanOrCounted();

        assertThat(rules.violations(new BrowserAction.Drag(null, "e1", "#b", null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.WaitFor(null, null, null, null, "Loading", null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.WaitFor(null, null, null, null, null, 1.5, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Screenshot(false, "#a", null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.TypeText("#q", null, "x".repeat(BrowserAction.MAX_TYPED + 1), null, null, null)))
                .containsOnlyKeys("text");
    }

    @Test
    void theToolsRefuseFieldsThatDoNotGoTogether() {
        assertThat(refused(act("{\"type\": \"tabs\"}")).has("action")).isTrue();
        assertThat(refused(act("{\"type\": \"tabs\", \"action\": \"open\"}")).get("action").asString()).contains("select");
        assertThat(refused(act("{\"type\": \"tabs\", \"action\": \"select\"}")).get("index").asString()).contains("index");
        assertThat(refused(act("{\"type\": \"tabs\", \"action\": \"list\", \"url\": \"https://example.com\"}")).has("url")).isTrue();
        assertThat(refused(act("{\"type\": \"tabs\", \"action\": \"close\", \"index\": -1}")).has("index")).isTrue();
        assertThat(refused(act("{\"type\": \"handle_dialog\"}")).has("accept")).isTrue();
        assertThat(refused(act("{\"type\": \"handle_dialog\", \"accept\": false, \"prompt_text\": \"x\"}")).get("prompt_text").asString())
                .contains("accept");
        assertThat(refused(act("{\"type\": \"cookies\", \"action\": \"add\"}")).get("cookies").asString()).contains("at least one");
        assertThat(refused(act("{\"type\": \"cookies\", \"action\": \"add\", \"cookies\": [{\"name\": \"a\", \"value\": \"b\"}]}"))
                .get("cookies").asString()).contains("domain");
        assertThat(refused(act("{\"type\": \"cookies\", \"action\": \"add\", \"cookies\": [{\"name\": \"a\", \"value\": \"b\", "
                + "\"url\": \"https://example.com\", \"same_site\": \"sometimes\"}]}")).has("cookies[0].same_site")).isTrue();
        assertThat(refused(act("{\"type\": \"file_upload\", \"selector\": \"#f\", \"files\": [{\"name\": \"../etc/passwd\", "
                + "\"content_base64\": \"aGk=\"}]}")).get("files[0].name").asString()).contains("path");
        assertThat(refused(act("{\"type\": \"file_upload\", \"selector\": \"#f\", \"files\": [{\"name\": \"a.txt\", "
                + "\"content_base64\": \"not base64!\"}]}")).get("files[0].content_base64").asString()).contains("base64");
        assertThat(refused(act("{\"type\": \"file_upload\", \"files\": [{\"name\": \"a.txt\", \"content_base64\": \"\"}]}"))
                .has("selector")).isTrue();
        // off unless the deployment turns it on (BROWSER_ALLOW_EVALUATE): refused before anything runs
        assertThat(refused(act("{\"type\": \"evaluate\", \"script\": \"document.title\"}")).get("type").asString())
                .contains("BROWSER_ALLOW_EVALUATE");

        assertNothingRanOrCounted();

        assertThat(rules.violations(new BrowserAction.Tabs("new", null, "https://example.com", null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Tabs("close", null, null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.HandleDialog(true, "Ada", null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Cookies("clear", null, null))).isEmpty();
        assertThat(rules.violations(new BrowserAction.Evaluate("1", null, null, null))).containsOnlyKeys("type");
    }

    private void assertNothingRanOrCounted() {
        JsonNode agent = api.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("status").asString()).as("no browser launched").isEqualTo("created");
        assertThat(agent.get("total_actions").asLong()).isZero();
        assertThat(agent.get("total_errors").asLong()).isZero();
    }
}
