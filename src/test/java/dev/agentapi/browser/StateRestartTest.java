package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.AgentApiApplication;
import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * A login survives a restart of the service: the shutdown hands the agent back with its browser's state saved, and the
 * service started again on the same database opens the agent's next action in a new browser that is still logged in,
 * on the same page. While it runs, a changed state is saved every AGENT_STATE_SAVE_INTERVAL. Two services started by
 * hand, one after the other (the start and the stop are what is tested).
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
class StateRestartTest {

    @RegisterExtension
    static final LoginPages site = new LoginPages();

    @Test
    void aLoginSurvivesARestartOfTheService() {
        String database = TestDatabase.create();
        String id = "restart-" + UUID.randomUUID();
        String secret = "cookie-" + UUID.randomUUID();

        // no periodic save in the first run: a save of the same state just before the shutdown would leave the
        // shutdown's save nothing to change, and the reason "periodic"
        try (ConfigurableApplicationContext first = start(database, "1h")) {
            Api alice = new Api(port(first), TestKeys.ALICE);
            assertThat(alice.post("/api/agents/browser", Api.json(Map.of("agent_id", id))).status()).isEqualTo(201);
            assertThat(act(alice, id, Map.of("type", "navigate", "url", site.url("/login?user=alice&secret=" + secret))).status())
                    .isEqualTo(200);
            assertThat(act(alice, id, Map.of("type", "navigate", "url", site.url("/profile"))).status()).isEqualTo(200);
        } // SIGTERM's path: the agent is handed back, its browser's state saved first

        try (ConfigurableApplicationContext second = start(database, "1s")) {
            Api alice = new Api(port(second), TestKeys.ALICE);
            JsonNode agent = alice.get("/api/agents/browser/" + id).json();
            assertThat(agent.get("status_reason").asString()).isEqualTo("service_restart");
            assertThat(alice.get("/api/agents/browser/" + id + "/state").json().get("save_reason").asString())
                    .isEqualTo("service_restart");

            Api.Response who = act(alice, id, Map.of("type", "text", "selector", "#who"));
            assertThat(who.status()).as(who.toString()).isEqualTo(200);
            assertThat(who.json().get("url").asString()).isEqualTo(site.url("/profile"));
            assertThat(who.json().get("text").asString()).isEqualTo("Logged in as alice");
            assertThat(act(alice, id, Map.of("type", "text", "selector", "#note")).json().get("text").asString())
                    .isEqualTo("note-of-alice");

            // while the browser runs, a change is saved within the save interval (1 s here)
            assertThat(act(alice, id, Map.of("type", "navigate", "url", site.url("/profile?moved=1"))).status()).isEqualTo(200);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                JsonNode state = alice.get("/api/agents/browser/" + id + "/state").json();
                return "periodic".equals(state.get("save_reason").asString())
                        && state.get("state").get("tabs").toString().contains("moved=1");
            });
        }
    }

    private static ConfigurableApplicationContext start(String database, String saveInterval) {
        return new SpringApplicationBuilder(AgentApiApplication.class).run("--server.port=0",
                "--agent-api.database.url=" + database, "--agent-api.security.api-keys=" + TestKeys.property(),
                "--agent-api.browser.executable-path=" + RequiresChromium.EXECUTABLE,
                "--agent-api.browser.launch-on-create=true", "--agent-api.browser.warm-pool=0",
                "--agent-api.browser.navigation.block-private-networks=false", "--agent-api.state.save-interval=" + saveInterval);
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    private static Api.Response act(Api api, String id, Map<String, Object> action) {
        return api.post("/api/agents/browser/" + id + "/actions", Api.json(action));
    }
}
