package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * A short idle timeout stops the browser of an agent that opted out of saved state (one that keeps it hibernates
 * instead, see {@code HibernationTest}); its next action relaunches it transparently, and concurrent actions on an agent
 * without a browser (here a hibernated one) relaunch one browser. In the rate-limit context, whose browsers stop or
 * hibernate after 1 s idle; dave's creates, outside the buckets the other classes spend, launch on create.
 */
@RateLimitIntegrationTest
@ExtendWith(RequiresChromium.class)
class IdleAgentTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @LocalServerPort
    int port;

    @Test
    void idleBrowserStopsAndRelaunchesOnTheNextAction() throws Exception {
        Api dave = new Api(port, TestKeys.DAVE);
        String id = "idle-" + UUID.randomUUID();
        assertThat(dave.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "launch", true,
                "config", Map.of("persist_state", false)))).json().get("status").asString()).isEqualTo("running");

        await().atMost(Duration.ofSeconds(30)).until(() -> "stopped".equals(status(dave, id)));
        JsonNode agent = dave.get("/api/agents/browser/" + id).json();
        assertThat(agent.get("status").asString()).isEqualTo("stopped");
        assertThat(agent.get("status_reason").asString()).isEqualTo("idle_timeout");
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();

        Api.Response action = dave.post("/api/agents/browser/" + id + "/actions",
                Api.json(Map.of("type", "navigate", "url", pages.url("/"))));
        assertThat(action.status()).as(action.toString()).isEqualTo(200);
        assertThat(action.json().get("title").asString()).isEqualTo("Home");
        dave.delete("/api/agents/browser/" + id);
    }

    @Test
    void concurrentActionsOnAHibernatedAgentRelaunchOneBrowser() throws Exception {
        Api dave = new Api(port, TestKeys.DAVE);
        String id = "relaunch-" + UUID.randomUUID();
        dave.post("/api/agents/browser", Api.json(Map.of("agent_id", id, "launch", true)));
        await().atMost(Duration.ofSeconds(30)).until(() -> "hibernated".equals(status(dave, id)));
        assertThat(BrowserProcesses.awaitGone(id)).isEmpty();

        ExecutorService clients = Executors.newFixedThreadPool(4);
        List<CompletableFuture<Api.Response>> actions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            actions.add(CompletableFuture.supplyAsync(() -> dave.post("/api/agents/browser/" + id + "/actions",
                    Api.json(Map.of("type", "navigate", "url", pages.url("/")))), clients));
        }
        List<Integer> statuses = actions.stream().map(CompletableFuture::join).map(Api.Response::status).toList();
        clients.shutdown();

        assertThat(statuses).as("each action runs, or waits and is told the agent is busy").containsAnyOf(200)
                .allMatch(status -> status == 200 || status == 409);
        assertThat(BrowserProcesses.of(id).stream().filter(p -> p.parent().map(BrowserProcesses::isDriver).orElse(false)))
                .as("one browser for the agent").hasSize(1);
        dave.delete("/api/agents/browser/" + id);
        assertThat(BrowserProcesses.awaitGone(id)).as("no browser left behind").isEmpty();
    }

    private static String status(Api api, String id) {
        return api.get("/api/agents/browser/" + id).json().get("status").asString();
    }
}
