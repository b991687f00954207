package dev.agentapi.browser;

import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.options.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How each browser is launched: every byte it fetches goes through its egress proxy port, its environment
 * is the minimal one, and it keeps Chromium's sandbox where the host allows.
 *
 * <p>The sandbox never fails open outside local mode: where it cannot start (the service runs as root, user
 * namespaces are off, a launch fails with "No usable sandbox"), browsers are not launched at all unless the
 * operator set {@code BROWSER_ALLOW_NO_SANDBOX=true}, which is logged at WARN on every start. {@link #refusal()}
 * says why, naming the fix; agents whose launch is refused go {@code error} with it, and the {@code browsers}
 * health reports it. Local mode (no {@code DATABASE_URL}) runs without the sandbox where it must, said once.
 *
 * <p>Pages open new windows only where a person could: Playwright's {@code --disable-popup-blocking} is left
 * out, so the full browser's popup blocker needs a user gesture (an agent's click) for each; Chromium's
 * headless shell has no popup blocker and gets {@code --block-new-web-contents}, so pages there open none.
 * {@code BrowserSession} caps the pages an agent keeps whatever the binary.
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

    /** Playwright's default switch that turns the full browser's popup blocker off. */
    static final String DISABLE_POPUP_BLOCKING = "--disable-popup-blocking";
    /** The headless shell's switch that refuses every window a page opens (it has no popup blocker). */
    static final String BLOCK_NEW_WEB_CONTENTS = "--block-new-web-contents";

    private final BrowserProperties properties;
    private final List<String> configuredArgs;
    /** Local mode, or BROWSER_ALLOW_NO_SANDBOX=true: a browser may then run without the sandbox. */
    private final boolean mayRunUnsandboxed;
    private volatile ChromiumSandbox sandbox;
    /** Why browsers are not launched here (production, no sandbox, no exception granted); null while they are. */
    private volatile String refusal;

    /** {@code production}: not local mode (DATABASE_URL set), where the sandbox never fails open. */
    ChromiumLaunch(BrowserProperties properties, ChromiumSandbox sandbox, boolean production) {
        this.properties = properties;
        this.sandbox = sandbox;
        this.mayRunUnsandboxed = !production || properties.allowNoSandbox();
        if (production && properties.allowNoSandbox()) {
            log.warn("BROWSER_ALLOW_NO_SANDBOX=true: where Chromium's sandbox cannot start, browsers run without it, and a page "
                    + "that escapes its renderer runs as this service's user{}", sandbox.enabled() ? ""
                    : "; here it cannot (" + sandbox.reason() + "), so every browser runs unsandboxed");
        } else if (!sandbox.enabled() && production) {
            refusal = refusal(sandbox);
            log.error("Browsers are not launched: {}", refusal);
        } else if (!sandbox.enabled()) {
            log.warn("Chromium runs without its sandbox (local mode): {}", sandbox.reason());
        } else {
            log.info("Chromium runs with its sandbox ({})", sandbox.reason());
        }
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

    /** Why browsers are not launched: the fix, in words for an operator and a client. */
    private static String refusal(ChromiumSandbox sandbox) {
        return "Chromium's sandbox cannot start here (" + sandbox.reason() + "), and outside local mode a browser is not "
                + "launched without it. Run the service as a non-root user where unprivileged user namespaces are allowed "
                + "(in a container: a seccomp profile that allows them), or set BROWSER_ALLOW_NO_SANDBOX=true to accept "
                + "running pages without the sandbox";
    }

    /** Why browsers are not launched here; empty while they are. */
    Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** The failure a launch refused by the sandbox rule ends in. */
    BrowserFailure refused() {
        return new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, refusal);
    }

    /**
     * The launch options of one browser; {@code downloads}: the folder it saves downloads into (null: it saves none).
     * Fails with {@link #refused()} when the sandbox rule refuses browsers here.
     */
    BrowserType.LaunchOptions options(String agentId, LaunchSpec spec, String proxyUrl, Path downloads) {
        if (refusal != null) {
            throw refused();
        }
        List<String> args = new ArrayList<>(configuredArgs);
        args.addAll(egressSwitches(proxyUrl));
        boolean shell = spec.headless() && spec.channel() == BrowserChannel.CHROMIUM && properties.headlessRunsOnShell();
        if (shell) {
            args.add(BLOCK_NEW_WEB_CONTENTS);
        }
        args.add(BrowserSession.PROCESS_MARKER + agentId);
        BrowserType.LaunchOptions options = new BrowserType.LaunchOptions()
                .setHeadless(spec.headless())
                .setArgs(args)
                .setIgnoreDefaultArgs(List.of(DISABLE_POPUP_BLOCKING))
                .setProxy(new Proxy(proxyUrl))
                .setEnv(BrowserEnvironment.forBrowser(System.getenv()))
                .setChromiumSandbox(sandbox.enabled())
                .setTimeout(properties.launchTimeout().toMillis());
        if (downloads != null) {
            options.setDownloadsPath(downloads);
        }
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
     * True when {@code failure} says the sandbox could not start while it was on and a browser may run without it
     * here: it is then off for every later launch (logged once), and the caller may retry. Outside local mode,
     * without BROWSER_ALLOW_NO_SANDBOX, such a failure makes {@link #refusal()} say why browsers are not launched
     * from now on (false: the caller fails with {@link #refused()}).
     */
    synchronized boolean sandboxFailed(String failure) {
        if (!sandbox.enabled() || !ChromiumSandbox.isSandboxFailure(failure)) {
            return false;
        }
        sandbox = ChromiumSandbox.unusable("No usable sandbox");
        if (!mayRunUnsandboxed) {
            refusal = refusal(sandbox);
            log.error("Browsers are not launched: {}", refusal);
            return false;
        }
        log.warn("Chromium runs without its sandbox from now on: {}", sandbox.reason());
        return true;
    }
}
