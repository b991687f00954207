package dev.agentapi.browser;

import com.microsoft.playwright.Playwright;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A Playwright instance (its Node driver process) and the one thread allowed to use it.
 * Starting one takes a few hundred milliseconds, so the runtime keeps one ready for the next launch.
 */
final class PlaywrightDriver {

    private static final AtomicInteger COUNT = new AtomicInteger();
    /** "com.example.SomeException: " (repeated) at the start of a message. */
    private static final Pattern CLASS_NAME_PREFIX = Pattern.compile("^(?:(?:[a-z_$][\\w$]*\\.)+[A-Z][\\w$]*: )+");

    final ExecutorService thread;
    final Playwright playwright;

    private PlaywrightDriver(ExecutorService thread, Playwright playwright) {
        this.thread = thread;
        this.playwright = playwright;
    }

    /**
     * A driver with the minimal environment of {@link MinimalEnvironmentDriver}, which sends the service no message
     * larger than {@code maxMessageBytes} (see {@link DriverMessageGuard}). Playwright starts every driver of the
     * JVM with the environment of its first: the first runtime's limit holds for all.
     */
    static PlaywrightDriver start(long maxMessageBytes) {
        MinimalEnvironmentDriver.install();
        return start(() -> Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", DriverMessageGuard.LIMIT_VARIABLE, Long.toString(maxMessageBytes)))));
    }

    /** Starts a driver made by {@code factory} on a thread of its own. */
    static PlaywrightDriver start(Callable<Playwright> factory) {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "playwright-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Playwright playwright = thread.submit(factory).get(60, TimeUnit.SECONDS);
            return new PlaywrightDriver(thread, playwright);
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "Interrupted while starting the browser driver");
        } catch (ExecutionException e) {
            thread.shutdownNow();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser driver did not start" + reason(e.getCause()), e);
        } catch (TimeoutException e) {
            thread.shutdownNow();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser driver did not start within 60 seconds", e);
        }
    }

    /**
     * ": " and the failure's own first line, for clients to read: no exception class names (wrappers that
     * only repeat their cause are skipped, a leading "java.io.IOException: " is cut), no stack lines.
     */
    /** What Playwright wraps any failure to start its driver in: the cause says what went wrong. */
    private static final String DRIVER_WRAPPER = "Failed to create driver";

    static String reason(Throwable failure) {
        Throwable t = failure;
        while (t != null && t.getCause() != null && t.getCause() != t
                && (t.getMessage() == null || t.getMessage().equals(t.getCause().toString())
                        || t.getMessage().equals(DRIVER_WRAPPER))) {
            t = t.getCause();
        }
        String message = t == null || t.getMessage() == null ? "" : t.getMessage().strip();
        message = CLASS_NAME_PREFIX.matcher(message).replaceFirst("");
        String firstLine = message.lines().findFirst().orElse("").strip();
        if (firstLine.isEmpty()) {
            return "";
        }
        return ": " + (firstLine.length() > 300 ? firstLine.substring(0, 300) : firstLine);
    }

    /**
     * Runs {@code work} on the driver's thread, the only one allowed to touch its Playwright objects,
     * and waits at most {@code timeout}. A {@link BrowserFailure} or other runtime exception of the work
     * comes back as it was thrown.
     */
    <T> T call(Callable<T> work, Duration timeout) {
        Future<T> future;
        try {
            future = thread.submit(work);
        } catch (RejectedExecutionException closed) {
            throw new BrowserFailure(BrowserFailure.Kind.CLOSED, "The agent's browser is closed");
        }
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BrowserFailure(BrowserFailure.Kind.TIMEOUT, "The browser did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, PlaywrightFailures.plain(e.getCause()), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.TIMEOUT, "Interrupted");
        }
    }

    /** Closes the driver (and with it any browser it still has), then the thread. */
    void close() {
        try {
            thread.submit(playwright::close).get(15, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // already gone, or stuck: the thread is stopped below
        } finally {
            thread.shutdownNow();
        }
    }
}
