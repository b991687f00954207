package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sandbox stays on unless the host rules it out, and the reason says which. */
class ChromiumSandboxTest {

    @Test
    void onForAnOrdinaryUserWithUserNamespaces() {
        assertThat(ChromiumSandbox.decide(Optional.of(1000L), Optional.empty()).enabled()).isTrue();
        assertThat(ChromiumSandbox.decide(Optional.empty(), Optional.empty()).enabled()).isTrue();
    }

    @Test
    void offAsRootOrWithoutUserNamespacesSayingWhy() {
        ChromiumSandbox root = ChromiumSandbox.decide(Optional.of(0L), Optional.empty());
        assertThat(root.enabled()).isFalse();
        assertThat(root.reason()).contains("root");
        ChromiumSandbox noNamespaces = ChromiumSandbox.decide(Optional.of(1000L), Optional.of("user namespaces are off"));
        assertThat(noNamespaces.enabled()).isFalse();
        assertThat(noNamespaces.reason()).isEqualTo("user namespaces are off");
    }

    @Test
    void aLaunchThatFailsForWantOfASandboxTurnsItOffOnce() {
        BrowserProperties properties = new BrowserProperties("/usr/bin/chromium", java.util.List.of("--no-first-run"),
                java.time.Duration.ofSeconds(30), 1, java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(java.util.List.of(), java.util.List.of(), false), null);
        ChromiumLaunch launch = new ChromiumLaunch(properties, ChromiumSandbox.decide(Optional.of(1000L), Optional.empty()));
        assertThat(launch.options("a", new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null), "http://127.0.0.1:1")
                .chromiumSandbox).isTrue();

        assertThat(launch.sandboxFailed("Timeout 30000ms exceeded")).isFalse();
        // the line that says so comes deep in Playwright's launch log, beyond what a client-facing message keeps
        assertThat(launch.sandboxFailed(new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser could not start",
                new RuntimeException("Browser logs:\n" + "x".repeat(2_000) + "\n[FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox!"))))
                .isTrue();
        assertThat(launch.sandboxFailed("No usable sandbox!")).as("only once").isFalse();
        assertThat(launch.options("a", new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null), "http://127.0.0.1:1")
                .chromiumSandbox).isFalse();
    }

    @Test
    void configuredArgumentsCannotRouteAroundTheProxy() {
        BrowserProperties properties = new BrowserProperties("/usr/bin/chromium",
                java.util.List.of("--no-first-run", "--proxy-server=http://elsewhere:3128", "--no-proxy-server", "--host-resolver-rules=MAP * 1.2.3.4"),
                java.time.Duration.ofSeconds(30), 1, java.time.Duration.ofMinutes(10), java.time.Duration.ofSeconds(10),
                java.time.Duration.ofSeconds(30), java.time.Duration.ofSeconds(1), true, true,
                new BrowserProperties.Navigation(java.util.List.of(), java.util.List.of(), false), null);
        ChromiumLaunch launch = new ChromiumLaunch(properties, ChromiumSandbox.decide(Optional.of(0L), Optional.empty()));
        var options = launch.options("a", new LaunchSpec(BrowserChannel.CHROMIUM, true, 800, 600, null), "http://127.0.0.1:9");
        assertThat(options.args).contains("--no-first-run", "--proxy-server=http://127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--disable-quic", "--force-webrtc-ip-handling-policy=disable_non_proxied_udp")
                .doesNotContain("--proxy-server=http://elsewhere:3128", "--no-proxy-server", "--host-resolver-rules=MAP * 1.2.3.4");
        assertThat(options.proxy.server).isEqualTo("http://127.0.0.1:9");
        assertThat(options.env).doesNotContainKey("AGENT_API_PLANTED_SECRET");
    }
}
