package dev.agentapi.browser;

import com.microsoft.playwright.Playwright;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Playwright instance (its Node driver process) and the one thread allowed to use it.
 * Starting one takes a few hundred milliseconds, so the runtime keeps one ready for the next launch.
 */
final class PlaywrightDriver {

    private static final AtomicInteger COUNT = new AtomicInteger();

    final ExecutorService thread;
    final Playwright playwright;

    private PlaywrightDriver(ExecutorService thread, Playwright playwright) {
        this.thread = thread;
        this.playwright = playwright;
    }

    static PlaywrightDriver start() {
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "playwright-" + COUNT.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        try {
            Playwright playwright = thread.submit(() -> Playwright.create(
                    new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))).get(60, TimeUnit.SECONDS);
            return new PlaywrightDriver(thread, playwright);
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "Interrupted while starting the browser driver");
        } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
            thread.shutdownNow();
            throw new BrowserFailure(BrowserFailure.Kind.LAUNCH_FAILED, "The browser driver did not start: " + e.getMessage(), e);
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
