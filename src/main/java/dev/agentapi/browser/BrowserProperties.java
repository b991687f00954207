package dev.agentapi.browser;

import dev.agentapi.browser.egress.EgressLimits;
import dev.agentapi.browser.egress.EgressProxy;
import dev.agentapi.browser.egress.EgressRules;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * How browsers run here. {@code executablePath} is the installed Chromium (never a download);
 * {@code headlessShell} is Chromium's headless shell, which headless Chromium agents run on where it is
 * installed (Debian's {@code chromium-headless-shell}; the same engine without the desktop browser, what
 * Playwright itself runs for headless Chromium): it starts in about a third of the time and CPU. Blank, or
 * not installed: every agent runs on {@code executablePath}.
 * {@code maxBrowsers} bounds memory (a headless Chromium with one page takes roughly 150-300 MB;
 * unset, it follows the memory of the host or container, see {@link #browserLimit()});
 * every connection a browser makes goes through the egress proxy, which applies {@link Navigation}'s rules
 * to the address it connects to. Chromium's sandbox is not an argument here: it is kept wherever the host
 * allows it (see {@code ChromiumSandbox}).
 * With {@code launchOnCreate} off, an agent stays {@code created} until its first action launches it.
 * {@code maxPerOwner}: how many browsers one owner may hold at once, over all replicas (unset: no
 * per-owner limit, only {@code maxBrowsers}); see {@link #ownerLimit()}.
 * {@code warmPool}: headless Chromium browsers kept launched ahead of need ({@code BROWSER_WARM_POOL}, 0 turns
 * the pool off); they count against {@code maxBrowsers} and a create takes one instead of launching.
 * {@code remote}: browser servers elsewhere that agents also run on ({@link Remote}); with any configured,
 * {@code maxBrowsers} may be 0 (every agent runs remotely).
 * {@code egress}: each agent's fair share of the egress proxy ({@link EgressLimits}).
 * {@code allowNoSandbox} ({@code BROWSER_ALLOW_NO_SANDBOX}): outside local mode a browser that cannot keep Chromium's
 * sandbox is not launched unless this is true (see {@code ChromiumLaunch}).
 * {@code limits}: how large an action's result, a capture and an agent's set of pages may be ({@link Limits});
 * {@code downloads}: where and how much an agent whose config asks for downloads may save ({@link Downloads}).
 * {@code actions}: how long a click waits for what it started, and whether {@code evaluate} may run ({@link Actions}).
 */
@ConfigurationProperties(prefix = "agent-api.browser")
public record BrowserProperties(
        @DefaultValue("/usr/bin/chromium") String executablePath,
        @DefaultValue({"--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                "--disable-component-update", "--no-first-run", "--disable-sync"}) List<String> args,
        @DefaultValue("30s") Duration launchTimeout,
        Integer maxBrowsers,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("30s") Duration actionTimeout,
        @DefaultValue("120s") Duration maxActionTimeout,
        @DefaultValue("2s") Duration busyWait,
        @DefaultValue("true") boolean channelFallback,
        @DefaultValue("true") boolean launchOnCreate,
        @DefaultValue Navigation navigation,
        Integer maxPerOwner,
        @DefaultValue("1") int warmPool,
        @DefaultValue Remote remote,
        @DefaultValue(DEFAULT_HEADLESS_SHELL) String headlessShell,
        @DefaultValue EgressLimits egress,
        @DefaultValue("false") boolean allowNoSandbox,
        @DefaultValue Limits limits,
        @DefaultValue Downloads downloads,
        @DefaultValue Actions actions) {

    /** Where Debian's {@code chromium-headless-shell} package installs the shell itself (not its wrapper script). */
    public static final String DEFAULT_HEADLESS_SHELL = "/usr/lib/chromium/chromium-headless-shell";

    /** Bound from configuration (the canonical constructor). */
    @org.springframework.boot.context.properties.bind.ConstructorBinding
    public BrowserProperties {
        remote = remote == null ? Remote.NONE : remote;
        headlessShell = headlessShell == null ? "" : headlessShell.strip();
        egress = egress == null ? EgressLimits.DEFAULTS : egress;
        limits = limits == null ? Limits.DEFAULTS : limits;
        downloads = downloads == null ? Downloads.DEFAULTS : downloads;
        actions = actions == null ? Actions.DEFAULTS : actions;
    }

    /** With the default egress limits, no sandbox exception, the default limits and downloads (tools and tests). */
    public BrowserProperties(String executablePath, List<String> args, Duration launchTimeout, Integer maxBrowsers,
                             Duration idleTimeout, Duration actionTimeout, Duration maxActionTimeout, Duration busyWait,
                             boolean channelFallback, boolean launchOnCreate, Navigation navigation, Integer maxPerOwner,
                             int warmPool, Remote remote, String headlessShell) {
        this(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout, maxActionTimeout, busyWait,
                channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote, headlessShell, EgressLimits.DEFAULTS,
                false, Limits.DEFAULTS, Downloads.DEFAULTS, Actions.DEFAULTS);
    }

    /** These properties with {@code allowNoSandbox} as given (tests on hosts where the sandbox cannot start). */
    public BrowserProperties withAllowNoSandbox(boolean allow) {
        return new BrowserProperties(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout,
                maxActionTimeout, busyWait, channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote,
                headlessShell, egress, allow, limits, downloads, actions);
    }

    /** These properties with other limits. */
    public BrowserProperties withLimits(Limits other) {
        return new BrowserProperties(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout,
                maxActionTimeout, busyWait, channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote,
                headlessShell, egress, allowNoSandbox, other, downloads, actions);
    }

    /** These properties with other download caps. */
    public BrowserProperties withDownloads(Downloads other) {
        return new BrowserProperties(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout,
                maxActionTimeout, busyWait, channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote,
                headlessShell, egress, allowNoSandbox, limits, other, actions);
    }

    /** These properties with other action settings. */
    public BrowserProperties withActions(Actions other) {
        return new BrowserProperties(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout,
                maxActionTimeout, busyWait, channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote,
                headlessShell, egress, allowNoSandbox, limits, downloads, other);
    }

    /** True when a headless Chromium launch runs Chromium's headless shell (installed and configured) rather than the full browser. */
    public boolean headlessRunsOnShell() {
        return headlessShellInstalled();
    }

    /** With the default headless shell. */
    public BrowserProperties(String executablePath, List<String> args, Duration launchTimeout, Integer maxBrowsers,
                             Duration idleTimeout, Duration actionTimeout, Duration maxActionTimeout, Duration busyWait,
                             boolean channelFallback, boolean launchOnCreate, Navigation navigation, Integer maxPerOwner,
                             int warmPool, Remote remote) {
        this(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout, maxActionTimeout, busyWait,
                channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, remote, DEFAULT_HEADLESS_SHELL);
    }

    /** The executable a headless Chromium launch runs: the headless shell where installed, else {@code executablePath}. */
    public String headlessExecutable() {
        return headlessShellInstalled() ? headlessShell : executablePath;
    }

    /**
     * Some agent can run on a browser of this process: it may run browsers, and the full Chromium or the
     * headless shell is installed (with only the shell, headless agents run and headed ones fail to launch).
     */
    public boolean localChromiumInstalled() {
        return browserLimit() > 0 && (headlessShellInstalled()
                || java.nio.file.Files.isExecutable(java.nio.file.Path.of(executablePath)));
    }

    private boolean headlessShellInstalled() {
        return !headlessShell.isEmpty() && java.nio.file.Files.isExecutable(java.nio.file.Path.of(headlessShell));
    }

    /** Without remote browsers. */
    public BrowserProperties(String executablePath, List<String> args, Duration launchTimeout, Integer maxBrowsers,
                             Duration idleTimeout, Duration actionTimeout, Duration maxActionTimeout, Duration busyWait,
                             boolean channelFallback, boolean launchOnCreate, Navigation navigation, Integer maxPerOwner,
                             int warmPool) {
        this(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout, maxActionTimeout, busyWait,
                channelFallback, launchOnCreate, navigation, maxPerOwner, warmPool, Remote.NONE);
    }

    /** Without a warm pool (tools and tests that launch every browser themselves). */
    public BrowserProperties(String executablePath, List<String> args, Duration launchTimeout, Integer maxBrowsers,
                             Duration idleTimeout, Duration actionTimeout, Duration maxActionTimeout, Duration busyWait,
                             boolean channelFallback, boolean launchOnCreate, Navigation navigation, Integer maxPerOwner) {
        this(executablePath, args, launchTimeout, maxBrowsers, idleTimeout, actionTimeout, maxActionTimeout, busyWait,
                channelFallback, launchOnCreate, navigation, maxPerOwner, 0, Remote.NONE);
    }

    /**
     * Browsers of this process: {@code maxBrowsers} when set (at least 1, or 0 when remote endpoints are
     * configured); otherwise one browser per 512 MiB of memory beyond the first GiB (left to the JVM and the
     * system), at least 1 and at most 8 (2 cores run 8 busy pages at best).
     */
    public int browserLimit() {
        if (maxBrowsers != null) {
            return Math.max(remote.endpoints().isEmpty() ? 1 : 0, maxBrowsers);
        }
        long mib = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize() / (1024 * 1024);
        return (int) Math.max(1, Math.min(8, (mib - 1024) / 512));
    }

    /** The per-owner browser limit, if one is set (a value below 1 is taken as 1). */
    public java.util.OptionalInt ownerLimit() {
        return maxPerOwner == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(Math.max(1, maxPerOwner));
    }

    /**
     * Remote browser servers ({@code BROWSER_REMOTE_ENDPOINTS}), each written as
     * {@code "<protocol> <url> max <n>"} (see {@link RemoteEndpoint#parse}), parsed once here so a wrong one
     * stops the start. A remote browser cannot reach this process's loopback egress proxy: its contexts proxy
     * through a port of their own bound to {@code egressBind} and reached as {@code egressHost} (unset: the
     * bound address), each with credentials of its own, on a port from {@code egressPorts} when set.
     */
    public record Remote(@DefaultValue List<String> endpoints,
                         @DefaultValue("127.0.0.1") String egressBind,
                         String egressHost,
                         String egressPorts) {

        static final Remote NONE = new Remote(List.of(), "127.0.0.1", null, null);

        /** Bound from configuration (the canonical constructor). */
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Remote {
            endpoints = endpoints == null ? List.of() : endpoints.stream().filter(e -> !e.isBlank()).toList();
            egressBind = egressBind == null || egressBind.isBlank() ? "127.0.0.1" : egressBind.strip();
            egressHost = egressHost == null || egressHost.isBlank() ? null : egressHost.strip();
            egressPorts = egressPorts == null || egressPorts.isBlank() ? null : egressPorts.strip();
            parsed(endpoints);
            if (egressPorts != null) {
                EgressProxy.PortRange.parse(egressPorts); // fields are assigned after this block: the parameter is read
            }
            if (!endpoints.isEmpty() && egressHost == null && (egressBind.equals("0.0.0.0") || egressBind.equals("::"))) {
                throw new IllegalArgumentException("BROWSER_REMOTE_EGRESS_BIND " + egressBind + " is every address: set "
                        + "BROWSER_REMOTE_EGRESS_HOST to the one remote browsers reach this instance by (its pod IP)");
            }
        }

        public Remote(List<String> endpoints, String egressBind, String egressHost) {
            this(endpoints, egressBind, egressHost, null);
        }

        /** The ports remote browsers' egress ports are taken from ({@code BROWSER_REMOTE_EGRESS_PORTS}); null: any. */
        public EgressProxy.PortRange egressPortRange() {
            return egressPorts == null ? null : EgressProxy.PortRange.parse(egressPorts);
        }

        /** The endpoints, in the order configured. */
        public List<RemoteEndpoint> parsed() {
            return parsed(endpoints);
        }

        private static List<RemoteEndpoint> parsed(List<String> endpoints) {
            List<RemoteEndpoint> parsed = endpoints.stream().map(RemoteEndpoint::parse).toList();
            if (parsed.stream().map(RemoteEndpoint::name).distinct().count() < parsed.size()) {
                throw new IllegalArgumentException("BROWSER_REMOTE_ENDPOINTS names one endpoint twice");
            }
            return parsed;
        }

        /** The host a remote browser reaches this process's egress ports by. */
        public String advertisedEgressHost() {
            return egressHost != null ? egressHost : egressBind;
        }
    }

    /**
     * How large results and captures may be. {@code text} bounds a {@code text} or {@code snapshot} result and
     * {@code html} a {@code content} result (UTF-8 bytes); {@code image} a screenshot's PNG and {@code pdf} a PDF.
     * A result over its limit is refused (422) without being pulled into the service whole: see
     * {@code ActionHandlers}. {@code captureWidth}/{@code captureHeight} bound a full-page screenshot's size in CSS
     * pixels (a page larger than that is refused); a viewport is at most {@link LaunchSpec#MAX_VIEWPORT} square.
     * {@code pages}: how many pages (the agent's own, popups, new windows) one agent's browser keeps open; further
     * ones are closed as they appear.
     */
    public record Limits(@DefaultValue("5MB") DataSize text,
                         @DefaultValue("5MB") DataSize html,
                         @DefaultValue("20MB") DataSize image,
                         @DefaultValue("20MB") DataSize pdf,
                         @DefaultValue("4096") int captureWidth,
                         @DefaultValue("16384") int captureHeight,
                         @DefaultValue("10") int pages) {

        public static final Limits DEFAULTS = new Limits(DataSize.ofMegabytes(5), DataSize.ofMegabytes(5),
                DataSize.ofMegabytes(20), DataSize.ofMegabytes(20), 4096, 16384, 10);

        /** Bound from configuration (the canonical constructor); a limit below its floor is raised to it. */
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Limits {
            text = atLeast(text, DataSize.ofKilobytes(64));
            html = atLeast(html, DataSize.ofKilobytes(64));
            image = atLeast(image, DataSize.ofMegabytes(1));
            pdf = atLeast(pdf, DataSize.ofMegabytes(1));
            captureWidth = Math.max(LaunchSpec.MIN_VIEWPORT, captureWidth);
            captureHeight = Math.max(LaunchSpec.MIN_VIEWPORT, captureHeight);
            pages = Math.max(1, pages);
        }

        private static DataSize atLeast(DataSize value, DataSize floor) {
            return value == null || value.compareTo(floor) < 0 ? floor : value;
        }

        /**
         * The largest message the browser driver may send the service: what the largest text or HTML result can
         * take as escaped JSON (six bytes a character at worst), at least 32 MB. Anything larger is never
         * pulled in (see {@code DriverMessageGuard}).
         */
        public long driverMessageBytes() {
            return Math.max(32L << 20, 6 * Math.max(text.toBytes(), html.toBytes()) + (1L << 20));
        }
    }

    /**
     * Downloads of agents whose config asks for them ({@code "downloads": true}; off otherwise): each such
     * browser saves into a folder of its own under {@code dir} (blank: the temporary directory), at most
     * {@code maxCount} files and {@code maxSize} in all; a download beyond either is cancelled and deleted. The
     * folder goes with the browser (an agent's delete, idle close or crash).
     */
    public record Downloads(@DefaultValue("") String dir,
                            @DefaultValue("50MB") DataSize maxSize,
                            @DefaultValue("10") int maxCount) {

        public static final Downloads DEFAULTS = new Downloads("", DataSize.ofMegabytes(50), 10);

        /** Bound from configuration (the canonical constructor). */
        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Downloads {
            dir = dir == null ? "" : dir.strip();
            maxSize = maxSize == null || maxSize.isNegative() ? DataSize.ofMegabytes(50) : maxSize;
            maxCount = Math.max(0, maxCount);
        }

        /** Where the service's download folders are made. */
        public java.nio.file.Path root() {
            return dir.isEmpty() ? java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "agent-api-downloads")
                    : java.nio.file.Path.of(dir);
        }
    }

    /**
     * How actions behave. {@code settle} ({@code BROWSER_ACTION_SETTLE}): after a click, how long at most to wait for
     * what it started (a navigation's load, the requests it made) before answering, as Playwright MCP does, so the
     * next action sees the page the click led to; 0 answers as soon as the click is done. {@code allowEvaluate}
     * ({@code BROWSER_ALLOW_EVALUATE}): whether the {@code evaluate} action (page JavaScript from the client) may
     * run at all; off, it is refused at the door.
     */
    public record Actions(@DefaultValue("1s") Duration settle, @DefaultValue("false") boolean allowEvaluate) {

        public static final Actions DEFAULTS = new Actions(Duration.ofSeconds(1), false);

        @org.springframework.boot.context.properties.bind.ConstructorBinding
        public Actions {
            settle = settle == null || settle.isNegative() ? Duration.ZERO : settle;
        }
    }

    /**
     * {@code denyHosts}/{@code allowHosts}: host names, addresses or CIDRs. Link-local and cloud metadata
     * addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254) and the unspecified address are always denied,
     * whatever the lists say; {@code blockPrivateNetworks} also denies private and loopback ranges
     * (unset: on in production, off locally so local pages work).
     */
    public record Navigation(@DefaultValue List<String> allowHosts,
                             @DefaultValue List<String> denyHosts,
                             Boolean blockPrivateNetworks) {

        /** The rules the egress proxy and the navigation check apply. */
        public EgressRules rules(boolean production) {
            return new EgressRules(allowHosts, denyHosts, blocksPrivateNetworks(production));
        }

        /** Unset, it follows the mode: on in production (DATABASE_URL set), off in local mode. */
        public boolean blocksPrivateNetworks(boolean production) {
            return blockPrivateNetworks != null ? blockPrivateNetworks : production;
        }
    }
}
