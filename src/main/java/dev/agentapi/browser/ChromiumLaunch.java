package dev.agentapi.browser;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.options.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each browser is launched: every byte it fetches goes through its egress proxy port, its environment
 * is the minimal one, and it keeps Chromium's sandbox where the host allows.
 *
 * <p>The proxy is given through Playwright's {@code setProxy}, not only as a flag: Playwright then adds
 * {@code --proxy-server} and {@code --proxy-bypass-list=<-loopback>} itself, and its own requests made
 * for the browser's context ({@code route.fetch}, {@code context.request()}) use the same proxy. The flags
 * below repeat the proxy (the last occurrence of a switch wins, so operator arguments cannot replace it)
 * and close the paths that do not use the proxy: QUIC, WebRTC's own UDP, and local name resolution
 * (every name is resolved by the proxy, so Chromium's resolver answers nothing).
 */
final class ChromiumLaunch {

    private static final Logger log = LoggerFactory.getLogger(ChromiumLaunch.class);
    /** Switches that would route around the egress proxy; dropped from configured arguments. */
    private static final List<String> EGRESS_SWITCHES = List.of("--proxy-server", "--proxy-bypass-list", "--proxy-pac-url",
            "--proxy-auto-detect", "--no-proxy-server", "--host-resolver-rules", "--winhttp-proxy-resolver");

    private final BrowserProperties properties;
    private final List<String> configuredArgs;
    private volatile ChromiumSandbox sandbox;

    ChromiumLaunch(BrowserProperties properties, ChromiumSandbox sandbox) {
        this.properties = properties;
        this.sandbox = sandbox;
        List<String> kept = new ArrayList<>();
        for (String arg : properties.args()) {
            if (EGRESS_SWITCHES.stream().anyMatch(s -> arg.equals(s) || arg.startsWith(s + "="))) {
                log.warn("Browser argument {} is ignored: browsers reach the network only through the egress proxy", arg);
            } else {
                kept.add(arg);
            }
        }
        this.configuredArgs = List.copyOf(kept);
    }

    /** The switches that keep a browser behind the proxy at {@code proxyUrl}. */
    static List<String> egressSwitches(String proxyUrl) {
        return List.of("--proxy-server=" + proxyUrl, "--proxy-bypass-list=<-loopback>", "--disable-quic",
                "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
                "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1");
    }

    BrowserType.LaunchOptions options(String agentId, LaunchSpec spec, String proxyUrl) {
        List<String> args = new ArrayList<>(configuredArgs);
        args.addAll(egressSwitches(proxyUrl));
        args.add(BrowserSession.PROCESS_MARKER + agentId);
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions()
                .setHeadless(spec.headless())
                .setArgs(args)
                .setProxy(new Proxy(proxyUrl))
                .setEnv(BrowserEnvironment.forBrowser(System.getenv()))
                .setChromiumSandbox(sandbox.enabled())
                .setTimeout(properties.launchTimeout().toMillis());
        if (spec.channel() == BrowserChannel.CHROMIUM) {
            options.setExecutablePath(Path.of(spec.headless() ? properties.headlessExecutable() : properties.executablePath()));
        } else {
            options.setChannel(spec.channel().playwrightChannel());
        }
        return options;
    }

    ChromiumSandbox sandbox() {
        return sandbox;
    }

    /** As {@link #sandboxFailed(String)}, reading the whole cause chain (a client-facing message is cut short). */
    boolean sandboxFailed(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null && text.length() < 100_000; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getMessage()).append('\n');
        }
        return sandboxFailed(text.toString());
    }

    /**
     * True when {@code failure} says the sandbox could not start while it was on: it is then off for every
     * later launch (logged once), and the caller may retry.
     */
    synchronized boolean sandboxFailed(String failure) {
        if (!sandbox.enabled() || !ChromiumSandbox.isSandboxFailure(failure)) {
            return false;
        }
        sandbox = ChromiumSandbox.unusable("No usable sandbox");
        return true;
    }
}
