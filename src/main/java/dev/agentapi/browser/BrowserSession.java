package dev.agentapi.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.TimeoutError;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;
import dev.agentapi.browser.egress.EgressProxy;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

/**
 * One agent's browser. Playwright objects are not thread-safe, so each session owns its own
 * Playwright driver and the single thread that makes every call on it; actions take a permit,
 * so one agent's actions run one at a time while different agents run in parallel.
 */
public final class BrowserSession {

    /** Marks the agent's Chromium process, so it can be found (and counted) from outside. */
    public static final String PROCESS_MARKER = "--agent-api-agent=";

    private final String agentId;
    private final BrowserChannelName requestedChannel;
    private final BrowserChannelName effectiveChannel;
    private final boolean headless;
    private final PlaywrightDriver driver;
    private final ExecutorService thread;
    private final Semaphore permit = new Semaphore(1);
    private final NavigationGuard guard;
    private volatile Instant lastActivity = Instant.now();
    private volatile boolean closing;
    private volatile String lastRefusal;
    private final Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;

    private BrowserSession(String agentId, BrowserChannelName requested, LaunchSpec spec, NavigationGuard guard,
                           PlaywrightDriver driver) {
        this.agentId = agentId;
        this.requestedChannel = requested;
        this.effectiveChannel = spec.channel();
        this.headless = spec.headless();
        this.guard = guard;
        this.driver = driver;
        this.thread = driver.thread;
        this.playwright = driver.playwright;
    }

