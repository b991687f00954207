package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real driver, with {@link DriverMessageGuard} loaded as the runtime loads it: a page's errors (which Playwright
 * sends its client whether anyone listens or not, message and stack included) never reach the JVM, and a reply
 * larger than the limit becomes an error instead of an allocation of its size. Small replies pass untouched.
 *
 * <p>The driver is started with a limit of {@link #LIMIT} rather than the service's (at least 32 MB,
 * {@code BrowserProperties.Limits#driverMessageBytes}): the guard judges every message against whatever limit it is
 * given, and payloads a few times smaller cost Chromium, the driver and this JVM a fraction of the work. One driver
 * and browser serve both tests, each on a page of its own, so the second also shows that the guard keeps the driver's
 * messages in step after what it dropped or replaced. (With 32 and 40 MB payloads and a driver and browser per test,
 * the class took about 29 s of CPU; 17 s now.) A limit other than the guard's own default also shows that the
 * service's limit reaches the guard.
 */
@ExtendWith(RequiresChromium.class)
class DriverMessageGuardTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** The largest reply the guard lets through here: larger than the 1 MB result that must pass. */
    static final int LIMIT = 4 << 20;
    static PlaywrightDriver driver;
    static Browser browser;
    Page page;

    @BeforeAll
    static void startDriver() {
        driver = PlaywrightDriver.start(LIMIT);
        browser = driver.call(() -> driver.playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Path.of(RequiresChromium.EXECUTABLE)).setChromiumSandbox(false)), TIMEOUT);
    }

    @AfterAll
    static void stopDriver() {
        if (driver != null) {
            driver.close();
        }
    }

    @BeforeEach
    void openPage() {
        page = driver.call(browser::newPage, TIMEOUT);
    }

    @AfterEach
    void closePage() {
        driver.call(() -> {
            page.close();
            return null;
        }, TIMEOUT);
    }

    @Test
    void pageErrorsNeverReachTheService() {
        List<String> errors = new CopyOnWriteArrayList<>();
        driver.call(() -> {
            page.onPageError(errors::add);
            page.setContent("<title>t</title><script>setTimeout(() => { throw new Error('x'.repeat(" + 2 * LIMIT + ")); }, 0);"
                    + "throw new Error('a small one');</script>");
            page.waitForTimeout(500);
            return page.title();
        }, TIMEOUT);

        assertThat(errors).isEmpty();
    }

    @Test
    void aReplyOverTheLimitIsAnErrorAndSmallOnesPass() {
        assertThatThrownBy(() -> driver.call(() -> page.evaluate("n => 'x'.repeat(n)", LIMIT + 1024), TIMEOUT))
                .isInstanceOf(PlaywrightException.class).hasMessageContaining(PlaywrightFailures.TOO_LARGE_MARKER);
        assertThat(driver.call(() -> page.evaluate("n => 'x'.repeat(n)", 1 << 20), TIMEOUT)).asString().hasSize(1 << 20);
        assertThat(driver.call(() -> page.evaluate("() => 1 + 1"), TIMEOUT)).isEqualTo(2);
    }
}
