package dev.agentapi.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.agentapi.browser.egress.EgressProxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless Chromium browsers launched ahead of need ({@code BROWSER_WARM_POOL}), each behind an egress
 * port of its own and launched with the same {@link ChromiumLaunch} options as any other, so a launch for
 * an agent only opens a context and a page in one. Each pooled browser holds one of the runtime's capacity
 * permits (pooled browsers count against {@code maxBrowsers}); the pool fills only free permits, and a
 * launch that finds none takes one back by closing a pooled browser. Refills run on the executor the
 * runtime is given (Boot's application task executor); a pooled browser that dies is dropped and replaced.
 */
final class BrowserPool {

    private static final Logger log = LoggerFactory.getLogger(BrowserPool.class);
    /** The marker's value for pooled browsers; ':' is not allowed in agent ids, so it names no agent. */
    static final String MARKER_PREFIX = "pool:";

    /** Launches one pooled browser (on a driver and an egress port of its own), or fails with {@link BrowserFailure}. */
    interface Launcher {
        Pooled launch(String name, AtomicReference<BrowserSession> owner, Runnable onDeath);
    }

    /**
     * A launched browser waiting for an agent: its driver, browser, an unused context and page (default
     * viewport, no user agent) and egress port; {@code owner} is set on adoption.
     */
    record Pooled(String name, PlaywrightDriver driver, Browser browser, BrowserContext context, Page page,
                  EgressProxy.Listener port, AtomicReference<BrowserSession> owner, AtomicBoolean disposed) {

        Pooled(String name, PlaywrightDriver driver, Browser browser, BrowserContext context, Page page,
               EgressProxy.Listener port, AtomicReference<BrowserSession> owner) {
            this(name, driver, browser, context, page, port, owner, new AtomicBoolean());
        }
    }

    /** One place in the pool: a launch in flight or done. */
    private static final class Slot {
        final CompletableFuture<Pooled> browser = new CompletableFuture<>();
        boolean taken;
    }

    private final int size;
    private final Semaphore capacity;
    private final Executor refills;
    private final Launcher launcher;
    private final Duration launchTimeout;
    /** False while browsers may not be launched here at all (the sandbox rule): the pool then stays empty. */
    private final BooleanSupplier mayLaunch;
    private final AtomicInteger names = new AtomicInteger();
    /** Tells this pool's browsers from other instances' on the same host. */
    private final String instance = Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 36);
    private final LinkedList<Slot> slots = new LinkedList<>();
    private boolean closed;

    BrowserPool(int size, Semaphore capacity, Executor refills, Launcher launcher, Duration launchTimeout,
                BooleanSupplier mayLaunch) {
        this.size = Math.max(0, size);
        this.capacity = capacity;
        this.refills = refills;
        this.launcher = launcher;
        this.launchTimeout = launchTimeout;
        this.mayLaunch = mayLaunch;
    }

    /** Starts launches until the pool is full or no capacity is left; returns at once. */
    void refill() {
        if (size == 0 || !mayLaunch.getAsBoolean()) {
            return;
        }
        List<Slot> started = new ArrayList<>();
        synchronized (this) {
            while (!closed && slots.size() < size && capacity.tryAcquire()) {
                Slot slot = new Slot();
                slots.add(slot);
                started.add(slot);
            }
        }
        for (Slot slot : started) {
            try {
                refills.execute(() -> fill(slot));
            } catch (RuntimeException rejected) { // the executor is shutting down
                drop(slot);
            }
        }
    }

    private void fill(Slot slot) {
        String name = MARKER_PREFIX + instance + "." + names.incrementAndGet();
        try {
            AtomicReference<BrowserSession> owner = new AtomicReference<>();
            Pooled pooled = launcher.launch(name, owner, () -> died(slot));
            slot.browser.complete(pooled);
            boolean close;
            synchronized (this) {
                close = closed; // shut down while it launched
            }
            if (close) {
                dispose(pooled);
            }
        } catch (RuntimeException failure) {
            log.warn("Pooled browser {} did not launch: {}", name, failure.getMessage());
            slot.browser.completeExceptionally(failure);
            drop(slot); // no retry loop: the next take, close or heartbeat refills
        }
    }

    /**
     * A pooled browser for a launch, with its capacity permit: a ready one, else the one launching now
     * (waited for, bounded by the launch timeout). Null if the pool has none or it failed.
     */
    Pooled take() {
        Slot slot;
        synchronized (this) {
            slot = slots.stream().filter(s -> !s.taken && s.browser.isDone() && !s.browser.isCompletedExceptionally()).findFirst()
                    .orElseGet(() -> slots.stream().filter(s -> !s.taken && !s.browser.isDone()).findFirst().orElse(null));
            if (slot == null) {
                return null;
            }
            slot.taken = true;
            slots.remove(slot);
        }
        refill();
        try {
            return slot.browser.get(launchTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception failed) {
            // failed, or still launching past the timeout: closed when done, and its place given back
            // (the slot is out of the pool, so nobody else gives it back)
            slot.browser.whenComplete((pooled, error) -> {
                dispose(pooled);
                capacity.release();
            });
            if (failed instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return null;
        }
    }

    /** Closes one pooled browser to free its capacity permit for the caller; false if the pool holds none. */
    boolean evictOne() {
        Slot slot;
        synchronized (this) {
            slot = slots.stream().filter(s -> !s.taken).findFirst().orElse(null);
            if (slot == null) {
                return false;
            }
            slot.taken = true;
            slots.remove(slot);
        }
        // the permit passes to the caller now; the evicted browser closes beside it
        slot.browser.thenAcceptAsync(this::dispose, refills);
        return true;
    }

    /** Pooled browsers ready now (for tests and metrics). */
    synchronized int ready() {
        return (int) slots.stream().filter(s -> s.browser.isDone() && !s.browser.isCompletedExceptionally()).count();
    }

    /** The names (process markers) of the pooled browsers ready now. */
    synchronized List<String> readyNames() {
        return slots.stream().filter(s -> s.browser.isDone() && !s.browser.isCompletedExceptionally())
                .map(s -> s.browser.getNow(null).name()).toList();
    }

    /** Pooled browsers ready or launching: each holds a capacity permit. */
    synchronized int held() {
        return slots.size();
    }

    /**
     * Makes each ready pooled browser answer (a DevTools round trip on its driver's thread, which also
     * delivers a pending "disconnected" event); one that does not is dropped and replaced.
     */
    void heartbeat(Duration timeout) {
        List<Slot> ready;
        synchronized (this) {
            ready = slots.stream().filter(s -> s.browser.isDone() && !s.browser.isCompletedExceptionally()).toList();
        }
        for (Slot slot : ready) {
            Pooled pooled = slot.browser.getNow(null);
            try {
                pooled.driver().call(() -> {
                    CDPSession devtools = pooled.browser().newBrowserCDPSession();
                    devtools.send("Browser.getVersion");
                    devtools.detach();
                    return null;
                }, timeout);
            } catch (BrowserFailure failure) {
                if (failure.kind() != BrowserFailure.Kind.TIMEOUT) {
                    died(slot);
                }
            } catch (RuntimeException gone) {
                died(slot);
            }
        }
        refill();
    }

    /** The pooled browser's process is gone (reported on its driver's thread: cleanup runs elsewhere). */
    private void died(Slot slot) {
        synchronized (this) {
            if (slot.taken || !slots.remove(slot)) {
                return; // adopted (the session reports its own death) or already dropped
            }
        }
        log.warn("A pooled browser died before any agent took it; replacing it");
        refills.execute(() -> {
            slot.browser.thenAccept(this::dispose);
            capacity.release();
            refill();
        });
    }

    /** A slot whose launch failed: out of the pool, its permit back. */
    private void drop(Slot slot) {
        boolean held;
        synchronized (this) {
            held = slots.remove(slot);
        }
        if (held) {
            capacity.release();
        }
    }

    /** Closes a pooled browser that no agent took: browser, driver, egress port. */
    void dispose(Pooled pooled) {
        if (pooled == null || !pooled.disposed().compareAndSet(false, true)) {
            return;
        }
        try {
            pooled.driver().close();
        } finally {
            pooled.port().close();
        }
    }

    /** Stops refilling and closes every pooled browser, waiting (bounded) for launches in flight. */
    void close() {
        List<Slot> left;
        synchronized (this) {
            closed = true;
            left = List.copyOf(slots);
            slots.clear();
        }
        for (Slot slot : left) {
            try {
                dispose(slot.browser.get(launchTimeout.toMillis(), TimeUnit.MILLISECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception notLaunched) {
                // failed, or still launching: fill() closes it when it completes after close
            }
            capacity.release();
        }
    }

    int size() {
        return size;
    }
}
