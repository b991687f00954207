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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The real driver, with {@link DriverMessageGuard} loaded as the runtime loads it: a page's errors (which Playwright
 * sends its client whether anyone listens or not, message and stack included) never reach the JVM, and a reply
 * larger than the limit becomes an error instead of an allocation of its size. Small replies pass untouched.
 */
@ExtendWith(RequiresChromium.class)
class DriverMessageGuardTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    PlaywrightDriver driver;
    Page page;

    @BeforeEach
    void start() {
        driver = PlaywrightDriver.start(BrowserProperties.Limits.DEFAULTS.driverMessageBytes());
        page = driver.call(() -> {
            Browser browser = driver.playwright.chromium().launch(new BrowserType.LaunchOptions()
                    .setExecutablePath(Path.of(RequiresChromium.EXECUTABLE)).setChromiumSandbox(false));
            return browser.newPage();
        }, TIMEOUT);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void pageErrorsNeverReachTheService() {
        List<String> errors = new CopyOnWriteArrayList<>();
        driver.call(() -> {
            page.onPageError(errors::add);
            page.setContent("<title>t</title><script>setTimeout(() => { throw new Error('x'.repeat(40 * 1024 * 1024)); }, 0);"
                    + "throw new Error('a small one');</script>");
            page.waitForTimeout(500);
            return page.title();
        }, TIMEOUT);

        assertThat(errors).isEmpty();
    }

    @Test
    void aReplyOverTheLimitIsAnErrorAndSmallOnesPass() {
        long limit = BrowserProperties.Limits.DEFAULTS.driverMessageBytes();

        assertThatThrownBy(() -> driver.call(() -> page.evaluate("n => 'x'.repeat(n)", (int) limit + 1024), TIMEOUT))
                .isInstanceOf(PlaywrightException.class).hasMessageContaining(PlaywrightFailures.TOO_LARGE_MARKER);
        assertThat(driver.call(() -> page.evaluate("n => 'x'.repeat(n)", 1 << 20), TIMEOUT)).asString().hasSize(1 << 20);
        assertThat(driver.call(() -> page.evaluate("() => 1 + 1"), TIMEOUT)).isEqualTo(2);
    }
}
