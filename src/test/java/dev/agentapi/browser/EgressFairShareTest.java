package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.egress.EgressLimits;
import dev.agentapi.browser.egress.HostResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The egress proxy is shared fairly: one agent's page that holds hundreds of WebSockets and hangs dozens of
 * fetches cannot take the connections another agent's browser needs. The proxy runs with its default limits.
 */
@ExtendWith(RequiresChromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EgressFairShareTest {

    static final String FLOOD = "egress-flood";
    static final String CALM = "egress-calm";
    static final int WEB_SOCKETS = 300;
    static final int HANGING_FETCHES = 60;
    private static final Logger log = LoggerFactory.getLogger(EgressFairShareTest.class);

    FloodServer server;
    SimpleMeterRegistry meters;
    PlaywrightBrowserRuntime runtime;

    @BeforeAll
    void start() throws Exception {
        server = new FloodServer();
        meters = new SimpleMeterRegistry();
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        HostResolver resolver = name -> name.endsWith(".flood.test") ? List.of(loopback) : HostResolver.SYSTEM.resolve(name);
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"),
                Duration.ofSeconds(30), 2, Duration.ofMinutes(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(List.of("127.0.0.1"), List.of(), true), null, 0,
                BrowserProperties.Remote.NONE, BrowserProperties.DEFAULT_HEADLESS_SHELL)
                .withAllowNoSandbox(RequiresChromium.ALLOW_NO_SANDBOX);
        runtime = new PlaywrightBrowserRuntime(properties, Duration.ofSeconds(5), true, resolver, meters, event -> { });
        runtime.start();
        runtime.launch(FLOOD, new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));
        runtime.launch(CALM, new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.stop();
        }
        server.close();
    }

    @Test
    void anAgentHoldingHundredsOfWebSocketsAndHangingFetchesLeavesAnotherAgentsNavigationAlone() {
        runtime.execute(FLOOD, new BrowserAction.Navigate(server.url("/flood?ws=" + WEB_SOCKETS + "&fetch=" + HANGING_FETCHES), null, 15_000));
        // every WebSocket the page asked for is open or has failed, and the fetches hang
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                .until(() -> runtime.execute(FLOOD, new BrowserAction.Text("#out", null, null)).text(), report -> FloodServer.settled(report, WEB_SOCKETS));

        long started = System.nanoTime();
        ActionResult calm = runtime.execute(CALM, new BrowserAction.Navigate(server.url("/hello"), null, 10_000));
        long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        // a figure for the record, not an assertion: the navigation's bound is its 10 s timeout
        log.info("The calm agent's navigation took {} ms ({} WebSockets upgraded, {} fetches hanging; the flooding page says: {})",
                millis, server.upgraded(), server.hanging(), runtime.execute(FLOOD, new BrowserAction.Text("#out", null, null)).text());

        assertThat(calm.title()).isEqualTo("Hello");
        int cap = EgressLimits.DEFAULTS.maxConnectionsPerAgent();
        assertThat(server.upgraded() + server.hanging()).as("connections the flooding agent got through").isLessThanOrEqualTo(cap);
        assertThat(meters.find("browser.egress.over_cap").tag("agent", FLOOD).counters().stream().mapToDouble(Counter::count).sum())
                .as("the flooding agent's connections refused over its cap").isGreaterThan(0);
        assertThat(meters.find("browser.egress.over_cap").tag("agent", CALM).counters()).as("the calm agent was never capped").isEmpty();
    }
}
