package dev.agentapi.browser;

import dev.agentapi.LifecyclePhases;
import dev.agentapi.browser.egress.EgressPolicy;
import dev.agentapi.browser.egress.EgressProxy;
import dev.agentapi.browser.egress.HostResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Agents' browsers, driven by Playwright: in this process against the installed Chromium (or the Chrome
 * and Edge channels where installed), and on remote browser servers ({@link RemoteBrowsers}). At most
 * {@code maxBrowsers} run here at once, at most each endpoint's {@code max} there; a headless Chromium agent
 * goes where the smaller share of places is in use (this process on a tie), others run here. Idle ones are
 * closed; dead ones (a crashed process, a remote endpoint gone) are noticed by a heartbeat or the disconnect
 * and reported; all are closed on shutdown. Every browser reaches the network only through this runtime's
 * {@link EgressProxy}, on a port of its own: a loopback port for local ones, for remote ones a port on
 * {@code BROWSER_REMOTE_EGRESS_BIND} that their context proxies through with credentials of its own.
 *
 * <p>Outside local mode a browser that cannot keep Chromium's sandbox is not launched here (see
 * {@link ChromiumLaunch}): agents placed here then fail with the reason, the warm pool stays empty, and
 * {@link #unavailable()} says why. Large results share a heap budget ({@link TransferBudget}); agents that
 * asked for downloads get a folder of their own ({@link DownloadWatch}) and always run here, on a browser of
 * their own (not a pooled one, not a remote one).
 */
public class PlaywrightBrowserRuntime implements BrowserRuntime, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(PlaywrightBrowserRuntime.class);
    /** Recycled drivers kept beside the spare; each is an idle Node process of a few tens of MB. */
    private static final int IDLE_DRIVERS = 1;
    /** The longest a saved tab may take to load again at a relaunch (or the action timeout, when shorter). */
    private static final Duration RESTORE_TAB_TIMEOUT = Duration.ofSeconds(15);
    /** The longest reading a browser's state may take (cookies, localStorage of every origin). */
    private static final Duration CAPTURE_TIMEOUT = Duration.ofSeconds(10);

    private final BrowserProperties properties;
    private final NavigationGuard guard;
    private final EgressProxy egress;
    private final ChromiumLaunch launcher;
    /** Each running browser's egress port, closed with it. */
    private final Map<BrowserSession, EgressProxy.Listener> egressPorts = new ConcurrentHashMap<>();
    private final Semaphore capacity;
    private final Map<String, BrowserSession> sessions = new ConcurrentHashMap<>();
    /** Agents whose browser housekeeping is closing now (idle), until its {@link BrowserEvent.Stopped} was handled. */
    private final Map<String, java.util.concurrent.CountDownLatch> closing = new ConcurrentHashMap<>();
    private final Duration housekeepingInterval;
    /** Runs housekeeping and what a disconnect leaves to do; from {@link #start()} to {@link #stop()}. */
    private volatile ThreadPoolTaskScheduler housekeeping;
    /** A driver started ahead of need once browsers are in use, so a launch does not wait for one. */
    private volatile CompletableFuture<PlaywrightDriver> spare;
    /** Drivers whose browser closed cleanly, kept to serve the next launch instead of starting a process. */
    private final Deque<PlaywrightDriver> idleDrivers = new ArrayDeque<>();
    private volatile boolean shuttingDown;
    private final ApplicationEventPublisher events;
    /** Browsers launched ahead of need; empty (size 0) without a refill executor or with BROWSER_WARM_POOL=0. */
    private final BrowserPool pool;
    /** Remote endpoints (none configured: empty) and which endpoint each remote session holds a place on. */
    private final RemoteBrowsers remote;
    private final Map<BrowserSession, RemoteBrowsers.Endpoint> placements = new ConcurrentHashMap<>();
    private final java.net.InetAddress remoteEgressBind;
    /** What every session shares: settings, navigation check, the heap budget for large results. */
    private final BrowserSession.Shared shared;
    private final DownloadWatch downloads;

    /** With the system's resolver and meters of its own (tests, tools). */
    public PlaywrightBrowserRuntime(BrowserProperties properties, Duration housekeepingInterval, boolean production,
                                    ApplicationEventPublisher events) {
        this(properties, housekeepingInterval, production, HostResolver.SYSTEM, new SimpleMeterRegistry(), events);
    }

    /**
     * {@code events} hears of browsers that stopped or died without being asked to ({@link BrowserEvent}). {@code resolver}: how the egress proxy (and the early navigation check) resolve
     * names. Each agent's share of the proxy is {@code properties.egress()}.
     */
    public PlaywrightBrowserRuntime(BrowserProperties properties, Duration housekeepingInterval, boolean production,
                                    HostResolver resolver, MeterRegistry meters, ApplicationEventPublisher events) {
        this(properties, housekeepingInterval, production, resolver, meters, events, null);
    }

    /**
     * As above, with a warm pool of {@code properties.warmPool()} browsers refilled on {@code refills}
     * (null: no pool). Nothing runs before {@link #start()}: the pool starts filling then.
     */
    public PlaywrightBrowserRuntime(BrowserProperties properties, Duration housekeepingInterval, boolean production,
                                    HostResolver resolver, MeterRegistry meters, ApplicationEventPublisher events,
                                    Executor refills) {
        this.properties = properties;
        this.events = events;
        EgressPolicy policy = new EgressPolicy(properties.navigation().rules(production), resolver);
        this.guard = new NavigationGuard(policy);
        this.remote = new RemoteBrowsers(properties.remote().parsed());
        this.remoteEgressBind = bindAddress(properties.remote().egressBind());
        this.egress = new EgressProxy(policy, properties.egress(), properties.browserLimit() + remote.configuredCapacity(), meters);
        this.launcher = new ChromiumLaunch(properties, ChromiumSandbox.detect(), production);
        this.shared = new BrowserSession.Shared(properties, guard, TransferBudget.ofHeap());
        this.downloads = new DownloadWatch(properties.downloads());
        if (properties.browserLimit() > 0) {
            log.info("Headless Chromium agents run on {}", properties.headlessExecutable());
        }
        this.capacity = new Semaphore(properties.browserLimit());
        this.pool = new BrowserPool(refills == null ? 0 : Math.min(properties.warmPool(), properties.browserLimit()),
                capacity, refills, this::launchPooled, properties.launchTimeout(), () -> launcher.refusal().isEmpty());
        this.housekeepingInterval = housekeepingInterval;
        if (!remote.endpoints().isEmpty()) {
            remote.register(meters);
            if (remoteEgressBind.isLoopbackAddress() && remote.endpoints().stream()
                    .anyMatch(e -> !isLoopbackHost(e.endpoint().host()))) {
                log.warn("Remote browser endpoints are configured, but their egress ports listen on {} (BROWSER_REMOTE_EGRESS_BIND): "
                        + "a browser on another host cannot reach them and its every request will fail", remoteEgressBind.getHostAddress());
            }
        }
    }

    /**
     * Starts housekeeping (idle close, heartbeats, remote endpoint probes) on a scheduler of the runtime's own, probes
     * the remote endpoints once, and starts filling the warm pool. In the application its phase,
     * {@link LifecyclePhases#BROWSERS}, comes before anything that launches.
     */
    @Override
    public void start() {
        if (housekeeping != null) {
            return;
        }
        ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
        scheduler.setPoolSize(1);
        scheduler.setThreadNamePrefix("browser-housekeeping-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        housekeeping = scheduler;
        scheduler.scheduleWithFixedDelay(this::housekeep, Instant.now().plus(housekeepingInterval), housekeepingInterval);
        if (!remote.endpoints().isEmpty()) {
            scheduler.execute(remote::probe);
        }
        pool.refill();
    }

    private static boolean isLoopbackHost(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1");
    }

    private static java.net.InetAddress bindAddress(String address) {
        try {
            return java.net.InetAddress.getByName(address);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException("BROWSER_REMOTE_EGRESS_BIND " + address + " is not an address of this host", e);
        }
    }

    /** Also brings a viewport stored before the cap (up to 10000) within {@link LaunchSpec#MAX_VIEWPORT}. */
    @Override
    public LaunchSpec resolve(LaunchSpec requested) {
        if (!requested.headless() && (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isBlank())) {
            throw new BrowserFailure(BrowserFailure.Kind.NO_DISPLAY,
                    "A headed browser needs a display, and this host has none (DISPLAY is unset); use headless: true");
        }
        if (requested.channel().installed()) {
            return requested.withinViewportCap();
        }
        if (!properties.channelFallback()) {
            throw new BrowserFailure(BrowserFailure.Kind.CHANNEL_UNAVAILABLE, "The " + requested.channel().value()
                    + " channel is not installed on this host, and falling back to Chromium is turned off");
        }
        return requested.on(BrowserChannel.CHROMIUM).withinViewportCap();
    }

    @Override
    public BrowserSession launch(String agentId, LaunchSpec requested) {
        LaunchSpec spec = resolve(requested);
        close(agentId);
        BrowserSession session = place(agentId, requested.channel(), spec);
        BrowserSession raced = sessions.putIfAbsent(agentId, session);
        if (raced != null) { // callers launch one at a time per agent; should that ever not hold, keep the first
            release(session);
            free(session);
            return raced;
        }
        if (spec.restore() != null) {
            reopenTabs(session, spec.restore());
        }
        return session;
    }

    /** Best effort: a tab that cannot be opened again leaves the launch as it is (no URL is logged: it may carry a token). */
    private void reopenTabs(BrowserSession session, BrowserState state) {
        Duration perTab = properties.actionTimeout().compareTo(RESTORE_TAB_TIMEOUT) < 0 ? properties.actionTimeout() : RESTORE_TAB_TIMEOUT;
        try {
            int failed = session.reopen(state, perTab);
            if (failed > 0) {
                log.info("Agent {}: {} of its {} saved tabs could not be opened again", session.agentId(), failed, state.tabs().size());
            }
        } catch (BrowserFailure failure) {
            log.info("Agent {}: its saved tabs could not be opened again ({})", session.agentId(), failure.kind());
        }
    }

    /**
     * The agent's browser state now (see {@link BrowserSession#capture}); empty when it has no browser here, or an action
     * kept it busy past the busy wait.
     */
    @Override
    public Optional<BrowserState> capture(String agentId) {
        BrowserSession session = sessions.get(agentId);
        return session == null ? Optional.empty() : session.capture(properties.busyWait(), CAPTURE_TIMEOUT);
    }

    /**
     * A browser for the agent where the smaller share of places is in use: here, or on a remote endpoint not
     * known to be down (headless Chromium only: a remote server runs what it runs). An endpoint that cannot be
     * joined is marked down and the next place is tried. Fails with {@code CAPACITY} when no place is left.
     */
    private BrowserSession place(String agentId, BrowserChannel requested, LaunchSpec spec) {
        // downloads are saved, and capped, on this host's disk only
        boolean remoteFits = spec.headless() && spec.channel() == BrowserChannel.CHROMIUM && !spec.downloads();
        int localLimit = properties.browserLimit();
        boolean localRefused = launcher.refusal().isPresent();
        double localLoad = localLimit == 0 ? Double.MAX_VALUE : (double) (sessions.size() - placements.size()) / localLimit;
        boolean localTried = localLimit == 0 || localRefused;
        for (RemoteBrowsers.Endpoint endpoint : remoteFits ? remote.candidates() : List.<RemoteBrowsers.Endpoint>of()) {
            if (!localTried && localLoad <= endpoint.load()) {
                localTried = true;
                Optional<BrowserSession> local = launchHere(agentId, requested, spec);
                if (local.isPresent()) {
                    return local.get();
                }
            }
            if (!endpoint.tryAcquire()) {
                continue;
            }
            try {
                return connectTo(endpoint, agentId, requested, spec);
            } catch (BrowserFailure failure) {
                endpoint.release();
                endpoint.refused(failure.getMessage());
            }
        }
        if (!localTried) {
            Optional<BrowserSession> local = launchHere(agentId, requested, spec);
            if (local.isPresent()) {
                return local.get();
            }
        }
        if (localRefused && localLimit > 0 && (remote.endpoints().isEmpty() || !remoteFits)) {
            throw launcher.refused();
        }
        if (remote.endpoints().isEmpty() || !remoteFits) {
            throw new BrowserFailure(BrowserFailure.Kind.CAPACITY, "All " + localLimit
                    + " browsers of this instance are in use; retry later");
        }
        List<String> unreachable = remote.endpoints().stream().filter(e -> !e.available()).map(RemoteBrowsers.Endpoint::name).toList();
        throw new BrowserFailure(BrowserFailure.Kind.CAPACITY, "No browser place is free: " + localLimit
                + " here, " + remote.inUse() + " of " + remote.configuredCapacity() + " on remote endpoints in use"
                + (unreachable.isEmpty() ? "" : ", unreachable now: " + String.join(", ", unreachable)) + "; retry later");
    }

    /** A browser in this process, if a place is free here (a pooled one when it fits); empty if not. */
    private Optional<BrowserSession> launchHere(String agentId, BrowserChannel requested, LaunchSpec spec) {
        // the pool's browsers are headless Chromium without downloads: other launches (headed, Chrome, Edge,
        // downloads) start their own
        BrowserPool.Pooled pooled = spec.headless() && spec.channel() == BrowserChannel.CHROMIUM && !spec.downloads()
                ? pool.take() : null;
        if (pooled == null && !capacity.tryAcquire() && !pool.evictOne()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Optional.ofNullable(pooled).flatMap(warm -> adopt(warm, agentId, requested, spec))
                    .or(() -> launchOnRecycledDriver(agentId, requested, spec))
                    .orElseGet(() -> launchOn(spareOrNewDriver(), agentId, requested, spec)));
        } catch (RuntimeException failure) {
            capacity.release();
            pool.refill();
            throw failure;
        }
    }

    /**
     * Joins {@code endpoint} (whose place the caller took) with a driver of its own. The context proxies
     * through a new egress port bound where the remote browser can reach it, open only to that context's
     * random credentials; refusals there go to the session as for a local browser.
     */
    private BrowserSession connectTo(RemoteBrowsers.Endpoint endpoint, String agentId, BrowserChannel requested, LaunchSpec spec) {
        PlaywrightDriver driver = spareOrNewDriver();
        AtomicReference<BrowserSession> owner = new AtomicReference<>();
        EgressProxy.Credentials credentials = EgressProxy.Credentials.random();
        // (remote browsers are launched by their server: the sandbox rule is the server's, not this process's)
        EgressProxy.Listener port = openEgress(driver, agentId, remoteEgressBind, credentials, owner);
        com.microsoft.playwright.options.Proxy proxy = new com.microsoft.playwright.options.Proxy(
                port.url(properties.remote().advertisedEgressHost()))
                .setUsername(credentials.username()).setPassword(credentials.password());
        try {
            BrowserSession session = BrowserSession.connect(agentId, requested, spec, shared, driver,
                    endpoint.endpoint(), proxy, this::onDisconnect);
            owner.set(session);
            egressPorts.put(session, port);
            placements.put(session, endpoint);
            endpoint.up();
            log.debug("Agent {} runs on remote endpoint {}", agentId, endpoint.name());
            return session;
        } catch (RuntimeException failure) {
            port.close();
            throw failure;
        }
    }

    /** Gives the session's place back: its remote endpoint's, or one of this process's (the pool then refills). */
    private void free(BrowserSession session) {
        RemoteBrowsers.Endpoint endpoint = placements.remove(session);
        if (endpoint != null) {
            endpoint.release();
            return;
        }
        capacity.release();
        pool.refill();
    }

    /**
     * The agent's session in a pooled browser (a context and a page opened in it), whose egress port and
     * capacity permit it takes over. Empty if the pooled browser turned out dead: it is closed, and the
     * caller launches one of its own with the same permit.
     */
    private Optional<BrowserSession> adopt(BrowserPool.Pooled pooled, String agentId, BrowserChannel requested, LaunchSpec spec) {
        try {
            BrowserSession session = BrowserSession.adopt(agentId, requested, spec, shared, pooled.driver(),
                    pooled.browser(), pooled.context(), pooled.page(), this::onDisconnect);
            pooled.owner().set(session);
            egressPorts.put(session, pooled.port());
            // its processes keep the pool marker: this line is how an operator finds them by agent id
            log.info("Agent {} took a pooled browser; its processes carry --agent-api-agent={}", agentId, pooled.name());
            return Optional.of(session);
        } catch (BrowserFailure failure) {
            log.info("Pooled browser {} could not serve agent {} ({}); launching a new one", pooled.name(), agentId,
                    failure.getMessage());
            pool.dispose(pooled);
            return Optional.empty();
        }
    }

    /**
     * Launches a browser for the pool, exactly as for an agent (the same {@link ChromiumLaunch} options: its
     * own egress port, proxy switches, environment and sandbox) but headless Chromium, with no context yet,
     * marked {@code --agent-api-agent=pool:<n>}. Refusals of its egress port go to the agent that takes it.
     */
    private BrowserPool.Pooled launchPooled(String name, AtomicReference<BrowserSession> owner, Runnable onDeath) {
        if (launcher.refusal().isPresent()) {
            throw launcher.refused();
        }
        PlaywrightDriver driver;
        synchronized (this) {
            driver = idleDrivers.pollFirst();
        }
        if (driver == null) {
            driver = newDriver();
        }
        EgressProxy.Listener port = openEgress(driver, name, owner);
        LaunchSpec spec = new LaunchSpec(BrowserChannel.CHROMIUM, true, 1920, 1080, null);
        PlaywrightDriver on = driver;
        try {
            return on.call(() -> {
                com.microsoft.playwright.Browser launched = on.playwright.chromium().launch(launcher.options(name, spec, port.url(), null));
                launched.onDisconnected(b -> {
                    if (owner.get() == null) {
                        onDeath.run();
                    }
                });
                // the page's renderer starts now too: an agent without a user agent of its own takes both
                com.microsoft.playwright.BrowserContext context = launched.newContext(new com.microsoft.playwright.Browser.NewContextOptions()
                        .setViewportSize(spec.viewportWidth(), spec.viewportHeight()).setAcceptDownloads(false));
                return new BrowserPool.Pooled(name, on, launched, context, context.newPage(), port, owner);
            }, properties.launchTimeout());
        } catch (RuntimeException failure) {
            port.close();
            on.close();
            if (launcher.sandboxFailed(failure)) {
                return launchPooled(name, owner, onDeath);
            }
            if (launcher.refusal().isPresent()) {
                throw launcher.refused();
            }
            throw PlaywrightFailures.launchFailed(failure, properties);
        }
    }

    /** A new egress port for one browser; its refusals go to the session that {@code owner} comes to hold. */
    private EgressProxy.Listener openEgress(PlaywrightDriver driver, String name, AtomicReference<BrowserSession> owner) {
        return openEgress(driver, name, null, null, owner);
    }

    /** {@code bind} null: loopback, without credentials (a browser of this host). */
    private EgressProxy.Listener openEgress(PlaywrightDriver driver, String name, java.net.InetAddress bind,
                                            EgressProxy.Credentials credentials, AtomicReference<BrowserSession> owner) {
        try {
            return egress.open(name, bind, credentials, bind == null ? null : properties.remote().egressPortRange(),
                    () -> owner.get() == null ? name : owner.get().agentId(), refusal -> {
                BrowserSession session = owner.get();
                if (session != null) {
                    session.egressRefused(refusal.target());
                    events.publishEvent(new EgressRefused(session.agentId(), refusal.kind(), refusal.target(), refusal.reason()));
                }
            });
        } catch (java.io.IOException e) {
            driver.close();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser's egress port could not open: " + e.getMessage(), e);
        }
    }

    /**
     * Launches on a driver kept from an earlier browser, if there is one. Its Node process may have
     * died meanwhile: a launch that fails fast is then retried once on a newly started driver.
     */
    private Optional<BrowserSession> launchOnRecycledDriver(String agentId, BrowserChannel requested, LaunchSpec spec) {
        PlaywrightDriver recycled;
        synchronized (this) {
            recycled = idleDrivers.pollFirst();
        }
        if (recycled == null) {
            return Optional.empty();
        }
        long started = System.nanoTime();
        try {
            return Optional.of(launchOn(recycled, agentId, requested, spec));
        } catch (BrowserFailure failure) {
            if (Duration.ofNanos(System.nanoTime() - started).compareTo(properties.launchTimeout().dividedBy(2)) > 0) {
                throw failure;
            }
            if (launcher.refusal().isPresent()) {
                throw failure;
            }
            log.info("Launch on a recycled browser driver failed ({}); retrying on a new driver", failure.getMessage());
            return Optional.of(launchOn(newDriver(), agentId, requested, spec));
        }
    }

    /**
     * Launches behind a new egress port, whose refusals go to the session. A launch that failed because the
     * sandbox cannot start here is retried once without it (and later launches skip it).
     */
    private BrowserSession launchOn(PlaywrightDriver driver, String agentId, BrowserChannel requested, LaunchSpec spec) {
        AtomicReference<BrowserSession> owner = new AtomicReference<>();
        EgressProxy.Listener port = openEgress(driver, agentId, owner);
        DownloadWatch.Folder folder = null;
        try {
            folder = spec.downloads() ? downloads.open(agentId) : null;
            BrowserSession session = BrowserSession.launch(agentId, requested, spec, shared, driver,
                    launcher.options(agentId, spec, port.url(), folder == null ? null : folder.path()), folder, this::onDisconnect);
            owner.set(session);
            egressPorts.put(session, port);
            if (folder != null) {
                folder.servedBy(session);
            }
            return session;
        } catch (BrowserFailure failure) {
            port.close();
            if (folder != null) {
                folder.close();
            }
            if (launcher.sandboxFailed(failure)) {
                return launchOn(newDriver(), agentId, requested, spec);
            }
            if (launcher.refusal().isPresent()) {
                throw launcher.refused();
            }
            throw failure;
        } catch (RuntimeException failure) {
            port.close();
            if (folder != null) {
                folder.close();
            }
            throw failure;
        }
    }

    /** A new driver, which sends this process no message over the limit (see {@link DriverMessageGuard}). */
    private PlaywrightDriver newDriver() {
        return PlaywrightDriver.start(properties.limits().driverMessageBytes());
    }

    /** The spare driver (starting the next spare), else a new one. */
    private PlaywrightDriver spareOrNewDriver() {
        CompletableFuture<PlaywrightDriver> ready;
        synchronized (this) {
            ready = spare;
            spare = CompletableFuture.supplyAsync(this::newDriver);
        }
        if (ready != null) {
            try {
                return ready.get(properties.launchTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notReady) {
                log.debug("Spare browser driver unavailable ({}); starting one", notReady.getMessage());
            }
        }
        return newDriver();
    }

    @Override
    public Optional<BrowserSession> session(String agentId) {
        return Optional.ofNullable(sessions.get(agentId));
    }

    @Override
    public void close(String agentId) {
        BrowserSession session = sessions.remove(agentId);
        if (session != null) {
            release(session);
            free(session);
        }
    }

    /** Closes the session's browser (its downloads go with it); keeps its driver for the next launch when that went cleanly. */
    private void release(BrowserSession session) {
        boolean clean = session.close();
        EgressProxy.Listener port = egressPorts.remove(session);
        if (port != null) {
            port.close();
        }
        session.downloads().ifPresent(DownloadWatch.Folder::close);
        synchronized (this) {
            if (clean && !shuttingDown && idleDrivers.size() < IDLE_DRIVERS) {
                idleDrivers.addFirst(session.driver());
                return;
            }
        }
        session.driver().close();
    }

    @Override
    public ActionResult execute(String agentId, BrowserAction action) {
        BrowserSession session = sessions.get(agentId);
        if (session == null) {
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "Agent " + agentId + " has no running browser");
        }
        Duration timeout = properties.actionTimeout();
        if (action.timeoutMs() != null) {
            if (action.timeoutMs() < 1) {
                throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "timeout_ms must be positive");
            }
            timeout = Duration.ofMillis(action.timeoutMs());
        } else if (action instanceof BrowserAction.WaitFor wait && wait.time() != null) {
            // a timed wait is given the time it asks for (and a second to answer), not the default timeout; still capped
            Duration asked = Duration.ofMillis((long) Math.ceil(wait.time() * 1000)).plusSeconds(1);
            timeout = asked.compareTo(timeout) > 0 ? asked : timeout;
        }
        if (timeout.compareTo(properties.maxActionTimeout()) > 0) {
            timeout = properties.maxActionTimeout();
        }
        try {
            return session.execute(action, timeout, properties.busyWait());
        } catch (BrowserFailure failure) {
            if (failure.kind() == BrowserFailure.Kind.REMOTE_UNAVAILABLE) {
                // the disconnect may reach Playwright's listener only at the driver's next call: reported now
                onDisconnect(session, failure.getMessage());
            }
            throw failure;
        }
    }

    /** The session's browser is gone on its own; a session already closed or replaced is not reported. */
    private void onDisconnect(BrowserSession session, String reason) {
        if (sessions.remove(session.agentId(), session)) {
            RemoteBrowsers.Endpoint endpoint = placements.get(session);
            free(session);
            Runnable cleanUp = () -> {
                release(session);
                if (endpoint != null) {
                    remote.probe(endpoint); // the endpoint itself may be gone: readiness and placement should know
                }
            };
            ThreadPoolTaskScheduler scheduler = housekeeping;
            if (scheduler != null) {
                scheduler.execute(cleanUp);
            } else {
                cleanUp.run(); // launched before start(): no housekeeping to hand it to
            }
            log.warn("Browser of agent {} died: {}", session.agentId(), reason);
            events.publishEvent(new BrowserEvent.Crashed(session.agentId(), reason));
        }
    }

    /** Closes idle browsers and makes sure the others, pooled ones included, are still alive. */
    void housekeep() {
        if (!shuttingDown) {
            pool.heartbeat(Duration.ofSeconds(5));
            remote.probe();
        }
        Instant now = Instant.now();
        for (BrowserSession session : List.copyOf(sessions.values())) {
            try {
                LaunchSpec.IdleClose idle = session.idleClose();
                Instant idleBefore = now.minus(idle == null ? properties.idleTimeout() : idle.after());
                if (session.retireIfIdleSince(idleBefore)) {
                    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
                    closing.put(session.agentId(), closed); // a launch for the agent waits for the state read here
                    try {
                        if (sessions.remove(session.agentId(), session)) {
                            BrowserState state = session.captureRetiring(CAPTURE_TIMEOUT).orElse(null); // kept by whoever listens
                            release(session);
                            free(session);
                            events.publishEvent(new BrowserEvent.Stopped(session.agentId(),
                                    idle == null ? "idle_timeout" : idle.reason(), state));
                        }
                    } finally {
                        closing.remove(session.agentId(), closed);
                        closed.countDown();
                    }
                } else if (!session.heartbeat(Duration.ofSeconds(5))) {
                    onDisconnect(session, "the browser stopped answering");
                }
            } catch (RuntimeException e) {
                log.warn("Housekeeping of agent {} failed: {}", session.agentId(), e.getMessage());
            }
        }
    }

    @Override
    public void awaitClosing(String agentId, Duration max) {
        java.util.concurrent.CountDownLatch closed = closing.get(agentId);
        if (closed == null) {
            return;
        }
        try {
            closed.await(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int inUse() {
        return sessions.size();
    }

    /** Pooled browsers ready to be taken (each also holds one of {@link #capacity()}'s places). */
    public int pooled() {
        return pool.ready();
    }

    /** The process markers ({@code --agent-api-agent=<name>}) of the pooled browsers ready now. */
    List<String> pooledNames() {
        return pool.readyNames();
    }

    /** Browsers of this instance: agents' plus the pool's, ready or launching; never above {@link #capacity()}. */
    public int browsers() {
        return sessions.size() + pool.held();
    }

    /** This process's places plus those of the remote endpoints not known to be down. */
    @Override
    public int capacity() {
        return properties.browserLimit() + remote.capacity();
    }

    /**
     * Some place can take a browser: Chromium (full or the headless shell) is installed for local places, or a
     * remote endpoint is not known to be down.
     */
    @Override
    public boolean isReady() {
        return (properties.localChromiumInstalled() && launcher.refusal().isEmpty()) || remote.anyAvailable();
    }

    /** Why no browser can be launched, when none can: the sandbox rule's refusal, or what is missing. */
    @Override
    public Optional<String> unavailable() {
        if (isReady()) {
            return Optional.empty();
        }
        if (launcher.refusal().isPresent()) {
            return launcher.refusal();
        }
        return Optional.of(properties.browserLimit() == 0 ? "No remote browser endpoint is reachable"
                : "Chromium is not installed at " + properties.executablePath()
                + (properties.headlessShell().isEmpty() ? "" : " or " + properties.headlessShell()));
    }

    @Override
    public List<RemoteState> remoteEndpoints() {
        return remote.states();
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(10);
    }

    /**
     * Closes every browser (agents' and the pool's), the drivers kept for reuse, the egress proxy and the downloads
     * watch. Last to stop ({@link LifecyclePhases#BROWSERS}): the leases have been handed back by then. Not restartable.
     */
    @Override
    public void stop() {
        shuttingDown = true;
        ThreadPoolTaskScheduler scheduler = housekeeping;
        if (scheduler != null) {
            scheduler.shutdown();
        }
        pool.close();
        List.copyOf(sessions.keySet()).forEach(this::close);
        List<PlaywrightDriver> idle;
        synchronized (this) {
            idle = List.copyOf(idleDrivers);
            idleDrivers.clear();
        }
        idle.forEach(PlaywrightDriver::close);
        egress.close();
        downloads.close();
        CompletableFuture<PlaywrightDriver> left = spare;
        if (left != null) {
            try {
                left.thenAccept(PlaywrightDriver::close).get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // never started
            }
        }
    }

    @Override
    public boolean isRunning() {
        return housekeeping != null && !shuttingDown;
    }

    /** Not stopped when a context is merely paused: its agents' browsers stay open, as the server stays up. */
    @Override
    public boolean isPauseable() {
        return false;
    }

    @Override
    public int getPhase() {
        return LifecyclePhases.BROWSERS;
    }
}
