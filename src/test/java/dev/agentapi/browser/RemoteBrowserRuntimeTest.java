package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.TestPages;
import java.time.Duration;
import javax.imageio.ImageIO;
import java.util.Base64;
import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The runtime with local places and remote endpoints together: where agents go, a CDP endpoint, and what
 * closing and shutting down leave on the remote side.
 */
@ExtendWith(RequiresChromium.class)
class RemoteBrowserRuntimeTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();
    @RegisterExtension
    static final LoginPages site = new LoginPages();
    static PlaywrightServer server;
    PlaywrightBrowserRuntime runtime;
    final List<String> crashes = new CopyOnWriteArrayList<>();
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeAll
    static void serve() throws Exception {
        server = new PlaywrightServer();
        server.start();
    }

    @AfterAll
    static void stopServing() {
        server.close();
    }

    @AfterEach
    void closeAll() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    private PlaywrightBrowserRuntime runtime(int maxBrowsers, String... endpoints) {
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run"),
                Duration.ofSeconds(30), maxBrowsers, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofSeconds(2), true, true, new BrowserProperties.Navigation(List.of(), List.of(), false), null, 0,
                new BrowserProperties.Remote(List.of(endpoints), "127.0.0.1", null));
        runtime = new PlaywrightBrowserRuntime(properties, Duration.ofMillis(500), false,
                dev.agentapi.browser.egress.HostResolver.SYSTEM, meters, event -> {
            if (event instanceof BrowserEvent.Crashed crashed) {
                crashes.add(crashed.agentId());
            }
        });
        runtime.start();
        return runtime;
    }

    private static LaunchSpec headless() {
        return new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null);
    }

    private boolean remote(String agentId) {
        return runtime.session(agentId).orElseThrow().remote().isPresent();
    }

    @Test
    void agentsGoWhereTheSmallerShareOfPlacesIsInUseAndCapacitySumsBoth() {
        runtime(1, server.endpoint(1));
        assertThat(runtime.capacity()).isEqualTo(2);

        runtime.launch("first", headless());
        runtime.launch("second", headless());

        assertThat(remote("first")).as("a tie goes to this process").isFalse();
        assertThat(remote("second")).isTrue();
        assertThat(runtime.inUse()).isEqualTo(2);
        assertThatThrownBy(() -> runtime.launch("third", headless()))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.CAPACITY));

        runtime.close("second");
        runtime.launch("third", headless());
        assertThat(remote("third")).isTrue();
        assertThat(runtime.execute("third", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
        assertThat(runtime.remoteEndpoints()).singleElement().satisfies(state -> {
            assertThat(state.inUse()).isEqualTo(1);
            assertThat(state.max()).isEqualTo(1);
        });
        String name = "playwright " + server.wsEndpoint();
        assertThat(meters.get("browser.remote.in_use").tag("endpoint", name).gauge().value()).isEqualTo(1);
        assertThat(meters.get("browser.remote.max").tag("endpoint", name).gauge().value()).isEqualTo(1);
        assertThat(meters.get("browser.remote.up").tag("endpoint", name).gauge().value()).isEqualTo(1);
    }

    @Test
    void aCdpEndpointRunsAgentsInContextsItClosesAgain() throws Exception {
        try (CdpBrowser cdp = new CdpBrowser()) {
            runtime(0, cdp.endpoint(2));

            runtime.launch("cdp", headless());
            assertThat(remote("cdp")).isTrue();
            assertThat(runtime.execute("cdp", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
            assertThat(runtime.execute("cdp", new BrowserAction.Text("#h", null, null)).text()).isEqualTo("Hello");
            assertThat(cdp.pageUrls()).contains(pages.url("/"));
            // the live view's screencast is a DevTools session of the agent's page, there as here
            Screencast screencast = Screencast.start(runtime.session("cdp").orElseThrow(),
                    new Screencast.Settings(640, 640, 60, Duration.ofMillis(100)), Duration.ofSeconds(30));
            try {
                Screencast.Frame frame = await().atMost(Duration.ofSeconds(60))
                        .until(() -> screencast.next(Duration.ofSeconds(1)).orElse(null), java.util.Objects::nonNull);
                assertThat(ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(frame.jpegBase64())))).isNotNull();
                assertThat(frame.viewportWidth()).isPositive();
            } finally {
                screencast.stop();
            }

            runtime.close("cdp");

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(cdp.pageUrls()).doesNotContain(pages.url("/")));
            assertThat(runtime.inUse()).isZero();
            assertThat(runtime.remoteEndpoints()).singleElement().satisfies(state -> {
                assertThat(state.status()).isEqualTo("up");
                assertThat(state.inUse()).isZero();
            });
        }
    }

    @Test
    void aRemoteBrowserKeepsATabsSessionStorageAcrossARelaunch() {
        runtime(0, server.endpoint(1));
        keepsSessionStorageAcrossARelaunch();
    }

    @Test
    void aCdpEndpointKeepsATabsSessionStorageAcrossARelaunch() throws Exception {
        try (CdpBrowser cdp = new CdpBrowser()) {
            runtime(0, cdp.endpoint(1));
            keepsSessionStorageAcrossARelaunch();
        }
    }

    /** The tab's sessionStorage is read, and put back before the page's script reads it, through the remote connection. */
    private void keepsSessionStorageAcrossARelaunch() {
        runtime.launch("remote-state", headless());
        assertThat(remote("remote-state")).isTrue();
        runtime.execute("remote-state", new BrowserAction.Navigate(site.url("/login?user=rita&secret=s-" + java.util.UUID.randomUUID()), null, null));
        runtime.execute("remote-state", new BrowserAction.Navigate(site.url("/profile"), null, null));
        BrowserState state = runtime.capture("remote-state").orElseThrow();
        assertThat(state.sessionStorage()).singleElement().satisfies(tab -> {
            assertThat(tab.tab()).isZero();
            assertThat(tab.origin()).isEqualTo(site.url(""));
            assertThat(tab.items()).containsExactly(java.util.Map.entry("tab-note", "tab-of-rita"));
        });
        assertThat(state.toString()).doesNotContain("tab-of-rita");
        runtime.close("remote-state");

        runtime.launch("remote-state", headless().restoring(state));
        assertThat(remote("remote-state")).isTrue();
        assertThat(runtime.execute("remote-state", new BrowserAction.Text("#tab-note", null, null)).text()).isEqualTo("tab-of-rita");
    }

    @Test
    void shuttingDownClosesRemoteContexts() throws Exception {
        runtime(0, server.endpoint(2));
        runtime.launch("a", headless());
        runtime.launch("b", headless());
        runtime.execute("a", new BrowserAction.Navigate(pages.url("/"), null, null));
        runtime.execute("b", new BrowserAction.Navigate(pages.url("/form"), null, null));
        assertThat(server.pageUrls()).contains(pages.url("/"), pages.url("/form"));

        runtime.stop();
        runtime = null;

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(server.pageUrls()).isEmpty());
        assertThat(crashes).as("a close on request is no crash").isEmpty();
    }

    @Test
    void anUnreachableEndpointIsMarkedDownAndRefusedAsNoCapacity() {
        runtime(0, "playwright ws://127.0.0.1:1/nothing max 3");
        assertThat(runtime.capacity()).as("not probed yet, or probed down").isIn(0, 3);

        assertThatThrownBy(() -> runtime.launch("x", headless()))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.CAPACITY);
                    assertThat(f.getMessage()).contains("ws://127.0.0.1:1/nothing");
                });
        assertThat(runtime.remoteEndpoints()).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo("down");
            assertThat(state.inUse()).isZero();
        });
        assertThat(runtime.capacity()).isZero();
        assertThat(runtime.isReady()).isFalse();
    }

    @Test
    void anEndpointThatAnswersTcpButRefusesToServeStaysDownDespiteProbes() {
        // the test pages' HTTP server: a TCP probe reaches it, a Playwright connect is refused
        // with credentials in the URL, as hosted browser services hand them out: they never show
        String notAServer = pages.url("/").replace("http://", "ws://user:pa55word@") + "connect?token=S3CRET-TOKEN";
        runtime(0, "playwright " + notAServer + " max 1");

        assertThatThrownBy(() -> runtime.launch("x", headless()))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> {
                    assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.CAPACITY);
                    assertThat(f.getMessage()).doesNotContain("S3CRET", "pa55word");
                });
        runtime.housekeep(); // probes every endpoint: this one answers TCP

        assertThat(runtime.remoteEndpoints()).singleElement().satisfies(state -> {
            assertThat(state.status()).isEqualTo("down");
            assertThat(state.error()).contains("could not be used").doesNotContain("S3CRET", "pa55word");
            assertThat(state.endpoint()).doesNotContain("S3CRET", "pa55word");
        });
        assertThat(runtime.capacity()).isZero();
    }
}
