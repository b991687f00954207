package dev.agentapi.browser;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Browsers in this process, driven by Playwright against the installed Chromium (or the Chrome
 * and Edge channels where installed). At most {@code maxBrowsers} run at once; idle ones are closed;
 * dead ones are noticed by a heartbeat and reported; all are closed on shutdown.
 */
public class PlaywrightBrowserRuntime implements BrowserRuntime, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(PlaywrightBrowserRuntime.class);

    private final BrowserProperties properties;
    private final NavigationGuard guard;
    private final Semaphore capacity;
    private final Map<String, BrowserSession> sessions = new ConcurrentHashMap<>();
    private final ScheduledExecutorService housekeeping;
    /** A driver started ahead of need once browsers are in use, so a launch does not wait for one. */
    private volatile java.util.concurrent.CompletableFuture<PlaywrightDriver> spare;
    private volatile BrowserEvents events = new BrowserEvents() {
        @Override public void stopped(String agentId, String reason) { }
        @Override public void crashed(String agentId, String reason) { }
    };

    public PlaywrightBrowserRuntime(BrowserProperties properties, Duration housekeepingInterval, boolean production) {
        this.properties = properties;
        this.guard = new NavigationGuard(properties.navigation(), production);
        this.capacity = new Semaphore(properties.maxBrowsers());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "browser-housekeeping");
            t.setDaemon(true);
            return t;
        });
        long period = housekeepingInterval.toMillis();
        housekeeping.scheduleWithFixedDelay(this::housekeep, period, period, TimeUnit.MILLISECONDS);
    }

    public void setEvents(BrowserEvents events) {
        this.events = events;
    }

    @Override
    public LaunchSpec resolve(LaunchSpec requested) {
        if (!requested.headless() && (System.getenv("DISPLAY") == null || System.getenv("DISPLAY").isBlank())) {
            throw new BrowserFailure(BrowserFailure.Kind.NO_DISPLAY,
                    "A headed browser needs a display, and this host has none (DISPLAY is unset); use headless: true");
        }
        if (requested.channel().installed()) {
            return requested;
        }
        if (!properties.channelFallback()) {
            throw new BrowserFailure(BrowserFailure.Kind.CHANNEL_UNAVAILABLE, "The " + requested.channel().value()
                    + " channel is not installed on this host, and falling back to Chromium is turned off");
        }
        return new LaunchSpec(BrowserChannelName.CHROMIUM, requested.headless(), requested.viewportWidth(),
                requested.viewportHeight(), requested.userAgent());
    }

    @Override
    public BrowserSession launch(String agentId, LaunchSpec requested) {
        LaunchSpec spec = resolve(requested);
        close(agentId);
        if (!capacity.tryAcquire()) {
            throw new BrowserFailure(BrowserFailure.Kind.CAPACITY, "All " + properties.maxBrowsers()
                    + " browsers of this instance are in use; retry later");
        }
        try {
            BrowserSession session = BrowserSession.launch(agentId, requested.channel(), spec, properties, guard,
                    takeDriver(), reason -> onDisconnect(agentId, reason));
            sessions.put(agentId, session);
            return session;
        } catch (RuntimeException failure) {
            capacity.release();
            throw failure;
        }
    }

    private synchronized PlaywrightDriver takeDriver() {
        java.util.concurrent.CompletableFuture<PlaywrightDriver> ready = spare;
        spare = java.util.concurrent.CompletableFuture.supplyAsync(PlaywrightDriver::start);
        if (ready != null) {
            try {
                return ready.get(properties.launchTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception notReady) {
                log.debug("Spare browser driver unavailable ({}); starting one", notReady.getMessage());
            }
        }
        return PlaywrightDriver.start();
    }

    @Override
    public Optional<BrowserSession> session(String agentId) {
        return Optional.ofNullable(sessions.get(agentId));
    }

    @Override
    public void close(String agentId) {
        BrowserSession session = sessions.remove(agentId);
        if (session != null) {
            session.close();
            capacity.release();
        }
    }

    @Override
    public ActionResult execute(String agentId, BrowserAction action) {
        BrowserSession session = sessions.get(agentId);
        if (session == null) {
            throw new BrowserFailure(BrowserFailure.Kind.NOT_RUNNING, "Agent " + agentId + " has no running browser");
        }
        Duration timeout = properties.actionTimeout();
        if (action.timeoutMs() != null) {
            if (action.timeoutMs() < 1) {
                throw new BrowserFailure(BrowserFailure.Kind.INVALID_ACTION, "timeout_ms must be positive");
            }
            timeout = Duration.ofMillis(action.timeoutMs());
        }
        if (timeout.compareTo(properties.maxActionTimeout()) > 0) {
            timeout = properties.maxActionTimeout();
        }
        return session.execute(action, timeout, properties.busyWait());
    }

    private void onDisconnect(String agentId, String reason) {
        BrowserSession session = sessions.remove(agentId);
        if (session != null) {
            capacity.release();
            housekeeping.execute(session::close);
            log.warn("Browser of agent {} died: {}", agentId, reason);
            events.crashed(agentId, reason);
        }
    }

    /** Closes idle browsers and makes sure the others are still alive. */
    void housekeep() {
        Instant idleBefore = Instant.now().minus(properties.idleTimeout());
        for (BrowserSession session : List.copyOf(sessions.values())) {
            try {
                if (session.lastActivity().isBefore(idleBefore)) {
                    close(session.agentId());
                    events.stopped(session.agentId(), "idle_timeout");
                } else if (!session.heartbeat(Duration.ofSeconds(5))) {
                    onDisconnect(session.agentId(), "the browser stopped answering");
                }
            } catch (RuntimeException e) {
                log.warn("Housekeeping of agent {} failed: {}", session.agentId(), e.getMessage());
            }
        }
    }

    @Override
    public int inUse() {
        return sessions.size();
    }

    @Override
    public int capacity() {
        return properties.maxBrowsers();
    }

    @Override
    public boolean isReady() {
        return java.nio.file.Files.isExecutable(java.nio.file.Path.of(properties.executablePath()));
    }

    @Override
    public Duration retryAfter() {
        return Duration.ofSeconds(10);
    }

    @Override
    public void destroy() {
        housekeeping.shutdownNow();
        List.copyOf(sessions.keySet()).forEach(this::close);
        java.util.concurrent.CompletableFuture<PlaywrightDriver> left = spare;
        if (left != null) {
            try {
                left.thenAccept(PlaywrightDriver::close).get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // never started
            }
        }
    }
}
