package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/**
 * The sandbox stays on unless the host rules it out, and the reason says which. Where it cannot start, local mode
 * runs browsers without it (said once); outside local mode none is launched unless BROWSER_ALLOW_NO_SANDBOX says so
 * (said at WARN on every start). {@code SandboxRuleTest} shows the same through a whole service.
 */
@ExtendWith(OutputCaptureExtension.class)
class ChromiumSandboxTest {

    private static final boolean LOCAL = false;
    private static final boolean PRODUCTION = true;
    private static final ChromiumSandbox AS_ROOT = ChromiumSandbox.decide(Optional.of(0L), Optional.empty());
    private static final ChromiumSandbox AS_USER = ChromiumSandbox.decide(Optional.of(1000L), Optional.empty());
    private static final LaunchSpec HEADLESS = new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null);

    private static BrowserProperties properties(List<String> args) {
        return new BrowserProperties("/usr/bin/chromium", args, Duration.ofSeconds(30), 1, Duration.ofMinutes(10),
                Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(List.of(), List.of(), false), null);
    }

    private static BrowserProperties properties() {
        return properties(List.of("--no-first-run"));
    }

    @Test
    void onForAnOrdinaryUserWithUserNamespaces() {
        assertThat(ChromiumSandbox.decide(Optional.of(1000L), Optional.empty()).enabled()).isTrue();
        assertThat(ChromiumSandbox.decide(Optional.empty(), Optional.empty()).enabled()).isTrue();
    }

    @Test
    void offAsRootOrWithoutUserNamespacesSayingWhy() {
        assertThat(AS_ROOT.enabled()).isFalse();
        assertThat(AS_ROOT.reason()).contains("root");
        ChromiumSandbox noNamespaces = ChromiumSandbox.decide(Optional.of(1000L), Optional.of("user namespaces are off"));
        assertThat(noNamespaces.enabled()).isFalse();
        assertThat(noNamespaces.reason()).isEqualTo("user namespaces are off");
    }

    @Test
    void inLocalModeALaunchThatFailsForWantOfASandboxTurnsItOffOnce() {
        ChromiumLaunch launch = new ChromiumLaunch(properties(), AS_USER, LOCAL);
        assertThat(launch.options("a", HEADLESS, "http://127.0.0.1:1", null).chromiumSandbox).isTrue();

        assertThat(launch.sandboxFailed("Timeout 30000ms exceeded")).isFalse();
        // the line that says so comes deep in Playwright's launch log, beyond what a client-facing message keeps
        assertThat(launch.sandboxFailed(new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser could not start",
                new RuntimeException("Browser logs:\n" + "x".repeat(2_000) + "\n[FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox!"))))
                .isTrue();
        assertThat(launch.sandboxFailed("No usable sandbox!")).as("only once").isFalse();
        assertThat(launch.options("a", HEADLESS, "http://127.0.0.1:1", null).chromiumSandbox).isFalse();
        assertThat(launch.refusal()).isEmpty();
    }

    @Test
    void inLocalModeABrowserRunsWithoutTheSandboxWhereItCannotStartSaidOnce(CapturedOutput output) {
        ChromiumLaunch launch = new ChromiumLaunch(properties(), AS_ROOT, LOCAL);

        assertThat(launch.refusal()).isEmpty();
        assertThat(launch.options("a", HEADLESS, "http://127.0.0.1:1", null).chromiumSandbox).isFalse();
        assertThat(output.getOut().lines().filter(line -> line.contains("runs without its sandbox (local mode)"))).hasSize(1);
    }

    @Test
    void outsideLocalModeABrowserThatCannotBeSandboxedIsNotLaunched(CapturedOutput output) {
        ChromiumLaunch launch = new ChromiumLaunch(properties(), AS_ROOT, PRODUCTION);

        assertThat(launch.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("root", "non-root user", "BROWSER_ALLOW_NO_SANDBOX=true"));
        assertThatThrownBy(() -> launch.options("a", HEADLESS, "http://127.0.0.1:1", null))
                .isInstanceOfSatisfying(BrowserFailure.class, failure -> {
                    assertThat(failure.kind()).isEqualTo(BrowserFailure.Kind.LAUNCH_FAILED);
                    assertThat(failure.getMessage()).isEqualTo(launch.refusal().orElseThrow());
                });
        assertThat(output.getOut()).contains("ERROR").contains("Browsers are not launched");
    }

    @Test
    void outsideLocalModeASandboxThatFailsToStartIsNotDroppedButRefused() {
        ChromiumLaunch launch = new ChromiumLaunch(properties(), AS_USER, PRODUCTION);
        assertThat(launch.refusal()).isEmpty();

        assertThat(launch.sandboxFailed("[FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox!"))
                .as("no retry without the sandbox").isFalse();

        assertThat(launch.refusal()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("could not start", "seccomp", "BROWSER_ALLOW_NO_SANDBOX=true"));
        assertThatThrownBy(() -> launch.options("a", HEADLESS, "http://127.0.0.1:1", null)).isInstanceOf(BrowserFailure.class);
    }

    @Test
    void anOperatorMayAllowUnsandboxedBrowsersAndIsWarnedOnEveryStart(CapturedOutput output) {
        BrowserProperties allowed = properties().withAllowNoSandbox(true);

        ChromiumLaunch asRoot = new ChromiumLaunch(allowed, AS_ROOT, PRODUCTION);
        new ChromiumLaunch(allowed, AS_USER, PRODUCTION);

        assertThat(asRoot.refusal()).isEmpty();
        assertThat(asRoot.options("a", HEADLESS, "http://127.0.0.1:1", null).chromiumSandbox).isFalse();
        assertThat(output.getOut().lines().filter(line -> line.contains("WARN") && line.contains("BROWSER_ALLOW_NO_SANDBOX=true")))
                .as("each start warns, whether or not the sandbox can start").hasSize(2);
        ChromiumLaunch sandboxed = new ChromiumLaunch(allowed, AS_USER, PRODUCTION);
        assertThat(sandboxed.sandboxFailed("No usable sandbox")).as("allowed: retried without it").isTrue();
        assertThat(sandboxed.refusal()).isEmpty();
    }

    @Test
    void configuredArgumentsCannotRouteAroundTheProxy() {
        BrowserProperties properties = properties(List.of("--no-first-run", "--proxy-server=http://elsewhere:3128",
                "--no-proxy-server", "--host-resolver-rules=MAP * 1.2.3.4"));
        ChromiumLaunch launch = new ChromiumLaunch(properties, AS_ROOT, LOCAL);
        var options = launch.options("a", HEADLESS, "http://127.0.0.1:9", null);
        assertThat(options.args).contains("--no-first-run", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--disable-quic", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp")
                .doesNotContain("--proxy-server=http://elsewhere:3128", "--no-proxy-server", "--host-resolver-rules=MAP * 1.2.3.4");
        assertThat(options.proxy.server).isEqualTo("http://127.0.0.1:9");
        assertThat(options.env).doesNotContainKey("AGENT_API_PLANTED_SECRET");
    }

    @Test
    void pagesOpenWindowsOnlyOnAGestureAndNeverOnTheHeadlessShell() {
        BrowserProperties properties = properties();
        ChromiumLaunch launch = new ChromiumLaunch(properties, AS_ROOT, LOCAL);

        var options = launch.options("a", HEADLESS, "http://127.0.0.1:9", null);
        assertThat(options.ignoreDefaultArgs).as("the full browser's popup blocker stays on").contains("--disable-popup-blocking");
        if (properties.headlessRunsOnShell()) {
            assertThat(options.args).as("the shell has no popup blocker").contains("--block-new-web-contents");
        }
        assertThat(launch.options("a", new LaunchSpec(BrowserChannel.CHROMIUM, false, 800, 600, null), "http://127.0.0.1:9", null).args)
                .as("the full browser keeps its own blocker").doesNotContain("--block-new-web-contents");
    }
}
