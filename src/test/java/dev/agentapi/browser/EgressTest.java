package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.agentapi.browser.egress.HostResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every way a page can reach a host, against a real Chromium behind the egress proxy. Pages are served on
 * 127.0.0.1 (allowed); the denied host listens on 127.0.0.2 (and ::1) on the same port, with private networks
 * blocked, and must accept no connection at all. Names come from a test resolver: {@code denied.test} is
 * 127.0.0.2, {@code rebind.test} answers 127.0.0.1 first and 127.0.0.2 after.
 */
@ExtendWith(RequiresChromium.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // one browser for all tests; a subclass picks the binary
class EgressTest {

    static final String AGENT = "egress";
    static InetAddress allowed;
    static InetAddress deniedAddress;
    static EgressPages pages;
    static DeniedServer denied;
    static DeniedServer deniedIpv6;
    /** Behind 0.0.0.0, which the kernel treats as this host: a second port on 127.0.0.1 nobody may reach that way. */
    static DeniedServer deniedBehindUnspecified;
    static final AtomicInteger rebindLookups = new AtomicInteger();
    static SimpleMeterRegistry meters;
    static PlaywrightBrowserRuntime runtime;

    /** The binary headless agents run on in this class (see {@link EgressOnFullChromiumTest}). */
    static String binary;

    /** The headless shell this class's runtime is configured with (blank: headless agents run on the full Chromium). */
    String headlessShell() {
        return BrowserProperties.DEFAULT_HEADLESS_SHELL;
    }

    @BeforeAll
    void start() throws Exception {
        String headlessShell = headlessShell();
        meters = new SimpleMeterRegistry();
        rebindLookups.set(0);
        allowed = InetAddress.getByName("127.0.0.1");
        deniedAddress = InetAddress.getByName("127.0.0.2");
        pages = new EgressPages();
        denied = new DeniedServer(deniedAddress, pages.port());
        try {
            deniedIpv6 = new DeniedServer(InetAddress.getByName("::1"), pages.port());
        } catch (IOException noIpv6) {
            deniedIpv6 = null;
        }
        deniedBehindUnspecified = new DeniedServer(allowed, 0);
        HostResolver resolver = name -> switch (name) {
            case "denied.test" -> List.of(deniedAddress);
            case "rebind.test" -> List.of(rebindLookups.getAndIncrement() == 0 ? allowed : deniedAddress);
            case "nowhere.test" -> throw new java.net.UnknownHostException(name);
            default -> HostResolver.SYSTEM.resolve(name);
        };
        BrowserProperties properties = new BrowserProperties(RequiresChromium.EXECUTABLE,
                List.of("--disable-gpu", "--disable-dev-shm-usage", "--no-first-run"),
                Duration.ofSeconds(30), 2, Duration.ofMinutes(10), Duration.ofSeconds(15), Duration.ofSeconds(30),
                Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(List.of("127.0.0.1"), List.of("localhost"), true), null, 0,
                BrowserProperties.Remote.NONE, headlessShell).withAllowNoSandbox(RequiresChromium.ALLOW_NO_SANDBOX);
        binary = properties.headlessExecutable();
        runtime = new PlaywrightBrowserRuntime(properties, Duration.ofSeconds(5), true, resolver, meters, event -> { });
        runtime.start();
        runtime.launch(AGENT, new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));
    }

    @AfterAll
    void stop() throws Exception {
        if (runtime != null) {
            runtime.stop();
        }
        pages.close();
        denied.close();
        if (deniedIpv6 != null) {
            deniedIpv6.close();
        }
        deniedBehindUnspecified.close();
    }

    @AfterEach
    void theDeniedHostWasNeverReached() {
        assertThat(denied.accepted()).as("connections to 127.0.0.2").isZero();
        if (deniedIpv6 != null) {
            assertThat(deniedIpv6.accepted()).as("connections to ::1").isZero();
        }
        assertThat(deniedBehindUnspecified.accepted()).as("connections through 0.0.0.0").isZero();
    }

    static double refusals() {
        return meters.find("browser.egress.refused").counters().stream().mapToDouble(Counter::count).sum();
    }

    static ActionResult act(BrowserAction action) {
        return runtime.execute(AGENT, action);
    }

    static String denied(String scheme) {
        return scheme + "://denied.test:" + pages.port() + "/";
    }

    /** Opens {@code page} aimed at {@code target}, waits for its outcome, and for the proxy to have refused something. */
    static String attempt(String page, String target) {
        double before = refusals();
        act(new BrowserAction.Navigate(pages.url(page, target), null, 15_000));
        act(new BrowserAction.WaitFor("#out.done", null, "attached", 15_000));
        await().atMost(Duration.ofSeconds(15)).until(() -> refusals() > before);
        return act(new BrowserAction.Text("#out", null, null)).text();
    }

    /** Opens {@code page} aimed at {@code target} and waits for the proxy to have refused something; the page may go away. */
    static void attemptAway(String agent, String page, String target) {
        double before = refusals();
        try {
            runtime.execute(agent, new BrowserAction.Navigate(pages.url(page, target), null, 15_000));
        } catch (BrowserFailure refused) {
            // Chromium may also follow the way out within the action itself (a download's cross-origin
            // redirect becomes the page's navigation): refused outright, or (seen once in CI) the action's
            // own navigation aborted by the one Chromium starts, with the refusal coming after. Either way
            // the proxy must refuse (awaited below) and the denied host sees nothing (checked after each test)
            assertThat(refused.kind()).isIn(BrowserFailure.Kind.NAVIGATION_REFUSED, BrowserFailure.Kind.NAVIGATION_FAILED);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> refusals() > before);
    }

    static void assertRefusedNavigation(String url) {
        assertThatThrownBy(() -> act(new BrowserAction.Navigate(url, null, 15_000)))
                .as(url)
                .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED));
    }

    @Test
    void theAgentRunsOnTheBinaryChosenForHeadlessAgents() throws IOException {
        // Debian's /usr/bin/chromium is a launcher script; the browser it starts is /usr/lib/chromium/chromium
        String expected = binary.equals("/usr/bin/chromium") ? "/usr/lib/chromium/chromium"
                : java.nio.file.Path.of(binary).toRealPath().toString();
        // (the other class's browser for the same agent id may still be exiting: waited for)
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(BrowserProcesses.of(AGENT).stream()
                .filter(p -> p.isAlive() && BrowserProcesses.isBrowserMain(p)).map(p -> p.info().command().orElse("?")))
                .as("the agent's browser process").contains(expected)
                .allSatisfy(command -> assertThat(command).isIn(expected, "/bin/sh", "/usr/bin/dash", "/usr/bin/bash")));
    }

    @Test
    void chromiumIsLaunchedBehindItsProxyPort() {
        List<String> args = BrowserProcesses.of(AGENT).stream().map(p -> p.info().arguments().map(List::of).orElse(List.of()))
                .filter(list -> !list.isEmpty()).findFirst().orElseThrow();
        assertThat(args).filteredOn(a -> a.startsWith("--proxy-server=")).isNotEmpty()
                .allSatisfy(a -> assertThat(a).matches("--proxy-server=http://127\\.0\\.0\\.1:\\d+"));
        assertThat(args).contains("--proxy-bypass-list=<-loopback>", "--disable-quic",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp");
        assertThat(args).noneMatch(a -> a.startsWith("--no-proxy-server") || a.startsWith("--proxy-pac-url"));
    }

    @ParameterizedTest(name = "{0} hops")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void redirectChainsEndingOnADeniedHostAreRefused(int hops) {
        double before = refusals();
        assertRefusedNavigation(pages.url("/redirect?hops=" + hops, denied("http")));
        assertRefusedNavigation(pages.url("/redirect?hops=" + hops, denied("https")));
        assertRefusedNavigation(pages.url("/redirect?hops=" + hops, "http://169.254.169.254/latest/meta-data/"));
        assertThat(refusals()).as("each chain was refused by the proxy").isGreaterThanOrEqualTo(before + 3);
    }

    @Test
    void everyWayOfWritingADeniedAddressIsRefused() {
        int port = pages.port();
        List<String> forms = List.of("http://2130706434:" + port + "/", "http://0x7f.0.0.2:" + port + "/",
                "http://0177.0.0.2:" + port + "/", "http://127.2:" + port + "/", "http://0x7f000002:" + port + "/",
                "http://[::ffff:127.0.0.2]:" + port + "/", "http://[::ffff:7f00:2]:" + port + "/", "http://[::1]:" + port + "/",
                "http://0.0.0.0:" + deniedBehindUnspecified.port() + "/", "http://[::]:" + deniedBehindUnspecified.port() + "/",
                "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/");
        for (String form : forms) {
            assertRefusedNavigation(form); // refused before the browser is involved
            double before = refusals();
            // and by the proxy, when a redirect hands the same address to the browser
            assertThatThrownBy(() -> act(new BrowserAction.Navigate(pages.url("/redirect?hops=1", form), null, 15_000)))
                    .as("redirect to " + form).isInstanceOf(BrowserFailure.class);
            assertThat(refusals()).as("proxy refusal of " + form).isGreaterThan(before);
        }
    }

    @Test
    void aNameThatResolvesToAnAllowedAddressFirstAndADeniedOneNextIsRefused() {
        rebindLookups.set(0);
        // the early check sees 127.0.0.1; the proxy resolves again, sees 127.0.0.2, and refuses
        assertRefusedNavigation("http://rebind.test:" + pages.port() + "/hello");
        assertThat(rebindLookups.get()).as("the early check's lookup, then the proxy's (then favicon's)").isGreaterThanOrEqualTo(2);
    }

    @Test
    void theProxyConnectsToExactlyTheAddressItJudged() {
        rebindLookups.set(0);
        int before = pages.hits("/hello");
        // fetch has no early check: the proxy's one lookup answers 127.0.0.1, and that is where it connects
        act(new BrowserAction.Navigate(pages.url("/fetch", "http://rebind.test:" + pages.port() + "/hello"), null, 15_000));
        act(new BrowserAction.WaitFor("#out.done", null, "attached", 15_000));
        assertThat(act(new BrowserAction.Text("#out", null, null)).text()).isEqualTo("ok");
        assertThat(pages.hits("/hello")).isEqualTo(before + 1);
        assertThat(rebindLookups.get()).isEqualTo(1);
    }

    @Test
    void fetchIframesAndLinksCannotReachADeniedHost() {
        attempt("/fetch", denied("http"));
        attempt("/fetch", denied("https"));
        attempt("/iframe", denied("http"));
        attempt("/iframe", denied("https"));
        double before = refusals();
        act(new BrowserAction.Navigate(pages.url("/link", denied("http")), null, 15_000));
        act(new BrowserAction.Click("#go", null, null));
        await().atMost(Duration.ofSeconds(15)).until(() -> refusals() > before);
    }

    @Test
    void workersAndServiceWorkersCannotReachADeniedHost() {
        attempt("/worker", denied("http"));
        attempt("/worker", denied("https"));
        attempt("/service-worker", denied("http"));
    }

    @Test
    void webSocketsFromPagesAndWorkersCannotReachADeniedHost() {
        assertThat(attempt("/websocket", denied("ws"))).isEqualTo("closed");
        assertThat(attempt("/websocket", denied("wss"))).isEqualTo("closed");
        assertThat(attempt("/worker?mode=websocket", denied("ws"))).isEqualTo("closed");
    }

    @Test
    void downloadsCannotReachADeniedHost() {
        // Chromium turns a download whose redirect leaves the origin into a navigation of the page, which goes on
        // in the background after the action: a browser of its own, so no later test meets that navigation
        String agent = "egress-downloads";
        runtime.launch(agent, new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null));
        try {
            attemptAway(agent, "/download", denied("http"));
            attemptAway(agent, "/download", denied("https"));
        } finally {
            runtime.close(agent);
        }
    }

    @Test
    void popupsCannotReachADeniedHost() {
        // a page opens no window without a gesture (the full browser's popup blocker; the headless shell opens none at
        // all): where one opens anyway, the proxy refuses what it asks for
        for (String scheme : List.of("http", "https")) {
            double before = refusals();
            act(new BrowserAction.Navigate(pages.url("/popup", denied(scheme)), null, 15_000));
            act(new BrowserAction.WaitFor("#out.done", null, "attached", 15_000));
            if (!"blocked".equals(act(new BrowserAction.Text("#out", null, null)).text())) {
                await().atMost(Duration.ofSeconds(15)).until(() -> refusals() > before);
            }
        }
    }

    @Test
    void unreachableHostsAreNavigationFailuresNotPages() throws Exception {
        int closedPort;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, allowed)) {
            closedPort = free.getLocalPort();
        }
        for (String url : List.of("http://127.0.0.1:" + closedPort + "/", pages.url("/redirect?hops=2", "http://127.0.0.1:" + closedPort + "/"))) {
            assertThatThrownBy(() -> act(new BrowserAction.Navigate(url, null, 15_000)))
                    .as(url)
                    .isInstanceOfSatisfying(BrowserFailure.class, f -> assertThat(f.kind()).isEqualTo(BrowserFailure.Kind.NAVIGATION_FAILED));
        }
    }

    @Test
    void aNameThatDoesNotResolveIsRefusedLikeADeniedOneAndNoRefusalNamesTheAddress() {
        int port = pages.port();
        // directly (the early check) and through a redirect (the proxy), over http and https
        for (String[] pair : List.of(new String[] {"http://denied.test:" + port + "/", "http://nowhere.test:" + port + "/"},
                new String[] {"https://denied.test:" + port + "/", "https://nowhere.test:" + port + "/"},
                new String[] {pages.url("/redirect?hops=1", "http://denied.test:" + port + "/"),
                        pages.url("/redirect?hops=1", "http://nowhere.test:" + port + "/")})) {
            BrowserFailure denied = catchThrowableOfType(BrowserFailure.class, () -> act(new BrowserAction.Navigate(pair[0], null, 15_000)));
            BrowserFailure unresolvable = catchThrowableOfType(BrowserFailure.class, () -> act(new BrowserAction.Navigate(pair[1], null, 15_000)));
            assertThat(denied.kind()).as(pair[0]).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED);
            assertThat(unresolvable.kind()).as(pair[1]).isEqualTo(denied.kind());
            assertThat(unresolvable.getMessage().replace("nowhere.test", "denied.test")).as(pair[1]).isEqualTo(denied.getMessage());
            assertThat(denied.getMessage()).as(pair[0]).endsWith("the address is not allowed").doesNotContain("127.0.0.2");
        }
    }

    /**
     * The refusal an action reports is the one that stopped its load: while the page it leaves keeps requesting
     * another refused host, a navigation through a redirect to a denied host names that host, over http (the proxy's
     * 403 page) and https (a refused tunnel), never the stray requests' host.
     */
    @Test
    void aRefusalIsNamedByTheLoadItStoppedNotByAStrayRequestBesideIt() {
        String stray = "http://nowhere.test:" + pages.port() + "/stray";
        for (String scheme : List.of("http", "https")) {
            act(new BrowserAction.Navigate(pages.url("/stray", stray), null, 15_000));
            double before = refusals();
            await().atMost(Duration.ofSeconds(15)).until(() -> refusals() > before + 10);
            BrowserFailure refused = catchThrowableOfType(BrowserFailure.class,
                    () -> act(new BrowserAction.Navigate(pages.url("/redirect?hops=1", denied(scheme)), null, 15_000)));
            assertThat(refused.kind()).as(scheme).isEqualTo(BrowserFailure.Kind.NAVIGATION_REFUSED);
            assertThat(refused.getMessage()).as(scheme).contains("denied.test:" + pages.port()).doesNotContain("nowhere.test");
        }
    }

    @Test
    void localhostGoesThroughTheProxyToo() {
        int before = pages.hits("/hello");
        // localhost is denied by name here; had Chromium bypassed the proxy for it, /hello would have been served
        attempt("/fetch", "http://localhost:" + pages.port() + "/hello");
        assertThat(pages.hits("/hello")).isEqualTo(before);
    }

    @Test
    void allowedRequestsOfEveryKindGoThroughTheProxy() {
        for (String page : List.of("/fetch", "/worker", "/service-worker", "/iframe")) {
            int before = pages.hits("/hello");
            act(new BrowserAction.Navigate(pages.url(page, pages.url("/hello")), null, 15_000));
            act(new BrowserAction.WaitFor("#out.done", null, "attached", 15_000));
            assertThat(act(new BrowserAction.Text("#out", null, null)).text()).as(page).isIn("ok", "loaded");
            assertThat(pages.hits("/hello")).as(page).isEqualTo(before + 1);
            assertThat(pages.lastConnectionHeader()).as("sent by the proxy, not by Chromium directly").isEqualTo("close");
        }
    }
}
