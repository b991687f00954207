package dev.agentapi.browser;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * How much heap large results may take while they are pulled in from browsers, shared by every agent of the
 * runtime: a pull that may need more than a few megabytes (a screenshot, a long text, a snapshot, a PDF)
 * reserves its worst case first and gives it back when done, so several agents pulling large results at once
 * wait for each other instead of exhausting the heap together. Small results reserve nothing. A single
 * reservation never exceeds the whole budget, so any one pull within the limits can proceed alone.
 */
final class TransferBudget {

    /** A reservation; closing it gives the bytes back. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    private static final Reservation NOTHING = () -> { };
    private final Semaphore kibibytes;
    private final int total;

    /** {@code bytes}: the budget (see {@link #ofHeap()}). */
    TransferBudget(long bytes) {
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / 1024));
        this.kibibytes = new Semaphore(total, true);
    }

    /** 40 % of the JVM's maximum heap: the rest is for the service itself. */
    static TransferBudget ofHeap() {
        return new TransferBudget(Runtime.getRuntime().maxMemory() / 10 * 4);
    }

    /**
     * Reserves {@code bytes} of heap (nothing below 4 MiB), waiting at most {@code wait}; fails with
     * {@code OVERLOADED} (503, retry) when other pulls hold the budget that long.
     */
    Reservation reserve(long bytes, Duration wait) {
        if (bytes < (4L << 20)) {
            return NOTHING;
        }
        int permits = (int) Math.min(total, (bytes + 1023) / 1024);
        try {
            if (!kibibytes.tryAcquire(permits, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS)) {
                throw new BrowserFailure(BrowserFailure.Kind.OVERLOADED,
                        "Other agents are pulling large results from their browsers right now; retry shortly");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.OVERLOADED, "Interrupted while waiting to pull a large result");
        }
        return () -> kibibytes.release(permits);
    }

    /** Bytes not reserved now (tests, metrics). */
    long available() {
        return kibibytes.availablePermits() * 1024L;
    }
}
