package dev.agentapi.taskade;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.agentapi.support.Api;
import dev.agentapi.support.RateLimitIntegrationTest;
import dev.agentapi.support.TcpProxy;
import dev.agentapi.support.TestKeys;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * Taskade becomes unreachable (a relay in front of the stand-in refuses connections): the calls fail
 * 502, the breaker opens and answers 503 with Retry-After without calling, readiness stays 200 with
 * {@code taskade_api} unhealthy, and once Taskade is back one trial call closes the breaker again. The settings are
 * the rate-limit context's (no other class there asks Taskade): a breaker that opens after 4 calls for 2 s, no retries,
 * Taskade's stand-in behind a relay ({@link TaskadeStandIn#relay()}), and no shared workspace.
 */
@RateLimitIntegrationTest
class TaskadeBreakerTest {

    static final WireMockServer taskade = TaskadeStandIn.behindRelay();
    static final TcpProxy relay = TaskadeStandIn.relay();

    /** The relay outlives this class: up again, whatever a test left. */
    @AfterAll
    static void reconnect() throws IOException {
        try (java.net.Socket connected = new java.net.Socket("127.0.0.1", relay.port())) {
            connected.getPort(); // the relay is up
        } catch (java.net.ConnectException down) {
            relay.start();
        }
    }

    @LocalServerPort
    int port;

    @Test
    void repeatedFailuresOpenTheBreakerAndTaskadesReturnClosesIt() throws IOException {
        Api alice = new Api(port, TestKeys.ALICE);
        Api probe = new Api(port, TestKeys.ADMIN); // the health details are an admin's
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        assertThat(alice.get("/api/agents/taskade").status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> taskadeHealth(probe).get("status").asString().equals("healthy"));

        relay.stop();
        Api.Response refused = alice.get("/api/agents/taskade");
        TaskadeApiTest.assertEnvelopedProblem(refused, 502, "workspaces");
        assertThat(refused.json().get("detail").asString()).isEqualTo("Taskade could not be reached");
        // the window is 4 calls; a readiness ping that failed meanwhile counts too, so the breaker may open sooner
        int failed = 1;
        while (failed < 4 && alice.get("/api/agents/taskade").status() == 502) {
            failed++;
        }
        relay.start();
        taskade.resetRequests();

        Api.Response open = alice.get("/api/agents/taskade");
        TaskadeApiTest.assertEnvelopedProblem(open, 503, "workspaces");
        assertThat(open.header("Retry-After")).isEqualTo("2");
        assertThat(open.json().get("error").asString()).isEqualTo("Taskade is unavailable");
        taskade.verify(0, anyRequestedFor(anyUrl()));
        Api.Response ready = probe.get("/api/agents/health/ready");
        assertThat(ready.status()).as("Taskade never decides readiness").isEqualTo(200);
        JsonNode health = ready.json().get("components").get("taskade_api");
        assertThat(health.get("status").asString()).isEqualTo("unhealthy");
        assertThat(health.get("circuit_breaker").asString()).isEqualTo("open");

        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250))
                .until(() -> alice.get("/api/agents/taskade").status() == 200);
        await().atMost(Duration.ofSeconds(10)).until(() -> taskadeHealth(probe).get("status").asString().equals("healthy"));
        assertThat(taskadeHealth(probe).get("circuit_breaker").asString()).isEqualTo("closed");
    }

    /** No TASKADE_WORKSPACE_ID here: nothing is shared, so a user reaches what they created and an admin everything. */
    @Test
    void withoutASharedWorkspaceUsersSeeOnlyWhatTheyCreated() {
        Api alice = new Api(port, TestKeys.ALICE);
        Api bob = new Api(port, TestKeys.BOB);
        Api admin = new Api(port, TestKeys.ADMIN);
        String workspace = TaskadeStandIn.id();
        String alices = TaskadeStandIn.id();
        String somebodys = TaskadeStandIn.id();
        taskade.stubFor(get(urlEqualTo("/api/v1/workspaces")).willReturn(okJson(
                "{\"ok\": true, \"items\": [{\"id\": \"" + workspace + "\", \"name\": \"Key's\"}]}")));
        taskade.stubFor(com.github.tomakehurst.wiremock.client.WireMock.post(urlEqualTo("/api/v1/workspaces/" + workspace + "/projects"))
                .willReturn(okJson("{\"ok\": true, \"item\": {\"id\": \"" + alices + "\", \"name\": \"Alice's\"}}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/me/projects")).willReturn(okJson("{\"ok\": true, \"items\": [{\"id\": \""
                + alices + "\", \"name\": \"Alice's\"}, {\"id\": \"" + somebodys + "\", \"name\": \"Somebody's\"}]}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/projects/" + alices + "/tasks")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        taskade.stubFor(get(urlEqualTo("/api/v1/projects/" + somebodys + "/tasks")).willReturn(okJson("{\"ok\": true, \"items\": []}")));
        assertThat(alice.post("/api/agents/taskade/projects", "{\"title\": \"Alice's\"}").status()).isEqualTo(201);

        assertThat(ids(alice.get("/api/agents/taskade/projects"))).containsExactly(alices);
        assertThat(ids(bob.get("/api/agents/taskade/projects"))).isEmpty();
        assertThat(ids(admin.get("/api/agents/taskade/projects"))).containsExactly(alices, somebodys);

        taskade.resetRequests();
        assertThat(alice.get("/api/agents/taskade/projects/" + somebodys + "/tasks").status()).isEqualTo(404);
        assertThat(bob.get("/api/agents/taskade/projects/" + alices + "/tasks").status()).isEqualTo(404);
        assertThat(bob.post("/api/agents/taskade/projects/" + alices + "/tasks", "{\"title\": \"x\"}").status()).isEqualTo(404);
        taskade.verify(0, anyRequestedFor(anyUrl())); // refused before Taskade is asked
        assertThat(alice.get("/api/agents/taskade/projects/" + alices + "/tasks").status()).isEqualTo(200);
        assertThat(admin.get("/api/agents/taskade/projects/" + somebodys + "/tasks").status()).isEqualTo(200);
    }

    private static List<String> ids(Api.Response listed) {
        assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
        return listed.json().get("projects").valueStream().map(p -> p.get("id").asString()).toList();
    }

    private static JsonNode taskadeHealth(Api probe) {
        return probe.get("/api/agents/health/ready").json().get("components").get("taskade_api");
    }
}
