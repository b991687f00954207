package dev.agentapi.browser;

/**
 * {@link EgressTest}'s checks with headless agents on the full Chromium ({@code executable-path}) instead of the
 * headless shell: where the shell is not installed, or {@code BROWSER_HEADLESS_SHELL} is blank, this is what runs.
 */
class EgressOnFullChromiumTest extends EgressTest {

    @Override
    String headlessShell() {
        return "";
    }
}
