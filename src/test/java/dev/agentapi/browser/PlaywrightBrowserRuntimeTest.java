package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.agentapi.support.TestPages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The runtime against real Chromium and pages served on localhost. */
@ExtendWith(RequiresChromium.class)
class PlaywrightBrowserRuntimeTest {

    @RegisterExtension
    static final TestPages pages = TestPages.perClass();
    PlaywrightBrowserRuntime runtime;
    final List<String> crashes = new CopyOnWriteArrayList<>();
    final List<String> stops = new CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() {
        if (runtime != null) {
            runtime.stop();
        }
    }

    private PlaywrightBrowserRuntime runtime(int maxBrowsers, String idleTimeout) {
        BrowserProperties defaults = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                        "--disable-component-update", "--no-first-run"),
                Duration.ofSeconds(30), maxBrowsers, Duration.parse(idleTimeout), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMillis(300), true, true,
                new BrowserProperties.Navigation(List.of(), List.of("localhost"), false), null);
        runtime = new PlaywrightBrowserRuntime(defaults, Duration.ofMillis(200), false, event -> {
            if (event instanceof BrowserEvent.Stopped stopped) {
                stops.add(stopped.agentId() + ":" + stopped.reason());
            } else if (event instanceof BrowserEvent.Crashed crashed) {
                crashes.add(crashed.agentId());
            }
        });
        runtime.start();
        return runtime;
    }

    /** On the full Chromium (not the headless shell), keeping at most {@code pages} pages per agent. */
    private PlaywrightBrowserRuntime fullBrowserRuntime(int pages) {
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"),
                Duration.ofSeconds(30), 2, Duration.ofMinutes(10), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofMillis(300), true, true, new BrowserProperties.Navigation(List.of(), List.of(), false), null, 0,
                BrowserProperties.Remote.NONE, "").withLimits(new BrowserProperties.Limits(
                        BrowserProperties.Limits.DEFAULTS.text(), BrowserProperties.Limits.DEFAULTS.html(),
                        BrowserProperties.Limits.DEFAULTS.image(), BrowserProperties.Limits.DEFAULTS.pdf(), 4096, 16384, pages));
        runtime = new PlaywrightBrowserRuntime(properties, Duration.ofMillis(200), false, event -> { });
        runtime.start();
        return runtime;
    }

    @Test
    void onTheFullBrowserPagesOpenWindowsOnlyOnAGestureAndAnAgentKeepsAtMostItsCap() {
        BrowserSession session = fullBrowserRuntime(3).launch("p1", headless(800, 600));

        runtime.execute("p1", new BrowserAction.Navigate(pages.url("/popups"), "commit", null));
        // no gesture, (almost) no window: the opening page keeps trying, 200 every 50 ms; pages stay within the cap all along
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> session.pages(Duration.ofSeconds(5))[0] <= 3);

        runtime.execute("p1", new BrowserAction.Navigate(pages.url("/popup-link"), null, null));
        for (int i = 0; i < 5; i++) { // a click is a gesture: each opens a window
            runtime.execute("p1", new BrowserAction.Click("#open", null, null));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> session.pages(Duration.ofSeconds(5))[1] >= 3);
        assertThat(session.pages(Duration.ofSeconds(5))[0]).as("the agent's page and two windows").isEqualTo(3);
        assertThat(runtime.execute("p1", new BrowserAction.Text("#open", null, null)).text()).as("the agent's own page stays").isEqualTo("open");
    }

    private static LaunchSpec headless(int width, int height) {
        return new LaunchSpec(BrowserChannel.CHROMIUM, true, width, height, null);
    }

    @Test
    void navigatesClicksFillsAndReads() {
        runtime(2, "PT10M").launch("a1", headless(800, 600));

        ActionResult home = runtime.execute("a1", new BrowserAction.Navigate(pages.url("/"), null, null));
        assertThat(home.title()).isEqualTo("Home");
        assertThat(home.url()).isEqualTo(pages.url("/"));

        runtime.execute("a1", new BrowserAction.Click("#go", null, null));
        assertThat(runtime.execute("a1", new BrowserAction.Text("#h", null, null)).text()).isEqualTo("Clicked");

        runtime.execute("a1", new BrowserAction.Navigate(pages.url("/form"), null, null));
        runtime.execute("a1", new BrowserAction.Fill("#name", null, "Ada", null));
        runtime.execute("a1", new BrowserAction.Click("#send", null, null));
        ActionResult result = runtime.execute("a1", new BrowserAction.WaitFor("#out", null, null, null));
        assertThat(result.title()).isEqualTo("Result");
        assertThat(runtime.execute("a1", new BrowserAction.Text("#out", null, null)).text()).isEqualTo("Hello, Ada!");
        assertThat(runtime.execute("a1", new BrowserAction.Content(null)).html()).contains("<p id=\"out\">");
    }

    @Test
    void screenshotIsAPngOfTheViewportAndPdfIsAPdf() throws Exception {
        runtime(2, "PT10M").launch("a2", headless(640, 480));
        runtime.execute("a2", new BrowserAction.Navigate(pages.url("/"), null, null));

        ActionResult shot = runtime.execute("a2", new BrowserAction.Screenshot(false, null));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(shot.data()));
        assertThat(shot.mediaType()).isEqualTo("image/png");
        assertThat(image.getWidth()).isEqualTo(640);
        assertThat(image.getHeight()).isEqualTo(480);

        ActionResult pdf = runtime.execute("a2", new BrowserAction.Pdf(null));
        assertThat(new String(pdf.data(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("%PDF");
    }

    @Test
    void failuresAreTyped() {
        runtime(2, "PT10M").launch("a3", headless(800, 600));
        runtime.execute("a3", new BrowserAction.Navigate(pages.url("/"), null, null));

        assertThatThrownBy(() -> runtime.execute("a3", new BrowserAction.Click("#missing", null, null)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.SELECTOR_NOT_FOUND));
        assertThatThrownBy(() -> runtime.execute("a3", new BrowserAction.WaitFor("#never", null, null, 300)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.TIMEOUT));
        assertThatThrownBy(() -> runtime.execute("a3", new BrowserAction.Navigate("http://127.0.0.1:1/", null, null)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_FAILED));
    }

    @Test
    void metadataAddressesRedirectsToThemAndFileUrlsAreRefused() {
        runtime(2, "PT10M").launch("a4", headless(800, 600));

        for (String url : new String[] {"http://169.254.169.254/", "file:///etc/passwd", pages.url("/to-metadata")}) {
            assertThatThrownBy(() -> runtime.execute("a4", new BrowserAction.Navigate(url, null, 5_000)))
                    .as(url)
                    .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED));
        }
        assertThat(runtime.execute("a4", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
    }

    @Test
    void agentsRunInParallelButOneAgentsActionsOneAtATime() throws Exception {
        runtime(3, "PT10M");
        runtime.launch("p1", headless(800, 600));
        runtime.launch("p2", headless(800, 600));

        CompletableFuture<ActionResult> slow = CompletableFuture.supplyAsync(
                () -> runtime.execute("p1", new BrowserAction.Navigate(pages.url("/slow"), null, null)));
        await().atMost(Duration.ofSeconds(10)).until(() -> pages.hits("/slow") > 0);
        // the other agent is not held up by p1's slow page
        assertThat(runtime.execute("p2", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
        assertThat(slow).isNotDone();
        // p1 itself is busy: a second action waits briefly, then is refused
        assertThatThrownBy(() -> runtime.execute("p1", new BrowserAction.Content(null)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.BUSY));
        assertThat(slow.get(30, TimeUnit.SECONDS).title()).isEqualTo("Slow");
    }

    @Test
    void capacityIsBounded() {
        runtime(1, "PT10M").launch("c1", headless(800, 600));

        assertThatThrownBy(() -> runtime.launch("c2", headless(800, 600)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.CAPACITY));
        runtime.close("c1");
        runtime.launch("c2", headless(800, 600));
        assertThat(runtime.inUse()).isEqualTo(1);
    }

    @Test
    void closingLeavesNoBrowserProcess() throws Exception {
        runtime(2, "PT10M").launch("z1", headless(800, 600));
        assertThat(BrowserProcesses.of("z1")).isNotEmpty();

        runtime.close("z1");

        assertThat(BrowserProcesses.awaitGone("z1")).isEmpty();
    }

    @Test
    void aClosedBrowsersDriverServesTheNextLaunchAndADeadOneIsReplaced() throws Exception {
        runtime(2, "PT10M").launch("d1", headless(800, 600));
        ProcessHandle driver = BrowserProcesses.driverOf("d1");
        runtime.close("d1");

        runtime.launch("d2", headless(800, 600));
        assertThat(BrowserProcesses.driverOf("d2").pid()).as("the closed browser's driver is reused").isEqualTo(driver.pid());
        assertThat(runtime.execute("d2", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
        runtime.close("d2");
        assertThat(BrowserProcesses.awaitGone("d2")).isEmpty();

        driver.destroyForcibly();
        driver.onExit().get(10, TimeUnit.SECONDS);
        runtime.launch("d3", headless(800, 600));
        ProcessHandle replacement = BrowserProcesses.driverOf("d3");
        assertThat(replacement.pid()).isNotEqualTo(driver.pid());
        assertThat(runtime.execute("d3", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");

        runtime.stop();
        replacement.onExit().get(20, TimeUnit.SECONDS);
        assertThat(BrowserProcesses.awaitGone("d3")).isEmpty();
    }

    @Test
    void webSocketsToDeniedHostsAreRefusedAndServiceWorkersRunBehindTheProxy() {
        runtime(2, "PT10M").launch("w1", headless(800, 600));
        // pages are served on 127.0.0.1; the same server named localhost is denied in this runtime
        String socket = "ws://localhost:" + java.net.URI.create(pages.url("/")).getPort() + "/socket";
        runtime.execute("w1", new BrowserAction.Navigate(pages.url("/websocket?" + java.net.URLEncoder.encode(socket,
                java.nio.charset.StandardCharsets.UTF_8)), null, null));
        runtime.execute("w1", new BrowserAction.WaitFor("#out.done", null, "attached", 10_000));
        assertThat(pages.hits("/socket")).as("the denied host never saw the WebSocket").isZero();

        // service workers are not blocked any more: their requests go through the egress proxy like any other
        runtime.execute("w1", new BrowserAction.Navigate(pages.url("/service-worker"), null, null));
        runtime.execute("w1", new BrowserAction.WaitFor("#out.done", null, "attached", 10_000));
        assertThat(runtime.execute("w1", new BrowserAction.Text("#out", null, null)).text()).isEqualTo("registered");
        assertThat(pages.hits("/sw.js")).as("service worker script requests").isPositive();
    }

    @Test
    void aRedirectToNoUrlIsANavigationFailure() {
        runtime(2, "PT10M").launch("b1", headless(800, 600));
        assertThatThrownBy(() -> runtime.execute("b1", new BrowserAction.Navigate(pages.url("/bad-redirect"), null, 10_000)))
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_FAILED));
        assertThat(runtime.execute("b1", new BrowserAction.Navigate(pages.url("/"), null, null)).title()).isEqualTo("Home");
    }

    @Test
    void idleBrowsersAreClosed() throws Exception {
        runtime(2, "PT0.5S").launch("i1", headless(800, 600));
        await().atMost(Duration.ofSeconds(10)).until(() -> !stops.isEmpty());
        assertThat(stops).containsExactly("i1:idle_timeout");
        assertThat(runtime.session("i1")).isEmpty();
        assertThat(BrowserProcesses.awaitGone("i1")).isEmpty();
    }

    @Test
    void aKilledBrowserIsNoticed() throws Exception {
        runtime(2, "PT10M").launch("k1", headless(800, 600));
        BrowserProcesses.of("k1").forEach(ProcessHandle::destroyForcibly);

        await().atMost(Duration.ofSeconds(10)).until(() -> !crashes.isEmpty());
        assertThat(crashes).containsExactly("k1");
        assertThat(runtime.session("k1")).isEmpty();
        assertThat(runtime.inUse()).isZero();
    }

    @Test
    void missingChannelsFallBackOrAreRefusedAndHeadedNeedsADisplay() {
        runtime(2, "PT10M");
        LaunchSpec edge = runtime.resolve(new LaunchSpec(BrowserChannel.MSEDGE, true, 800, 600, null));
        assertThat(edge.channel()).isEqualTo(BrowserChannel.MSEDGE.installed() ? BrowserChannel.MSEDGE : BrowserChannel.CHROMIUM);
        if (System.getenv("DISPLAY") == null) {
            assertThatThrownBy(() -> runtime.resolve(new LaunchSpec(BrowserChannel.CHROMIUM, false, 800, 600, null)))
                    .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NO_DISPLAY));
        }
    }
}
