package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.Api;
import dev.agentapi.support.RequiresPostgres;
import dev.agentapi.support.TestDatabase;
import dev.agentapi.support.TestKeys;
import dev.agentapi.support.TestPages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * BROWSER_WARM_POOL with real Chromium: the pool fills at start, a create takes its browser (launched
 * behind its own egress port like any other) and the pool refills; pooled browsers count against
 * BROWSER_MAX; a pooled browser that dies is replaced; closing the runtime leaves no Chromium behind.
 */
@ExtendWith({RequiresPostgres.class, RequiresChromium.class})
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext // its own database and context, closed after use to free browsers
class BrowserPoolTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        String database = TestDatabase.create(); // its own: capacity here counts only this test's agents
        registry.add("agent-api.database.url", () -> database);
        registry.add("agent-api.security.api-keys", TestKeys::property);
        registry.add("agent-api.browser.executable-path", () -> RequiresChromium.EXECUTABLE);
        registry.add("agent-api.browser.launch-on-create", () -> "true");
        registry.add("agent-api.browser.max-browsers", () -> "2");
        registry.add("agent-api.browser.warm-pool", () -> "1");
        registry.add("agent-api.browser.navigation.block-private-networks", () -> "false");
        registry.add("agent-api.rate-limit.policies", () -> "* /api/**: 1000 per minute");
    }

    @LocalServerPort
    int port;
    @Autowired
    PlaywrightBrowserRuntime runtime;

    private Api alice() {
        return new Api(port, TestKeys.ALICE);
    }

    private String pooledName() {
        await().atMost(Duration.ofSeconds(60)).until(() -> runtime.pooled() == 1);
        return runtime.pooledNames().get(0);
    }

    private static List<String> argumentsOf(String marker) {
        return BrowserProcesses.of(marker).stream().map(p -> p.info().arguments().map(List::of).orElse(List.of()))
                .filter(args -> !args.isEmpty()).findFirst().orElseThrow(() -> new AssertionError("no process marked " + marker));
    }

    @Test
    void aCreateTakesThePooledBrowserBehindItsEgressPortAndThePoolRefills() {
        String pooled = pooledName();
        List<String> args = argumentsOf(pooled);
        assertThat(args).filteredOn(a -> a.startsWith("--proxy-server=")).isNotEmpty()
                .allSatisfy(a -> assertThat(a).matches("--proxy-server=http://127\\.0\\.0\\.1:\\d+"));
        assertThat(args).contains("--proxy-bypass-list=<-loopback>", "--disable-quic",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
        long pooledPid = BrowserProcesses.of(pooled).get(0).pid();

        String id = "pool-" + UUID.randomUUID();
        JsonNode created = alice().post("/api/agents/browser", Api.json(Map.of("agent_id", id))).json();
        assertThat(created.get("status").asString()).isEqualTo("running");
        assertThat(runtime.pooledNames()).doesNotContain(pooled);
        assertThat(BrowserProcesses.of(pooled)).as("the pooled Chromium now serves the agent")
                .extracting(ProcessHandle::pid).contains(pooledPid);

        // the adopted browser works (its requests, loopback ones too, go through the proxy port it was launched with)
        Api.Response navigated = alice().post("/api/agents/browser/" + id + "/actions",
                Api.json(Map.of("type", "navigate", "url", pages.url("/"))));
        assertThat(navigated.status()).as(navigated.toString()).isEqualTo(200);
        assertThat(navigated.json().get("title").asString()).isEqualTo("Home");

        assertThat(pooledName()).as("refilled with another browser").isNotEqualTo(pooled);
        assertThat(alice().delete("/api/agents/browser/" + id).status()).isEqualTo(200);
        assertThat(BrowserProcesses.awaitGone(pooled)).isEmpty();
    }

    @Test
    void pooledBrowsersCountAgainstCapacity() {
        pooledName();
        assertThat(runtime.browsers()).isEqualTo(1);
        String first = "cap-" + UUID.randomUUID();
        String second = "cap-" + UUID.randomUUID();
        assertThat(alice().post("/api/agents/browser", Api.json(Map.of("agent_id", first))).json().get("status").asString())
                .isEqualTo("running");
        pooledName(); // refilled: one agent and one pooled browser fill BROWSER_MAX=2
        assertThat(runtime.browsers()).isEqualTo(2);
        assertThat(new Api(port, TestKeys.BOB).post("/api/agents/browser", Api.json(Map.of("agent_id", second)))
                .json().get("status").asString()).isEqualTo("running");
        assertThat(runtime.pooled()).as("no capacity left to refill").isZero();
        assertThat(runtime.browsers()).isEqualTo(2);

        Api.Response refused = alice().post("/api/agents/browser", Api.json(Map.of("agent_id", "cap-" + UUID.randomUUID())));
        assertThat(refused.status()).as(refused.toString()).isEqualTo(503);

        assertThat(alice().delete("/api/agents/browser/" + first).status()).isEqualTo(200);
        pooledName(); // the freed place goes back to the pool
        assertThat(runtime.browsers()).isEqualTo(2);
        assertThat(new Api(port, TestKeys.BOB).delete("/api/agents/browser/" + second).status()).isEqualTo(200);
    }

    @Test
    void aPooledBrowserThatDiesIsReplaced() {
        String pooled = pooledName();
        BrowserProcesses.of(pooled).forEach(ProcessHandle::destroyForcibly);
        await().atMost(Duration.ofSeconds(60))
                .until(() -> runtime.pooledNames().size() == 1 && !runtime.pooledNames().contains(pooled));
        assertThat(BrowserProcesses.of(runtime.pooledNames().get(0))).isNotEmpty();
    }

    @Test
    void closingTheRuntimeLeavesNoPooledBrowserOrDriver() {
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE, List.of("--disable-gpu"),
                Duration.ofSeconds(30), 2, Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofSeconds(120),
                Duration.ofSeconds(2), true, true, new BrowserProperties.Navigation(List.of(), List.of(), false), null, 1);
        PlaywrightBrowserRuntime own = new PlaywrightBrowserRuntime(properties, Duration.ofSeconds(5), false,
                dev.agentapi.browser.egress.HostResolver.SYSTEM, new io.micrometer.core.instrument.simple.SimpleMeterRegistry(),
                event -> { }, new SimpleAsyncTaskExecutor("pool-test-"));
        own.start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> own.pooled() == 1);
        } finally {
            String pooled = own.pooledNames().isEmpty() ? null : own.pooledNames().get(0);
            ProcessHandle driver = pooled == null ? null : BrowserProcesses.driverOf(pooled);
            own.stop();
            if (pooled != null) {
                assertThat(BrowserProcesses.awaitGone(pooled)).isEmpty();
                await().atMost(Duration.ofSeconds(10)).until(() -> !driver.isAlive());
            }
        }
    }
}
