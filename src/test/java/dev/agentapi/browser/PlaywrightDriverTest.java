package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.junit.jupiter.api.Test;

/** A driver that cannot start is reported in words a client may read: the cause's own message, no class names. */
class PlaywrightDriverTest {

    private static void assertLaunchFailure(Exception cause, String expectedMessage) {
        assertThatThrownBy(() -> PlaywrightDriver.start(() -> {
            throw cause;
        })).isInstanceOfSatisfying(BrowserFailure.class, failure -> {
            assertThat(failure.kind()).isEqualTo(BrowserFailure.Kind.LAUNCH_FAILED);
            assertThat(failure.getMessage()).isEqualTo(expectedMessage)
                    .doesNotContain("Exception", "com.microsoft", "java.");
        });
    }

    @Test
    void driverFailureCarriesTheCausesOwnMessage() {
        assertLaunchFailure(new PlaywrightException("Failed to create driver"),
                "The browser driver did not start: Failed to create driver");
    }

    @Test
    void checkedAndWrappedCausesLoseTheirClassNamesToo() {
        assertLaunchFailure(new IOException("Cannot run program \"node\""),
                "The browser driver did not start: Cannot run program \"node\"");
        assertLaunchFailure(new UncheckedIOException(new IOException("Broken pipe")),
                "The browser driver did not start: Broken pipe");
        assertLaunchFailure(new PlaywrightException("Driver exited\n    at Object.<anonymous> (cli.js:1:1)"),
                "The browser driver did not start: Driver exited");
        assertLaunchFailure(new IllegalStateException(), "The browser driver did not start");
    }

    @Test
    void playwrightsOwnWrapperGivesWayToWhatWentWrong() {
        assertLaunchFailure(new RuntimeException("Failed to create driver", new IOException("no Playwright driver: set BROWSER_DRIVER_DIR")),
                "The browser driver did not start: no Playwright driver: set BROWSER_DRIVER_DIR");
    }
}
