package dev.agentapi.browser;

import java.util.List;

/**
 * What a browser's next launch needs to carry on where it stopped: Playwright's storage state (cookies and
 * localStorage per origin, its JSON as Playwright writes and reads it), the open tabs' URLs in order, which one was
 * active, and the viewport. It holds secrets (session cookies): {@link #toString()} names none of it, so a log line or
 * an exception that prints it shows only its shape.
 */
public record BrowserState(String storageState, List<String> tabs, int activeTab, Integer viewportWidth, Integer viewportHeight) {

    public BrowserState {
        tabs = tabs == null ? List.of() : List.copyOf(tabs);
    }

    @Override
    public String toString() {
        return "BrowserState[" + tabs.size() + " tabs, storage state of " + (storageState == null ? 0 : storageState.length())
                + " characters]";
    }
}