    static BrowserSession launch(String agentId, BrowserChannelName requested, LaunchSpec spec, BrowserProperties properties,
                                 NavigationGuard guard, PlaywrightDriver driver, BrowserType.LaunchOptions launchOptions,
                                 BiConsumer<BrowserSession, String> onDisconnect) {
        BrowserSession session = new BrowserSession(agentId, requested, spec, guard, driver);
        try {
            session.call(() -> {
                session.start(spec, launchOptions, onDisconnect);
                return null;
            }, properties.launchTimeout());
        } catch (RuntimeException failure) {
            session.close();
            driver.close();
            if (failure instanceof BrowserFailure known && known.kind() == BrowserFailure.Kind.TIMEOUT) {
                throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED,
                        "The browser did not start within " + properties.launchTimeout().toSeconds() + " s");
            }
            throw failure instanceof BrowserFailure known ? known
                    : new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser could not start: " + summary(failure), failure);
        }
        return session;
    }

    /** {@code options} come from {@link ChromiumLaunch}: the browser's egress proxy, environment and sandbox. */
    private void start(LaunchSpec spec, BrowserType.LaunchOptions options, BiConsumer<BrowserSession, String> onDisconnect) {
        browser = playwright.chromium().launch(options);
        browser.onDisconnected(b -> {
            if (!closing) {
                onDisconnect.accept(this, "the browser process exited unexpectedly");
            }
        });
        // no request interception: every request, service workers' included, goes through the egress proxy
        Browser.NewContextOptions contextOptions = new Browser.NewContextOptions()
                .setViewportSize(spec.viewportWidth(), spec.viewportHeight());
        if (spec.userAgent() != null) {
            contextOptions.setUserAgent(spec.userAgent());
        }
        context = browser.newContext(contextOptions);
        page = context.newPage();
    }

    /** The egress proxy refused a request of this browser: the running action, if it fails, failed because of it. */
    void egressRefused(String what) {
        lastRefusal = what;
    }

    public String agentId() {
        return agentId;
    }

    public BrowserChannelName requestedChannel() {
        return requestedChannel;
    }

    public BrowserChannelName effectiveChannel() {
        return effectiveChannel;
    }

    public Instant lastActivity() {
        return lastActivity;
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
            lastRefusal = null;
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
            call(() -> page.title(), timeout);
            return true;
        } catch (BrowserFailure failure) {
            return failure.kind() == BrowserFailure.Kind.TIMEOUT;
        } finally {
            permit.release();
        }
    }

    private ActionResult perform(BrowserAction action, long timeoutMs) {
        try {
            return dispatch(action, timeoutMs);
        } catch (TimeoutError e) {
            throw new BrowserFailure(BrowserFailure.Kind.TIMEOUT, action.type() + " did not finish within " + timeoutMs + " ms");
        } catch (PlaywrightException e) {
            BrowserFailure failure = translate(action, e);
            if (failure.kind() == BrowserFailure.Kind.NAVIGATION_REFUSED || failure.kind() == BrowserFailure.Kind.NAVIGATION_FAILED) {
                settleAfterFailedLoad();
            }
            throw failure;
        }
    }

    /**
     * A refused or failed load leaves Chromium's error navigation still arriving, which would
     * interrupt the next one; a fresh page in the same context (cookies kept) starts the next action clean.
     */
    private void settleAfterFailedLoad() {
        try {
            Page previous = page;
            page = context.newPage();
            previous.close();
        } catch (PlaywrightException ignored) {
            // best effort: the next navigation retries once anyway
        }
    }

    // Java 17: the sealed action types are told apart with instanceof (switch patterns arrive in 21)
    private ActionResult dispatch(BrowserAction action, long timeoutMs) {
        if (action instanceof BrowserAction.Navigate a) {
            Optional<String> refusal = guard.refusal(a.url() == null ? "" : a.url());
            if (refusal.isPresent()) {
                throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + refusal.get());
            }
            Page.NavigateOptions options = new Page.NavigateOptions().setTimeout(timeoutMs).setWaitUntil(waitUntil(a.waitUntil()));
            Response response;
            try {
                response = page.navigate(a.url(), options);
            } catch (PlaywrightException e) {
                // the error page of an earlier failed load can still be arriving: go again once
                if (e instanceof TimeoutError || e.getMessage() == null || !e.getMessage().contains("interrupted by another navigation")) {
                    throw e;
                }
                response = page.navigate(a.url(), options);
            }
            // a plain-http hop the proxy refused or could not reach ends on its 403/502 page rather than in an error
            String egress = response == null ? null : response.headers().get(EgressProxy.REFUSAL_HEADER.toLowerCase(Locale.ROOT));
            if ("refused".equals(egress)) {
                throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED,
                        "Navigation refused: " + (lastRefusal != null ? lastRefusal : response.url()));
            }
            if ("unreachable".equals(egress)) {
                throw new BrowserFailure(BrowserFailure.Kind.NAVIGATION_FAILED, "Navigation failed: " + response.url() + " could not be reached");
            }
        } else if (action instanceof BrowserAction.Click a) {
            existing(a.selector()).click(new Locator.ClickOptions().setTimeout(timeoutMs));
        } else if (action instanceof BrowserAction.Fill a) {
            existing(a.selector()).fill(a.value() == null ? "" : a.value(), new Locator.FillOptions().setTimeout(timeoutMs));
        } else if (action instanceof BrowserAction.Press a) {
            existing(a.selector()).press(required(a.key(), "key"), new Locator.PressOptions().setTimeout(timeoutMs));
        } else if (action instanceof BrowserAction.WaitFor a) {
            page.locator(required(a.selector(), "selector")).first()
                    .waitFor(new Locator.WaitForOptions().setState(state(a.state())).setTimeout(timeoutMs));
        } else if (action instanceof BrowserAction.Text a) {
            Locator target = a.selector() == null ? page.locator("body") : existing(a.selector());
            String text = target.innerText(new Locator.InnerTextOptions().setTimeout(timeoutMs));
            return new ActionResult(page.url(), page.title(), text, null, null, null);
        } else if (action instanceof BrowserAction.Content) {
            return new ActionResult(page.url(), page.title(), null, page.content(), null, null);
        } else if (action instanceof BrowserAction.Screenshot a) {
            byte[] png = page.screenshot(new Page.ScreenshotOptions().setFullPage(Boolean.TRUE.equals(a.fullPage())).setTimeout(timeoutMs));
            return new ActionResult(page.url(), page.title(), null, null, png, "image/png");
        } else if (action instanceof BrowserAction.Pdf) {
            if (!headless) {
                throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "PDF needs a headless browser");
            }
            return new ActionResult(page.url(), page.title(), null, null, page.pdf(), "application/pdf");
        }
        return state();
    }

    private BrowserFailure translate(BrowserAction action, PlaywrightException e) {
        String message = e.getMessage() == null ? "" : e.getMessage();
        if (lastRefusal != null) {
            // a request of this action was refused by the guard: that is why it failed
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_REFUSED, "Navigation refused: " + lastRefusal);
        }
        if (message.contains("Target page, context or browser has been closed") || message.contains("Browser has been closed")
                || message.contains("Target closed")) {
            return new BrowserFailure(BrowserFailure.Kind.NOT_RUNNING, "The agent's browser is gone");
        }
        if (message.contains("selector") && (message.contains("Unexpected token") || message.contains("not a valid")
                || message.contains("Unknown engine") || message.contains("malformed"))) {
            return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "Invalid selector");
        }
        if (action instanceof BrowserAction.Navigate) {
            return new BrowserFailure(BrowserFailure.Kind.NAVIGATION_FAILED, "Navigation failed: " + summary(e));
        }
        return new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, action.type() + " failed: " + summary(e));
    }

    private Locator existing(String selector) {
        Locator locator = page.locator(required(selector, "selector"));
        if (locator.count() == 0) {
            throw new BrowserFailure(BrowserFailure.Kind.SELECTOR_NOT_FOUND, "No element matches selector " + selector);
        }
        return locator.first();
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "'" + field + "' is required");
        }
        return value;
    }

    private ActionResult state() {
        return ActionResult.of(page.url(), page.title());
    }

    private static WaitUntilState waitUntil(String value) {
        if (value == null) {
            return WaitUntilState.LOAD;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "domcontentloaded" -> WaitUntilState.DOMCONTENTLOADED;
            case "networkidle" -> WaitUntilState.NETWORKIDLE;
            case "commit" -> WaitUntilState.COMMIT;
            case "load" -> WaitUntilState.LOAD;
            default -> throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION,
                    "wait_until must be load, domcontentloaded, networkidle or commit");
        };
    }

    private static WaitForSelectorState state(String value) {
        if (value == null) {
            return WaitForSelectorState.VISIBLE;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "attached" -> WaitForSelectorState.ATTACHED;
            case "detached" -> WaitForSelectorState.DETACHED;
            case "hidden" -> WaitForSelectorState.HIDDEN;
            case "visible" -> WaitForSelectorState.VISIBLE;
            default -> throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION,
                    "state must be attached, detached, visible or hidden");
        };
    }

    private <T> T call(Callable<T> work, Duration timeout) {
        if (closing) {
            // the driver may already serve another agent's browser
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
        }
        Future<T> future;
        try {
            future = thread.submit(work);
        } catch (java.util.concurrent.RejectedExecutionException closed) {
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrowserFailure(BrowserFailure.Kind.TIMEOUT, "The browser did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof BrowserFailure failure) {
                throw failure;
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, summary(cause), cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.TIMEOUT, "Interrupted");
        }
    }

    PlaywrightDriver driver() {
        return driver;
    }

    /**
     * Closes the browser, waiting a bounded time. True when it closed cleanly, so its driver can
     * serve another browser; otherwise the caller closes the driver, which ends whatever is left.
     */
    boolean close() {
        closing = true;
        try {
            thread.submit(() -> {
                if (browser != null) {
                    browser.close();
                }
            }).get(15, TimeUnit.SECONDS);
            return true;
        } catch (Exception stuckOrGone) {
            return false;
        }
    }

    private static String summary(Throwable failure) {
        String message = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        String flat = message.replaceAll("\\s+", " ").trim();
        return flat.length() > 300 ? flat.substring(0, 300) : flat;
    }
}
