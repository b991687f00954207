package dev.agentapi.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import dev.agentapi.browser.egress.EgressProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One agent's browser. Playwright objects are not thread-safe, so each session owns its own
 * Playwright driver, whose single thread makes every call on it; actions take a permit, so one
 * agent's actions run one at a time while different agents run in parallel. What an action does is
 * {@link ActionHandlers}' business and what a failure means {@link PlaywrightFailures}'. Which requests
 * may leave the browser is decided outside it, by the egress proxy its launch options point at.
 *
 * <p>The session keeps count of the pages its context has open (the agent's own, popups, windows a page
 * opened): beyond {@code limits.pages} a new one is closed as soon as it is reported. Downloads are refused
 * unless the agent's config asked for them; then they go to the session's {@link DownloadWatch.Folder}, which
 * cancels what passes its caps ({@link #cancelDownload}).
 */
public final class BrowserSession {

    /** Marks the agent's Chromium process, so it can be found (and counted) from outside. */
    public static final String PROCESS_MARKER = "--agent-api-agent=";

    private final String agentId;
    private final BrowserChannel requestedChannel;
    private final BrowserChannel effectiveChannel;
    private final boolean headless;
    private final PlaywrightDriver driver;
    private final Semaphore permit = new Semaphore(1);
    private final NavigationGuard guard;
    private final BrowserProperties.Limits limits;
    private final TransferBudget budget;
    /** Where this browser saves downloads, when the agent asked for them; null otherwise. */
    private final DownloadWatch.Folder downloads;
    /** True while the session opens a page of its own, which the page cap does not close. */
    private boolean openingOwnPage;
    /** Pages closed because the cap was reached (driver thread only). */
    private int pagesClosed;
    /** The current page's DevTools session, made on first use (driver thread only). */
    private PageDevtools devtools;
    /** The browser-level DevTools session and the context's id, for cancelling downloads (driver thread only). */
    private com.microsoft.playwright.CDPSession browserDevtools;
    private String browserContextId;
    /**
     * What the egress proxy refused during the running action ({@code host:port}), each target once, the latest
     * refused last; at most 32 targets (a page that keeps requesting one refused host leaves one entry).
     */
    private final Deque<String> refusals = new ConcurrentLinkedDeque<>();
    private volatile Instant lastActivity = Instant.now();
    /** When the runtime closes this browser for idleness, if not after its own timeout (see {@link LaunchSpec#idle()}). */
    private final LaunchSpec.IdleClose idleClose;
    private volatile boolean closing;
    /** True while a Playwright trace of the context records (written on the driver thread). */
    private volatile boolean tracing;
    /** Where the browser runs when it is not a process of this host; null for a local browser. */
    private RemoteEndpoint remote;
    private Browser browser;
    private BrowserContext context;
    /** The active page: the one actions act on (driver thread only). */
    private Page page;
    /** What the context's pages logged (console, network) and the dialog armed (driver thread only). */
    private PageActivity activity;
    private final BrowserProperties.Actions actions;

    private BrowserSession(String agentId, BrowserChannel requested, LaunchSpec spec, Shared shared,
                           PlaywrightDriver driver, DownloadWatch.Folder downloads) {
        this.agentId = agentId;
        this.requestedChannel = requested;
        this.effectiveChannel = spec.channel();
        this.headless = spec.headless();
        this.idleClose = spec.idle();
        this.guard = shared.guard();
        this.limits = shared.properties().limits();
        this.actions = shared.properties().actions();
        this.budget = shared.budget();
        this.driver = driver;
        this.downloads = downloads;
    }

    /** What every session of a runtime shares: its settings, its navigation check and its heap budget for large results. */
    record Shared(BrowserProperties properties, NavigationGuard guard, TransferBudget budget) {
    }

    /** {@code downloads}: the folder of an agent that asked for downloads (in {@code launchOptions} too), else null. */
    static BrowserSession launch(String agentId, BrowserChannel requested, LaunchSpec spec, Shared shared,
                                 PlaywrightDriver driver, BrowserType.LaunchOptions launchOptions,
                                 DownloadWatch.Folder downloads, BiConsumer<BrowserSession, String> onDisconnect) {
        BrowserProperties properties = shared.properties();
        BrowserSession session = new BrowserSession(agentId, requested, spec, shared, driver, downloads);
        try {
            session.call(() -> {
                session.start(spec, launchOptions, onDisconnect);
                return null;
            }, properties.launchTimeout());
        } catch (RuntimeException failure) {
            session.close();
            driver.close();
            throw PlaywrightFailures.launchFailed(failure, properties);
        }
        // idle from now, not from the request to launch: a slow launch is not retired before its first action
        session.lastActivity = Instant.now();
        return session;
    }

    /**
     * The agent's session in a browser launched ahead of it (the warm pool, same launch options), in
     * the context and page opened with it (a new context when the agent has a user agent of its own). Fails with {@link BrowserFailure}, leaving browser and driver to the caller.
     */
    static BrowserSession adopt(String agentId, BrowserChannel requested, LaunchSpec spec, Shared shared,
                                PlaywrightDriver driver, Browser launched, BrowserContext unused,
                                Page blank, BiConsumer<BrowserSession, String> onDisconnect) {
        BrowserProperties properties = shared.properties();
        BrowserSession session = new BrowserSession(agentId, requested, spec, shared, driver, null);
        try {
            session.call(() -> {
                session.browser = launched;
                session.watch(onDisconnect);
                if (!launched.isConnected()) {
                    throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The pooled browser is gone");
                }
                if (spec.userAgent() == null && spec.restore() == null) { // fresh and unused: only the viewport may differ
                    session.context = unused;
                    session.page = blank;
                    session.watchPages();
                    blank.setViewportSize(spec.viewportWidth(), spec.viewportHeight());
                } else { // a user agent, and a storage state, are fixed per context
                    unused.close();
                    session.openPage(spec);
                }
                return null;
            }, properties.launchTimeout());
        } catch (RuntimeException failure) {
            session.closing = true;
            throw PlaywrightFailures.launchFailed(failure, properties);
        }
        session.lastActivity = Instant.now();
        return session;
    }

    /**
     * The agent's session in a new context of a remote browser server: joined with {@code connect}
     * (Playwright server) or {@code connectOverCDP}, its context proxying through {@code egress}, the egress port
     * this runtime opened for it, with that port's credentials. The remote browser's own launch switches are
     * the server's; this context's every request goes through the proxy. Fails with
     * {@link BrowserFailure.Kind#REMOTE_UNAVAILABLE}, closing what it opened and the driver.
     */
    static BrowserSession connect(String agentId, BrowserChannel requested, LaunchSpec spec, Shared shared,
                                  PlaywrightDriver driver, RemoteEndpoint endpoint,
                                  com.microsoft.playwright.options.Proxy egress, BiConsumer<BrowserSession, String> onDisconnect) {
        BrowserProperties properties = shared.properties();
        BrowserSession session = new BrowserSession(agentId, requested, spec, shared, driver, null);
        session.remote = endpoint;
        try {
            session.call(() -> {
                session.join(endpoint, spec, egress, properties.launchTimeout(), onDisconnect);
                return null;
            }, properties.launchTimeout().plusSeconds(5));
        } catch (RuntimeException failure) {
            session.close();
            driver.close();
            String why = failure instanceof BrowserFailure known && known.kind() == BrowserFailure.Kind.TIMEOUT
                    ? "it did not answer within " + properties.launchTimeout().toSeconds() + " s"
                    : PlaywrightFailures.plain(failure);
            throw new BrowserFailure(BrowserFailure.Kind.REMOTE_UNAVAILABLE,
                    "The remote browser endpoint " + endpoint.name() + " could not be used: " + endpoint.scrub(why), failure);
        }
        session.lastActivity = Instant.now();
        return session;
    }

    private void join(RemoteEndpoint endpoint, LaunchSpec spec, com.microsoft.playwright.options.Proxy egress, Duration timeout,
                      BiConsumer<BrowserSession, String> onDisconnect) {
        BrowserType chromium = driver.playwright.chromium();
        // never exposeNetwork: that would let the remote browser reach this host's network around the proxy
        browser = endpoint.protocol() == RemoteEndpoint.Protocol.PLAYWRIGHT
                ? chromium.connect(endpoint.url(), new BrowserType.ConnectOptions().setTimeout(timeout.toMillis()))
                : chromium.connectOverCDP(endpoint.url(), new BrowserType.ConnectOverCDPOptions().setTimeout(timeout.toMillis()));
        watch(onDisconnect, "the remote browser at " + endpoint.name() + " disconnected");
        Browser.NewContextOptions contextOptions = new Browser.NewContextOptions()
                .setViewportSize(spec.viewportWidth(), spec.viewportHeight())
                .setAcceptDownloads(false) // a remote browser saves on its own disk, beyond the caps: never
                .setProxy(egress);
        if (spec.userAgent() != null) {
            contextOptions.setUserAgent(spec.userAgent());
        }
        restoreStorage(spec, contextOptions);
        context = browser.newContext(contextOptions);
        watchPages();
        page = ownPage();
    }

    /** {@code options} come from {@link ChromiumLaunch}: the browser's egress proxy, environment and sandbox. */
    private void start(LaunchSpec spec, BrowserType.LaunchOptions options, BiConsumer<BrowserSession, String> onDisconnect) {
        browser = driver.playwright.chromium().launch(options);
        watch(onDisconnect);
        openPage(spec);
    }

    private void watch(BiConsumer<BrowserSession, String> onDisconnect) {
        watch(onDisconnect, "the browser process exited unexpectedly");
    }

    private void watch(BiConsumer<BrowserSession, String> onDisconnect, String reason) {
        browser.onDisconnected(b -> {
            if (!closing) {
                onDisconnect.accept(this, reason);
            }
        });
    }

    private void openPage(LaunchSpec spec) {
        // no request interception: every request, service workers' included, goes through the egress proxy
        Browser.NewContextOptions contextOptions = new Browser.NewContextOptions()
                .setViewportSize(spec.viewportWidth(), spec.viewportHeight())
                .setAcceptDownloads(downloads != null);
        if (spec.userAgent() != null) {
            contextOptions.setUserAgent(spec.userAgent());
        }
        restoreStorage(spec, contextOptions);
        context = browser.newContext(contextOptions);
        watchPages();
        page = ownPage();
    }

    /** A context started from a saved state holds its cookies and localStorage from the start. */
    private static void restoreStorage(LaunchSpec spec, Browser.NewContextOptions contextOptions) {
        if (spec.restore() != null && spec.restore().storageState() != null) {
            contextOptions.setStorageState(spec.restore().storageState());
        }
    }

    /**
     * The browser's state now (storage state, open tabs, active tab, viewport), or empty when it cannot be read: an
     * action still runs after {@code wait}, or the browser is closed or gone.
     */
    java.util.Optional<BrowserState> capture(Duration wait, Duration timeout) {
        try {
            if (!permit.tryAcquire(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return java.util.Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(call(this::readState, timeout));
        } catch (BrowserFailure gone) {
            return java.util.Optional.empty();
        } finally {
            permit.release();
        }
    }

    /**
     * The state of a browser being retired ({@link #retireIfIdleSince} answered true, so no action runs or starts), read
     * before it closes; empty if it cannot be read.
     */
    java.util.Optional<BrowserState> captureRetiring(Duration timeout) {
        try {
            return java.util.Optional.of(driver.call(this::readState, timeout));
        } catch (RuntimeException gone) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Driver thread: the context's storage state, its pages' http(s) URLs (at most the page cap), the active one's index,
     * and each of those pages' sessionStorage for its origin.
     */
    private BrowserState readState() {
        if (browser == null || !browser.isConnected() || context == null) {
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
        }
        String storage = context.storageState();
        java.util.List<String> tabs = new java.util.ArrayList<>();
        java.util.List<BrowserState.TabSessionStorage> sessionStorage = new java.util.ArrayList<>();
        int active = 0;
        for (Page open : context.pages()) {
            String url = open.url();
            if (tabs.size() >= limits.pages() || NavigationGuard.httpHost(url).isEmpty()) {
                continue; // about:blank, chrome-error://, data: ... are not places to go back to
            }
            if (open == page) {
                active = tabs.size();
            }
            TabSessionStorages.read(context, open, tabs.size()).ifPresent(sessionStorage::add);
            tabs.add(url);
        }
        com.microsoft.playwright.options.ViewportSize viewport = page == null ? null : page.viewportSize();
        return new BrowserState(storage, tabs, active, viewport == null ? null : viewport.width, viewport == null ? null : viewport.height,
                sessionStorage);
    }

    /**
     * Opens the saved tabs again, in their order, each URL checked by the navigation guard as a navigate action's
     * is (and every request going through the egress proxy as always), each load given {@code perTab}, each with its
     * saved sessionStorage in place before its page's scripts run ({@link TabSessionStorages#open}); the saved
     * active tab becomes the session's page. A tab that is refused or fails to load stays blank or where it got:
     * answers how many did.
     */
    int reopen(BrowserState state, Duration perTab) {
        int tabs = Math.min(state.tabs().size(), limits.pages());
        if (tabs == 0) {
            return 0;
        }
        permit.acquireUninterruptibly(); // an action that found the session already launched waits for its tabs
        try {
            return call(() -> reopenTabs(state.tabs().subList(0, tabs), state.sessionStorage(), state.activeTab(), perTab.toMillis()),
                    perTab.multipliedBy(tabs + state.sessionStorage().size()).plusSeconds(5)); // a tab with sessionStorage loads twice
        } finally {
            lastActivity = Instant.now(); // idle from now: the reopening is not idleness
            permit.release();
        }
    }

    private int reopenTabs(java.util.List<String> urls, java.util.List<BrowserState.TabSessionStorage> sessionStorage, int active,
                           long perTabMs) {
        java.util.Map<Integer, BrowserState.TabSessionStorage> storageOfTab = new java.util.HashMap<>();
        sessionStorage.forEach(saved -> storageOfTab.putIfAbsent(saved.tab(), saved));
        java.util.List<Page> opened = new java.util.ArrayList<>();
        int failed = 0;
        for (String url : urls) {
            Page tab = opened.isEmpty() ? page : ownPage();
            BrowserState.TabSessionStorage saved = storageOfTab.get(opened.size());
            opened.add(tab);
            if (guard.refusal(url).isPresent()) {
                failed++;
                continue;
            }
            try {
                if (saved == null) {
                    tab.navigate(url, new Page.NavigateOptions().setTimeout(perTabMs));
                } else {
                    TabSessionStorages.open(context, tab, url, saved, perTabMs);
                }
            } catch (PlaywrightException notLoaded) {
                failed++;
            }
        }
        if (active > 0 && active < opened.size()) {
            page = opened.get(active);
            page.bringToFront();
        }
        return failed;
    }

    /** Counts the context's pages from now on: beyond the cap, a new page is closed as soon as it is reported. */
    private void watchPages() {
        context.onPage(this::pageOpened);
        activity = new PageActivity(context);
    }

    private void pageOpened(Page opened) {
        if (openingOwnPage || context.pages().size() <= limits.pages()) {
            return;
        }
        pagesClosed++;
        try {
            opened.close();
        } catch (PlaywrightException alreadyGone) {
            // closed by its page meanwhile
        }
    }

    /** A page of the session's own (never closed by the cap). */
    private Page ownPage() {
        openingOwnPage = true;
        try {
            return context.newPage();
        } finally {
            openingOwnPage = false;
        }
    }

    /**
     * The egress proxy refused a request of this browser ({@code target}: its {@code host:port}): the running action,
     * if it fails, failed because of it.
     */
    void egressRefused(String target) {
        refusals.remove(target);
        refusals.addLast(target);
        while (refusals.size() > 32) {
            refusals.pollFirst();
        }
    }

    /**
     * The refusal that explains the running action's failure to load {@code url}: of the requests the egress proxy
     * refused during the action, the one to {@code url}'s host and port, else the latest; null when it refused none.
     * A late request of an earlier page (a favicon, a retried connection) refused meanwhile does not name the wrong host.
     */
    private String refusalFor(String url) {
        String wanted = EgressProxy.targetOf(url);
        String latest = null;
        for (String refused : refusals) {
            if (refused.equalsIgnoreCase(wanted)) {
                return refused;
            }
            latest = refused;
        }
        return latest;
    }

    public String agentId() {
        return agentId;
    }

    public BrowserChannel requestedChannel() {
        return requestedChannel;
    }

    public BrowserChannel effectiveChannel() {
        return effectiveChannel;
    }

    /** The idle close this browser was launched with; null for the runtime's own. */
    LaunchSpec.IdleClose idleClose() {
        return idleClose;
    }

    public Instant lastActivity() {
        return lastActivity;
    }

    /** The remote endpoint the browser runs on; empty for a browser of this host. */
    public java.util.Optional<RemoteEndpoint> remote() {
        return java.util.Optional.ofNullable(remote);
    }

    ActionResult execute(BrowserAction action, Duration timeout, Duration busyWait) {
        try {
            if (!permit.tryAcquire(busyWait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new BrowserFailure(BrowserFailure.Kind.BUSY, "Agent " + agentId + " is busy with another action; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.BUSY, "Interrupted while waiting for the agent");
        }
        try {
            lastActivity = Instant.now();
            refusals.clear(); // refusals of earlier actions are not this one's reason
            return call(() -> perform(action, timeout.toMillis()), timeout.plusSeconds(5));
        } finally {
            lastActivity = Instant.now();
            permit.release();
        }
    }

    /**
     * True, and from then on refusing actions, if no action runs now and none ran since the cutoff;
     * the caller then closes it. An action cannot slip in between the check and the close.
     */
    boolean retireIfIdleSince(Instant cutoff) {
        if (!permit.tryAcquire()) {
            return false;
        }
        try {
            if (!lastActivity.isBefore(cutoff)) {
                return false;
            }
            closing = true;
            return true;
        } finally {
            permit.release();
        }
    }

    /** A cheap round trip to the browser, which also lets Playwright deliver pending events. False if it is gone. */
    boolean heartbeat(Duration timeout) {
        if (!permit.tryAcquire()) {
            return true; // an action is running: it will notice a dead browser itself
        }
        try {
            call(() -> page.evaluate("() => 0"), timeout);
            return true;
        } catch (BrowserFailure failure) {
            return failure.kind() == BrowserFailure.Kind.TIMEOUT;
        } finally {
            permit.release();
        }
    }

    private ActionResult perform(BrowserAction action, long timeoutMs) {
        try {
            if (page.isClosed()) { // closed by itself (window.close()) or with its tab
                page = fallbackPage();
            }
            if (activity != null) {
                activity.forgetFailedNavigation();
            }
            return ActionHandlers.perform(action, new ActionTarget(page, headless, guard, this::refusalFor, limits, budget,
                    this::devtools, tabs, activity, actions), timeoutMs);
        } catch (PlaywrightException e) {
            BrowserFailure failure = PlaywrightFailures.translate(action, e,
                    refusalFor(activity == null ? null : activity.failedNavigation()), timeoutMs);
            if (remote != null && (failure.kind() == BrowserFailure.Kind.NOT_RUNNING || !browser.isConnected())) {
                throw new BrowserFailure(BrowserFailure.Kind.REMOTE_UNAVAILABLE, "The remote browser endpoint " + remote.name()
                        + " went away during the action; the agent's browser there is gone and the next action starts a new one", e);
            }
            if (failure.kind() == BrowserFailure.Kind.NAVIGATION_REFUSED || failure.kind() == BrowserFailure.Kind.NAVIGATION_FAILED
                    || failure.kind() == BrowserFailure.Kind.PAGE_CRASHED) {
                settleAfterFailedLoad();
            }
            throw failure;
        }
    }

    /**
     * A refused or failed load leaves Chromium's error navigation still arriving, which would
     * interrupt the next one, and a crashed page answers nothing any more; a fresh page in the same context
     * (cookies kept) starts the next action clean.
     */
    private void settleAfterFailedLoad() {
        try {
            Page previous = page;
            page = ownPage();
            previous.close();
        } catch (PlaywrightException ignored) {
            // best effort: the next navigation retries once anyway
        }
    }

    /** The newest open page of the context, or a new blank one of the agent's own when none is left. */
    private Page fallbackPage() {
        List<Page> open = context.pages();
        return open.isEmpty() ? ownPage() : open.get(open.size() - 1);
    }

    /** The agent's tabs, as {@code tabs} actions see them (driver thread). */
    private final ActionTarget.Tabs tabs = new ActionTarget.Tabs() {
        @Override
        public List<Page> pages() {
            return context.pages();
        }

        @Override
        public Page active() {
            return page;
        }

        @Override
        public Page open() {
            if (context.pages().size() >= limits.pages()) {
                throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "The agent has " + context.pages().size()
                        + " tabs open, as many as it may (BROWSER_MAX_PAGES); close one first");
            }
            page = ownPage();
            return page;
        }

        @Override
        public void select(Page selected) {
            page = selected;
            page.bringToFront();
        }

        @Override
        public void close(Page closing) {
            closing.close();
            if (closing == page) {
                page = fallbackPage();
            }
        }

        @Override
        public BrowserContext context() {
            return context;
        }
    };

    /** The current page's DevTools session (driver thread). */
    private PageDevtools devtools() {
        if (devtools == null || !devtools.serves(page)) {
            if (devtools != null) {
                devtools.detach();
            }
            devtools = PageDevtools.open(context, page);
        }
        return devtools;
    }

    /**
     * Cancels the download {@code guid} in the browser and deletes what it saved ({@code files}), on the driver's
     * thread after whatever runs there now. For {@link DownloadWatch}, from its own thread.
     */
    void cancelDownload(String guid, java.util.List<java.nio.file.Path> files) {
        if (closing) {
            return;
        }
        try {
            driver.thread.execute(() -> {
                try {
                    if (!closing && browser != null && browser.isConnected()) {
                        cancelInBrowser(guid);
                    }
                } catch (PlaywrightException finishedOrGone) {
                    // finished meanwhile (deleted below) or the browser is gone
                } finally {
                    files.forEach(DownloadWatch::deleteQuietly);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            files.forEach(DownloadWatch::deleteQuietly);
        }
    }

    private void cancelInBrowser(String guid) {
        if (browserDevtools == null) {
            browserDevtools = browser.newBrowserCDPSession();
            com.google.gson.JsonObject targets = browserDevtools.send("Target.getTargets");
            for (com.google.gson.JsonElement target : targets.getAsJsonArray("targetInfos")) {
                com.google.gson.JsonObject info = target.getAsJsonObject();
                if ("page".equals(info.get("type").getAsString()) && info.has("browserContextId")) {
                    browserContextId = info.get("browserContextId").getAsString();
                    break;
                }
            }
        }
        com.google.gson.JsonObject cancel = new com.google.gson.JsonObject();
        cancel.addProperty("guid", guid);
        if (browserContextId != null) {
            cancel.addProperty("browserContextId", browserContextId);
        }
        browserDevtools.send("Browser.cancelDownload", cancel);
    }

    /** The download folder of an agent that asked for downloads. */
    java.util.Optional<DownloadWatch.Folder> downloads() {
        return java.util.Optional.ofNullable(downloads);
    }

    /** The pages the context has open now, and how many the cap closed (tests; waits for the driver). */
    int[] pages(Duration timeout) {
        return call(() -> new int[] {context.pages().size(), pagesClosed}, timeout);
    }

    private <T> T call(Callable<T> work, Duration timeout) {
        if (closing) {
            // the driver may already serve another agent's browser
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
        }
        return driver.call(work, timeout);
    }

    PlaywrightDriver driver() {
        return driver;
    }

    /**
     * Runs {@code work} on the driver's thread with the agent's current page and its context, beside actions rather
     * than as one (no permit): for the live view's screencast and a person's input ({@link Screencast},
     * {@link HumanInput}), which must not wait for a long action to end. Fails with {@link BrowserFailure} once the
     * session is closing.
     */
    <T> T onPage(java.util.function.BiFunction<BrowserContext, Page, T> work, Duration timeout) {
        return call(() -> {
            if (closing) {
                throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
            }
            return work.apply(context, page);
        }, timeout);
    }

    /**
     * Starts a Playwright trace of the agent's context (screenshots, DOM snapshots, network), on the driver's thread
     * beside actions (no permit). False when one is recording already. Fails with {@link BrowserFailure} when the
     * browser is closed or did not answer.
     */
    public boolean startTrace(Duration timeout) {
        return call(() -> {
            if (tracing) {
                return false;
            }
            try {
                context.tracing().start(new com.microsoft.playwright.Tracing.StartOptions()
                        .setTitle(agentId).setScreenshots(true).setSnapshots(true).setSources(false));
            } catch (PlaywrightException e) {
                throw traceFailed("started", e);
            }
            tracing = true;
            return true;
        }, timeout);
    }

    /** Whether a trace is recording (started and not stopped; a closed browser's trace is gone). */
    public boolean tracing() {
        return tracing && !closing;
    }

    /**
     * Stops the recording trace and writes its zip to {@code target} (on the driver's thread). False when none was
     * recording. Fails with {@link BrowserFailure} when the browser is closed or did not answer.
     */
    public boolean stopTrace(java.nio.file.Path target, Duration timeout) {
        return call(() -> {
            if (!tracing) {
                return false;
            }
            tracing = false; // whatever happens next, this trace is over
            try {
                context.tracing().stop(new com.microsoft.playwright.Tracing.StopOptions().setPath(target));
            } catch (PlaywrightException e) {
                throw traceFailed("stopped", e);
            }
            return true;
        }, timeout);
    }

    private BrowserFailure traceFailed(String what, PlaywrightException e) {
        if (browser == null || !browser.isConnected()) {
            return new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed", e);
        }
        return new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED,
                "The trace could not be " + what + ": " + PlaywrightFailures.plain(e), e);
    }

    /**
     * Counts as activity for the idle timeout: a person's input, or the agent waiting for a person (MCP
     * {@code request_human}), keeps the browser open as an action does.
     */
    public void touched() {
        lastActivity = Instant.now();
    }

    /** Whether the session is closing or closed (its driver may already serve another browser). */
    public boolean closed() {
        return closing;
    }

    /**
     * Closes the browser, waiting a bounded time. True when it closed cleanly, so its driver can
     * serve another browser; otherwise the caller closes the driver, which ends whatever is left.
     */
    boolean close() {
        closing = true;
        try {
            driver.thread.submit(() -> {
                if (remote != null && context != null && browser.isConnected()) {
                    context.close(); // the context lives on the server: closed there, whatever close() does with the connection
                }
                if (browser != null) {
                    browser.close();
                }
            }).get(15, TimeUnit.SECONDS);
            return true;
        } catch (Exception stuckOrGone) {
            return false;
        }
    }
}
