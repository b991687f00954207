package dev.agentapi.browser;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.PlaywrightException;
import org.junit.jupiter.api.Test;

/** What a client reads of a Playwright failure: its first sentence, never Playwright's wrapping, stack, call log or paths. */
class PlaywrightFailuresTest {

    private static String plain(String message) {
        return PlaywrightFailures.plain(new PlaywrightException(message));
    }

    @Test
    void anActionsFailureIsItsFirstSentence() {
        String fill = "Error {\n  message='locator.fill: Error: Element is not an <input>, <textarea>, <select> or [contenteditable]\n"
                + "  name='Error\n  stack='Error: locator.fill: Error: Element is not an <input>\n"
                + "    at /tmp/playwright-java-123/package/lib/coreBundle.js:1:2\n}\nCall log:\n"
                + "  - waiting for locator('#h').first()\n    - locator resolved to <h1 id=\"h\">Hello</h1>\n";

        assertThat(plain(fill)).isEqualTo("Element is not an <input>, <textarea>, <select> or [contenteditable]");
    }

    @Test
    void aNavigationFailureKeepsItsUrlAndLosesItsCallLog() {
        assertThat(plain("Error {\n  message='page.goto: net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/path?q=1\n"
                + "Call log:\n  - navigating to \"http://127.0.0.1:1/path?q=1\", waiting until \"load\"\n\n  name='Error\n  stack='...\n}"))
                .isEqualTo("net::ERR_CONNECTION_REFUSED at http://127.0.0.1:1/path?q=1");
    }

    @Test
    void aLaunchFailureLosesTheBrowserLogAndItsCommandLine() {
        String launch = "Error {\n  message='BrowserType.launch: Failed to launch the browser process.\nBrowser logs:\n\n"
                + "<launching> /usr/lib/chromium/chromium-headless-shell --disable-field-trial-config --agent-api-agent=a1\n"
                + "[pid=12][err] [FATAL:zygote_host_impl_linux.cc(128)] No usable sandbox!\n  name='Error\n  stack='...\n}";

        assertThat(plain(launch)).isEqualTo("Failed to launch the browser process.");
    }

    @Test
    void filePathsAndNothingAtAllAreSaidInWords() {
        assertThat(plain("ENOENT: no such file or directory, open '/tmp/playwright-artifacts-x/abc'"))
                .isEqualTo("ENOENT: no such file or directory, open '(a file)'");
        assertThat(plain("\n   \n")).isEqualTo("it failed in the browser");
        assertThat(plain("x".repeat(500))).hasSize(201);
    }

    @Test
    void tooLargeRepliesAndCrashedPagesAreTheirOwnFailures() {
        BrowserAction text = new BrowserAction.Text(null, null, null);
        assertThat(PlaywrightFailures.translate(text, new PlaywrightException("Error {\n  message='"
                + PlaywrightFailures.TOO_LARGE_MARKER + ": the result is 40000000 bytes\n  name='Error\n}"), null, 1000).kind())
                .isEqualTo(BrowserFailure.Kind.RESULT_TOO_LARGE);
        assertThat(PlaywrightFailures.translate(text, new PlaywrightException("Error {\n  message='Page crashed\n  name='Error\n}"),
                null, 1000).kind()).isEqualTo(BrowserFailure.Kind.PAGE_CRASHED);
    }
}
